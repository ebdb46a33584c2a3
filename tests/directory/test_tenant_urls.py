"""Every directory page against the four standard visitors; the public guide for everyone."""

from __future__ import annotations

import pytest
from django.test import Client
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.directory.models import ErrorReport, ServiceRevision
from tests.access import check_tenant_urls
from tests.directory.freshness_support import URLS, offer, snapshot, works_at

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]


def test_every_directory_url_keeps_outsiders_and_visitors_out(
    tenant: LocalAuthority,
    partner: User,
    coordinator_client: Client,
    partner_client: Client,
    outsider_client: Client,
    anonymous_client: Client,
) -> None:
    service = offer(tenant)
    works_at(partner, service.organisation)
    with scope(local_authority=tenant):
        revision = ServiceRevision.objects.create(
            local_authority=tenant,
            service=service,
            organisation=service.organisation,
            data=snapshot(service, name="Neu"),
            base_version=1,
            proposed_by=partner,
        )
        report = ErrorReport.objects.create(
            local_authority=tenant, service=service, message="Die Telefonnummer stimmt nicht."
        )
    checked = check_tenant_urls(
        namespace="directory",
        tenant=tenant.slug,
        url_kwargs={
            "service": service.uuid,
            "revision": revision.uuid,
            "report": report.uuid,
            "organisation": service.organisation.uuid,
        },
        coordinator=coordinator_client,
        partner=partner_client,
        outsider=outsider_client,
        anonymous=anonymous_client,
    )
    assert {url.name for url in checked} >= {
        "directory:service_list",
        "directory:service_detail",
        "directory:review_queue",
        "directory:dashboard",
        "directory:verify_prompt",
        "directory:my_services",
    }


def test_another_tenants_objects_are_not_found_through_my_tenant(
    tenant: LocalAuthority,
    other_tenant: LocalAuthority,
    coordinator: User,
    coordinator_client: Client,
) -> None:
    foreign = offer(other_tenant)
    with scope(local_authority=other_tenant):
        revision = ServiceRevision.objects.create(
            local_authority=other_tenant,
            service=foreign,
            organisation=foreign.organisation,
            data=snapshot(foreign),
            base_version=1,
        )
        report = ErrorReport.objects.create(
            local_authority=other_tenant, service=foreign, message="Die Adresse ist falsch."
        )
    base = f"/t/{tenant.slug}/offers"
    for url in (
        f"{base}/{foreign.uuid}/",
        f"{base}/{foreign.uuid}/edit/",
        f"{base}/{foreign.uuid}/propose/",
        f"{base}/proposals/{revision.uuid}/",
        f"{base}/organisations/{foreign.organisation.uuid}/verify/",
    ):
        assert coordinator_client.get(url).status_code == 404, url
    for url in (
        f"{base}/{foreign.uuid}/verify/",
        f"{base}/proposals/{revision.uuid}/approve/",
        f"{base}/proposals/{revision.uuid}/reject/",
        f"{base}/reports/{report.uuid}/resolve/",
    ):
        assert coordinator_client.post(url, {"status": "fixed"}).status_code == 404, url
    with scope(local_authority=other_tenant):
        revision.refresh_from_db()
        assert revision.status == ServiceRevision.Status.PENDING


def test_the_public_guide_is_open_to_everyone_and_unknown_guides_are_not_found(
    tenant: LocalAuthority, anonymous_client: Client, outsider_client: Client
) -> None:
    service = offer(tenant, name="Babymassage")
    for client in (anonymous_client, outsider_client):
        for url in (
            f"/g/{tenant.slug}/",
            f"/g/{tenant.slug}/{service.uuid}/",
            f"/g/{tenant.slug}/{service.uuid}/report/",
            f"/g/{tenant.slug}/{service.uuid}/report/thanks/",
            f"/g/{tenant.slug}/v/not-a-token/",
        ):
            response = client.get(url)
            assert response.status_code in {200, 400}, url
            assert not response.has_header("Location"), url
    assert anonymous_client.get("/g/no-such-guide/").status_code == 404
    assert anonymous_client.get(f"/g/no-such-guide/{service.uuid}/").status_code == 404


def test_an_offer_of_another_tenant_is_not_in_my_guide(
    tenant: LocalAuthority, other_tenant: LocalAuthority, anonymous_client: Client
) -> None:
    foreign = offer(other_tenant)
    assert anonymous_client.get(f"/g/{tenant.slug}/{foreign.uuid}/").status_code == 404
    assert anonymous_client.get(f"/g/{tenant.slug}/{foreign.uuid}/report/").status_code == 404
    assert anonymous_client.get(f"/g/{other_tenant.slug}/{foreign.uuid}/").status_code == 200
