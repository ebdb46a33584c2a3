"""The personal calendar feed: what each role sees, and renewing its link."""

from __future__ import annotations

import pytest
from django.test import Client
from django_scopes import scopes_disabled
from icalendar import Calendar

from knotenpunkt.core.models import LocalAuthority, Role, User
from knotenpunkt.meetings.models import CalendarFeed
from tests.conftest import client_for
from tests.meetings.conftest import Setting
from tests.meetings.factories import MeetingFactory


def _feed_url(client: Client, tenant: LocalAuthority) -> str:
    page = client.get(f"/t/{tenant.slug}/meetings/calendar/").content.decode()
    start = page.index("/m/feed/")
    return page[start : page.index(".ics", start) + 4]


def _uids(client: Client, url: str) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert calendar["METHOD"] == "PUBLISH"
    return {str(event["UID"]) for event in calendar.walk("VEVENT")}


@pytest.mark.django_db
def test_a_partner_sees_the_meetings_of_their_bodies_a_coordinator_all(
    tenant: LocalAuthority,
    other_tenant: LocalAuthority,
    setting: Setting,
    coordinator_client: Client,
    partner_client: Client,
    anonymous_client: Client,
) -> None:
    other = MeetingFactory(local_authority=tenant, title="Steuerungsgruppe")
    MeetingFactory(local_authority=other_tenant)
    partner_uids = _uids(anonymous_client, _feed_url(partner_client, tenant))
    assert partner_uids == {setting.meeting.ical_uid}
    coordinator_uids = _uids(anonymous_client, _feed_url(coordinator_client, tenant))
    assert coordinator_uids == {setting.meeting.ical_uid, other.ical_uid}


@pytest.mark.django_db
def test_a_steering_member_without_memberships_gets_an_empty_feed(
    tenant: LocalAuthority, setting: Setting, steering: User, anonymous_client: Client
) -> None:
    assert _uids(anonymous_client, _feed_url(client_for(steering), tenant)) == set()


@pytest.mark.django_db
def test_renewing_the_link_stops_the_old_one(
    tenant: LocalAuthority, setting: Setting, partner_client: Client, anonymous_client: Client
) -> None:
    old = _feed_url(partner_client, tenant)
    assert partner_client.post(f"/t/{tenant.slug}/meetings/calendar/").status_code == 302
    new = _feed_url(partner_client, tenant)
    assert new != old
    assert anonymous_client.get(old).status_code == 404
    assert anonymous_client.get(new).status_code == 200
    with scopes_disabled():
        assert CalendarFeed.objects.count() == 1


@pytest.mark.django_db
def test_an_unknown_feed_is_not_found(anonymous_client: Client) -> None:
    assert anonymous_client.get("/m/feed/nothing-here.ics").status_code == 404


@pytest.mark.django_db
def test_the_feed_ends_with_the_users_role(
    tenant: LocalAuthority, setting: Setting, partner: User, partner_client: Client
) -> None:
    url = _feed_url(partner_client, tenant)
    with scopes_disabled():
        Role.objects.filter(user=partner).delete()
    assert Client().get(url).status_code == 404
