"""Access to tenants: who may enter which tenant, in which role.

The tenancy middleware resolves the tenant from the URL (``/t/<tenant>/…``) and runs the view in
``scope(local_authority=tenant)``. A tenant that does not exist and one where the user holds no
role give the same 404, so that nobody can probe which tenants exist.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority, Role, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponseBase])

COORDINATOR = Role.Kind.COORDINATOR
PARTNER = Role.Kind.PARTNER
STEERING = Role.Kind.STEERING
VOLUNTEER = Role.Kind.VOLUNTEER
ALL_ROLES = frozenset(Role.Kind)


def roles_in(user: User | AnonymousUser, tenant: LocalAuthority) -> frozenset[str]:
    """The role kinds that ``user`` holds in ``tenant`` (empty for anonymous or inactive users)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    with scope(local_authority=tenant):
        kinds = Role.objects.filter(user=user).values_list("kind", flat=True)
        return frozenset(kinds)


def tenants_of(user: User | AnonymousUser) -> QuerySet[LocalAuthority]:
    """The tenants where ``user`` holds at least one role, by name."""
    if not user.is_authenticated:
        return LocalAuthority.objects.none()
    return LocalAuthority.objects.filter(roles__user=user).distinct().order_by("name")


def resolve_tenant(user: User | AnonymousUser, slug: str) -> tuple[LocalAuthority, frozenset[str]]:
    """The tenant named by ``slug`` and the user's roles there; 404 if missing *or* not the user's.

    Both cases raise the same :class:`Http404` with the same message on purpose.
    """
    tenant = LocalAuthority.objects.filter(slug=slug).first()
    roles = roles_in(user, tenant) if tenant is not None else frozenset()
    if tenant is None or not roles:
        raise Http404("No such page.")
    return tenant, roles


def role_required(*kinds: str) -> Callable[[ViewFunc], ViewFunc]:
    """Lets a tenant view through only for users holding one of ``kinds`` in the current tenant.

    The middleware already turned away users without any role there (404); a member lacking the
    role sees 403, since the tenant is no secret to them.
    """
    allowed = frozenset(kinds)

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            tenant = getattr(request, "tenant", None)
            if tenant is None:
                raise Http404("No such page.")
            if not (request.tenant_roles & allowed):  # type: ignore[attr-defined]
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_roles = allowed  # type: ignore[attr-defined]
        return cast(ViewFunc, wrapped)

    return decorator


#: The URL keyword of public pages (the Familienwegweiser, the HSDS API): no login, no roles.
PUBLIC_TENANT_URL_KWARG = "guide"


def public_tenant(view: ViewFunc) -> ViewFunc:
    """Runs a public view (no login) inside the scope of the tenant named by ``<guide>``.

    Sets ``request.tenant`` and empty ``request.tenant_roles``; the tenant slug is taken out of
    the view's keyword arguments. Demo and real tenants alike are public here: what a public view
    shows is its own business (only public, visible offers).
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        slug = kwargs.pop(PUBLIC_TENANT_URL_KWARG)
        tenant = LocalAuthority.objects.filter(slug=slug).first()
        if tenant is None:
            raise Http404("No such page.")
        request.tenant = tenant  # type: ignore[attr-defined]
        request.tenant_roles = frozenset()  # type: ignore[attr-defined]
        with scope(local_authority=tenant):
            return view(request, *args, **kwargs)

    wrapped.is_public = True  # type: ignore[attr-defined]
    return cast(ViewFunc, wrapped)
