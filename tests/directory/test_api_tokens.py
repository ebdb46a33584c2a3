"""The page where partners and coordinators make and revoke their personal API tokens."""

from __future__ import annotations

import pytest
from django.test import Client
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.directory.api import tokens
from knotenpunkt.directory.models import ApiToken
from tests.access import check_tenant_urls
from tests.conftest import client_for
from tests.directory.test_api_support import URLCONF, token_for

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLCONF)]


def _url(tenant: LocalAuthority) -> str:
    return f"/t/{tenant.slug}/offers/api-tokens/"


def test_every_token_url_keeps_outsiders_and_visitors_out(
    tenant: LocalAuthority,
    coordinator: User,
    coordinator_client: Client,
    partner_client: Client,
    outsider_client: Client,
    anonymous_client: Client,
) -> None:
    token_for(coordinator, tenant)
    with scope(local_authority=tenant):
        token = ApiToken.objects.get()
    checked = check_tenant_urls(
        namespace="api_tokens",
        tenant=tenant.slug,
        url_kwargs={"token": token.uuid},
        coordinator=coordinator_client,
        partner=partner_client,
        outsider=outsider_client,
        anonymous=anonymous_client,
    )
    assert {url.name for url in checked} == {"api_tokens:token_list", "api_tokens:token_revoke"}


def test_steering_and_volunteers_have_no_tokens(
    tenant: LocalAuthority, steering: User, volunteer: User
) -> None:
    for user in (steering, volunteer):
        assert client_for(user).get(_url(tenant)).status_code == 403


def test_a_new_token_is_shown_once(
    tenant: LocalAuthority, partner: User, partner_client: Client
) -> None:
    response = partner_client.post(_url(tenant), {"name": "Mein Skript"})
    assert response.status_code == 201
    assert response["Cache-Control"] == "no-store"
    secret = response.context["secret"]
    assert secret.startswith(tokens.TOKEN_START) and len(secret) > 40
    assert secret in response.content.decode()
    with scope(local_authority=tenant):
        token = ApiToken.objects.get()
    assert token.user == partner and token.name == "Mein Skript"
    assert token.token_hash == tokens.token_hash(secret) and secret.startswith(token.prefix)
    page = partner_client.get(_url(tenant)).content.decode()
    assert "Mein Skript" in page and token.prefix in page
    assert secret not in page


def test_a_token_needs_a_name(tenant: LocalAuthority, partner_client: Client) -> None:
    response = partner_client.post(_url(tenant), {"name": ""})
    assert response.status_code == 400
    with scope(local_authority=tenant):
        assert not ApiToken.objects.exists()


def test_a_user_sees_and_revokes_only_their_own_tokens(
    tenant: LocalAuthority,
    partner: User,
    coordinator: User,
    partner_client: Client,
    coordinator_client: Client,
) -> None:
    token_for(partner, tenant, name="Partner-Skript")
    token_for(coordinator, tenant, name="Koordinations-Skript")
    with scope(local_authority=tenant):
        mine = ApiToken.objects.get(user=partner)
        theirs = ApiToken.objects.get(user=coordinator)
    page = partner_client.get(_url(tenant)).content.decode()
    assert "Partner-Skript" in page and "Koordinations-Skript" not in page
    assert partner_client.post(f"{_url(tenant)}{theirs.uuid}/revoke/").status_code == 404
    response = partner_client.post(f"{_url(tenant)}{mine.uuid}/revoke/")
    assert response.status_code == 302
    with scope(local_authority=tenant):
        mine.refresh_from_db()
        theirs.refresh_from_db()
    assert mine.revoked_at is not None and theirs.revoked_at is None
    assert "revoked on" in partner_client.get(_url(tenant)).content.decode()


def test_another_tenants_token_is_not_found(
    tenant: LocalAuthority, other_tenant: LocalAuthority, partner: User, partner_client: Client
) -> None:
    from knotenpunkt.core.models import Role

    Role.objects.create(local_authority=other_tenant, user=partner, kind=Role.Kind.PARTNER)
    token_for(partner, other_tenant)
    with scope(local_authority=other_tenant):
        foreign = ApiToken.objects.get()
    assert partner_client.post(f"{_url(tenant)}{foreign.uuid}/revoke/").status_code == 404
    assert "Skript" not in partner_client.get(_url(tenant)).content.decode()


def test_forms_are_protected_against_forged_requests(tenant: LocalAuthority, partner: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(partner)
    assert client.post(_url(tenant), {"name": "Untergeschoben"}).status_code == 403
    with scope(local_authority=tenant):
        assert not ApiToken.objects.exists()
