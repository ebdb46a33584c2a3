"""Views of the partner register: organisations, units, persons, vocabularies, data protection.

Coordinators may do everything; steering groups read; network partners read and edit only their
own organisations (through their person's current affiliations) and their own person record.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from knotenpunkt.core.services import ServiceError
from knotenpunkt.core.tenancy import COORDINATOR, PARTNER, STEERING, role_required
from knotenpunkt.partners import selectors, services
from knotenpunkt.partners.forms import (
    AffiliationForm,
    ConsentForm,
    ListFilterForm,
    OrganisationForm,
    PersonForm,
    ProfessionForm,
    SavedFilterForm,
    SectorForm,
    UnitForm,
    VersionedForm,
)
from knotenpunkt.partners.models import (
    Affiliation,
    Consent,
    Organisation,
    Person,
    Profession,
    SavedFilter,
    Sector,
    Unit,
)

READERS = (COORDINATOR, STEERING, PARTNER)
PAGE_SIZE = 50


def _tenant(request: HttpRequest) -> Any:
    return request.tenant  # type: ignore[attr-defined]


def _is_coordinator(request: HttpRequest) -> bool:
    return COORDINATOR in request.tenant_roles  # type: ignore[attr-defined]


def _may_edit_organisation(request: HttpRequest, organisation: Organisation) -> bool:
    if _is_coordinator(request):
        return True
    return PARTNER in request.tenant_roles and organisation.pk in selectors.own_organisation_ids(  # type: ignore[attr-defined]
        request.user
    )


def _may_edit_person(request: HttpRequest, person: Person) -> bool:
    if _is_coordinator(request):
        return True
    return (
        PARTNER in request.tenant_roles  # type: ignore[attr-defined]
        and person.user_id is not None
        and person.user_id == request.user.pk
    )


def _sees_contacts(request: HttpRequest) -> bool:
    """Coordinators and steering see contacts; partners do not (the coordination's notes)."""
    roles = request.tenant_roles  # type: ignore[attr-defined]
    return selectors.contacts_installed() and bool(roles & {COORDINATOR, STEERING})


def _timeline(
    request: HttpRequest, *, organisation: Organisation | None = None, person: Person | None = None
) -> Any:
    """The contacts on a partner's page (one query); None for those who may not see them."""
    if not _sees_contacts(request):
        return None
    from knotenpunkt.outreach import selectors as contacts

    if organisation is not None:
        return contacts.organisation_contacts(organisation)
    return contacts.person_contacts(person) if person is not None else None


def _query_without_page(request: HttpRequest) -> str:
    pairs: list[tuple[str, str]] = [
        (key, str(value)) for key, value in request.GET.items() if key != "page" and value
    ]
    return urlencode(pairs)


# --- Lists ------------------------------------------------------------------------------------


def _list(request: HttpRequest, *, list_name: str) -> HttpResponse:
    show_contacts = _sees_contacts(request)
    form = ListFilterForm(
        request.GET or None, show_contacts=show_contacts, search_notes=_is_coordinator(request)
    )
    filters = (
        form.filters() if request.GET else selectors.ListFilter(with_last_contact=show_contacts)
    )
    if list_name == "organisations":
        rows: Any = selectors.organisation_list(filters)
    else:
        rows = selectors.person_list(filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = _query_without_page(request)
    context = {
        "form": form,
        "page": page,
        "query": query,
        "list_name": list_name,
        "show_contacts": show_contacts,
        "saved_filters": selectors.saved_filters(request.user, list_name),
        "save_form": SavedFilterForm(initial={"list_name": list_name, "query": query}),
    }
    htmx = request.htmx  # type: ignore[attr-defined]
    if list_name == "organisations":
        template = (
            "partners/partials/organisation_table.html"
            if htmx
            else "partners/organisation_list.html"
        )
    else:
        template = "partners/partials/person_table.html" if htmx else "partners/person_list.html"
    return render(request, template, context)


@role_required(*READERS)
@require_GET
def organisation_list(request: HttpRequest, tenant: str) -> HttpResponse:
    """Organisations with search, filters, sort, pages and saved filters."""
    return _list(request, list_name="organisations")


@role_required(*READERS)
@require_GET
def person_list(request: HttpRequest, tenant: str) -> HttpResponse:
    """Persons with search, filters, sort, pages and saved filters."""
    return _list(request, list_name="people")


@role_required(*READERS)
@require_POST
def saved_filter_save(request: HttpRequest, tenant: str) -> HttpResponse:
    form = SavedFilterForm(request.POST)
    list_name = request.POST.get("list_name")
    target = "partners:person_list" if list_name == "people" else "partners:organisation_list"
    if not form.is_valid():
        messages.error(request, _("Give the filter a name."))
        return redirect(target, tenant=tenant)
    try:
        saved = services.saved_filter_save(
            actor=request.user,  # type: ignore[arg-type]
            local_authority=_tenant(request),
            list_name=form.cleaned_data["list_name"],
            name=form.cleaned_data["name"],
            query=form.cleaned_data["query"],
        )
    except ServiceError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(target, tenant=tenant)
    messages.success(request, _("The filter “%(name)s” was saved.") % {"name": saved.name})
    response = redirect(target, tenant=tenant)
    response["Location"] += f"?{saved.query}" if saved.query else ""
    return response


@role_required(*READERS)
@require_POST
def saved_filter_delete(request: HttpRequest, tenant: str, saved_filter: int) -> HttpResponse:
    obj = get_object_or_404(SavedFilter, pk=saved_filter, user=request.user)
    target = "partners:person_list" if obj.list_name == "people" else "partners:organisation_list"
    services.saved_filter_delete(actor=request.user, saved_filter=obj)  # type: ignore[arg-type]
    messages.success(request, _("The filter “%(name)s” was deleted.") % {"name": obj.name})
    return redirect(target, tenant=tenant)


# --- Optimistic locking helpers ---------------------------------------------------------------


def _conflicts(form: VersionedForm, current: Model) -> list[tuple[str, Any, Any]]:
    """The fields where the submitted value differs from the value saved in the meantime."""
    rows = []
    for name, field in form.fields.items():
        if name == "version" or name not in form.cleaned_data:
            continue
        mine = form.cleaned_data[name]
        theirs = getattr(current, name)
        if hasattr(theirs, "all"):
            theirs_list = sorted(str(item) for item in theirs.all())
            mine_list = sorted(str(item) for item in (mine or []))
            if theirs_list != mine_list:
                rows.append((str(field.label), ", ".join(mine_list), ", ".join(theirs_list)))
        elif (mine or "") != (theirs or ""):
            rows.append((str(field.label), mine, theirs))
    return rows


def _save_versioned(
    form: VersionedForm, obj: Organisation | Person, update: Callable[[dict[str, Any], int], Any]
) -> list[tuple[str, Any, Any]]:
    """Saves a valid edit form through ``update(data, version)``.

    A refusal lands on the form. When someone else saved in between, the form is moved onto the
    current version and the fields that differ are returned, to be shown side by side.
    """
    data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
    try:
        update(data, form.cleaned_data["version"])
    except ValidationError as error:
        form.add_error(None, error)
        if getattr(error, "code", None) == "stale":
            current = type(obj).objects.get(pk=obj.pk)
            conflicts = _conflicts(form, current)
            _rebase(form, current.version)
            return conflicts
    return []


def _rebase(form: VersionedForm, version: int) -> None:
    """Lets the user save again knowingly: the form now carries the current version."""
    data = form.data.copy()  # type: ignore[attr-defined]  # a QueryDict when bound to a request
    data["version"] = str(version)
    form.data = data


# --- Organisations ----------------------------------------------------------------------------


@role_required(*READERS)
@require_GET
def organisation_detail(request: HttpRequest, tenant: str, organisation: UUID) -> HttpResponse:
    obj = get_object_or_404(Organisation.objects.select_related("area"), uuid=organisation)
    return render(
        request,
        "partners/organisation_detail.html",
        {
            "detail": selectors.organisation_detail(obj),
            "organisation": obj,
            "can_edit": _may_edit_organisation(request, obj),
            "timeline": _timeline(request, organisation=obj),
        },
    )


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest, tenant: str) -> HttpResponse:
    form = OrganisationForm(request.POST or None, initial={"version": 1})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            obj = services.organisation_create(
                actor=request.user, local_authority=_tenant(request), **data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The organisation “%(name)s” was created.") % {"name": obj})
            return redirect("partners:organisation_detail", tenant=tenant, organisation=obj.uuid)
    return render(request, "partners/organisation_form.html", {"form": form, "organisation": None})


@role_required(COORDINATOR, PARTNER)
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, tenant: str, organisation: UUID) -> HttpResponse:
    obj = get_object_or_404(Organisation, uuid=organisation)
    if not _may_edit_organisation(request, obj):
        raise PermissionDenied
    form = OrganisationForm(
        request.POST or None, instance=copy.copy(obj), coordinator=_is_coordinator(request)
    )
    conflicts: list[tuple[str, Any, Any]] = []
    if request.method == "POST" and form.is_valid():
        conflicts = _save_versioned(
            form,
            obj,
            lambda data, version: services.organisation_update(
                actor=request.user, organisation=obj, data=data, version=version
            ),
        )
        if not form.errors:
            messages.success(request, _("The changes were saved."))
            return redirect("partners:organisation_detail", tenant=tenant, organisation=obj.uuid)
    return render(
        request,
        "partners/organisation_form.html",
        {"form": form, "organisation": obj, "conflicts": conflicts},
    )


@role_required(COORDINATOR)
@require_POST
def organisation_delete(request: HttpRequest, tenant: str, organisation: UUID) -> HttpResponse:
    obj = get_object_or_404(Organisation, uuid=organisation)
    services.organisation_delete(actor=request.user, organisation=obj)
    messages.success(request, _("The organisation “%(name)s” was deleted.") % {"name": obj})
    return redirect("partners:organisation_list", tenant=tenant)


# --- Units ------------------------------------------------------------------------------------


@role_required(COORDINATOR, PARTNER)
@require_http_methods(["GET", "POST"])
def unit_create(request: HttpRequest, tenant: str, organisation: UUID) -> HttpResponse:
    org = get_object_or_404(Organisation, uuid=organisation)
    if not _may_edit_organisation(request, org):
        raise PermissionDenied
    form = UnitForm(request.POST or None, organisation=org, initial={"version": 1})
    if request.method == "POST" and form.is_valid():
        try:
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            services.unit_create(actor=request.user, organisation=org, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The unit was added."))
            return redirect("partners:organisation_detail", tenant=tenant, organisation=org.uuid)
    return render(
        request, "partners/unit_form.html", {"form": form, "organisation": org, "unit": None}
    )


@role_required(COORDINATOR, PARTNER)
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, tenant: str, unit: UUID) -> HttpResponse:
    obj = get_object_or_404(Unit.objects.select_related("organisation"), uuid=unit)
    org = obj.organisation
    if not _may_edit_organisation(request, org):
        raise PermissionDenied
    form = UnitForm(request.POST or None, instance=copy.copy(obj), organisation=org)
    if request.method == "POST" and form.is_valid():
        try:
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            services.unit_update(
                actor=request.user, unit=obj, data=data, version=form.cleaned_data["version"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("partners:organisation_detail", tenant=tenant, organisation=org.uuid)
    return render(
        request, "partners/unit_form.html", {"form": form, "organisation": org, "unit": obj}
    )


@role_required(COORDINATOR, PARTNER)
@require_POST
def unit_delete(request: HttpRequest, tenant: str, unit: UUID) -> HttpResponse:
    obj = get_object_or_404(Unit.objects.select_related("organisation"), uuid=unit)
    org = obj.organisation
    if not _may_edit_organisation(request, org):
        raise PermissionDenied
    try:
        services.unit_delete(actor=request.user, unit=obj)
    except ServiceError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The unit “%(name)s” was deleted.") % {"name": obj.name})
    return redirect("partners:organisation_detail", tenant=tenant, organisation=org.uuid)


# --- Persons ----------------------------------------------------------------------------------


@role_required(*READERS)
@require_GET
def person_detail(request: HttpRequest, tenant: str, person: UUID) -> HttpResponse:
    obj = get_object_or_404(Person.objects.select_related("profession", "user"), uuid=person)
    may_edit = _may_edit_person(request, obj)
    return render(
        request,
        "partners/person_detail.html",
        {
            "person": obj,
            "detail": selectors.person_detail(obj),
            "can_edit": may_edit and not obj.is_erased,
            "can_export": may_edit,
            "affiliation_form": AffiliationForm() if _is_coordinator(request) else None,
            "consent_form": ConsentForm() if _is_coordinator(request) else None,
            "timeline": _timeline(request, person=obj),
        },
    )


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest, tenant: str) -> HttpResponse:
    form = PersonForm(request.POST or None, initial={"version": 1})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            obj = services.person_create(
                actor=request.user, local_authority=_tenant(request), **data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("“%(name)s” was added.") % {"name": obj})
            return redirect("partners:person_detail", tenant=tenant, person=obj.uuid)
    return render(request, "partners/person_form.html", {"form": form, "person": None})


@role_required(COORDINATOR, PARTNER)
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, tenant: str, person: UUID) -> HttpResponse:
    obj = get_object_or_404(Person, uuid=person)
    if not _may_edit_person(request, obj):
        raise PermissionDenied
    if obj.is_erased:
        messages.error(request, _("This person has been anonymised and cannot be edited."))
        return redirect("partners:person_detail", tenant=tenant, person=obj.uuid)
    form = PersonForm(
        request.POST or None, instance=copy.copy(obj), coordinator=_is_coordinator(request)
    )
    conflicts: list[tuple[str, Any, Any]] = []
    if request.method == "POST" and form.is_valid():
        conflicts = _save_versioned(
            form,
            obj,
            lambda data, version: services.person_update(
                actor=request.user, person=obj, data=data, version=version
            ),
        )
        if not form.errors:
            messages.success(request, _("The changes were saved."))
            return redirect("partners:person_detail", tenant=tenant, person=obj.uuid)
    return render(
        request,
        "partners/person_form.html",
        {"form": form, "person": obj, "conflicts": conflicts},
    )


@role_required(COORDINATOR)
@require_POST
def affiliation_add(request: HttpRequest, tenant: str, person: UUID) -> HttpResponse:
    obj = get_object_or_404(Person, uuid=person)
    form = AffiliationForm(request.POST)
    if form.is_valid():
        try:
            services.affiliation_add(actor=request.user, person=obj, **form.cleaned_data)
        except ServiceError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The affiliation was added."))
            return redirect("partners:person_detail", tenant=tenant, person=obj.uuid)
    else:
        messages.error(
            request,
            _("The affiliation was not added: %(errors)s")
            % {"errors": " ".join(str(e) for errors in form.errors.values() for e in errors)},
        )
    return redirect("partners:person_detail", tenant=tenant, person=obj.uuid)


@role_required(COORDINATOR)
@require_POST
def affiliation_end(
    request: HttpRequest, tenant: str, person: UUID, affiliation: int
) -> HttpResponse:
    obj = get_object_or_404(Person, uuid=person)
    item = get_object_or_404(Affiliation, pk=affiliation, person=obj)
    try:
        services.affiliation_end(actor=request.user, affiliation=item)
    except ServiceError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The affiliation was ended."))
    return redirect("partners:person_detail", tenant=tenant, person=obj.uuid)


@role_required(COORDINATOR)
@require_POST
def affiliation_remove(
    request: HttpRequest, tenant: str, person: UUID, affiliation: int
) -> HttpResponse:
    obj = get_object_or_404(Person, uuid=person)
    item = get_object_or_404(Affiliation, pk=affiliation, person=obj)
    services.affiliation_remove(actor=request.user, affiliation=item)
    messages.success(request, _("The affiliation was removed."))
    return redirect("partners:person_detail", tenant=tenant, person=obj.uuid)


@role_required(COORDINATOR)
@require_POST
def consent_record(request: HttpRequest, tenant: str, person: UUID) -> HttpResponse:
    obj = get_object_or_404(Person, uuid=person)
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            services.consent_record(actor=request.user, person=obj, **form.cleaned_data)
        except ServiceError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The consent was recorded."))
    else:
        messages.error(
            request,
            _("The consent was not recorded: %(errors)s")
            % {"errors": " ".join(str(e) for errors in form.errors.values() for e in errors)},
        )
    return redirect("partners:person_detail", tenant=tenant, person=obj.uuid)


@role_required(COORDINATOR)
@require_POST
def consent_withdraw(request: HttpRequest, tenant: str, person: UUID, consent: int) -> HttpResponse:
    obj = get_object_or_404(Person, uuid=person)
    item = get_object_or_404(Consent, pk=consent, person=obj)
    try:
        services.consent_withdraw(actor=request.user, consent=item)
    except ServiceError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The consent is marked as withdrawn."))
    return redirect("partners:person_detail", tenant=tenant, person=obj.uuid)


@role_required(COORDINATOR, PARTNER)
@require_GET
def person_export(request: HttpRequest, tenant: str, person: UUID) -> HttpResponse:
    """Everything held about a person as a JSON download (for the coordinator or the person)."""
    obj = get_object_or_404(Person.objects.select_related("profession", "user"), uuid=person)
    if not _may_edit_person(request, obj):
        raise PermissionDenied
    data = selectors.person_export(obj)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    name = slugify(obj.full_name) or "person"
    response["Content-Disposition"] = f'attachment; filename="{name}-{obj.uuid}.json"'
    return response


@role_required(COORDINATOR)
@require_POST
def person_erase(request: HttpRequest, tenant: str, person: UUID) -> HttpResponse:
    obj = get_object_or_404(Person, uuid=person)
    try:
        services.person_erase(actor=request.user, person=obj)
    except ServiceError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The person was anonymised."))
    if request.POST.get("next") == "data_protection":
        return redirect("partners:data_protection", tenant=tenant)
    return redirect("partners:person_detail", tenant=tenant, person=obj.uuid)


@role_required(COORDINATOR)
@require_GET
def data_protection(request: HttpRequest, tenant: str) -> HttpResponse:
    """The retention hint: persons with nothing current and no change for some years."""
    years = selectors.retention_years()
    return render(
        request,
        "partners/data_protection.html",
        {"years": years, "candidates": selectors.retention_candidates(years)[:500]},
    )


# --- Vocabularies -----------------------------------------------------------------------------


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def vocabulary(request: HttpRequest, tenant: str) -> HttpResponse:
    """Sectors and professions: add, rename, delete (refused while in use)."""
    kind = request.POST.get("kind")
    sector_form = SectorForm(request.POST if kind == "sector" else None, prefix="sector")
    profession_form = ProfessionForm(
        request.POST if kind == "profession" else None, prefix="profession"
    )
    if request.method == "POST":
        try:
            if kind == "sector" and sector_form.is_valid():
                services.sector_create(
                    actor=request.user, local_authority=_tenant(request), **sector_form.cleaned_data
                )
                messages.success(request, _("The sector was added."))
                return redirect("partners:vocabulary", tenant=tenant)
            if kind == "profession" and profession_form.is_valid():
                services.profession_create(
                    actor=request.user,
                    local_authority=_tenant(request),
                    **profession_form.cleaned_data,
                )
                messages.success(request, _("The profession was added."))
                return redirect("partners:vocabulary", tenant=tenant)
        except ServiceError as error:
            (sector_form if kind == "sector" else profession_form).add_error(None, error)
    return render(
        request,
        "partners/vocabulary.html",
        {
            "sectors": selectors.sectors_in_use(),
            "professions": selectors.professions_in_use(),
            "sector_form": sector_form,
            "profession_form": profession_form,
        },
    )


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def sector_edit(request: HttpRequest, tenant: str, sector: int) -> HttpResponse:
    obj = get_object_or_404(Sector, pk=sector)
    form = SectorForm(request.POST or None, instance=copy.copy(obj))
    if request.method == "POST" and form.is_valid():
        try:
            services.sector_update(actor=request.user, sector=obj, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("partners:vocabulary", tenant=tenant)
    return render(
        request, "partners/vocabulary_form.html", {"form": form, "object": obj, "kind": "sector"}
    )


@role_required(COORDINATOR)
@require_POST
def sector_delete(request: HttpRequest, tenant: str, sector: int) -> HttpResponse:
    obj = get_object_or_404(Sector, pk=sector)
    try:
        services.sector_delete(actor=request.user, sector=obj)
    except ServiceError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("“%(name)s” was deleted.") % {"name": obj.name})
    return redirect("partners:vocabulary", tenant=tenant)


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def profession_edit(request: HttpRequest, tenant: str, profession: int) -> HttpResponse:
    obj = get_object_or_404(Profession, pk=profession)
    form = ProfessionForm(request.POST or None, instance=copy.copy(obj))
    if request.method == "POST" and form.is_valid():
        try:
            services.profession_update(actor=request.user, profession=obj, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("partners:vocabulary", tenant=tenant)
    return render(
        request,
        "partners/vocabulary_form.html",
        {"form": form, "object": obj, "kind": "profession"},
    )


@role_required(COORDINATOR)
@require_POST
def profession_delete(request: HttpRequest, tenant: str, profession: int) -> HttpResponse:
    obj = get_object_or_404(Profession, pk=profession)
    try:
        services.profession_delete(actor=request.user, profession=obj)
    except ServiceError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("“%(name)s” was deleted.") % {"name": obj.name})
    return redirect("partners:vocabulary", tenant=tenant)
