"""What meetings hold about a professional: invitations, attendance and owned action items."""

from __future__ import annotations

from typing import Any

from django.db.models import F

from knotenpunkt.meetings.models import ActionItem, Attendance, Invitation
from knotenpunkt.partners.models import Person


def erase_person(*, person: Person) -> None:
    """Blanks the address the person's invitations went to and voids their reply links.

    Attendance and action items stay linked to the (now anonymised) person, so that the
    minutes keep their numbers.
    """
    for invitation in Invitation.objects.filter(person=person):
        invitation.email = ""
        invitation.token = f"erased-{invitation.uuid}"
        invitation.save(update_fields=["email", "token"])


def export_person(*, person: Person) -> dict[str, Any]:
    invitations = Invitation.objects.filter(person=person).select_related("meeting")
    return {
        "meeting_invitations": [
            {
                "meeting": invitation.meeting.title,
                "start": invitation.meeting.start.isoformat(),
                "email": invitation.email,
                "response": invitation.response,
            }
            for invitation in invitations.order_by(F("meeting__start"))
        ],
        "meeting_attendance": [
            {
                "meeting": row.meeting.title,
                "start": row.meeting.start.isoformat(),
                "present": row.present,
            }
            for row in Attendance.objects.filter(person=person).select_related("meeting")
        ],
        "action_items": [
            {
                "title": item.title,
                "due": item.due.isoformat() if item.due else None,
                "status": item.status,
            }
            for item in ActionItem.objects.filter(owner=person)
        ],
    }
