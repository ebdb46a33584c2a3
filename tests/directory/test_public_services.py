"""The public sees only active, public offers that are not hidden for staleness."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.directory import selectors
from knotenpunkt.directory.models import Service
from tests.directory.factories import ServiceFactory
from tests.directory.freshness_support import URLS, months_ago
from tests.partners.factories import OrganisationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]


def test_it_hides_stale_professional_inactive_and_ended_offers(
    tenant: LocalAuthority, other_tenant: LocalAuthority
) -> None:
    org = OrganisationFactory(local_authority=tenant)
    visible = {
        ServiceFactory(organisation=org, name="Frisch", last_verified_at=months_ago(1)),
        ServiceFactory(organisation=org, name="Fällig", last_verified_at=months_ago(7)),
        ServiceFactory(
            organisation=org,
            name="Neu, nie geprüft",
            last_verified_at=None,
            created_at=months_ago(2),
        ),
    }
    ServiceFactory(organisation=org, name="Veraltet", last_verified_at=months_ago(10))
    ServiceFactory(
        organisation=org, name="Alt, nie geprüft", last_verified_at=None, created_at=months_ago(10)
    )
    ServiceFactory(organisation=org, name="Fachkräfte", visibility=Service.Visibility.PROFESSIONALS)
    ServiceFactory(organisation=org, name="Pause", status=Service.Status.INACTIVE)
    ServiceFactory(organisation=org, name="Zu", status=Service.Status.TEMPORARILY_CLOSED)
    ServiceFactory(organisation=org, name="Beendet", status=Service.Status.DEFUNCT)
    ServiceFactory(organisation=OrganisationFactory(local_authority=other_tenant), name="Fremd")
    with scope(local_authority=tenant):
        assert set(selectors.public_services(tenant)) == visible


def test_the_tenants_settings_decide_when_an_offer_disappears(tenant: LocalAuthority) -> None:
    service = ServiceFactory(
        organisation=OrganisationFactory(local_authority=tenant), last_verified_at=months_ago(10)
    )
    with scope(local_authority=tenant):
        assert not selectors.public_services(tenant).exists()
        settings = selectors.directory_settings(tenant)
        settings.hide_after_months = 12
        settings.save()
        assert list(selectors.public_services(tenant)) == [service]
        later = timezone.now() + datetime.timedelta(days=90)
        assert not selectors.public_services(tenant, now=later).exists()


def test_the_guide_pages_follow_public_services(
    tenant: LocalAuthority, anonymous_client: Client
) -> None:
    org = OrganisationFactory(local_authority=tenant)
    fresh = ServiceFactory(organisation=org, name="Stillcafé", last_verified_at=months_ago(1))
    stale = ServiceFactory(organisation=org, name="Krabbelgruppe", last_verified_at=months_ago(11))
    professional = ServiceFactory(
        organisation=org, name="Fallberatung", visibility=Service.Visibility.PROFESSIONALS
    )
    page = anonymous_client.get(f"/g/{tenant.slug}/").content.decode()
    assert "Stillcafé" in page
    assert "Krabbelgruppe" not in page
    assert "Fallberatung" not in page
    assert anonymous_client.get(f"/g/{tenant.slug}/{fresh.uuid}/").status_code == 200
    assert anonymous_client.get(f"/g/{tenant.slug}/{stale.uuid}/").status_code == 404
    assert anonymous_client.get(f"/g/{tenant.slug}/{professional.uuid}/").status_code == 404
    found = anonymous_client.get(f"/g/{tenant.slug}/", {"q": "still"}).content.decode()
    assert "Stillcafé" in found
