"""Fixtures of the meetings tests: a body with members, one of them the partner user."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from knotenpunkt.bodies.models import Body
from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.meetings.models import Meeting
from knotenpunkt.partners.models import Person
from tests.meetings.factories import BodyFactory, MeetingFactory, MembershipFactory, PersonFactory


@dataclass
class Setting:
    body: Body
    members: list[Person]
    partner_person: Person
    meeting: Meeting


@pytest.fixture
def setting(tenant: LocalAuthority, partner: User) -> Setting:
    """A body of ``tenant`` with three members with e-mail (one is the partner user), one
    without e-mail, one former member, and an upcoming meeting."""
    body = BodyFactory(local_authority=tenant, name="AG 0–3")
    partner_person = PersonFactory(local_authority=tenant, user=partner, last_name="Partnerin")
    members = [partner_person] + [
        PersonFactory(local_authority=tenant, last_name=f"Mitglied{n}") for n in range(2)
    ]
    for person in members:
        MembershipFactory(body=body, person=person)
    MembershipFactory(body=body, person=PersonFactory(local_authority=tenant, email=""))
    MembershipFactory(
        body=body,
        person=PersonFactory(local_authority=tenant, last_name="Ehemalig"),
        start="2020-01-01",
        end="2021-01-01",
    )
    meeting = MeetingFactory(local_authority=tenant, body=body, title="AG 0–3 Sitzung")
    return Setting(body=body, members=members, partner_person=partner_person, meeting=meeting)
