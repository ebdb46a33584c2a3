"""The partner lists' "last contact" filter, column and sort, and their query counts."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from django_scopes import scope
from pytest_django import DjangoAssertNumQueries

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.outreach import selectors
from knotenpunkt.partners.models import Organisation, Person
from tests.outreach.factories import ContactFactory
from tests.partners.factories import AffiliationFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

# name -> days since the last contact (None: never)
AGES = {"Recent": 30, "HalfYear": 120, "Year": 250, "Old": 500, "Never": None}
EXPECTED = {
    "": set(AGES),
    "3": {"Recent"},
    "6": {"Recent", "HalfYear"},
    "12": {"Recent", "HalfYear", "Year"},
    "stale6": {"Year", "Old", "Never"},
    "never": {"Never"},
}


def _ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _names(page: str, names: set[str], prefix: str) -> set[str]:
    return {name for name in names if f"{prefix}{name}<" in page}


def _organisations(tenant: LocalAuthority) -> None:
    for name, days in AGES.items():
        org = OrganisationFactory(local_authority=tenant, name=f"Org{name}")
        if days is not None:
            ContactFactory(organisation=org, date=_ago(days))
            # An older contact too: only the latest counts.
            ContactFactory(organisation=org, date=_ago(days + 400))


@pytest.mark.parametrize("choice", list(EXPECTED))
def test_it_filters_organisations_by_last_contact(
    tenant: LocalAuthority, coordinator_client: Client, choice: str
) -> None:
    _organisations(tenant)
    page = coordinator_client.get(
        f"/t/{tenant.slug}/partners/", {"last_contact": choice}
    ).content.decode()
    assert _names(page, set(AGES), "Org") == EXPECTED[choice]


@pytest.mark.parametrize("choice", list(EXPECTED))
def test_it_filters_people_by_last_contact(
    tenant: LocalAuthority, coordinator_client: Client, choice: str
) -> None:
    for name, days in AGES.items():
        person = PersonFactory(local_authority=tenant, first_name="", last_name=f"Pers{name}")
        if days is not None:
            ContactFactory(organisation=None, person=person, date=_ago(days))
    page = coordinator_client.get(
        f"/t/{tenant.slug}/partners/people/", {"last_contact": choice}
    ).content.decode()
    assert _names(page, set(AGES), "Pers") == EXPECTED[choice]


def test_an_organisation_counts_contacts_with_its_current_people(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    org = OrganisationFactory(local_authority=tenant, name="Kita Sonnenschein")
    ContactFactory(organisation=org, date=_ago(400))
    head = AffiliationFactory(organisation=org, person=PersonFactory(local_authority=tenant))
    ContactFactory(organisation=None, person=head.person, date=_ago(20))
    # A former colleague's contacts do not count for the organisation any more.
    former = AffiliationFactory(
        organisation=org,
        person=PersonFactory(local_authority=tenant),
        start=_ago(2000),
        end=_ago(1000),
    )
    ContactFactory(organisation=None, person=former.person, date=_ago(5))
    with scope(local_authority=tenant):
        dates = selectors.last_contact_dates(Organisation.objects.all())
    assert dates == {org.pk: _ago(20)}
    page = coordinator_client.get(
        f"/t/{tenant.slug}/partners/", {"last_contact": "3"}
    ).content.decode()
    assert "Kita Sonnenschein" in page


def test_lists_sort_by_last_contact(tenant: LocalAuthority, coordinator_client: Client) -> None:
    _organisations(tenant)
    base = f"/t/{tenant.slug}/partners/"
    page = coordinator_client.get(base, {"sort": "last_contact"}).content.decode()
    order = ["Never", "Old", "Year", "HalfYear", "Recent"]
    positions = [page.index(f"Org{name}<") for name in order]
    assert positions == sorted(positions)
    page = coordinator_client.get(base, {"sort": "-last_contact"}).content.decode()
    positions = [page.index(f"Org{name}<") for name in reversed(order)]
    assert positions == sorted(positions)


def test_the_last_contact_column_shows_the_date(
    tenant: LocalAuthority, coordinator_client: Client, partner_client: Client
) -> None:
    org = OrganisationFactory(local_authority=tenant, name="Familienzentrum")
    ContactFactory(organisation=org, date=datetime.date(2024, 5, 17))
    page = coordinator_client.get(f"/t/{tenant.slug}/partners/").content.decode()
    assert "Last contact" in page and 'datetime="2024-05-17"' in page
    # Network partners see neither the column nor the filter.
    page = partner_client.get(f"/t/{tenant.slug}/partners/").content.decode()
    assert "Last contact" not in page and 'datetime="2024-05-17"' not in page
    page = partner_client.get(f"/t/{tenant.slug}/partners/people/").content.decode()
    assert "Last contact" not in page


def test_the_annotation_takes_one_query_whatever_the_number_of_partners(
    tenant: LocalAuthority, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    for i in range(30):
        org = OrganisationFactory(local_authority=tenant)
        person = AffiliationFactory(organisation=org, person=PersonFactory(local_authority=tenant))
        ContactFactory(organisation=org, date=_ago(i))
        ContactFactory(organisation=None, person=person.person, date=_ago(i + 3))
    with scope(local_authority=tenant):
        with django_assert_num_queries(1):
            orgs = selectors.last_contact_dates(Organisation.objects.all())
        with django_assert_num_queries(1):
            people = selectors.last_contact_dates(Person.objects.all())
        with django_assert_num_queries(1):
            rows = list(
                selectors.filter_last_contact(
                    selectors.with_last_contact(Organisation.objects.all()), "stale6"
                )
            )
    assert len(orgs) == len(people) == 30
    assert rows == []


@pytest.mark.parametrize("count", [5, 40])
def test_filtered_lists_take_a_constant_number_of_queries(
    tenant: LocalAuthority,
    coordinator_client: Client,
    django_assert_max_num_queries: DjangoAssertNumQueries,
    count: int,
) -> None:
    for i in range(count):
        org = OrganisationFactory(local_authority=tenant)
        person = AffiliationFactory(organisation=org, person=PersonFactory(local_authority=tenant))
        ContactFactory(organisation=org, person=person.person, date=_ago(i * 20))
    base = f"/t/{tenant.slug}/partners/"
    with django_assert_max_num_queries(16):
        assert coordinator_client.get(base, {"last_contact": "stale6", "sort": "last_contact"})
    with django_assert_max_num_queries(16):
        assert coordinator_client.get(f"{base}people/", {"last_contact": "6"}).status_code == 200


def test_months_before_handles_short_months() -> None:
    assert selectors.months_before(datetime.date(2025, 5, 31), 3) == datetime.date(2025, 2, 28)
    assert selectors.months_before(datetime.date(2024, 5, 31), 3) == datetime.date(2024, 2, 29)
    assert selectors.months_before(datetime.date(2025, 1, 15), 12) == datetime.date(2024, 1, 15)
    assert selectors.months_before(datetime.date(2025, 2, 10), 6) == datetime.date(2024, 8, 10)
