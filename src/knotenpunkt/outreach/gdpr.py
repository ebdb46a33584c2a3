"""What contacts hold about a professional: the coordination's notes on each contact."""

from __future__ import annotations

from typing import Any

from knotenpunkt.outreach.selectors import contacts_export
from knotenpunkt.outreach.services import contacts_erase_person
from knotenpunkt.partners.models import Person


def erase_person(*, person: Person) -> None:
    """Blanks the notes of the person's contacts; the contacts stay, so counts remain right."""
    contacts_erase_person(person)


def export_person(*, person: Person) -> dict[str, Any]:
    return {"contacts": contacts_export(person)}
