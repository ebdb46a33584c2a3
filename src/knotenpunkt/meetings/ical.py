"""iCalendar (RFC 5545) for meetings: invitations, updates, cancellations and personal feeds."""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from knotenpunkt.meetings.models import Meeting

PRODID = "-//Knotenpunkt//Meetings//DE"

#: How :attr:`Meeting.ical_uid` reads; the meeting's uuid finds the meeting (and its tenant) again.
UID_PATTERN = re.compile(r"^meeting-(?P<uuid>[0-9a-fA-F-]{36})@knotenpunkt$")
#: The answers of an iMIP reply (RFC 5546 PARTSTAT) and the invitation's answers they give.
PARTSTAT_RESPONSES = {"ACCEPTED": "yes", "DECLINED": "no", "TENTATIVE": "maybe"}


def organizer_email(meeting: Meeting) -> str:
    """The tenant's office e-mail, or the site's sender address."""
    address = meeting.local_authority.office_email or settings.DEFAULT_FROM_EMAIL
    # DEFAULT_FROM_EMAIL may read "Name <address>".
    return address.rsplit("<", 1)[-1].rstrip(">").strip()


def _event(meeting: Meeting, *, attendees: Iterable[str] = (), url: str = "") -> Event:
    tz = timezone.get_default_timezone()
    event = Event()
    event.add("uid", meeting.ical_uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("dtstart", meeting.start.astimezone(tz))
    event.add("dtend", meeting.end.astimezone(tz))
    event.add("summary", f"{meeting.title} ({meeting.body.name})")
    if meeting.place:
        event.add("location", meeting.place)
    description = [meeting.video_url] if meeting.video_url else []
    if url:
        description.append(url)
    if description:
        event.add("description", "\n".join(description))
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{organizer_email(meeting)}")
    organizer.params["cn"] = vText(
        meeting.local_authority.office_name or meeting.local_authority.name
    )
    event.add("organizer", organizer)
    for email in attendees:
        attendee = vCalAddress(f"mailto:{email}")
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["rsvp"] = vText("TRUE")
        event.add("attendee", attendee)
    return event


def _add_timezones(calendar: Calendar, meetings: list[Meeting]) -> None:
    """Adds the VTIMEZONE for the events, its rules limited to the years they span."""
    if not meetings:
        return
    first = min(meeting.start for meeting in meetings).date()
    last = max(meeting.end for meeting in meetings).date()
    calendar.add_missing_timezones(
        first_date=datetime.date(first.year - 1, 1, 1), last_date=datetime.date(last.year + 2, 1, 1)
    )


def _calendar(method: str | None = None, name: str = "") -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def invitation_ics(meeting: Meeting, *, attendee: str, url: str = "") -> bytes:
    """One meeting as an invitation or update (METHOD:REQUEST) or cancellation (METHOD:CANCEL)."""
    calendar = _calendar("CANCEL" if meeting.is_cancelled else "REQUEST")
    calendar.add_component(_event(meeting, attendees=[attendee], url=url))
    _add_timezones(calendar, [meeting])
    return calendar.to_ical()


def feed_ics(meetings: Iterable[Meeting], *, name: str) -> bytes:
    """A subscribable calendar (METHOD:PUBLISH) of ``meetings``."""
    calendar = _calendar("PUBLISH", name)
    meetings = list(meetings)
    for meeting in meetings:
        calendar.add_component(_event(meeting))
    _add_timezones(calendar, meetings)
    return calendar.to_ical()


# --- Replies from calendar programs (iMIP, RFC 5546/6047) --------------------------------------


class ReplyError(ValueError):
    """An .ics that is not a usable reply; the message says why, for the user."""


@dataclass(frozen=True)
class Reply:
    """What a calendar program answered to an invitation (METHOD:REPLY)."""

    meeting_uuid: uuid.UUID
    attendee: str
    response: str
    sequence: int


def meeting_uuid_from_uid(uid: str) -> uuid.UUID | None:
    """The uuid of the meeting an event UID of ours names, or None for any other UID."""
    found = UID_PATTERN.match(uid.strip())
    if found is None:
        return None
    try:
        return uuid.UUID(found["uuid"])
    except ValueError:
        return None


def _mail_address(value: Any) -> str:
    text = str(value).strip()
    if text[:7].lower() == "mailto:":
        text = text[7:]
    return text.strip()


def parse_reply(data: bytes) -> Reply:
    """Reads a calendar program's answer to an invitation: one event with our UID and one attendee.

    Raises :class:`ReplyError` for anything else: not iCalendar, another METHOD than REPLY, no or
    several events or attendees, a UID that is not one of our meetings, or no clear answer.
    """
    try:
        calendar = Calendar.from_ical(data)
    except (ValueError, TypeError, KeyError, IndexError):
        raise ReplyError(_("The file is not a readable calendar file (.ics).")) from None
    if not isinstance(calendar, Calendar) or calendar.name != "VCALENDAR":
        raise ReplyError(_("The file is not a readable calendar file (.ics)."))
    method = str(calendar.get("METHOD", "")).strip().upper()
    if method != "REPLY":
        raise ReplyError(
            _("The calendar file is no reply to an invitation (METHOD is “%(method)s”).")
            % {"method": method or "–"}
        )
    events = calendar.walk("VEVENT")
    if len(events) != 1:
        raise ReplyError(_("A reply must hold exactly one event."))
    (event,) = events
    meeting_uuid = meeting_uuid_from_uid(str(event.get("UID", "")))
    if meeting_uuid is None:
        raise ReplyError(_("The reply is not about a meeting of Knotenpunkt."))
    attendees = event.get("ATTENDEE")
    if attendees is None or (isinstance(attendees, list) and len(attendees) != 1):
        raise ReplyError(_("A reply must name exactly one attendee."))
    attendee = attendees[0] if isinstance(attendees, list) else attendees
    address = _mail_address(attendee)
    if "@" not in address:
        raise ReplyError(_("The attendee of the reply has no e-mail address."))
    partstat = str(getattr(attendee, "params", {}).get("PARTSTAT", "")).strip().upper()
    if partstat not in PARTSTAT_RESPONSES:
        raise ReplyError(_("The reply neither accepts nor declines nor tentatively accepts."))
    try:
        sequence = int(str(event.get("SEQUENCE", 0)))
    except ValueError:
        raise ReplyError(_("The file is not a readable calendar file (.ics).")) from None
    return Reply(
        meeting_uuid=meeting_uuid,
        attendee=address,
        response=PARTSTAT_RESPONSES[partstat],
        sequence=sequence,
    )
