"""The one-click "still correct" link: works once, expires, cannot be forged or moved."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.core.services import ServiceError
from knotenpunkt.directory import services
from knotenpunkt.directory.models import Service
from tests.directory.freshness_support import URLS, months_ago, offer
from tests.partners.factories import PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]


def _token(service: Service) -> str:
    with scope(local_authority=service.local_authority):
        return services.verification_token(service)


def _reload(service: Service) -> Service:
    with scope(local_authority=service.local_authority):
        return Service.objects.get(pk=service.pk)


def test_a_valid_link_shows_a_button_and_only_the_post_verifies(
    tenant: LocalAuthority, anonymous_client: Client
) -> None:
    person = PersonFactory(local_authority=tenant, email="leitung@example.org")
    service = offer(
        tenant,
        name="Babytreff",
        last_verified_at=months_ago(10),
        responsible=person,
        reminder_sent_at=months_ago(3),
    )
    url = f"/g/{tenant.slug}/v/{_token(service)}/"
    page = anonymous_client.get(url)
    assert page.status_code == 200
    assert "Babytreff" in page.content.decode()
    assert _reload(service).last_verified_at == service.last_verified_at  # GET changes nothing
    response = anonymous_client.post(url)
    assert response.status_code == 200
    assert "confirmed as correct" in response.content.decode()
    verified = _reload(service)
    assert verified.last_verified_at is not None
    assert verified.last_verified_at > timezone.now() - datetime.timedelta(minutes=1)
    assert verified.assurer_email == "leitung@example.org"
    assert verified.reminder_sent_at is None
    assert verified.verified_by is None
    # Used once: it cannot be replayed.
    again = anonymous_client.post(url)
    assert "used already" in again.content.decode()
    assert _reload(service).last_verified_at == verified.last_verified_at


def test_an_expired_link_is_refused(tenant: LocalAuthority, anonymous_client: Client) -> None:
    service = offer(tenant, last_verified_at=months_ago(8))
    with mock.patch(
        "django.core.signing.time.time", return_value=timezone.now().timestamp() - 61 * 86400
    ):
        token = _token(service)
    response = anonymous_client.post(f"/g/{tenant.slug}/v/{token}/")
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert _reload(service).last_verified_at == service.last_verified_at


def test_a_tampered_link_is_refused(tenant: LocalAuthority, anonymous_client: Client) -> None:
    service = offer(tenant, last_verified_at=months_ago(8))
    other = offer(tenant, last_verified_at=months_ago(8))
    token = _token(service)
    forged = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")
    response = anonymous_client.post(f"/g/{tenant.slug}/v/{forged}/")
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    # A payload naming another offer, signed with another salt, is no good either.
    wrong_salt = signing.TimestampSigner(salt="something-else").sign_object(
        {"t": tenant.slug, "s": str(other.uuid), "v": ""}, compress=True
    )
    assert anonymous_client.post(f"/g/{tenant.slug}/v/{wrong_salt}/").status_code == 400
    assert _reload(service).last_verified_at == service.last_verified_at
    assert _reload(other).last_verified_at == other.last_verified_at


def test_a_link_of_another_tenant_does_not_work_in_my_guide(
    tenant: LocalAuthority, other_tenant: LocalAuthority, anonymous_client: Client
) -> None:
    foreign = offer(other_tenant, last_verified_at=months_ago(8))
    token = _token(foreign)
    response = anonymous_client.post(f"/g/{tenant.slug}/v/{token}/")
    assert response.status_code == 400
    assert _reload(foreign).last_verified_at == foreign.last_verified_at
    assert anonymous_client.post(f"/g/{other_tenant.slug}/v/{token}/").status_code == 200
    assert _reload(foreign).last_verified_at != foreign.last_verified_at


def test_a_link_to_a_deleted_offer_says_so(tenant: LocalAuthority) -> None:
    service = offer(tenant)
    token = _token(service)
    with scope(local_authority=tenant):
        service.delete()
    with pytest.raises(ServiceError) as refused:
        services.service_verify_by_token(token=token)
    assert refused.value.code == "unknown"


def test_a_coordinator_or_partner_verifies_with_the_button(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    service = offer(tenant, last_verified_at=months_ago(8), reminder_sent_at=months_ago(1))
    response = coordinator_client.post(
        f"/t/{tenant.slug}/offers/{service.uuid}/verify/", {"next": f"/t/{tenant.slug}/offers/"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/t/{tenant.slug}/offers/"
    verified = _reload(service)
    assert verified.assurer_email == "coordinator@example.org"
    assert verified.reminder_sent_at is None
    # A "next" pointing elsewhere is ignored.
    response = coordinator_client.post(
        f"/t/{tenant.slug}/offers/{service.uuid}/verify/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == f"/t/{tenant.slug}/offers/{service.uuid}/"
