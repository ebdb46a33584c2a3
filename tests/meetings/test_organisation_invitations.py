"""Organisations that are members of a body as a whole are invited at their own e-mail address."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django_scopes import scope
from icalendar import Calendar

from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.meetings import services
from knotenpunkt.meetings.models import Invitation
from tests.meetings.conftest import Setting
from tests.meetings.factories import MembershipFactory, OrganisationFactory

URL_BASE = "https://knotenpunkt.example/"


def _event_of(message: Any) -> Any:
    ((_name, content, _mimetype),) = message.attachments
    data = content.encode() if isinstance(content, str) else content
    (event,) = Calendar.from_ical(data).walk("VEVENT")
    return event


@pytest.fixture
def organisation_member(tenant: LocalAuthority, setting: Setting) -> Any:
    organisation = OrganisationFactory(
        local_authority=tenant, name="Familienzentrum Arendsee", email="info@fz-arendsee.example"
    )
    MembershipFactory(body=setting.body, person=None, organisation=organisation)
    # Without an e-mail address an organisation cannot be invited.
    MembershipFactory(
        body=setting.body,
        person=None,
        organisation=OrganisationFactory(local_authority=tenant, email=""),
    )
    return organisation


@pytest.mark.django_db
def test_it_invites_an_organisation_at_its_address_with_event_and_reply_link(
    tenant: LocalAuthority,
    setting: Setting,
    organisation_member: Any,
    coordinator: User,
    anonymous_client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with scope(local_authority=tenant), django_capture_on_commit_callbacks(execute=True):
        count = services.invitations_send(
            actor=coordinator, meeting=setting.meeting, url_base=URL_BASE
        )
    assert count == 4  # three persons and the organisation with an address
    with scope(local_authority=tenant):
        invitation = Invitation.objects.get(organisation=organisation_member)
    assert invitation.person is None
    assert invitation.email == "info@fz-arendsee.example"
    (message,) = [m for m in mail.outbox if m.to == ["info@fz-arendsee.example"]]
    assert "Familienzentrum Arendsee" in message.body
    assert f"{URL_BASE}m/rsvp/{invitation.token}/" in message.body
    event = _event_of(message)
    assert str(event["UID"]) == setting.meeting.ical_uid
    assert str(event["ATTENDEE"]) == "mailto:info@fz-arendsee.example"

    # The organisation answers through its link like a person does.
    page = anonymous_client.get(f"/m/rsvp/{invitation.token}/")
    assert "Familienzentrum Arendsee" in page.content.decode()
    anonymous_client.post(f"/m/rsvp/{invitation.token}/", {"response": "maybe"})
    invitation.refresh_from_db()
    assert invitation.response == Invitation.Response.MAYBE

    # Sending again invites nobody twice.
    with scope(local_authority=tenant), pytest.raises(services.ServiceError):
        services.invitations_send(actor=coordinator, meeting=setting.meeting, url_base=URL_BASE)


@pytest.mark.django_db
def test_an_invited_organisation_gets_updates_and_the_cancellation(
    tenant: LocalAuthority,
    setting: Setting,
    organisation_member: Any,
    coordinator: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with scope(local_authority=tenant), django_capture_on_commit_callbacks(execute=True):
        services.invitations_send(actor=coordinator, meeting=setting.meeting, url_base=URL_BASE)
    mail.outbox.clear()
    later = setting.meeting.start + datetime.timedelta(days=2)
    with scope(local_authority=tenant), django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(
            actor=coordinator,
            meeting=setting.meeting,
            data={"start": later, "end": later + datetime.timedelta(hours=2)},
            url_base=URL_BASE,
        )
    (update,) = [m for m in mail.outbox if m.to == ["info@fz-arendsee.example"]]
    assert _event_of(update)["SEQUENCE"] == 1
    mail.outbox.clear()
    with scope(local_authority=tenant), django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(actor=coordinator, meeting=setting.meeting, url_base=URL_BASE)
    (cancellation,) = [m for m in mail.outbox if m.to == ["info@fz-arendsee.example"]]
    assert _event_of(cancellation)["STATUS"] == "CANCELLED"


@pytest.mark.django_db
def test_the_meeting_page_lists_the_invited_organisation(
    tenant: LocalAuthority,
    setting: Setting,
    organisation_member: Any,
    coordinator: User,
    coordinator_client: Client,
    django_assert_max_num_queries: Any,
) -> None:
    with scope(local_authority=tenant):
        services.invitations_send(actor=coordinator, meeting=setting.meeting, url_base=URL_BASE)
        # Organisations are not candidates for the attendance list of persons.
        candidates = services.attendance_candidates(setting.meeting)
    assert all(candidate.pk for candidate in candidates)
    with django_assert_max_num_queries(25):
        page = coordinator_client.get(f"/t/{tenant.slug}/meetings/{setting.meeting.uuid}/")
    assert "Familienzentrum Arendsee" in page.content.decode()
