"""Create forms check phone numbers, e-mail, postcode and half positions."""

from __future__ import annotations

import pytest
from django.test import Client
from django_scopes import scope

from knotenpunkt.core.models import AuditEntry, LocalAuthority
from knotenpunkt.partners.models import Organisation, Person
from tests.partners.factories import SectorFactory

pytestmark = pytest.mark.django_db


def test_bad_phone_postcode_and_email_are_refused(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    response = coordinator_client.post(
        f"/t/{tenant.slug}/partners/organisations/new/",
        {
            "name": "Praxis",
            "postcode": "2941",
            "phone": "12ab",
            "email": "nicht-gültig",
            "latitude": "52.8",
            "version": "1",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "A German postcode has five digits." in page
    assert "Enter a valid phone number" in page
    assert "Enter a valid email address" in page
    assert "Give both latitude and longitude, or neither." in page
    with scope(local_authority=tenant):
        assert not Organisation.objects.exists()


def test_a_valid_organisation_is_created_with_sectors_and_logged(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    sector = SectorFactory(local_authority=tenant, name="Gesundheitswesen")
    response = coordinator_client.post(
        f"/t/{tenant.slug}/partners/organisations/new/",
        {
            "name": "Kinderarztpraxis (Demo)",
            "postcode": "29410",
            "city": "Salzwedel",
            "phone": "03901 123456",
            "sectors": [sector.pk],
            "version": "1",
        },
    )
    assert response.status_code == 302
    with scope(local_authority=tenant):
        org = Organisation.objects.get()
        entry = AuditEntry.objects.get(object_type="partners.Organisation")
        assert list(org.sectors.all()) == [sector]
    assert org.phone.as_e164 == "+493901123456"
    assert entry.changes["sectors"] == [None, [str(sector)]]


def test_a_person_with_a_bad_mobile_is_refused(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    response = coordinator_client.post(
        f"/t/{tenant.slug}/partners/people/new/",
        {
            "last_name": "Muster",
            "mobile": "0000",
            "purpose": "Netzwerk",
            "legal_basis": "public_task",
            "version": "1",
        },
    )
    assert "Enter a valid phone number" in response.content.decode()
    with scope(local_authority=tenant):
        assert not Person.objects.exists()
