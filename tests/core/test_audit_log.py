"""The audit log: every write records who, when, what and which fields; coordinators read it."""

from __future__ import annotations

import pytest
from django.test import Client
from django_scopes import scope

from knotenpunkt.core import audit, services
from knotenpunkt.core.models import AuditEntry, LocalAuthority, User
from tests.factories import AreaFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_update_records_old_and_new_values(tenant: LocalAuthority, coordinator: User) -> None:
    with scope(local_authority=tenant):
        area = AreaFactory(local_authority=tenant, name="Alt")
        services.area_update(actor=coordinator, area=area, data={"name": "Neu"})
        entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.object_type) == ("update", coordinator, "core.Area")
    assert entry.changes == {"name": ["Alt", "Neu"]}
    assert entry.local_authority == tenant


def test_an_update_without_changes_writes_nothing(
    tenant: LocalAuthority, coordinator: User
) -> None:
    with scope(local_authority=tenant):
        area = AreaFactory(local_authority=tenant, name="Gleich")
        _area, changed = services.area_update(actor=coordinator, area=area, data={"name": "Gleich"})
        assert not changed
        assert not AuditEntry.objects.exists()


def test_passwords_never_enter_the_log() -> None:
    user = UserFactory()
    values = audit.snapshot(user)
    assert values["password"] == audit.REDACTED
    assert user.password not in str(values)


def test_the_log_page_shows_entries_of_this_tenant_only(
    tenant: LocalAuthority,
    other_tenant: LocalAuthority,
    coordinator: User,
    coordinator_client: Client,
) -> None:
    with scope(local_authority=tenant):
        services.area_create(actor=coordinator, local_authority=tenant, name="Hier", kind="village")
    with scope(local_authority=other_tenant):
        services.area_create(actor=None, local_authority=other_tenant, name="Dort", kind="village")
    html = coordinator_client.get(f"/t/{tenant.slug}/audit/").content.decode()
    assert "Hier" in html and "Dort" not in html
    filtered = coordinator_client.get(
        f"/t/{tenant.slug}/audit/", {"type": "core.Area", "q": "Hier"}, HTTP_HX_REQUEST="true"
    )
    assert "Hier" in filtered.content.decode()


def test_the_tenant_profile_change_is_logged(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    response = coordinator_client.post(
        f"/t/{tenant.slug}/settings/",
        {
            "name": tenant.name,
            "kind": tenant.kind,
            "brand_colour": "#2f6b3a",
            "guide_name": "Wegweiser",
        },
    )
    assert response.status_code == 302
    with scope(local_authority=tenant):
        entry = AuditEntry.objects.get()
    assert entry.changes["guide_name"] == ["", "Wegweiser"]
    assert entry.changes["brand_colour"] == ["#1d5c8f", "#2f6b3a"]


def test_a_brand_colour_too_light_for_white_text_is_refused(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    response = coordinator_client.post(
        f"/t/{tenant.slug}/settings/",
        {"name": tenant.name, "kind": tenant.kind, "brand_colour": "#ffdd00"},
    )
    assert response.status_code == 200
    assert "contrast" in response.content.decode()
    tenant.refresh_from_db()
    assert tenant.brand_colour == "#1d5c8f"
