"""Views for the structure of the network: the overview, bodies, members, programmes, goals.

Coordinators change everything; steering group members and network partners read. Volunteers
(welcome visits only) are turned away.
"""

from __future__ import annotations

import copy
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from knotenpunkt.bodies import selectors, services
from knotenpunkt.bodies.forms import (
    BodyForm,
    BodyKindForm,
    GoalForm,
    MembershipEndForm,
    MembershipForm,
    ProgrammeForm,
    RelationForm,
)
from knotenpunkt.bodies.models import Body, BodyKind, BodyRelation, Goal, Membership, Programme
from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.core.tenancy import COORDINATOR, PARTNER, STEERING, role_required

READERS = (COORDINATOR, STEERING, PARTNER)


def _tenant(request: HttpRequest) -> LocalAuthority:
    return request.tenant  # type: ignore[attr-defined]


def _error_message(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


# --- Overview and bodies ----------------------------------------------------------------------


@role_required(*READERS)
@require_GET
def structure(request: HttpRequest, tenant: str) -> HttpResponse:
    """The whole structure at a glance: diagram, tree, members, programmes, Leitbild and goals."""
    overview = selectors.structure_overview(tenant=_tenant(request), user=request.user)
    return render(request, "bodies/structure.html", {"overview": overview})


@role_required(*READERS)
@require_GET
def body_list(request: HttpRequest, tenant: str) -> HttpResponse:
    return render(request, "bodies/body_list.html", {"bodies": selectors.body_list()})


@role_required(*READERS)
@require_GET
def body_detail(request: HttpRequest, tenant: str, body: UUID) -> HttpResponse:
    obj = get_object_or_404(Body.objects.select_related("kind", "parent"), uuid=body)
    detail = selectors.body_detail(obj, user=request.user)
    return render(request, "bodies/body_detail.html", {"detail": detail, "body": obj})


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def body_create(request: HttpRequest, tenant: str) -> HttpResponse:
    form = BodyForm(request.POST or None, tenant=_tenant(request))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            obj = services.body_create(actor=request.user, local_authority=_tenant(request), **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The body “%(name)s” was created.") % {"name": obj})
            return redirect("bodies:body_detail", tenant=tenant, body=obj.uuid)
    return render(request, "bodies/body_form.html", {"form": form, "body": None})


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def body_edit(request: HttpRequest, tenant: str, body: UUID) -> HttpResponse:
    obj = get_object_or_404(Body, uuid=body)
    form = BodyForm(request.POST or None, instance=copy.copy(obj), tenant=_tenant(request))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.body_update(actor=request.user, body=obj, version=version, data=data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("bodies:body_detail", tenant=tenant, body=obj.uuid)
    return render(request, "bodies/body_form.html", {"form": form, "body": obj})


@role_required(COORDINATOR)
@require_POST
def body_delete(request: HttpRequest, tenant: str, body: UUID) -> HttpResponse:
    obj = get_object_or_404(Body, uuid=body)
    try:
        services.body_delete(actor=request.user, body=obj)
    except ValidationError as error:
        _error_message(request, error)
        return redirect("bodies:body_detail", tenant=tenant, body=obj.uuid)
    messages.success(request, _("The body “%(name)s” was deleted.") % {"name": obj})
    return redirect("bodies:body_list", tenant=tenant)


# --- Relations --------------------------------------------------------------------------------


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def relation_create(request: HttpRequest, tenant: str, body: UUID) -> HttpResponse:
    obj = get_object_or_404(Body, uuid=body)
    form = RelationForm(request.POST or None, body=obj)
    if request.method == "POST" and form.is_valid():
        try:
            services.relation_add(
                actor=request.user,
                source=obj,
                target=form.cleaned_data["target"],
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The relation was added."))
            return redirect("bodies:body_detail", tenant=tenant, body=obj.uuid)
    return render(request, "bodies/relation_form.html", {"form": form, "body": obj})


@role_required(COORDINATOR)
@require_POST
def relation_delete(request: HttpRequest, tenant: str, relation: UUID) -> HttpResponse:
    obj = get_object_or_404(BodyRelation.objects.select_related("source"), uuid=relation)
    services.relation_remove(actor=request.user, relation=obj)
    messages.success(request, _("The relation was removed."))
    return redirect("bodies:body_detail", tenant=tenant, body=obj.source.uuid)


# --- Memberships ------------------------------------------------------------------------------


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def membership_create(request: HttpRequest, tenant: str, body: UUID) -> HttpResponse:
    obj = get_object_or_404(Body, uuid=body)
    form = MembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_add(actor=request.user, body=obj, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(member)s is now a member of %(body)s.")
                % {"member": membership.member, "body": obj},
            )
            return redirect("bodies:body_detail", tenant=tenant, body=obj.uuid)
    return render(request, "bodies/membership_form.html", {"form": form, "body": obj})


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def membership_end(request: HttpRequest, tenant: str, membership: UUID) -> HttpResponse:
    obj = get_object_or_404(
        Membership.objects.select_related("body", "person", "organisation"), uuid=membership
    )
    form = MembershipEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_end(
                actor=request.user, membership=obj, end=form.cleaned_data["end"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The membership was ended."))
            return redirect("bodies:body_detail", tenant=tenant, body=obj.body.uuid)
    return render(request, "bodies/membership_end.html", {"form": form, "membership": obj})


@role_required(COORDINATOR)
@require_POST
def membership_delete(request: HttpRequest, tenant: str, membership: UUID) -> HttpResponse:
    obj = get_object_or_404(Membership.objects.select_related("body"), uuid=membership)
    services.membership_remove(actor=request.user, membership=obj)
    messages.success(request, _("The membership was deleted."))
    return redirect("bodies:body_detail", tenant=tenant, body=obj.body.uuid)


# --- Programmes -------------------------------------------------------------------------------


@role_required(*READERS)
@require_GET
def programme_list(request: HttpRequest, tenant: str) -> HttpResponse:
    return render(request, "bodies/programme_list.html", {"programmes": selectors.programme_list()})


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def programme_create(request: HttpRequest, tenant: str) -> HttpResponse:
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            obj = services.programme_create(
                actor=request.user, local_authority=_tenant(request), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The programme “%(name)s” was created.") % {"name": obj})
            return redirect("bodies:programme_list", tenant=tenant)
    return render(request, "bodies/programme_form.html", {"form": form, "programme": None})


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, tenant: str, programme: UUID) -> HttpResponse:
    obj = get_object_or_404(Programme, uuid=programme)
    form = ProgrammeForm(request.POST or None, instance=copy.copy(obj))
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_update(actor=request.user, programme=obj, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("bodies:programme_list", tenant=tenant)
    return render(request, "bodies/programme_form.html", {"form": form, "programme": obj})


@role_required(COORDINATOR)
@require_POST
def programme_delete(request: HttpRequest, tenant: str, programme: UUID) -> HttpResponse:
    obj = get_object_or_404(Programme, uuid=programme)
    services.programme_delete(actor=request.user, programme=obj)
    messages.success(request, _("The programme “%(name)s” was deleted.") % {"name": obj})
    return redirect("bodies:programme_list", tenant=tenant)


# --- Leitbild and goals -----------------------------------------------------------------------


@role_required(*READERS)
@require_GET
def goal_list(request: HttpRequest, tenant: str) -> HttpResponse:
    return render(request, "bodies/goal_list.html", {"goals": selectors.goal_list()})


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def goal_create(request: HttpRequest, tenant: str) -> HttpResponse:
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_create(
                actor=request.user, local_authority=_tenant(request), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("bodies:goal_list", tenant=tenant)
    return render(request, "bodies/goal_form.html", {"form": form, "goal": None})


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, tenant: str, goal: UUID) -> HttpResponse:
    obj = get_object_or_404(Goal, uuid=goal)
    form = GoalForm(request.POST or None, instance=copy.copy(obj))
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_update(actor=request.user, goal=obj, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("bodies:goal_list", tenant=tenant)
    return render(request, "bodies/goal_form.html", {"form": form, "goal": obj})


@role_required(COORDINATOR)
@require_POST
def goal_move(request: HttpRequest, tenant: str, goal: UUID) -> HttpResponse:
    obj = get_object_or_404(Goal, uuid=goal)
    offset = -1 if request.POST.get("direction") == "up" else 1
    services.goal_move(actor=request.user, goal=obj, offset=offset)
    return redirect("bodies:goal_list", tenant=tenant)


@role_required(COORDINATOR)
@require_POST
def goal_delete(request: HttpRequest, tenant: str, goal: UUID) -> HttpResponse:
    obj = get_object_or_404(Goal, uuid=goal)
    services.goal_delete(actor=request.user, goal=obj)
    messages.success(request, _("“%(title)s” was deleted.") % {"title": obj})
    return redirect("bodies:goal_list", tenant=tenant)


# --- Kinds of body ----------------------------------------------------------------------------


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def kind_list(request: HttpRequest, tenant: str) -> HttpResponse:
    """The vocabulary of kinds of body, with a form to add one."""
    form = BodyKindForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            kind = services.body_kind_create(
                actor=request.user, local_authority=_tenant(request), name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            form.add_error("name", error)
        else:
            messages.success(request, _("The kind “%(name)s” was added.") % {"name": kind})
            return redirect("bodies:kind_list", tenant=tenant)
    return render(
        request, "bodies/kind_list.html", {"form": form, "kinds": selectors.body_kind_list()}
    )


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def kind_edit(request: HttpRequest, tenant: str, kind: UUID) -> HttpResponse:
    obj = get_object_or_404(BodyKind, uuid=kind)
    form = BodyKindForm(request.POST or None, initial={"name": obj.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.body_kind_rename(actor=request.user, kind=obj, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error("name", error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("bodies:kind_list", tenant=tenant)
    return render(request, "bodies/kind_form.html", {"form": form, "kind": obj})


@role_required(COORDINATOR)
@require_POST
def kind_delete(request: HttpRequest, tenant: str, kind: UUID) -> HttpResponse:
    obj = get_object_or_404(BodyKind, uuid=kind)
    try:
        services.body_kind_delete(actor=request.user, kind=obj)
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(request, _("The kind “%(name)s” was deleted.") % {"name": obj})
    return redirect("bodies:kind_list", tenant=tenant)
