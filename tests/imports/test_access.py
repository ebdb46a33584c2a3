"""Every import page against the four standard visitors; another tenant's batch is not found."""

from __future__ import annotations

import pytest
from django.test import Client

from knotenpunkt.core.models import LocalAuthority
from tests.access import check_tenant_urls
from tests.imports.factories import messy_workbook
from tests.imports.helpers import latest_batch, upload


@pytest.mark.django_db
def test_every_import_url_keeps_outsiders_and_visitors_out(
    tenant: LocalAuthority,
    coordinator_client: Client,
    partner_client: Client,
    outsider_client: Client,
    anonymous_client: Client,
) -> None:
    upload(coordinator_client, tenant, messy_workbook(), "x.xlsx")
    batch = latest_batch()
    checked = check_tenant_urls(
        namespace="imports",
        tenant=tenant.slug,
        url_kwargs={"batch": batch.uuid, "dataset": "organisations", "fmt": "xlsx"},
        coordinator=coordinator_client,
        partner=partner_client,
        outsider=outsider_client,
        anonymous=anonymous_client,
    )
    assert len(checked) == 8


@pytest.mark.django_db
def test_another_tenants_batch_is_not_found(
    tenant: LocalAuthority,
    other_tenant: LocalAuthority,
    coordinator_client: Client,
    outsider_client: Client,
) -> None:
    upload(outsider_client, other_tenant, messy_workbook(), "x.xlsx")
    foreign = latest_batch()
    assert foreign.local_authority == other_tenant
    base = f"/t/{tenant.slug}/import/{foreign.uuid}/"
    for suffix in ("", "mapping/", "progress/"):
        assert coordinator_client.get(base + suffix).status_code == 404
    for suffix in ("decisions/", "apply/", "undo/", "mapping/"):
        assert coordinator_client.post(base + suffix).status_code == 404
