"""factory_boy factories for meetings, action items and needs."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from knotenpunkt.meetings.models import ActionItem, Invitation, Meeting, Need
from tests.bodies.factories import (
    BodyFactory,
    DjangoModelFactory,
    MembershipFactory,
    OrganisationFactory,
)
from tests.bodies.factories import PersonFactory as _PersonFactory
from tests.factories import LocalAuthorityFactory

__all__ = [
    "ActionItemFactory",
    "BodyFactory",
    "InvitationFactory",
    "MeetingFactory",
    "MembershipFactory",
    "NeedFactory",
    "OrganisationFactory",
    "PersonFactory",
    "reply_ics",
]


class PersonFactory(_PersonFactory):
    email = factory.Sequence(lambda n: f"fachkraft{n}@example.org")


def _next_week() -> datetime.datetime:
    return (timezone.now() + datetime.timedelta(days=7)).replace(minute=0, second=0, microsecond=0)


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    body = factory.SubFactory(
        BodyFactory, local_authority=factory.SelfAttribute("..local_authority")
    )
    title = factory.Sequence(lambda n: f"Sitzung {n}")
    start = factory.LazyFunction(_next_week)
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=2))
    place = "Landratsamt Salzwedel, Raum 101"


class InvitationFactory(DjangoModelFactory):
    class Meta:
        model = Invitation

    meeting = factory.SubFactory(MeetingFactory)
    local_authority = factory.SelfAttribute("meeting.local_authority")
    person = factory.SubFactory(
        PersonFactory, local_authority=factory.SelfAttribute("..local_authority")
    )
    email = factory.SelfAttribute("person.email")


class NeedFactory(DjangoModelFactory):
    class Meta:
        model = Need

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    title = factory.Sequence(lambda n: f"Bedarf {n}")
    source = Need.Source.VISIT


class ActionItemFactory(DjangoModelFactory):
    class Meta:
        model = ActionItem

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    title = factory.Sequence(lambda n: f"Aufgabe {n}")
    owner = factory.SubFactory(
        PersonFactory, local_authority=factory.SelfAttribute("..local_authority")
    )
    due = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))


def reply_ics(
    meeting: Meeting,
    email: str,
    partstat: str = "ACCEPTED",
    *,
    method: str = "REPLY",
    sequence: int | None = None,
    uid: str | None = None,
) -> bytes:
    """An answer as a calendar program sends it (RFC 5546 REPLY), with CRLF line ends."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Example Corp.//Calendar 1.0//EN",
        f"METHOD:{method}",
        "BEGIN:VEVENT",
        f"UID:{uid if uid is not None else meeting.ical_uid}",
        f"SEQUENCE:{meeting.sequence if sequence is None else sequence}",
        "DTSTAMP:20260101T120000Z",
        f"DTSTART:{meeting.start.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}",
        f"ATTENDEE;PARTSTAT={partstat};CN=Jemand:MAILTO:{email}",
        "ORGANIZER:mailto:koordination@example.org",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return ("\r\n".join(lines) + "\r\n").encode()
