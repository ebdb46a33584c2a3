"""Security headers, the Content-Security-Policy and CSRF on every form."""

from __future__ import annotations

import pytest
from django.test import Client

from knotenpunkt.core.models import LocalAuthority

pytestmark = pytest.mark.django_db


def test_pages_carry_a_strict_content_security_policy(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    response = coordinator_client.get(f"/t/{tenant.slug}/")
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"].startswith("'self' 'nonce-")
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe" not in response["Content-Security-Policy"]
    nonce = policy["style-src"].split("'nonce-")[1].rstrip("'")
    assert f'<style nonce="{nonce}">' in response.content.decode()


def test_pages_carry_the_other_security_headers(anonymous_client: Client) -> None:
    response = anonymous_client.get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_posts_without_a_csrf_token_are_refused(tenant: LocalAuthority, coordinator) -> None:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    response = client.post(f"/t/{tenant.slug}/areas/new/", {"name": "X", "kind": "village"})
    assert response.status_code == 403


def test_htmx_requests_send_the_csrf_token(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    html = coordinator_client.get(f"/t/{tenant.slug}/").content.decode()
    assert 'hx-headers=\'{"X-CSRFToken": "' in html


def test_no_page_loads_anything_from_another_origin(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    html = coordinator_client.get(f"/t/{tenant.slug}/").content.decode()
    for attribute in ('src="http', 'src="//', 'href="http', 'href="//'):
        assert attribute not in html
