"""Views for the start page, places and figures, the audit log, the team and tenant settings.

Views parse input, call one selector or service, and render. Every view under ``/t/<tenant>/``
runs inside the tenant's scope (see :mod:`knotenpunkt.core.middleware`).
"""

from __future__ import annotations

import copy
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from knotenpunkt.core import selectors, services
from knotenpunkt.core.figures_import import parse_figures_csv
from knotenpunkt.core.forms import (
    AreaForm,
    FiguresUploadForm,
    RoleGrantForm,
    SearchForm,
    TenantProfileForm,
)
from knotenpunkt.core.models import Area, Indicator, LocalAuthority, Role
from knotenpunkt.core.tenancy import ALL_ROLES, COORDINATOR, STEERING, role_required, tenants_of


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Sends a visitor to the login, a user to their (last) tenant or to the choice of tenants."""
    if not request.user.is_authenticated:
        return redirect("login")
    tenants = list(tenants_of(request.user))
    last = request.session.get("last_tenant")
    chosen = next((t for t in tenants if t.slug == last), None)
    if chosen is None and len(tenants) == 1:
        chosen = tenants[0]
    if chosen is not None:
        return redirect("core:dashboard", tenant=chosen.slug)
    return redirect("tenant_choice")


@login_required
@require_GET
def tenant_choice(request: HttpRequest) -> HttpResponse:
    tenants = list(tenants_of(request.user))
    return render(request, "core/tenant_choice.html", {"tenants": tenants})


def _tenant(request: HttpRequest):  # type: ignore[no-untyped-def]
    return request.tenant  # type: ignore[attr-defined]


@role_required(*ALL_ROLES)
@require_GET
def dashboard(request: HttpRequest, tenant: str) -> HttpResponse:
    """The tenant's start page: headline figures and the places on a map and in a table."""
    nodes = selectors.area_tree()
    overview = selectors.tenant_overview(_tenant(request))
    return render(
        request,
        "core/dashboard.html",
        {
            "overview": overview,
            "nodes": nodes,
            "map_points": selectors.place_map([node.area for node in nodes]),
            "headline_indicators": selectors.HEADLINE_INDICATORS,
        },
    )


@role_required(COORDINATOR, STEERING)
@require_GET
def area_list(request: HttpRequest, tenant: str) -> HttpResponse:
    form = SearchForm(request.GET)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    context = {
        "form": form,
        "search": search,
        "nodes": selectors.area_tree(search=search),
        "headline_indicators": [Indicator(i) for i in selectors.HEADLINE_INDICATORS],
    }
    htmx = request.htmx  # type: ignore[attr-defined]
    template = "core/partials/area_table.html" if htmx else "core/area_list.html"
    return render(request, template, context)


@role_required(COORDINATOR, STEERING)
@require_GET
def area_detail(request: HttpRequest, tenant: str, area: UUID) -> HttpResponse:
    obj = get_object_or_404(Area, uuid=area)
    years, rows = selectors.area_figures_by_year(obj)
    return render(
        request,
        "core/area_detail.html",
        {
            "area": obj,
            "ancestors": selectors.area_ancestors(obj),
            "children": obj.children.order_by("name"),
            "years": years,
            "figure_rows": rows,
            "sources": selectors.area_sources(obj),
        },
    )


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def area_create(request: HttpRequest, tenant: str) -> HttpResponse:
    form = AreaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            obj = services.area_create(
                actor=request.user, local_authority=_tenant(request), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The area “%(name)s” was created.") % {"name": obj})
            return redirect("core:area_detail", tenant=tenant, area=obj.uuid)
    return render(request, "core/area_form.html", {"form": form, "area": None})


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def area_edit(request: HttpRequest, tenant: str, area: UUID) -> HttpResponse:
    obj = get_object_or_404(Area, uuid=area)
    form = AreaForm(request.POST or None, instance=copy.copy(obj))
    if request.method == "POST" and form.is_valid():
        try:
            services.area_update(actor=request.user, area=obj, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("core:area_detail", tenant=tenant, area=obj.uuid)
    return render(request, "core/area_form.html", {"form": form, "area": obj})


@role_required(COORDINATOR)
@require_POST
def area_delete(request: HttpRequest, tenant: str, area: UUID) -> HttpResponse:
    obj = get_object_or_404(Area, uuid=area)
    try:
        services.area_delete(actor=request.user, area=obj)
    except services.ServiceError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("core:area_detail", tenant=tenant, area=obj.uuid)
    messages.success(request, _("The area “%(name)s” was deleted.") % {"name": obj})
    return redirect("core:area_list", tenant=tenant)


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def figures_import(request: HttpRequest, tenant: str) -> HttpResponse:
    """Uploads yearly figures from CSV: all rows are written, or none and every problem shown."""
    form = FiguresUploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        parsed = parse_figures_csv(upload.read(), Area.objects.all())
        if parsed.ok:
            result = services.figures_import(
                actor=request.user,
                local_authority=_tenant(request),
                rows=parsed.rows,
                file_name=upload.name,
            )
            messages.success(
                request,
                _(
                    "Imported: %(created)s new figures, %(updated)s changed, "
                    "%(unchanged)s unchanged."
                )
                % {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
            )
            return redirect("core:area_list", tenant=tenant)
        problems = parsed.problems
    return render(
        request,
        "core/figures_import.html",
        {
            "form": form,
            "problems": problems[:200],
            "problem_count": len(problems),
            "indicators": list(Indicator),
        },
    )


@role_required(COORDINATOR)
@require_GET
def audit_log(request: HttpRequest, tenant: str) -> HttpResponse:
    object_type = request.GET.get("type", "")[:100]
    search = request.GET.get("q", "")[:100]
    entries = selectors.audit_entries(object_type=object_type, search=search)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    htmx = request.htmx  # type: ignore[attr-defined]
    template = "core/partials/audit_table.html" if htmx else "core/audit_log.html"
    return render(
        request,
        template,
        {
            "page": page,
            "object_types": selectors.audit_object_types(),
            "object_type": object_type,
            "search": search,
        },
    )


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def team(request: HttpRequest, tenant: str) -> HttpResponse:
    """Who holds which role in this tenant; coordinators grant roles and invite new users."""
    form = RoleGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            role = services.role_grant(
                actor=request.user,
                local_authority=_tenant(request),
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                kind=form.cleaned_data["kind"],
                invite_url_base=request.build_absolute_uri("/"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(user)s now has the role %(role)s.")
                % {"user": role.user, "role": role.get_kind_display()},
            )
            return redirect("core:team", tenant=tenant)
    return render(request, "core/team.html", {"form": form, "roles": selectors.team_roles()})


@role_required(COORDINATOR)
@require_POST
def role_revoke(request: HttpRequest, tenant: str, role: UUID) -> HttpResponse:
    obj = get_object_or_404(Role, uuid=role)
    try:
        services.role_revoke(actor=request.user, role=obj)
    except services.ServiceError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The role was removed."))
    return redirect("core:team", tenant=tenant)


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def tenant_settings(request: HttpRequest, tenant: str) -> HttpResponse:
    current = _tenant(request)
    form = TenantProfileForm(request.POST or None, request.FILES or None, instance=current)
    if request.method == "POST" and form.is_valid():
        fresh = LocalAuthority.objects.get(pk=current.pk)
        services.tenant_update(actor=request.user, tenant=fresh, data=form.cleaned_data)
        messages.success(request, _("The changes were saved."))
        return redirect(reverse("core:tenant_settings", kwargs={"tenant": fresh.slug}))
    return render(request, "core/tenant_settings.html", {"form": form})
