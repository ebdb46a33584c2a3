"""The tenancy middleware: tenant from the URL, role check, scope, and one 404 for both misses."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django_scopes import ScopeError

from knotenpunkt.core.models import Area, LocalAuthority, Role, User
from tests.conftest import client_for
from tests.factories import AreaFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_it_shows_the_start_page_to_a_member(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    response = coordinator_client.get(f"/t/{tenant.slug}/")
    assert response.status_code == 200
    assert response.wsgi_request.tenant == tenant  # type: ignore[attr-defined]
    assert response.wsgi_request.tenant_roles == {"coordinator"}  # type: ignore[attr-defined]


def test_missing_and_foreign_tenants_give_the_same_404(
    tenant: LocalAuthority, outsider_client: Client
) -> None:
    foreign = outsider_client.get(f"/t/{tenant.slug}/")
    missing = outsider_client.get("/t/does-not-exist/")
    assert foreign.status_code == missing.status_code == 404
    # Apart from the address itself (in the language form), both pages are the same.
    assert _without_tokens(foreign.content).replace(tenant.slug.encode(), b"") == _without_tokens(
        missing.content
    ).replace(b"does-not-exist", b"")


def _without_tokens(html: bytes) -> bytes:
    """The page with its per-request CSRF token and CSP nonce blanked out."""
    return re.sub(rb'(csrfmiddlewaretoken" value="|X-CSRFToken": "|nonce=")[^"]+', rb"\1", html)


def test_it_sends_anonymous_visitors_to_login_without_revealing_tenants(
    tenant: LocalAuthority, anonymous_client: Client
) -> None:
    existing = anonymous_client.get(f"/t/{tenant.slug}/areas/")
    missing = anonymous_client.get("/t/does-not-exist/areas/")
    assert existing.status_code == missing.status_code == 302
    assert existing["Location"] == f"/accounts/login/?next=/t/{tenant.slug}/areas/"


def test_an_inactive_user_has_no_roles(tenant: LocalAuthority, coordinator: User) -> None:
    coordinator.is_active = False
    coordinator.save(update_fields=["is_active"])
    client = Client()
    client.force_login(coordinator)
    assert client.get(f"/t/{tenant.slug}/").status_code in {302, 404}


def test_a_superuser_without_a_role_does_not_see_tenant_data(tenant: LocalAuthority) -> None:
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert client_for(admin).get(f"/t/{tenant.slug}/").status_code == 404


def test_a_member_without_the_role_gets_403(tenant: LocalAuthority, partner_client: Client) -> None:
    assert partner_client.get(f"/t/{tenant.slug}/audit/").status_code == 403
    assert partner_client.get(f"/t/{tenant.slug}/").status_code == 200


def test_views_run_inside_the_tenant_scope_only(
    tenant: LocalAuthority, other_tenant: LocalAuthority, coordinator_client: Client
) -> None:
    AreaFactory(local_authority=tenant, name="Hier")
    AreaFactory(local_authority=other_tenant, name="Anderswo")
    response = coordinator_client.get(f"/t/{tenant.slug}/areas/")
    assert "Hier" in response.content.decode()
    assert "Anderswo" not in response.content.decode()


def test_queries_outside_a_scope_raise() -> None:
    with pytest.raises(ScopeError):
        list(Area.objects.all())


def test_one_user_switches_between_tenants(
    tenant: LocalAuthority, other_tenant: LocalAuthority
) -> None:
    user = UserFactory()
    RoleFactory(local_authority=tenant, user=user, kind=Role.Kind.STEERING)
    RoleFactory(local_authority=other_tenant, user=user, kind=Role.Kind.COORDINATOR)
    client = client_for(user)

    assert client.get("/").url == "/tenants/"  # type: ignore[attr-defined]
    choice = client.get("/tenants/").content.decode()
    assert tenant.name in choice and other_tenant.name in choice

    first = client.get(f"/t/{tenant.slug}/")
    assert first.wsgi_request.tenant_roles == {"steering"}  # type: ignore[attr-defined]
    assert other_tenant.name in first.content.decode()  # the switcher offers the other tenant
    assert client.get("/").url == f"/t/{tenant.slug}/"  # type: ignore[attr-defined]

    second = client.get(f"/t/{other_tenant.slug}/team/")
    assert second.status_code == 200
    assert client.get("/").url == f"/t/{other_tenant.slug}/"  # type: ignore[attr-defined]
    assert client.get(f"/t/{tenant.slug}/team/").status_code == 403


def test_a_user_with_one_tenant_goes_straight_there(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    assert coordinator_client.get("/").url == f"/t/{tenant.slug}/"  # type: ignore[attr-defined]


def test_home_sends_anonymous_visitors_to_login(anonymous_client: Client) -> None:
    assert anonymous_client.get("/").url == "/accounts/login/"  # type: ignore[attr-defined]
