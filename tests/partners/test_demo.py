"""The demo's partner register: full, fictional, at real places, with the partner's own record."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.partners.demo_data import ALTMARK_SLUG, MUSTERSTADT_SLUG, PARTNER_EMAIL
from knotenpunkt.partners.models import (
    Affiliation,
    Consent,
    LocationSource,
    Organisation,
    Person,
    Unit,
)
from knotenpunkt.partners.selectors import retention_candidates

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _only_this_apps_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Builds only the partner register's demo part, so other apps' demos cannot break this test."""
    from django_scopes import scope as tenant_scope

    from knotenpunkt.core import demo
    from knotenpunkt.partners.demo_data import build_demo

    def build(tenant: LocalAuthority) -> None:
        with tenant_scope(local_authority=tenant):
            build_demo(tenant)

    monkeypatch.setattr(demo, "build_demo_data", build)


def test_the_demo_fills_both_registers() -> None:
    call_command("demo", stdout=StringIO())
    altmark = LocalAuthority.objects.get(slug=ALTMARK_SLUG)
    with scope(local_authority=altmark):
        orgs = Organisation.objects.all()
        assert 28 <= orgs.count() <= 40
        assert Person.objects.count() >= 55
        assert Consent.objects.exists()
        assert all("(Demo)" in org.name for org in orgs)
        assert all(org.email.endswith(".example.org") for org in orgs)
        assert all(org.location_source == LocationSource.RECORD for org in orgs)
        assert all(str(org.phone).startswith("+49 30 123456") for org in orgs)
        towns = set(orgs.values_list("area__name", flat=True))
        assert {
            "Salzwedel",
            "Gardelegen",
            "Klötze",
            "Arendsee (Altmark)",
            "Kalbe (Milde)",
            "Beetzendorf",
        } <= towns
        youth_office = orgs.get(name="Jugendamt Altmarkkreis (Demo)")
        assert {"Allgemeiner Sozialer Dienst (ASD)", "Frühe Hilfen", "Jugendhilfeplanung"} <= set(
            Unit.objects.filter(organisation=youth_office).values_list("name", flat=True)
        )
        petra = Person.objects.get(user__email=PARTNER_EMAIL)
        assert petra.profession is not None and petra.profession.name == "Familienhebamme"
        assert Affiliation.objects.filter(person=petra).count() == 1
        assert retention_candidates().filter(last_name="Ruhestand").exists()
    musterstadt = LocalAuthority.objects.get(slug=MUSTERSTADT_SLUG)
    with scope(local_authority=musterstadt):
        assert Organisation.objects.count() == 8


def test_the_demo_partner_may_edit_her_practice_only() -> None:
    call_command("demo", stdout=StringIO())
    altmark = LocalAuthority.objects.get(slug=ALTMARK_SLUG)
    client = Client()
    client.force_login(User.objects.get(email=PARTNER_EMAIL))
    with scope(local_authority=altmark):
        own = Organisation.objects.get(name="Hebammenpraxis Storchennest (Demo)")
        other = Organisation.objects.get(name="Jobcenter Altmark (Demo)")
    base = f"/t/{altmark.slug}/partners/organisations/"
    assert client.get(f"{base}{own.uuid}/edit/").status_code == 200
    assert client.get(f"{base}{other.uuid}/edit/").status_code == 403
    assert client.get(f"/t/{altmark.slug}/partners/").status_code == 200
