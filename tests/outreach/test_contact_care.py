"""The contact-care view: who is due, by which interval, grouped, and put on a tour."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.core.services import ServiceError
from knotenpunkt.outreach import selectors, services
from knotenpunkt.outreach.models import ContactInterval, Tour, TourStop
from tests.factories import AreaFactory
from tests.outreach.factories import ContactFactory
from tests.partners.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    ProfessionFactory,
    SectorFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()  # noqa: DTZ011


def ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


def names(groups: list[selectors.CareGroup]) -> dict[str, list[str]]:
    return {group.label: [due.organisation.name for due in group.partners] for group in groups}


def test_it_lists_partners_not_contacted_within_six_months_by_default(
    tenant: LocalAuthority,
) -> None:
    health = SectorFactory(local_authority=tenant, name="Gesundheit")
    recent = OrganisationFactory(local_authority=tenant, name="Neulich")
    old = OrganisationFactory(local_authority=tenant, name="Lange her")
    never = OrganisationFactory(local_authority=tenant, name="Nie")
    for organisation in (recent, old, never):
        organisation.sectors.add(health)
    ContactFactory(organisation=recent, date=ago(30))
    ContactFactory(organisation=old, date=ago(400), follow_up_on=ago(10), follow_up_note="Flyer")
    with scope(local_authority=tenant):
        groups = selectors.contact_care()
    assert names(groups) == {"Gesundheit": ["Nie", "Lange her"]}
    old_due = groups[0].partners[1]
    assert old_due.last_contact == ago(400)
    assert old_due.months == ContactInterval.DEFAULT_MONTHS
    assert [c.follow_up_note for c in old_due.open_follow_ups] == ["Flyer"]


def test_it_uses_the_shortest_interval_of_sectors_and_professions(
    tenant: LocalAuthority, coordinator: User
) -> None:
    school = SectorFactory(local_authority=tenant, name="Schule")
    midwife = ProfessionFactory(local_authority=tenant, name="Hebamme")
    by_sector = OrganisationFactory(local_authority=tenant, name="Schule am Markt")
    by_sector.sectors.add(school)
    by_profession = OrganisationFactory(local_authority=tenant, name="Hebammenpraxis")
    AffiliationFactory(
        organisation=by_profession,
        person=PersonFactory(local_authority=tenant, profession=midwife),
    )
    plain = OrganisationFactory(local_authority=tenant, name="Sonstige")
    for organisation in (by_sector, by_profession, plain):
        ContactFactory(organisation=organisation, date=ago(100))
    with scope(local_authority=tenant):
        services.contact_interval_set(
            actor=coordinator, local_authority=tenant, sector=school, months=3
        )
        services.contact_interval_set(
            actor=coordinator, local_authority=tenant, profession=midwife, months=2
        )
        by_sector_groups = names(selectors.contact_care(group_by="sector"))
        by_profession_groups = names(selectors.contact_care(group_by="profession"))
        area_groups = names(selectors.contact_care(group_by="area"))
        # Removing an interval brings back the default.
        services.contact_interval_set(
            actor=coordinator, local_authority=tenant, sector=school, months=None
        )
        after = names(selectors.contact_care(group_by="sector"))
    assert by_sector_groups == {
        "Schule": ["Schule am Markt"],
        "without sector": ["Hebammenpraxis"],
    }
    assert by_profession_groups == {
        "Hebamme": ["Hebammenpraxis"],
        "without profession": ["Schule am Markt"],
    }
    assert area_groups == {"without area": ["Hebammenpraxis", "Schule am Markt"]}
    assert after == {"without sector": ["Hebammenpraxis"]}


def test_it_groups_by_area(tenant: LocalAuthority) -> None:
    north = AreaFactory(local_authority=tenant, name="Nord")
    OrganisationFactory(local_authority=tenant, name="A", area=north)
    OrganisationFactory(local_authority=tenant, name="B")
    with scope(local_authority=tenant):
        assert names(selectors.contact_care(group_by="area")) == {
            "Nord": ["A"],
            "without area": ["B"],
        }


def test_it_refuses_an_interval_without_a_target_or_of_another_tenant(
    tenant: LocalAuthority, other_tenant: LocalAuthority, coordinator: User
) -> None:
    foreign = SectorFactory(local_authority=other_tenant)
    with scope(local_authority=tenant):
        with pytest.raises(ServiceError):
            services.contact_interval_set(actor=coordinator, local_authority=tenant, months=3)
        with pytest.raises(ServiceError):
            services.contact_interval_set(
                actor=coordinator, local_authority=tenant, sector=foreign, months=3
            )
    assert not ContactInterval.objects.with_scopes_disabled().exists()


def test_the_page_runs_a_fixed_number_of_queries_and_puts_partners_on_a_tour(
    tenant: LocalAuthority, coordinator_client: Client, django_assert_max_num_queries: object
) -> None:
    sector = SectorFactory(local_authority=tenant)
    organisations = []
    for i in range(15):
        organisation = OrganisationFactory(local_authority=tenant, name=f"Org {i}")
        organisation.sectors.add(sector)
        AffiliationFactory(organisation=organisation, person__local_authority=tenant)
        ContactFactory(organisation=organisation, date=ago(300), follow_up_on=ago(5))
        organisations.append(organisation)
    url = f"/t/{tenant.slug}/contacts/care/"
    counts = []
    for group in ("sector", "profession", "area"):
        with django_assert_max_num_queries(20):  # type: ignore[operator]
            response = coordinator_client.get(url, {"group_by": group})
        assert response.status_code == 200
        assert "Org 14" in response.content.decode()
        with CaptureQueriesContext(connection) as queries:
            coordinator_client.get(url, {"group_by": group})
        counts.append(len(queries))
    for i in range(15, 25):
        more = OrganisationFactory(local_authority=tenant, name=f"Org {i}")
        more.sectors.add(sector)
        AffiliationFactory(organisation=more, person__local_authority=tenant)
        ContactFactory(organisation=more, date=ago(300), follow_up_on=ago(5))
    for group, count in zip(("sector", "profession", "area"), counts, strict=True):
        with CaptureQueriesContext(connection) as queries:
            coordinator_client.get(url, {"group_by": group})
        assert len(queries) == count
    target = organisations[0]
    response = coordinator_client.post(
        f"{url}{target.uuid}/put-on-tour/", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "on the tour" in response.content.decode()
    tour = Tour.objects.with_scopes_disabled().get()
    assert tour.status == Tour.Status.DRAFT
    assert tour.date > TODAY
    coordinator_client.post(f"{url}{organisations[1].uuid}/put-on-tour/")
    # Twice is refused with a message, not a second stop.
    response = coordinator_client.post(
        f"{url}{target.uuid}/put-on-tour/", headers={"HX-Request": "true"}
    )
    assert "already" in response.content.decode()
    assert TourStop.objects.with_scopes_disabled().filter(tour=tour).count() == 2
    assert "on the tour" in coordinator_client.get(url).content.decode()


def test_the_interval_form_sets_an_interval(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    sector = SectorFactory(local_authority=tenant)
    url = f"/t/{tenant.slug}/contacts/care/intervals/"
    coordinator_client.post(url, {"sector": sector.pk, "months": "4"})
    assert ContactInterval.objects.with_scopes_disabled().get().months == 4
    coordinator_client.post(url, {"months": "4"})
    assert ContactInterval.objects.with_scopes_disabled().count() == 1


def test_another_tenants_partner_cannot_be_put_on_a_tour(
    tenant: LocalAuthority, other_tenant: LocalAuthority, coordinator_client: Client
) -> None:
    foreign = OrganisationFactory(local_authority=other_tenant)
    foreign_sector = SectorFactory(local_authority=other_tenant)
    base = f"/t/{tenant.slug}/contacts/care/"
    assert coordinator_client.post(f"{base}{foreign.uuid}/put-on-tour/").status_code == 404
    coordinator_client.post(f"{base}intervals/", {"sector": foreign_sector.pk, "months": "2"})
    assert not TourStop.objects.with_scopes_disabled().exists()
    assert not ContactInterval.objects.with_scopes_disabled().exists()
