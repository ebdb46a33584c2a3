"""Template context for every page: the current tenant, the user's roles and other tenants."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from knotenpunkt.core.models import Role
from knotenpunkt.core.tenancy import tenants_of


def tenancy(request: HttpRequest) -> dict[str, Any]:
    roles: frozenset[str] = getattr(request, "tenant_roles", frozenset())
    return {
        "tenant": getattr(request, "tenant", None),
        "tenant_roles": roles,
        "tenant_role_labels": [Role.Kind(kind).label for kind in sorted(roles)],
        "is_coordinator": "coordinator" in roles,
        "user_tenants": SimpleLazyObject(lambda: list(tenants_of(request.user))),
    }
