"""A visit to a partner prompts the coordinator to verify that partner's offers on the spot."""

from __future__ import annotations

import pytest
from django.test import Client
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.directory.models import Service
from tests.directory.freshness_support import URLS, months_ago, offer
from tests.partners.factories import OrganisationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]


def test_the_prompt_lists_the_partners_offers_and_verifies_one_with_htmx(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    org = OrganisationFactory(local_authority=tenant, name="Hebammenpraxis")
    due = offer(tenant, organisation=org, name="Rückbildung", last_verified_at=months_ago(6, 5))
    offer(tenant, organisation=org, name="Geburtsvorbereitung", last_verified_at=months_ago(1))
    offer(tenant, organisation=org, name="Alt", status=Service.Status.DEFUNCT)
    offer(tenant, name="Anderswo")
    url = f"/t/{tenant.slug}/offers/organisations/{org.uuid}/verify/"
    partial = coordinator_client.get(
        url,
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=f"http://testserver/t/{tenant.slug}/contacts/",
    ).content.decode()
    assert "<html" not in partial
    assert "Rückbildung" in partial and "Geburtsvorbereitung" in partial
    assert "Anderswo" not in partial and "Alt<" not in partial
    assert "due for verification" in partial
    assert f'name="next" value="/t/{tenant.slug}/contacts/"' in partial

    response = coordinator_client.post(
        f"/t/{tenant.slug}/offers/{due.uuid}/verify/",
        {"prompt": "1", "next": f"/t/{tenant.slug}/contacts/"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "“Rückbildung” is confirmed as correct." in page
    assert "due for verification" not in page
    with scope(local_authority=tenant):
        due.refresh_from_db()
    assert due.last_verified_at is not None and due.last_verified_at > months_ago(0, 1)


def test_without_javascript_the_prompt_is_a_page_and_the_button_returns_to_it(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    org = OrganisationFactory(local_authority=tenant)
    service = offer(tenant, organisation=org, last_verified_at=months_ago(7))
    url = f"/t/{tenant.slug}/offers/organisations/{org.uuid}/verify/"
    page = coordinator_client.get(url).content.decode()
    assert "<html" in page
    response = coordinator_client.post(
        f"/t/{tenant.slug}/offers/{service.uuid}/verify/", {"prompt": "1", "next": url}
    )
    assert response.status_code == 302 and response["Location"] == url
