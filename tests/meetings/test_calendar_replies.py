"""Answers that calendar programs send (iMIP METHOD:REPLY), read from an uploaded .ics."""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.core.services import ServiceError
from knotenpunkt.meetings import ical, services
from knotenpunkt.meetings.models import Invitation, Meeting
from tests.meetings.conftest import Setting
from tests.meetings.factories import (
    InvitationFactory,
    MeetingFactory,
    OrganisationFactory,
    reply_ics,
)


@pytest.fixture
def invitation(tenant: LocalAuthority, setting: Setting) -> Invitation:
    person = setting.members[1]
    invitation: Invitation = InvitationFactory(
        meeting=setting.meeting, person=person, email=person.email
    )
    return invitation


def _answer(invitation: Invitation) -> str:
    with scopes_disabled():
        return Invitation.objects.get(pk=invitation.pk).response


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("partstat", "expected"),
    [("ACCEPTED", "yes"), ("DECLINED", "no"), ("TENTATIVE", "maybe")],
)
def test_it_records_the_answer_of_a_calendar_program(
    tenant: LocalAuthority,
    setting: Setting,
    invitation: Invitation,
    coordinator: User,
    partstat: str,
    expected: str,
) -> None:
    # Calendar programs may change the case of the address.
    data = reply_ics(setting.meeting, invitation.email.upper(), partstat)
    with scope(local_authority=tenant):
        (answered,) = services.invitation_reply_apply(
            actor=coordinator, data=data, meeting=setting.meeting
        )
    assert answered.pk == invitation.pk
    assert _answer(invitation) == expected
    assert answered.responded_at is not None


def _refused(tenant: LocalAuthority, data: bytes, meeting: Meeting | None = None) -> str:
    with scope(local_authority=tenant), pytest.raises(ServiceError) as refused:
        services.invitation_reply_apply(actor=None, data=data, meeting=meeting)
    return " ".join(refused.value.messages)


@pytest.mark.django_db
def test_it_refuses_bad_replies_and_changes_nothing(
    tenant: LocalAuthority, other_tenant: LocalAuthority, setting: Setting, invitation: Invitation
) -> None:
    meeting = setting.meeting
    email = invitation.email
    foreign = MeetingFactory(local_authority=other_tenant)
    other_meeting = MeetingFactory(local_authority=tenant, body=setting.body)
    cases = {
        "not a readable calendar file": b"this is no calendar",
        "no reply": reply_ics(meeting, email, method="REQUEST"),
        "not about a meeting of Knotenpunkt": reply_ics(meeting, email, uid="abc@example.org"),
        "not known here": reply_ics(foreign, email),
        "another meeting": reply_ics(other_meeting, email),
        "No invitation to this meeting went to": reply_ics(meeting, "fremd@example.org"),
        "neither accepts nor declines": reply_ics(meeting, email, "NEEDS-ACTION"),
    }
    for expected, data in cases.items():
        assert expected in _refused(tenant, data, meeting), expected
    # Without a meeting to check against, a reply for another tenant's meeting is still unknown.
    assert "not known here" in _refused(tenant, reply_ics(foreign, email))
    assert _answer(invitation) == Invitation.Response.NONE


@pytest.mark.django_db
def test_it_refuses_answers_to_an_earlier_version_or_a_cancelled_meeting(
    tenant: LocalAuthority, setting: Setting, invitation: Invitation
) -> None:
    meeting = setting.meeting
    with scopes_disabled():
        Meeting.objects.filter(pk=meeting.pk).update(sequence=2)
    meeting.sequence = 2
    old = reply_ics(meeting, invitation.email, sequence=1)
    assert "earlier version" in _refused(tenant, old, meeting)
    with scopes_disabled():
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    assert "cancelled" in _refused(tenant, reply_ics(meeting, invitation.email), meeting)
    assert _answer(invitation) == Invitation.Response.NONE


@pytest.mark.django_db
def test_a_shared_address_answers_for_person_and_organisation(
    tenant: LocalAuthority, setting: Setting, invitation: Invitation
) -> None:
    organisation = OrganisationFactory(local_authority=tenant, email=invitation.email)
    shared = InvitationFactory(
        meeting=setting.meeting, person=None, organisation=organisation, email=invitation.email
    )
    with scope(local_authority=tenant):
        answered = services.invitation_reply_apply(
            actor=None, data=reply_ics(setting.meeting, invitation.email, "DECLINED")
        )
    assert {row.pk for row in answered} == {invitation.pk, shared.pk}
    assert _answer(shared) == _answer(invitation) == Invitation.Response.NO


@pytest.mark.django_db
def test_the_upload_form_records_the_answer_or_says_what_is_wrong(
    tenant: LocalAuthority,
    setting: Setting,
    invitation: Invitation,
    coordinator_client: Client,
    partner_client: Client,
) -> None:
    url = f"/t/{tenant.slug}/meetings/{setting.meeting.uuid}/reply/"
    page = coordinator_client.get(f"/t/{tenant.slug}/meetings/{setting.meeting.uuid}/")
    assert url in page.content.decode()

    def upload(client: Client, data: bytes) -> Any:
        file = SimpleUploadedFile("antwort.ics", data, content_type="text/calendar")
        return client.post(url, {"ics": file}, follow=True)

    response = upload(coordinator_client, reply_ics(setting.meeting, "fremd@example.org"))
    assert "No invitation to this meeting went to fremd@example.org." in response.content.decode()
    assert _answer(invitation) == Invitation.Response.NONE

    response = upload(coordinator_client, reply_ics(setting.meeting, invitation.email))
    assert f"The answer of {invitation.person} was recorded: attends." in (
        response.content.decode()
    )
    assert _answer(invitation) == Invitation.Response.YES

    # Partners cannot read answers in for others.
    response = upload(partner_client, reply_ics(setting.meeting, invitation.email, "DECLINED"))
    assert response.status_code == 403
    assert _answer(invitation) == Invitation.Response.YES


@pytest.mark.django_db
def test_another_tenants_meeting_cannot_take_an_upload(
    tenant: LocalAuthority, other_tenant: LocalAuthority, coordinator_client: Client
) -> None:
    foreign = MeetingFactory(local_authority=other_tenant)
    with scopes_disabled():
        invitation = InvitationFactory(meeting=foreign)
    file = SimpleUploadedFile("a.ics", reply_ics(foreign, invitation.email))
    response = coordinator_client.post(
        f"/t/{tenant.slug}/meetings/{foreign.uuid}/reply/", {"ics": file}
    )
    assert response.status_code == 404
    assert _answer(invitation) == Invitation.Response.NONE


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_the_parser_refuses_anything_that_is_no_reply_with_its_own_error(data: bytes) -> None:
    with contextlib.suppress(ical.ReplyError):
        ical.parse_reply(data)


@settings(max_examples=40, deadline=None)
@given(
    partstat=st.sampled_from(["ACCEPTED", "DECLINED", "TENTATIVE", "DELEGATED", "accepted", ""]),
    sequence=st.integers(min_value=0, max_value=10**6),
    local=st.from_regex(r"[a-z0-9.]{1,20}", fullmatch=True),
)
def test_the_parser_reads_well_formed_replies(partstat: str, sequence: int, local: str) -> None:
    meeting = Meeting(uuid=uuid.uuid4(), sequence=sequence, start=timezone.now())
    email = f"{local}@example.org"
    data = reply_ics(meeting, email, partstat)
    if partstat.upper() not in ical.PARTSTAT_RESPONSES:
        with pytest.raises(ical.ReplyError):
            ical.parse_reply(data)
        return
    reply = ical.parse_reply(data)
    assert reply.meeting_uuid == meeting.uuid
    assert reply.attendee == email
    assert reply.sequence == sequence
    assert reply.response == ical.PARTSTAT_RESPONSES[partstat.upper()]
