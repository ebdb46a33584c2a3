"""Planning, changing and recording a meeting through its pages."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.meetings import services
from knotenpunkt.meetings.models import Attendance, Invitation, Meeting
from tests.meetings.conftest import Setting
from tests.meetings.factories import InvitationFactory, MeetingFactory


@pytest.mark.django_db
def test_it_plans_and_changes_a_meeting(
    tenant: LocalAuthority, setting: Setting, coordinator_client: Client
) -> None:
    start = timezone.localtime() + datetime.timedelta(days=20)
    response = coordinator_client.post(
        f"/t/{tenant.slug}/meetings/new/",
        {
            "body": setting.body.pk,
            "title": "Qualitätszirkel",
            "start": start.strftime("%Y-%m-%dT10:00"),
            "end": start.strftime("%Y-%m-%dT12:00"),
            "place": "Salzwedel",
        },
    )
    assert response.status_code == 302
    with scope(local_authority=tenant):
        meeting = Meeting.objects.get(title="Qualitätszirkel")
    assert timezone.localtime(meeting.start).hour == 10
    response = coordinator_client.post(
        f"/t/{tenant.slug}/meetings/{meeting.uuid}/edit/",
        {
            "title": "Qualitätszirkel",
            "start": start.strftime("%Y-%m-%dT11:00"),
            "end": start.strftime("%Y-%m-%dT10:00"),
        },
    )
    assert response.status_code == 200
    assert "must end after it starts" in response.content.decode()


@pytest.mark.django_db
def test_the_list_and_detail_pages_need_few_queries(
    tenant: LocalAuthority,
    setting: Setting,
    coordinator_client: Client,
    django_assert_max_num_queries: Any,
) -> None:
    for _ in range(5):
        meeting = MeetingFactory(local_authority=tenant, body=setting.body)
        InvitationFactory(meeting=meeting, response=Invitation.Response.YES)
    for person in setting.members:
        InvitationFactory(meeting=setting.meeting, person=person, email=person.email)
    with django_assert_max_num_queries(12):
        assert coordinator_client.get(f"/t/{tenant.slug}/meetings/").status_code == 200
    with django_assert_max_num_queries(25):
        response = coordinator_client.get(f"/t/{tenant.slug}/meetings/{setting.meeting.uuid}/")
    assert response.status_code == 200
    past = coordinator_client.get(f"/t/{tenant.slug}/meetings/?when=past")
    assert setting.meeting.title not in past.content.decode()


@pytest.mark.django_db
def test_it_records_attendance(
    tenant: LocalAuthority, setting: Setting, coordinator_client: Client
) -> None:
    present = setting.members[:2]
    response = coordinator_client.post(
        f"/t/{tenant.slug}/meetings/{setting.meeting.uuid}/attendance/",
        {"present": [person.pk for person in present]},
    )
    assert response.status_code == 302
    with scope(local_authority=tenant):
        rows = {row.person_id: row.present for row in Attendance.objects.all()}
    assert {pk for pk, here in rows.items() if here} == {person.pk for person in present}
    # The other current members, with or without e-mail, are recorded as absent.
    assert sum(1 for here in rows.values() if not here) == 2


@pytest.mark.django_db
def test_invitations_are_not_sent_for_a_meeting_that_is_over(
    tenant: LocalAuthority, setting: Setting, coordinator: User
) -> None:
    start = timezone.now() - datetime.timedelta(days=3)
    over = MeetingFactory(
        local_authority=tenant,
        body=setting.body,
        start=start,
        end=start + datetime.timedelta(hours=2),
    )
    with scope(local_authority=tenant), pytest.raises(services.ServiceError):
        services.invitations_send(actor=coordinator, meeting=over, url_base="https://x.example/")
