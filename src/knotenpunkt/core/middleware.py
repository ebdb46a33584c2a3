"""Request middleware: tenancy and the Permissions-Policy header."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseBase
from django.urls import Resolver404, resolve
from django_scopes import scope

from knotenpunkt.core.tenancy import resolve_tenant

TENANT_URL_KWARG = "tenant"


class TenantMiddleware:
    """Resolves ``/t/<tenant>/…`` to a tenant, checks the user's roles and scopes the request.

    Anonymous visitors are sent to the login page (for missing tenants too, so that the answer
    reveals nothing); logged-in users without a role in the tenant get the 404 of a missing one.
    Views outside a tenant run without a scope: any query on a tenant-owned model raises there.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request.tenant = None  # type: ignore[attr-defined]
        request.tenant_roles = frozenset()  # type: ignore[attr-defined]
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        slug = match.kwargs.get(TENANT_URL_KWARG)
        if slug is None:
            return self.get_response(request)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        tenant, roles = resolve_tenant(request.user, slug)
        request.tenant = tenant  # type: ignore[attr-defined]
        request.tenant_roles = roles  # type: ignore[attr-defined]
        if request.session.get("last_tenant") != tenant.slug:
            request.session["last_tenant"] = tenant.slug
        with scope(local_authority=tenant):
            return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Switches off browser features that Knotenpunkt never uses (camera, location …)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
