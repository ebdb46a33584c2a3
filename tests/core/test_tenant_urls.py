"""Every page of the core app against the four standard visitors."""

from __future__ import annotations

import pytest
from django.test import Client
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority, Role
from tests.access import check_tenant_urls
from tests.factories import AreaFactory


@pytest.mark.django_db
def test_every_core_url_keeps_outsiders_and_visitors_out(
    tenant: LocalAuthority,
    coordinator_client: Client,
    partner_client: Client,
    outsider_client: Client,
    anonymous_client: Client,
) -> None:
    area = AreaFactory(local_authority=tenant)
    with scope(local_authority=tenant):
        role = Role.objects.get(kind=Role.Kind.PARTNER)
    checked = check_tenant_urls(
        namespace="core",
        tenant=tenant.slug,
        url_kwargs={"area": area.uuid, "role": role.uuid},
        coordinator=coordinator_client,
        partner=partner_client,
        outsider=outsider_client,
        anonymous=anonymous_client,
    )
    assert {url.name for url in checked} >= {"core:dashboard", "core:area_list", "core:audit_log"}


@pytest.mark.django_db
def test_another_tenants_object_is_not_found_through_my_tenant(
    tenant: LocalAuthority, other_tenant: LocalAuthority, coordinator_client: Client
) -> None:
    foreign_area = AreaFactory(local_authority=other_tenant)
    for name in ("area_detail", "area_edit"):
        url = f"/t/{tenant.slug}/areas/{foreign_area.uuid}/" + (
            "edit/" if name == "area_edit" else ""
        )
        assert coordinator_client.get(url).status_code == 404
    response = coordinator_client.post(f"/t/{tenant.slug}/areas/{foreign_area.uuid}/delete/")
    assert response.status_code == 404
