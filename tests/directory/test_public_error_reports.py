"""The public reports errors: rate-limited per address, a honeypot for bots, no personal data."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.directory import services
from knotenpunkt.directory.models import ErrorReport
from tests.directory.freshness_support import URLS, offer

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]

MESSAGE = "Die Sprechzeiten haben sich geändert, jetzt mittwochs."


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def test_a_report_lands_in_the_queue_without_the_address(
    tenant: LocalAuthority, anonymous_client: Client, coordinator_client: Client
) -> None:
    service = offer(tenant, name="Familienzentrum")
    url = f"/g/{tenant.slug}/{service.uuid}/report/"
    assert anonymous_client.get(url).status_code == 200
    response = anonymous_client.post(
        url, {"message": MESSAGE, "website": ""}, REMOTE_ADDR="203.0.113.7"
    )
    assert response.status_code == 302
    assert response["Location"] == f"/g/{tenant.slug}/{service.uuid}/report/thanks/"
    with scope(local_authority=tenant):
        report = ErrorReport.objects.get()
    assert (report.service, report.message, report.status) == (service, MESSAGE, "open")
    stored = " ".join(str(value) for value in vars(report).values())
    assert "203.0.113.7" not in stored
    queue = coordinator_client.get(f"/t/{tenant.slug}/offers/reports/").content.decode()
    assert MESSAGE in queue
    response = coordinator_client.post(
        f"/t/{tenant.slug}/offers/reports/{report.uuid}/resolve/", {"status": "fixed"}
    )
    assert response.status_code == 302
    with scope(local_authority=tenant):
        report.refresh_from_db()
    assert report.status == "fixed" and report.handled_at is not None


def test_more_than_five_reports_an_hour_from_one_address_are_refused(
    tenant: LocalAuthority, anonymous_client: Client
) -> None:
    service = offer(tenant)
    url = f"/g/{tenant.slug}/{service.uuid}/report/"
    for _ in range(5):
        response = anonymous_client.post(url, {"message": MESSAGE}, REMOTE_ADDR="198.51.100.1")
        assert response.status_code == 302
    refused = anonymous_client.post(url, {"message": MESSAGE}, REMOTE_ADDR="198.51.100.1")
    assert refused.status_code == 429
    assert "try again later" in refused.content.decode()
    other = anonymous_client.post(url, {"message": MESSAGE}, REMOTE_ADDR="198.51.100.2")
    assert other.status_code == 302
    with scope(local_authority=tenant):
        assert ErrorReport.objects.count() == 6


def test_a_filled_honeypot_is_silently_dropped(
    tenant: LocalAuthority, anonymous_client: Client
) -> None:
    service = offer(tenant)
    url = f"/g/{tenant.slug}/{service.uuid}/report/"
    response = anonymous_client.post(url, {"message": MESSAGE, "website": "http://spam.example"})
    assert response.status_code == 302
    with scope(local_authority=tenant):
        assert not ErrorReport.objects.exists()


def test_too_short_and_too_long_messages_are_refused(
    tenant: LocalAuthority, anonymous_client: Client
) -> None:
    service = offer(tenant)
    url = f"/g/{tenant.slug}/{service.uuid}/report/"
    assert anonymous_client.post(url, {"message": "falsch"}).status_code == 400
    assert anonymous_client.post(url, {"message": "x" * 2001}).status_code == 400
    with scope(local_authority=tenant):
        assert not ErrorReport.objects.exists()
        with pytest.raises(services.ServiceError):
            services.error_report_create(service=service, message="  kurz  ", ip="192.0.2.1")


def test_the_form_needs_csrf(tenant: LocalAuthority) -> None:
    service = offer(tenant)
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"/g/{tenant.slug}/{service.uuid}/report/", {"message": MESSAGE})
    assert response.status_code == 403


def test_hidden_offers_cannot_be_reported(
    tenant: LocalAuthority, anonymous_client: Client, coordinator: User
) -> None:
    service = offer(tenant, status="inactive")
    response = anonymous_client.post(
        f"/g/{tenant.slug}/{service.uuid}/report/", {"message": MESSAGE}
    )
    assert response.status_code == 404


def test_behind_trusted_proxies_the_forwarded_address_counts(
    tenant: LocalAuthority, anonymous_client: Client, settings: object
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1  # type: ignore[attr-defined]
    service = offer(tenant)
    url = f"/g/{tenant.slug}/{service.uuid}/report/"
    for number in range(6):
        # The same proxy for everyone; the client's address differs (and may be forged in
        # front of it, which does not help).
        response = anonymous_client.post(
            url,
            {"message": MESSAGE},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"1.2.3.4, 192.0.2.{number}",
        )
        assert response.status_code == 302
