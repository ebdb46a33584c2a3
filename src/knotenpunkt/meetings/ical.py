"""iCalendar (RFC 5545) for meetings: invitations, updates, cancellations and personal feeds."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from knotenpunkt.meetings.models import Meeting

PRODID = "-//Knotenpunkt//Meetings//DE"


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
