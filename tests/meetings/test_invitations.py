"""Sending invitations: e-mails with a valid .ics, updates with a higher SEQUENCE, cancellations."""

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
from knotenpunkt.meetings.models import Invitation, Meeting
from tests.meetings.conftest import Setting

URL_BASE = "https://knotenpunkt.example/"


def _calendar(message: Any) -> Calendar:
    ((name, content, mimetype),) = message.attachments
    assert name.endswith(".ics")
    assert mimetype.startswith("text/calendar")
    data = content.encode() if isinstance(content, str) else content
    calendar = Calendar.from_ical(data)
    # Serialising what we parsed gives the same calendar again.
    assert Calendar.from_ical(calendar.to_ical()) == calendar
    return calendar


def _event(calendar: Calendar) -> Any:
    (event,) = calendar.walk("VEVENT")
    return event


@pytest.mark.django_db
def test_it_invites_current_members_with_email_and_attaches_the_event(
    tenant: LocalAuthority,
    setting: Setting,
    coordinator: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    tenant.office_email = "fruehe-hilfen@altmark.example"
    tenant.save(update_fields=["office_email"])
    with scope(local_authority=tenant), django_capture_on_commit_callbacks(execute=True):
        count = services.invitations_send(
            actor=coordinator, meeting=setting.meeting, url_base=URL_BASE
        )
    assert count == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in setting.members)
    with scope(local_authority=tenant):
        invitation = Invitation.objects.get(person=setting.members[0])
    message = next(m for m in mail.outbox if m.to == [invitation.email])
    assert f"{URL_BASE}m/rsvp/{invitation.token}/" in message.body
    calendar = _calendar(message)
    assert calendar["METHOD"] == "REQUEST"
    event = _event(calendar)
    assert str(event["UID"]) == setting.meeting.ical_uid
    assert event["SEQUENCE"] == 0
    start = event.decoded("DTSTART")
    assert start.tzinfo is not None
    assert str(start.tzinfo) == "Europe/Berlin"
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert start == setting.meeting.start
    assert calendar.walk("VTIMEZONE")
    assert str(event["ORGANIZER"]) == "mailto:fruehe-hilfen@altmark.example"
    assert str(event["ATTENDEE"]) == f"mailto:{invitation.email}"


@pytest.mark.django_db
def test_it_sends_an_update_with_a_higher_sequence_and_the_same_uid(
    tenant: LocalAuthority,
    setting: Setting,
    coordinator: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with scope(local_authority=tenant), django_capture_on_commit_callbacks(execute=True):
        services.invitations_send(actor=coordinator, meeting=setting.meeting, url_base=URL_BASE)
    mail.outbox.clear()
    later = setting.meeting.start + datetime.timedelta(days=1)
    with scope(local_authority=tenant), django_capture_on_commit_callbacks(execute=True):
        meeting, changed = services.meeting_update(
            actor=coordinator,
            meeting=setting.meeting,
            data={"start": later, "end": later + datetime.timedelta(hours=3)},
            url_base=URL_BASE,
        )
    assert changed
    assert meeting.sequence == 1
    assert len(mail.outbox) == 3
    calendar = _calendar(mail.outbox[0])
    assert calendar["METHOD"] == "REQUEST"
    event = _event(calendar)
    assert event["SEQUENCE"] == 1
    assert str(event["UID"]) == setting.meeting.ical_uid
    assert event.decoded("DTSTART") == later


@pytest.mark.django_db
def test_it_sends_a_cancellation(
    tenant: LocalAuthority,
    setting: Setting,
    coordinator: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with scope(local_authority=tenant), django_capture_on_commit_callbacks(execute=True):
        services.invitations_send(actor=coordinator, meeting=setting.meeting, url_base=URL_BASE)
    mail.outbox.clear()
    with scope(local_authority=tenant), django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(actor=coordinator, meeting=setting.meeting, url_base=URL_BASE)
    assert len(mail.outbox) == 3
    calendar = _calendar(mail.outbox[0])
    assert calendar["METHOD"] == "CANCEL"
    event = _event(calendar)
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 1
    with scope(local_authority=tenant):
        assert Meeting.objects.get(pk=setting.meeting.pk).status == Meeting.Status.CANCELLED


@pytest.mark.django_db
def test_the_button_sends_invitations_once(
    tenant: LocalAuthority,
    setting: Setting,
    coordinator_client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    url = f"/t/{tenant.slug}/meetings/{setting.meeting.uuid}/invite/"
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(url, follow=True)
    assert "3 invitations were sent." in response.content.decode()
    assert len(mail.outbox) == 3
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(url, follow=True)
    assert "already invited" in response.content.decode()
    assert len(mail.outbox) == 3
    # The organiser falls back to the site's sender address without an office e-mail.
    event = _event(_calendar(mail.outbox[0]))
    assert str(event["ORGANIZER"]).startswith("mailto:")
