"""Erasing and exporting a person reaches their invitations, attendance and action items."""

from __future__ import annotations

import pytest
from django.test import Client
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.meetings import gdpr
from knotenpunkt.meetings.models import Invitation
from tests.meetings.factories import ActionItemFactory, InvitationFactory, MeetingFactory


@pytest.mark.django_db
def test_erasure_blanks_the_address_and_voids_the_reply_link(
    tenant: LocalAuthority, anonymous_client: Client
) -> None:
    invitation = InvitationFactory(meeting=MeetingFactory(local_authority=tenant))
    ActionItemFactory(local_authority=tenant, owner=invitation.person, title="Flyer")
    old_link = f"/m/rsvp/{invitation.token}/"
    with scope(local_authority=tenant):
        exported = gdpr.export_person(person=invitation.person)
        assert exported["meeting_invitations"][0]["email"] == invitation.email
        assert exported["action_items"][0]["title"] == "Flyer"
        gdpr.erase_person(person=invitation.person)
        invitation = Invitation.objects.get(pk=invitation.pk)
    assert invitation.email == ""
    assert anonymous_client.get(old_link).status_code == 404
