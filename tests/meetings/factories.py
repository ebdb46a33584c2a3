"""factory_boy factories for meetings, action items and needs."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from knotenpunkt.meetings.models import ActionItem, Invitation, Meeting, Need
from tests.bodies.factories import BodyFactory, DjangoModelFactory, MembershipFactory
from tests.bodies.factories import PersonFactory as _PersonFactory
from tests.factories import LocalAuthorityFactory

__all__ = [
    "ActionItemFactory",
    "BodyFactory",
    "InvitationFactory",
    "MeetingFactory",
    "MembershipFactory",
    "NeedFactory",
    "PersonFactory",
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
