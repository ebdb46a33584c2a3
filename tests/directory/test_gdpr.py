"""GDPR: erasing a professional blanks the offer contacts copied from them; export lists them."""

from __future__ import annotations

import pytest

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.directory.gdpr import erase_person, export_person
from knotenpunkt.directory.models import DirectoryContact, Service
from tests.directory.factories import DirectoryContactFactory, ServiceFactory
from tests.partners.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_it_exports_and_erases_the_contacts_of_a_person(in_tenant: LocalAuthority) -> None:
    person = PersonFactory(local_authority=in_tenant, first_name="Hanna", last_name="Hebamme")
    service = ServiceFactory(organisation__local_authority=in_tenant, responsible=person)
    contact = DirectoryContactFactory(
        service=service, person=person, name="Hanna Hebamme", email="hanna@example.org"
    )
    other = DirectoryContactFactory(service=service, name="Büro", email="buero@example.org")

    exported = export_person(person=person)
    assert exported["offer_contacts"][0]["email"] == "hanna@example.org"
    assert exported["responsible_for_offers"] == [service.name]

    erase_person(person=person)

    contact.refresh_from_db()
    assert (contact.name, contact.email, contact.person) == ("", "", None)
    assert DirectoryContact.objects.get(pk=other.pk).email == "buero@example.org"
    assert Service.objects.get(pk=service.pk).responsible is None
