"""Action items: created from a meeting, status changes, mine and overdue lists."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.meetings.models import ActionItem
from tests.meetings.conftest import Setting
from tests.meetings.factories import ActionItemFactory


@pytest.mark.django_db
def test_it_creates_an_item_from_a_meeting_and_changes_its_status(
    tenant: LocalAuthority, setting: Setting, coordinator_client: Client
) -> None:
    base = f"/t/{tenant.slug}/meetings/actions/"
    form = coordinator_client.get(base + f"new/?meeting={setting.meeting.uuid}")
    assert form.status_code == 200
    response = coordinator_client.post(
        base + "new/",
        {
            "title": "Flyer verteilen",
            "owner": setting.members[1].pk,
            "due": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
            "status": "open",
            "meeting": setting.meeting.pk,
        },
    )
    assert response.status_code == 302
    with scope(local_authority=tenant):
        item = ActionItem.objects.get()
    assert item.body == setting.body
    coordinator_client.post(base + f"{item.uuid}/status/", {"status": "done"})
    with scope(local_authority=tenant):
        item.refresh_from_db()
    assert item.status == ActionItem.Status.DONE


@pytest.mark.django_db
def test_a_partner_sees_only_their_own_items_and_overdue_filters(
    tenant: LocalAuthority,
    setting: Setting,
    partner_client: Client,
    coordinator_client: Client,
    django_assert_max_num_queries: Any,
) -> None:
    past = timezone.localdate() - datetime.timedelta(days=3)
    ActionItemFactory(
        local_authority=tenant, owner=setting.partner_person, title="Item-Mine-Late", due=past
    )
    ActionItemFactory(local_authority=tenant, owner=setting.partner_person, title="Item-Mine-Soon")
    for n in range(3):
        ActionItemFactory(local_authority=tenant, title=f"Item-Other-{n}", meeting=setting.meeting)
    url = f"/t/{tenant.slug}/meetings/actions/"
    page = partner_client.get(url).content.decode()
    assert "Item-Mine-Late" in page and "Item-Mine-Soon" in page
    assert "Item-Other" not in page
    with django_assert_max_num_queries(12):
        page = coordinator_client.get(url).content.decode()
    assert "Item-Other-2" in page and "Item-Mine-Soon" in page
    page = coordinator_client.get(url, {"overdue": "on"}).content.decode()
    assert "Item-Mine-Late" in page and "Item-Mine-Soon" not in page
    page = partner_client.get(url, {"overdue": "on"}).content.decode()
    assert "Item-Mine-Late" in page and "Item-Mine-Soon" not in page
