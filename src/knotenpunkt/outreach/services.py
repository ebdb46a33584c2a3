"""Writes for keeping contact. Each one is atomic and audited.

A contact belongs to the tenant of its organisation and person; an anonymised person gets no new
contacts, and their existing contacts cannot be changed (only deleted).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from knotenpunkt.core import audit
from knotenpunkt.core.audit import Actor
from knotenpunkt.core.models import AuditEntry, LocalAuthority, Role, User
from knotenpunkt.core.services import ServiceError
from knotenpunkt.outreach.models import Contact
from knotenpunkt.partners.models import Organisation, Person

#: The fields a coordinator fills in.
CONTACT_FIELDS = [
    "organisation",
    "person",
    "kind",
    "date",
    "start_time",
    "who",
    "companions",
    "support_needed",
    "topics_of_concern",
    "expectations",
    "follow_up_on",
    "follow_up_note",
    "follow_up_done",
    "topic_tags",
]
#: Free text that may say something about the person; blanked when the person is erased.
NOTE_FIELDS = ["support_needed", "topics_of_concern", "expectations", "follow_up_note"]


def _check(contact: Contact) -> None:
    """Refuses a contact that names nobody, another tenant's partner or an anonymised person."""
    organisation: Organisation | None = contact.organisation
    person: Person | None = contact.person
    if organisation is None and person is None:
        raise ServiceError(_("Choose the organisation or the person the contact was with."))
    for partner in (organisation, person):
        if partner is not None and partner.local_authority_id != contact.local_authority_id:
            raise ServiceError(_("A chosen entry belongs to another local authority."))
    if person is not None and person.is_erased:
        raise ServiceError(_("This person has been anonymised; no contacts can be recorded."))
    if contact.date > timezone.localdate():
        raise ServiceError(_("A contact cannot lie in the future. Plan it as a follow-up."))
    if contact.follow_up_on is not None and contact.follow_up_on < contact.date:
        raise ServiceError(_("The follow-up cannot lie before the contact."))
    who: User | None = contact.who
    if (
        who is not None
        and not Role.objects.with_scopes_disabled()
        .filter(local_authority_id=contact.local_authority_id, user=who)
        .exists()
    ):
        raise ServiceError(_("The person who held the contact has no role here."))


def contact_log(
    *,
    actor: Actor,
    local_authority: LocalAuthority,
    date: datetime.date,
    organisation: Organisation | None = None,
    person: Person | None = None,
    **data: Any,
) -> Contact:
    """Records a contact with an organisation and/or a person of ``local_authority``.

    ``who`` defaults to the actor. Refuses another tenant's partner, an anonymised person, a date
    in the future and a follow-up before the contact.
    """
    fields = {key: value for key, value in data.items() if key in CONTACT_FIELDS}
    if fields.get("who") is None and isinstance(actor, User):
        fields["who"] = actor
    contact = Contact(
        local_authority=local_authority,
        organisation=organisation,
        person=person,
        date=date,
        **fields,
    )
    _check(contact)
    contact.full_clean(exclude=["local_authority"])
    with transaction.atomic():
        contact.save()
        audit.log_create(actor=actor, instance=contact)
    return contact


def contact_update(
    *, actor: Actor, contact: Contact, data: Mapping[str, Any]
) -> tuple[Contact, bool]:
    """Changes a contact's fields from ``data``; returns it and whether anything changed.

    A contact with an anonymised person cannot be changed, so that no new notes about them arise.
    """
    if contact.person is not None and contact.person.is_erased:
        raise ServiceError(
            _("This contact is with an anonymised person and can no longer be changed.")
        )
    before = audit.snapshot(contact, CONTACT_FIELDS)
    changed = [
        name for name in CONTACT_FIELDS if name in data and getattr(contact, name) != data[name]
    ]
    if not changed:
        return contact, False
    for name in changed:
        setattr(contact, name, data[name])
    _check(contact)
    contact.full_clean(exclude=["local_authority"])
    contact.updated_at = timezone.now()
    with transaction.atomic():
        contact.save(update_fields=[*changed, "updated_at"])
        audit.log_update(actor=actor, instance=contact, before=before)
    return contact, True


def contact_delete(*, actor: Actor, contact: Contact) -> None:
    """Deletes a contact (one entered by mistake)."""
    with transaction.atomic():
        audit.log_delete(actor=actor, instance=contact)
        contact.delete()


def contact_follow_up_done(*, actor: Actor, contact: Contact) -> Contact:
    """Marks a contact's follow-up as done; refused when it has none or it is done already."""
    if contact.follow_up_on is None:
        raise ServiceError(_("This contact has no follow-up."))
    if contact.follow_up_done:
        raise ServiceError(_("This follow-up is done already."))
    before = audit.snapshot(contact, ["follow_up_done"])
    contact.follow_up_done = True
    contact.updated_at = timezone.now()
    with transaction.atomic():
        contact.save(update_fields=["follow_up_done", "updated_at"])
        audit.log_update(actor=actor, instance=contact, before=before)
    return contact


def contacts_erase_person(person: Person, *, actor: Actor = None) -> int:
    """Blanks the free-text notes of every contact with ``person`` (GDPR erasure).

    Called by ``partners.services.person_erase`` inside its transaction. The contacts stay (with
    date, kind and organisation) so that counts remain right; earlier audit entries about them
    lose the notes and the person, and the blanking is logged without any erased value.
    Returns the number of contacts blanked.
    """
    label = _("Contact with an anonymised person")
    with transaction.atomic():
        mine = Contact.objects.with_scopes_disabled().filter(
            local_authority_id=person.local_authority_id, person=person
        )
        contacts = list(mine)
        ids = [str(contact.pk) for contact in contacts]
        mine.update(**dict.fromkeys(NOTE_FIELDS, ""), updated_at=timezone.now())
        scrubbed = {*NOTE_FIELDS, "person"}
        for entry in AuditEntry.objects.with_scopes_disabled().filter(
            local_authority_id=person.local_authority_id,
            object_type=Contact._meta.label,
            object_id__in=ids,
        ):
            entry.changes = {
                key: ([None, None] if key in scrubbed else value)
                for key, value in entry.changes.items()
            }
            entry.object_label = label
            entry.save(update_fields=["changes", "object_label"])
        for contact in contacts:
            entry = audit.record(
                actor=actor,
                action=AuditEntry.Action.UPDATE,
                instance=contact,
                changes={"notes_erased": [None, True]},
            )
            entry.object_label = label
            entry.save(update_fields=["object_label"])
    return len(contacts)
