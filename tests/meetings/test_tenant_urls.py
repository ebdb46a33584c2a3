"""Every meetings page against the standard visitors, and other tenants' objects."""

from __future__ import annotations

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.meetings.models import AgendaItem
from tests.access import check_tenant_urls, tenant_urls
from tests.conftest import client_for
from tests.meetings.conftest import Setting
from tests.meetings.factories import ActionItemFactory, MeetingFactory, NeedFactory


@pytest.fixture
def url_kwargs(tenant: LocalAuthority, setting: Setting) -> dict[str, object]:
    with scopes_disabled():
        agenda_item = AgendaItem.objects.create(
            local_authority=tenant, meeting=setting.meeting, title="Begrüßung"
        )
    return {
        "meeting": setting.meeting.uuid,
        "agenda_item": agenda_item.uuid,
        "item": ActionItemFactory(local_authority=tenant).uuid,
        "need": NeedFactory(local_authority=tenant).uuid,
    }


@pytest.mark.django_db
def test_it_keeps_outsiders_and_visitors_out_of_every_meetings_url(
    tenant: LocalAuthority,
    url_kwargs: dict[str, object],
    coordinator_client: Client,
    partner_client: Client,
    outsider_client: Client,
    anonymous_client: Client,
) -> None:
    checked = check_tenant_urls(
        namespace="meetings",
        tenant=tenant.slug,
        url_kwargs=url_kwargs,
        coordinator=coordinator_client,
        partner=partner_client,
        outsider=outsider_client,
        anonymous=anonymous_client,
    )
    assert {url.name for url in checked} >= {
        "meetings:meeting_list",
        "meetings:meeting_detail",
        "meetings:need_list",
        "meetings:action_item_list",
        "meetings:calendar_feed",
        "meetings:minutes_pdf",
    }


@pytest.mark.django_db
def test_it_lets_steering_read_and_turns_volunteers_away(
    tenant: LocalAuthority, url_kwargs: dict[str, object], steering: User, volunteer: User
) -> None:
    steering_client, volunteer_client = client_for(steering), client_for(volunteer)
    for url in tenant_urls("meetings", tenant.slug, url_kwargs):
        assert volunteer_client.get(url.path).status_code == 403, url.name
        expected = {200, 405} if "steering" in url.callback.required_roles else {403}
        assert steering_client.get(url.path).status_code in expected, url.name


@pytest.mark.django_db
def test_another_tenants_objects_are_not_found_through_my_tenant(
    tenant: LocalAuthority, other_tenant: LocalAuthority, coordinator_client: Client
) -> None:
    with scopes_disabled():
        meeting = MeetingFactory(local_authority=other_tenant)
        agenda_item = AgendaItem.objects.create(
            local_authority=other_tenant, meeting=meeting, title="Fremd"
        )
    foreign = {
        "meeting": meeting.uuid,
        "agenda_item": agenda_item.uuid,
        "item": ActionItemFactory(local_authority=other_tenant).uuid,
        "need": NeedFactory(local_authority=other_tenant).uuid,
    }
    for url in tenant_urls("meetings", tenant.slug, foreign):
        has_object = any(str(value) in url.path for value in foreign.values())
        if not has_object:
            continue
        statuses = {
            coordinator_client.get(url.path).status_code,
            coordinator_client.post(url.path).status_code,
        }
        assert 404 in statuses, url.name
        assert statuses <= {404, 405}, url.name


@pytest.mark.django_db
def test_a_partner_does_not_see_meetings_of_bodies_they_are_not_in(
    tenant: LocalAuthority, setting: Setting, partner_client: Client
) -> None:
    stranger = MeetingFactory(local_authority=tenant, title="Steuerungsgruppe intern")
    list_page = partner_client.get(f"/t/{tenant.slug}/meetings/").content.decode()
    assert setting.meeting.title in list_page
    assert stranger.title not in list_page
    assert partner_client.get(f"/t/{tenant.slug}/meetings/{stranger.uuid}/").status_code == 404
