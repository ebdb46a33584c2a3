"""What the directory holds about a professional: contacts for offers that name them."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from knotenpunkt.directory.models import DirectoryContact, Service
from knotenpunkt.partners.models import Person


def erase_person(*, person: Person) -> None:
    """Blanks the offer contacts copied from the person and drops them as responsible contact.

    The contacts themselves stay (an offer still needs someone to ask); the coordinator sees an
    empty contact and fills in the office instead.
    """
    with transaction.atomic():
        DirectoryContact.objects.filter(person=person).update(
            name="", title="", email="", person=None
        )
        Service.objects.filter(responsible=person).update(responsible=None)


def export_person(*, person: Person) -> dict[str, Any]:
    contacts = DirectoryContact.objects.filter(person=person).select_related("service")
    return {
        "offer_contacts": [
            {
                "offer": contact.service.name if contact.service else "",
                "name": contact.name,
                "title": contact.title,
                "department": contact.department,
                "email": contact.email,
            }
            for contact in contacts
        ],
        "responsible_for_offers": list(
            Service.objects.filter(responsible=person).values_list("name", flat=True)
        ),
    }
