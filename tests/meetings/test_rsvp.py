"""Answering an invitation by its link, without login."""

from __future__ import annotations

import pytest
from django.test import Client
from django_scopes import scope, scopes_disabled

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.meetings.models import Invitation
from tests.meetings.factories import InvitationFactory, MeetingFactory


@pytest.mark.django_db
@pytest.mark.parametrize("answer", ["yes", "no", "maybe"])
def test_it_records_the_answer_without_login(
    tenant: LocalAuthority, anonymous_client: Client, answer: str
) -> None:
    invitation = InvitationFactory(meeting=MeetingFactory(local_authority=tenant))
    url = f"/m/rsvp/{invitation.token}/"
    page = anonymous_client.get(url)
    assert page.status_code == 200
    assert invitation.meeting.title in page.content.decode()
    response = anonymous_client.post(url, {"response": answer}, follow=True)
    assert response.status_code == 200
    assert "your answer was saved" in response.content.decode()
    with scope(local_authority=tenant):
        invitation.refresh_from_db()
    assert invitation.response == answer
    assert invitation.responded_at is not None


@pytest.mark.django_db
def test_an_unknown_token_is_a_clear_404_and_changes_nothing(
    tenant: LocalAuthority, anonymous_client: Client
) -> None:
    invitation = InvitationFactory(meeting=MeetingFactory(local_authority=tenant))
    response = anonymous_client.post("/m/rsvp/no-such-token/", {"response": "yes"})
    assert response.status_code == 404
    with scopes_disabled():
        assert not Invitation.objects.exclude(response=Invitation.Response.NONE).exists()
    invitation.refresh_from_db()


@pytest.mark.django_db
def test_a_token_answers_only_for_its_own_meeting(
    tenant: LocalAuthority, other_tenant: LocalAuthority, anonymous_client: Client
) -> None:
    mine = InvitationFactory(meeting=MeetingFactory(local_authority=tenant))
    foreign = InvitationFactory(meeting=MeetingFactory(local_authority=other_tenant))
    # The foreign token with my meeting's id in the form changes only the foreign invitation.
    anonymous_client.post(
        f"/m/rsvp/{foreign.token}/", {"response": "no", "meeting": str(mine.meeting.uuid)}
    )
    with scopes_disabled():
        mine.refresh_from_db()
        foreign.refresh_from_db()
    assert mine.response == Invitation.Response.NONE
    assert foreign.response == Invitation.Response.NO
    page = anonymous_client.get(f"/m/rsvp/{foreign.token}/").content.decode()
    assert foreign.meeting.title in page
    assert mine.meeting.title not in page


@pytest.mark.django_db
def test_a_bad_answer_is_refused(tenant: LocalAuthority, anonymous_client: Client) -> None:
    invitation = InvitationFactory(meeting=MeetingFactory(local_authority=tenant))
    response = anonymous_client.post(f"/m/rsvp/{invitation.token}/", {"response": "perhaps"})
    assert response.status_code == 400
    with scopes_disabled():
        invitation.refresh_from_db()
    assert invitation.response == Invitation.Response.NONE


@pytest.mark.django_db
def test_the_answer_form_is_csrf_protected(tenant: LocalAuthority) -> None:
    invitation = InvitationFactory(meeting=MeetingFactory(local_authority=tenant))
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"/m/rsvp/{invitation.token}/", {"response": "yes"})
    assert response.status_code == 403
    assert (
        'name="csrfmiddlewaretoken"' in client.get(f"/m/rsvp/{invitation.token}/").content.decode()
    )
