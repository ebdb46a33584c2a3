"""GDPR: erasing a person blanks the notes of their contacts; the export includes them."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django_scopes import scope

from knotenpunkt.core.models import AuditEntry, LocalAuthority, User
from knotenpunkt.outreach import services
from knotenpunkt.outreach.models import Contact
from knotenpunkt.partners import selectors as partner_selectors
from knotenpunkt.partners import services as partner_services
from tests.partners.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _contact_with(tenant: LocalAuthority, coordinator: User) -> Contact:
    person = PersonFactory(local_authority=tenant, last_name="Sorgsam")
    with scope(local_authority=tenant):
        return services.contact_log(
            actor=coordinator,
            local_authority=tenant,
            person=person,
            organisation=OrganisationFactory(local_authority=tenant),
            date=datetime.date(2025, 1, 10),
            support_needed="Frau Sorgsam braucht Supervision",
            topics_of_concern="Belastung im Team",
            expectations="Rückruf",
            follow_up_on=datetime.date(2025, 2, 1),
            follow_up_note="Supervisorin vermitteln",
        )


def test_it_blanks_the_notes_and_scrubs_the_audit_log(
    tenant: LocalAuthority, coordinator: User
) -> None:
    contact = _contact_with(tenant, coordinator)
    with scope(local_authority=tenant):
        assert services.contacts_erase_person(contact.person, actor=coordinator) == 1
        contact.refresh_from_db()
        entries = list(
            AuditEntry.objects.filter(object_type="outreach.Contact", object_id=str(contact.pk))
        )
    assert contact.support_needed == contact.topics_of_concern == contact.expectations == ""
    assert contact.follow_up_note == ""
    assert contact.date == datetime.date(2025, 1, 10)  # the contact itself stays, for counts
    assert len(entries) == 2
    for entry in entries:
        assert "Sorgsam" not in str(entry.changes) and "Sorgsam" not in entry.object_label
        assert "Supervision" not in str(entry.changes)


def test_it_leaves_other_peoples_contacts_alone(tenant: LocalAuthority, coordinator: User) -> None:
    contact = _contact_with(tenant, coordinator)
    other = _contact_with(tenant, coordinator)
    with scope(local_authority=tenant):
        services.contacts_erase_person(contact.person, actor=coordinator)
        other.refresh_from_db()
    assert other.support_needed == "Frau Sorgsam braucht Supervision"


def test_person_erase_blanks_contact_notes(tenant: LocalAuthority, coordinator: User) -> None:
    contact = _contact_with(tenant, coordinator)
    with scope(local_authority=tenant):
        partner_services.person_erase(actor=coordinator, person=contact.person)
        contact.refresh_from_db()
    assert contact.support_needed == ""


def test_an_anonymised_person_gets_no_contacts_and_theirs_cannot_be_changed(
    tenant: LocalAuthority, coordinator: User, coordinator_client: Client
) -> None:
    contact = _contact_with(tenant, coordinator)
    person = contact.person
    with scope(local_authority=tenant):
        partner_services.person_erase(actor=coordinator, person=person)
        services.contacts_erase_person(person, actor=coordinator)
    base = f"/t/{tenant.slug}/contacts/"
    assert coordinator_client.get(f"{base}new/?person={person.uuid}").status_code == 404
    response = coordinator_client.post(
        f"{base}new/", {"person": person.uuid, "kind": "call", "date": "2025-01-11"}
    )
    assert "Select a valid choice" in response.content.decode()
    response = coordinator_client.post(
        f"{base}{contact.uuid}/edit/",
        {"person": person.uuid, "kind": "call", "date": "2025-01-11", "expectations": "x"},
    )
    assert response.status_code == 302
    with scope(local_authority=tenant):
        contact.refresh_from_db()
        assert contact.expectations == ""
        with pytest.raises(services.ServiceError):
            services.contact_log(
                actor=coordinator,
                local_authority=tenant,
                person=person,
                date=datetime.date(2025, 1, 12),
            )


def test_the_person_export_includes_their_contacts(
    tenant: LocalAuthority, coordinator: User
) -> None:
    contact = _contact_with(tenant, coordinator)
    with scope(local_authority=tenant):
        data = partner_selectors.person_export(contact.person)
    assert len(data["contacts"]) == 1
    exported = data["contacts"][0]
    assert exported["date"] == "2025-01-10"
    assert exported["support_needed"] == "Frau Sorgsam braucht Supervision"
    assert exported["held_by"] == str(coordinator)
