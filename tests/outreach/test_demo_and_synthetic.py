"""The Altmark demo's contacts, and the synthetic generator's contact step."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import F
from django.test import Client
from django_scopes import scope, scopes_disabled

from knotenpunkt.core.demo import ALTMARK_SLUG, MUSTERSTADT_SLUG, load_demo
from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.core.synthetic import generate
from knotenpunkt.outreach import selectors
from knotenpunkt.outreach.models import Contact
from knotenpunkt.partners.models import Organisation
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_the_altmark_demo_has_contacts_over_eighteen_months() -> None:
    load_demo()
    altmark = LocalAuthority.objects.get(slug=ALTMARK_SLUG)
    coordinator = User.objects.get(email="koordination@altmark-demo.example.org")
    with scope(local_authority=altmark):
        contacts = list(Contact.objects.select_related("organisation"))
        assert 35 <= len(contacts) <= 45
        assert {c.who for c in contacts} == {coordinator}
        assert {c.kind for c in contacts} >= {"visit", "call", "event"}
        assert all(c.support_needed and c.expectations for c in contacts)
        assert selectors.open_follow_ups().exists()
        never = selectors.filter_last_contact(
            selectors.with_last_contact(Organisation.objects.all()), "never"
        )
        assert never.count() >= 3
        recent = selectors.filter_last_contact(
            selectors.with_last_contact(Organisation.objects.all()), "3"
        )
        assert recent.count() >= 5
    with scope(local_authority=LocalAuthority.objects.get(slug=MUSTERSTADT_SLUG)):
        assert not Contact.objects.exists()
    client = client_for(coordinator)
    page = client.get(f"/t/{ALTMARK_SLUG}/contacts/", {"open_follow_ups": "on"})
    assert page.status_code == 200
    page = client.get(f"/t/{ALTMARK_SLUG}/partners/", {"last_contact": "never"})
    assert "Polizeirevier Salzwedel, Prävention (Demo)" in page.content.decode()


def test_the_demo_partner_sees_no_contacts(client: Client) -> None:
    load_demo()
    partner = User.objects.get(email="partnerin@altmark-demo.example.org")
    altmark = LocalAuthority.objects.get(slug=ALTMARK_SLUG)
    with scope(local_authority=altmark):
        org = Organisation.objects.get(name="Hebammenpraxis Storchennest (Demo)")
    page = client_for(partner).get(f"/t/{ALTMARK_SLUG}/partners/organisations/{org.uuid}/")
    assert "Räume für einen Rückbildungskurs" not in page.content.decode()


def test_the_generator_adds_contacts_deterministically() -> None:
    def summary() -> list[tuple[str, str, str]]:
        with scopes_disabled():
            return list(
                Contact.objects.order_by("organisation__name", "date", "kind").values_list(
                    "organisation__name", "kind", "support_needed"
                )
            )

    report = generate(scale="county", seed=5)
    assert report.counts["contacts"] > 0
    with scopes_disabled():
        assert not Contact.objects.exclude(
            local_authority=F("organisation__local_authority")
        ).exists()
    first = summary()
    generate(scale="county", seed=5, replace=True)
    assert [row[:2] for row in summary()] == [row[:2] for row in first]


def test_the_altmark_demo_has_a_planned_tour_and_welcome_visits() -> None:
    from knotenpunkt.outreach.models import Tour, WelcomeVisit

    load_demo()
    altmark = LocalAuthority.objects.get(slug=ALTMARK_SLUG)
    coordinator = User.objects.get(email="koordination@altmark-demo.example.org")
    with scope(local_authority=altmark):
        tour = Tour.objects.get()
        stops = list(tour.stops.select_related("organisation").order_by("position"))
        assert tour.status == Tour.Status.PLANNED
        assert tour.date.weekday() == 1
        assert tour.date > datetime.date.today()  # noqa: DTZ011
        assert len(stops) == 6
        assert all(stop.planned_start for stop in stops if not stop.unreachable)
        assert sum(not stop.unreachable for stop in stops) >= 5
        longest = list(
            selectors.with_last_contact(Organisation.objects.filter(latitude__isnull=False))
            .order_by(selectors.last_contact_order(newest_first=False), "name")
            .values_list("pk", flat=True)[:6]
        )
        assert {stop.organisation_id for stop in stops} == set(longest)
        assert WelcomeVisit.objects.count() >= 12
        assert len(selectors.welcome_statistics().rows) >= 3
    client = client_for(coordinator)
    base = f"/t/{ALTMARK_SLUG}/contacts/"
    assert client.get(f"{base}tours/{tour.uuid}/print/").status_code == 200
    assert client.get(f"{base}care/").status_code == 200
    assert client.get(f"{base}welcome-visits/statistics/").status_code == 200
