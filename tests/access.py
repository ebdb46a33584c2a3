"""The access check every tenant page gets: coordinator, partner, outsider and anonymous visitor.

:func:`check_tenant_urls` walks every URL pattern under ``/t/<tenant>/`` of an app, fills in its
arguments from ``url_kwargs`` and asserts, for a GET of each:

* anonymous visitors are sent to the login page,
* a user of another tenant gets 404 – the same as for a tenant that does not exist,
* the coordinator may open it (or is told that the method is wrong for a POST-only action),
* a partner gets either the page or 403, as the page's roles say.

It fails for a pattern whose arguments it cannot fill, so a new view cannot slip past it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse


@dataclass(frozen=True)
class TenantUrl:
    name: str
    path: str
    callback: Any


def tenant_url_patterns(namespace: str) -> Iterator[tuple[str, URLPattern]]:
    """Every URL pattern of ``namespace`` mounted below the ``<tenant>`` prefix."""
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == namespace:
            assert "<slug:tenant>" in str(entry.pattern), f"{namespace} is not under /t/<tenant>/"
            for pattern in entry.url_patterns:
                assert isinstance(pattern, URLPattern)
                yield f"{namespace}:{pattern.name}", pattern


def tenant_urls(namespace: str, tenant: str, url_kwargs: Mapping[str, Any]) -> list[TenantUrl]:
    urls = []
    for name, pattern in tenant_url_patterns(namespace):
        wanted = set(pattern.pattern.regex.groupindex)
        missing = wanted - set(url_kwargs)
        assert not missing, f"check_tenant_urls cannot fill {sorted(missing)} for {name}"
        kwargs = {key: url_kwargs[key] for key in wanted}
        urls.append(
            TenantUrl(name, reverse(name, kwargs={"tenant": tenant, **kwargs}), pattern.callback)
        )
    assert urls, f"no URLs found in namespace {namespace}"
    return urls


def check_tenant_urls(
    *,
    namespace: str,
    tenant: str,
    url_kwargs: Mapping[str, Any],
    coordinator: Client,
    partner: Client,
    outsider: Client,
    anonymous: Client,
) -> list[TenantUrl]:
    """Asserts the access rules above for every URL of ``namespace``; returns what it checked."""
    urls = tenant_urls(namespace, tenant, url_kwargs)
    for url in urls:
        response = anonymous.get(url.path)
        assert response.status_code == 302, url.name
        assert response["Location"].startswith("/accounts/login/"), url.name

        response = outsider.get(url.path)
        assert response.status_code == 404, f"{url.name}: outsider got {response.status_code}"

        missing_tenant = url.path.replace(f"/t/{tenant}/", "/t/no-such-tenant/", 1)
        assert outsider.get(missing_tenant).status_code == 404, url.name

        response = coordinator.get(url.path)
        assert response.status_code in {200, 405}, (
            f"{url.name}: coordinator got {response.status_code}"
        )

        roles = getattr(url.callback, "required_roles", None)
        assert roles is not None, f"{url.name} has no @role_required"
        expected = (200, 405) if "partner" in roles else (403,)
        response = partner.get(url.path)
        assert response.status_code in expected, f"{url.name}: partner got {response.status_code}"
    return urls
