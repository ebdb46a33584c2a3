"""Every page of the partner register against the four standard visitors, and other tenants' ids."""

from __future__ import annotations

import pytest
from django.test import Client
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.partners.models import SavedFilter
from tests.access import check_tenant_urls
from tests.partners.factories import (
    AffiliationFactory,
    ConsentFactory,
    OrganisationFactory,
    PersonFactory,
    ProfessionFactory,
    SectorFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


def test_every_partners_url_keeps_outsiders_and_visitors_out(
    tenant: LocalAuthority,
    partner: User,
    coordinator: User,
    coordinator_client: Client,
    partner_client: Client,
    outsider_client: Client,
    anonymous_client: Client,
) -> None:
    # The partner's own person and organisation, so that their edit pages open for them.
    person = PersonFactory(local_authority=tenant, user=partner)
    affiliation = AffiliationFactory(person=person)
    unit = UnitFactory(organisation=affiliation.organisation)
    consent = ConsentFactory(person=person)
    sector = SectorFactory(local_authority=tenant)
    profession = ProfessionFactory(local_authority=tenant)
    with scope(local_authority=tenant):
        saved = SavedFilter.objects.create(
            local_authority=tenant, user=coordinator, list_name="people", name="x", query="q=a"
        )
    checked = check_tenant_urls(
        namespace="partners",
        tenant=tenant.slug,
        url_kwargs={
            "organisation": affiliation.organisation.uuid,
            "unit": unit.uuid,
            "person": person.uuid,
            "affiliation": affiliation.pk,
            "consent": consent.pk,
            "sector": sector.pk,
            "profession": profession.pk,
            "saved_filter": saved.pk,
        },
        coordinator=coordinator_client,
        partner=partner_client,
        outsider=outsider_client,
        anonymous=anonymous_client,
    )
    assert {u.name for u in checked} >= {
        "partners:organisation_list",
        "partners:person_list",
        "partners:organisation_detail",
        "partners:person_detail",
    }


def test_volunteers_and_steering_cannot_write(
    tenant: LocalAuthority, volunteer: User, steering: User
) -> None:
    org = OrganisationFactory(local_authority=tenant)
    volunteer_client, steering_client = Client(), Client()
    volunteer_client.force_login(volunteer)
    steering_client.force_login(steering)
    base = f"/t/{tenant.slug}/partners/"
    assert volunteer_client.get(base).status_code == 403
    assert volunteer_client.get(f"{base}people/").status_code == 403
    assert steering_client.get(base).status_code == 200
    assert steering_client.get(f"{base}organisations/{org.uuid}/").status_code == 200
    assert steering_client.get(f"{base}organisations/{org.uuid}/edit/").status_code == 403
    assert steering_client.get(f"{base}organisations/new/").status_code == 403


def test_another_tenants_objects_are_not_found_through_my_tenant(
    tenant: LocalAuthority, other_tenant: LocalAuthority, coordinator_client: Client
) -> None:
    person = PersonFactory(local_authority=other_tenant)
    affiliation = AffiliationFactory(person=person)
    org = affiliation.organisation
    unit = UnitFactory(organisation=org)
    consent = ConsentFactory(person=person)
    sector = SectorFactory(local_authority=other_tenant)
    profession = ProfessionFactory(local_authority=other_tenant)
    base = f"/t/{tenant.slug}/partners/"
    for path in (
        f"organisations/{org.uuid}/",
        f"organisations/{org.uuid}/edit/",
        f"organisations/{org.uuid}/units/new/",
        f"units/{unit.uuid}/edit/",
        f"people/{person.uuid}/",
        f"people/{person.uuid}/edit/",
        f"people/{person.uuid}/export/",
        f"vocabulary/sectors/{sector.pk}/",
        f"vocabulary/professions/{profession.pk}/",
    ):
        assert coordinator_client.get(base + path).status_code == 404, path
    for path in (
        f"organisations/{org.uuid}/delete/",
        f"units/{unit.uuid}/delete/",
        f"people/{person.uuid}/erase/",
        f"people/{person.uuid}/affiliations/new/",
        f"people/{person.uuid}/affiliations/{affiliation.pk}/end/",
        f"people/{person.uuid}/consents/{consent.pk}/withdraw/",
        f"vocabulary/sectors/{sector.pk}/delete/",
        f"vocabulary/professions/{profession.pk}/delete/",
    ):
        assert coordinator_client.post(base + path).status_code == 404, path
    with scope(local_authority=other_tenant):
        org.refresh_from_db()
        person.refresh_from_db()
    assert person.erased_at is None


def test_an_affiliation_of_another_person_is_not_found(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    mine = PersonFactory(local_authority=tenant)
    other = AffiliationFactory(person=PersonFactory(local_authority=tenant))
    url = f"/t/{tenant.slug}/partners/people/{mine.uuid}/affiliations/{other.pk}/end/"
    assert coordinator_client.post(url).status_code == 404
