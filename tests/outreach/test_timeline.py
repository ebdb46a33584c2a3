"""The contacts timeline on organisation and person pages, and who sees it."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from knotenpunkt.core.models import LocalAuthority, User
from tests.conftest import client_for
from tests.outreach.factories import ContactFactory
from tests.partners.factories import AffiliationFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _setup(tenant: LocalAuthority) -> tuple[str, str]:
    org = OrganisationFactory(local_authority=tenant, name="Kita Regenbogen")
    person = AffiliationFactory(
        organisation=org, person=PersonFactory(local_authority=tenant, last_name="Leitung")
    ).person
    ContactFactory(
        organisation=org,
        date=datetime.date(2025, 3, 4),
        support_needed="Fortbildung zu Kinderschutz",
    )
    ContactFactory(
        organisation=None,
        person=person,
        date=datetime.date(2025, 6, 1),
        support_needed="Sprechstunde der Familienhebamme",
        follow_up_on=datetime.date(2025, 7, 1),
    )
    base = f"/t/{tenant.slug}/partners/"
    return f"{base}organisations/{org.uuid}/", f"{base}people/{person.uuid}/"


def test_it_shows_the_timeline_newest_first(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    org_url, person_url = _setup(tenant)
    page = coordinator_client.get(org_url).content.decode()
    # The organisation's page shows its own contacts and those with its current people.
    assert page.index("Sprechstunde der Familienhebamme") < page.index(
        "Fortbildung zu Kinderschutz"
    )
    assert "Record a contact" in page and "Mark follow-up as done" in page
    page = coordinator_client.get(person_url).content.decode()
    assert "Sprechstunde der Familienhebamme" in page
    assert "Fortbildung zu Kinderschutz" not in page
    assert "?person=" in page


def test_steering_reads_the_timeline_without_buttons(
    tenant: LocalAuthority, steering: User
) -> None:
    org_url, _ = _setup(tenant)
    page = client_for(steering).get(org_url).content.decode()
    assert "Fortbildung zu Kinderschutz" in page
    assert "Record a contact" not in page and "Mark follow-up as done" not in page


def test_partners_do_not_see_the_timeline(tenant: LocalAuthority, partner_client: Client) -> None:
    org_url, person_url = _setup(tenant)
    for url in (org_url, person_url):
        page = partner_client.get(url).content.decode()
        assert "Fortbildung zu Kinderschutz" not in page
        assert "Sprechstunde" not in page
        assert "contacts-heading" not in page


def test_detail_pages_take_a_constant_number_of_queries(
    tenant: LocalAuthority,
    coordinator_client: Client,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    org_url, person_url = _setup(tenant)
    coordinator_client.get(f"/t/{tenant.slug}/")  # the session learns the tenant
    with django_assert_max_num_queries(13):
        assert coordinator_client.get(org_url).status_code == 200
    with django_assert_max_num_queries(13):
        assert coordinator_client.get(person_url).status_code == 200
    for _i in range(25):
        ContactFactory(organisation=None, person=PersonFactory(local_authority=tenant))
    with django_assert_max_num_queries(13):
        assert coordinator_client.get(org_url).status_code == 200
