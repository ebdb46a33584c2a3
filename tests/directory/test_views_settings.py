"""Coordinators set when offers are due and when unverified offers are hidden."""

from __future__ import annotations

import pytest
from django.test import Client
from django_scopes import scope

from knotenpunkt.core.models import AuditEntry, LocalAuthority
from knotenpunkt.directory import selectors
from tests.directory.freshness_support import URLS

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]


def test_the_settings_are_saved_and_audited(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    url = f"/t/{tenant.slug}/offers/settings/"
    page = coordinator_client.get(url).content.decode()
    assert 'value="6"' in page and 'value="9"' in page
    response = coordinator_client.post(
        url, {"verify_interval_months": "12", "hide_after_months": "18", "publisher_email": ""}
    )
    assert response.status_code == 302
    with scope(local_authority=tenant):
        settings = selectors.directory_settings(tenant)
        assert (settings.verify_interval_months, settings.hide_after_months) == (12, 18)
        assert AuditEntry.objects.filter(object_type="directory.DirectorySettings").exists()


def test_hiding_before_the_reminder_is_refused(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    url = f"/t/{tenant.slug}/offers/settings/"
    response = coordinator_client.post(
        url, {"verify_interval_months": "6", "hide_after_months": "6"}
    )
    assert response.status_code == 200
    assert "choose more months for hiding" in response.content.decode()
    with scope(local_authority=tenant):
        assert selectors.directory_settings(tenant).hide_after_months == 9
