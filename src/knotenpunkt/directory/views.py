"""Views of the directory of offers for coordinators, steering groups and network partners.

Coordinators keep the offers (list, detail, edit, verify), review partners' proposals with a
field-by-field diff, watch freshness on the staleness dashboard, handle the public's error reports
and set the freshness rules. Steering groups read the list, the offers and the dashboard. Network
partners see and verify their own organisations' offers and propose changes and new offers,
which wait for review. Another organisation's offer is "not found" for a partner.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from knotenpunkt.core.services import ServiceError
from knotenpunkt.core.tenancy import COORDINATOR, PARTNER, STEERING, role_required
from knotenpunkt.directory import revisions, selectors, services
from knotenpunkt.directory.forms import (
    FRESHNESS_LABELS,
    DirectorySettingsForm,
    ErrorReportResolveForm,
    ReviewForm,
    ServiceEditor,
    ServiceFilterForm,
)
from knotenpunkt.directory.models import ErrorReport, Service, ServiceRevision
from knotenpunkt.partners.models import Affiliation, Organisation, Person
from knotenpunkt.partners.selectors import current_affiliations, own_organisation_ids

READERS = (COORDINATOR, STEERING)
PAGE_SIZE = 50


def _tenant(request: HttpRequest) -> Any:
    return request.tenant  # type: ignore[attr-defined]


def _is_coordinator(request: HttpRequest) -> bool:
    return COORDINATOR in request.tenant_roles  # type: ignore[attr-defined]


def _own_ids(request: HttpRequest) -> set[int]:
    if PARTNER not in request.tenant_roles:  # type: ignore[attr-defined]
        return set()
    return own_organisation_ids(request.user)


def _may_act_for(request: HttpRequest, organisation: Organisation) -> bool:
    return _is_coordinator(request) or organisation.pk in _own_ids(request)


def _people_for(
    request: HttpRequest, organisation_ids: set[int], current: str | None = None
) -> QuerySet[Person] | None:
    """Whom a partner may name as responsible: the people currently at their organisations
    (and whoever is named already). Coordinators choose from everyone (``None``)."""
    if _is_coordinator(request):
        return None
    working_there = Affiliation.objects.filter(
        current_affiliations(), organisation_id__in=organisation_ids
    ).values("person")
    condition = Q(pk__in=working_there)
    if current:
        condition |= Q(uuid=current)
    return Person.objects.filter(condition, erased_at__isnull=True)


def _url_base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _service_for(request: HttpRequest, uuid: UUID, *, read_only: bool = False) -> Service:
    """The offer, if this user may see it: coordinators (and steering, to read) all, partners
    their own organisations' offers; anything else is "not found"."""
    service = get_object_or_404(Service.objects.select_related("organisation"), uuid=uuid)
    if _is_coordinator(request):
        return service
    if read_only and STEERING in request.tenant_roles:  # type: ignore[attr-defined]
        return service
    if service.organisation_id in _own_ids(request):
        return service
    raise Http404("No such offer.")


def _revision_for(request: HttpRequest, uuid: UUID) -> ServiceRevision:
    """A proposal: coordinators see all, a partner those they made."""
    revision = get_object_or_404(
        ServiceRevision.objects.select_related(
            "service", "organisation", "proposed_by", "reviewed_by"
        ),
        uuid=uuid,
    )
    if _is_coordinator(request) or revision.proposed_by_id == request.user.pk:
        return revision
    raise Http404("No such proposal.")


def _next_url(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def _query_without_page(request: HttpRequest) -> str:
    pairs: list[tuple[str, str]] = [
        (key, str(value)) for key, value in request.GET.items() if key != "page" and value
    ]
    return urlencode(pairs)


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- Lists ------------------------------------------------------------------------------------


@role_required(*READERS)
@require_GET
def service_list(request: HttpRequest, tenant: str) -> HttpResponse:
    """Every offer with filters and its freshness."""
    settings = selectors.directory_settings(_tenant(request))
    form = ServiceFilterForm(request.GET or None)
    rows = selectors.service_list(form.filters(), settings=settings)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "query": _query_without_page(request),
        "freshness_labels": FRESHNESS_LABELS,
    }
    template = (
        "directory/partials/service_table.html"
        if request.htmx  # type: ignore[attr-defined]
        else "directory/service_list.html"
    )
    return render(request, template, context)


@role_required(COORDINATOR, PARTNER)
@require_GET
def my_services(request: HttpRequest, tenant: str) -> HttpResponse:
    """A partner's own organisations' offers, with their freshness."""
    rows = selectors.services_of_partner(request.user, _tenant(request))
    return render(
        request,
        "directory/my_services.html",
        {"services": rows, "freshness_labels": FRESHNESS_LABELS},
    )


@role_required(COORDINATOR, PARTNER)
@require_GET
def my_revisions(request: HttpRequest, tenant: str) -> HttpResponse:
    """The changes this user proposed and what became of them."""
    return render(
        request,
        "directory/my_revisions.html",
        {"revisions": selectors.revisions_of_user(request.user)[:200]},
    )


# --- An offer ---------------------------------------------------------------------------------


@role_required(COORDINATOR, STEERING, PARTNER)
@require_GET
def service_detail(request: HttpRequest, tenant: str, service: UUID) -> HttpResponse:
    """All HSDS parts of an offer, its history of approved versions and error reports."""
    obj = _service_for(request, service, read_only=True)
    settings = selectors.directory_settings(_tenant(request))
    detail = selectors.service_detail(obj, settings=settings)
    may_act = _may_act_for(request, obj.organisation)
    return render(
        request,
        "directory/service_detail.html",
        {
            "service": detail.service,
            "detail": detail,
            "freshness_labels": FRESHNESS_LABELS,
            "can_edit": _is_coordinator(request),
            "can_propose": may_act and not _is_coordinator(request),
            "can_verify": may_act,
        },
    )


def _editor_context(editor: ServiceEditor, **extra: Any) -> dict[str, Any]:
    return {"editor": editor, "conflicts": [], **extra}


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def service_create(request: HttpRequest, tenant: str) -> HttpResponse:
    """A coordinator enters a new offer of any organisation."""
    organisations = Organisation.objects.order_by("name")
    chosen = None
    wanted = _uuid_or_none(request.GET.get("organisation", ""))
    if wanted is not None:
        chosen = Organisation.objects.filter(uuid=wanted).first()
    editor = ServiceEditor(
        request.POST or None,
        snapshot=revisions.empty_snapshot(),
        organisations=organisations,
        organisation=chosen,
    )
    if request.method == "POST" and editor.is_valid():
        try:
            obj = services.service_create(
                actor=request.user,
                organisation=editor.organisation,  # type: ignore[arg-type]
                data=editor.snapshot(),
            )
        except ValidationError as error:
            editor.add_error(error)
        else:
            messages.success(request, _("The offer “%(name)s” was created.") % {"name": obj})
            return redirect("directory:service_detail", tenant=tenant, service=obj.uuid)
    return render(
        request,
        "directory/service_form.html",
        _editor_context(editor, mode="create", service=None),
    )


def _uuid_or_none(value: str) -> UUID | None:
    try:
        return UUID(value)
    except ValueError:
        return None


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, tenant: str, service: UUID) -> HttpResponse:
    """A coordinator changes an offer; a save over a colleague's newer change is refused and
    both versions are shown side by side."""
    obj = _service_for(request, service)
    current = revisions.editable_snapshot(obj)
    editor = ServiceEditor(request.POST or None, snapshot=current, version=obj.version)
    conflicts: list[selectors.FieldChange] = []
    if request.method == "POST" and editor.is_valid():
        mine = editor.snapshot()
        try:
            services.service_update(
                actor=request.user,
                service=obj,
                data=mine,
                expected_version=editor.version or 0,
            )
        except ValidationError as error:
            editor.add_error(error)
            if getattr(error, "code", None) == "stale":
                fresh_obj = Service.objects.get(pk=obj.pk)
                conflicts = selectors.changes_between(revisions.editable_snapshot(fresh_obj), mine)
                editor.rebase(fresh_obj.version)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("directory:service_detail", tenant=tenant, service=obj.uuid)
    return render(
        request,
        "directory/service_form.html",
        {**_editor_context(editor, mode="edit", service=obj), "conflicts": conflicts},
    )


@role_required(COORDINATOR, PARTNER)
@require_POST
def service_verify(request: HttpRequest, tenant: str, service: UUID) -> HttpResponse:
    """Confirms that an offer is still correct (the button on lists, details and the prompt)."""
    obj = _service_for(request, service)
    try:
        services.service_verify(actor=request.user, service=obj)
    except ServiceError as error:
        messages.error(request, _error_text(error))
    else:
        if not request.htmx:  # type: ignore[attr-defined]
            messages.success(
                request, _("“%(name)s” is confirmed as correct. Thank you.") % {"name": obj}
            )
    if request.htmx and request.POST.get("prompt"):  # type: ignore[attr-defined]
        return _verify_prompt(request, obj.organisation, confirmed=obj)
    target = _next_url(request)
    if target:
        return redirect(target)
    return redirect("directory:service_detail", tenant=tenant, service=obj.uuid)


# --- Proposals --------------------------------------------------------------------------------


@role_required(COORDINATOR, PARTNER)
@require_http_methods(["GET", "POST"])
def revision_propose(request: HttpRequest, tenant: str, service: UUID) -> HttpResponse:
    """A partner proposes a change to their organisation's offer; it waits for review."""
    obj = _service_for(request, service)
    current = revisions.editable_snapshot(obj)
    editor = ServiceEditor(
        request.POST or None,
        snapshot=current,
        people=_people_for(request, {obj.organisation_id}, current["responsible"]),
        with_comment=True,
    )
    if request.method == "POST" and editor.is_valid():
        try:
            revision = services.revision_propose(
                actor=request.user,
                service=obj,
                data=editor.snapshot(),
                comment=editor.comment,
                url_base=_url_base(request),
            )
        except ValidationError as error:
            editor.add_error(error)
        else:
            messages.success(
                request,
                _("Thank you. Your change was sent to the coordination office for review."),
            )
            return redirect("directory:revision_detail", tenant=tenant, revision=revision.uuid)
    return render(
        request,
        "directory/service_form.html",
        _editor_context(editor, mode="propose", service=obj),
    )


@role_required(COORDINATOR, PARTNER)
@require_http_methods(["GET", "POST"])
def revision_propose_new(request: HttpRequest, tenant: str) -> HttpResponse:
    """A partner proposes a new offer of one of their organisations."""
    if _is_coordinator(request):
        organisations = Organisation.objects.order_by("name")
    else:
        organisations = Organisation.objects.filter(pk__in=_own_ids(request)).order_by("name")
    editor = ServiceEditor(
        request.POST or None,
        snapshot=revisions.empty_snapshot(),
        organisations=organisations,
        people=_people_for(request, set(organisations.values_list("pk", flat=True))),
        with_comment=True,
    )
    if request.method == "POST" and editor.is_valid():
        try:
            revision = services.revision_propose_new(
                actor=request.user,
                organisation=editor.organisation,  # type: ignore[arg-type]
                data=editor.snapshot(),
                comment=editor.comment,
                url_base=_url_base(request),
            )
        except ValidationError as error:
            editor.add_error(error)
        else:
            messages.success(
                request,
                _("Thank you. Your new offer was sent to the coordination office for review."),
            )
            return redirect("directory:revision_detail", tenant=tenant, revision=revision.uuid)
    return render(
        request,
        "directory/service_form.html",
        _editor_context(
            editor, mode="propose_new", service=None, no_organisation=not organisations.exists()
        ),
    )


@role_required(COORDINATOR, PARTNER)
@require_GET
def revision_detail(request: HttpRequest, tenant: str, revision: UUID) -> HttpResponse:
    """A proposal with its field-by-field changes; coordinators approve or reject it here."""
    obj = _revision_for(request, revision)
    changes = selectors.revision_diff(obj)
    pending = obj.status == ServiceRevision.Status.PENDING
    stale = (
        pending
        and obj.service is not None
        and obj.base_version is not None
        and obj.base_version != obj.service.version
    )
    keys: dict[str, str] = {}
    for change in changes:
        keys.setdefault(change.key, str(KEY_LABELS.get(change.key, change.label)))
    return render(
        request,
        "directory/revision_detail.html",
        {
            "revision": obj,
            "changes": changes,
            "keys": list(keys.items()),
            "stale": stale,
            "can_review": pending and _is_coordinator(request),
            "can_withdraw": pending and obj.proposed_by_id == request.user.pk,
            "review_form": ReviewForm(),
        },
    )


KEY_LABELS = {
    "translations": _("Translations"),
    "locations": _("Locations"),
    "schedules": _("Opening hours"),
}


@role_required(COORDINATOR)
@require_POST
def revision_approve(request: HttpRequest, tenant: str, revision: UUID) -> HttpResponse:
    obj = _revision_for(request, revision)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please check the parts to apply and the note."))
        return redirect("directory:revision_detail", tenant=tenant, revision=obj.uuid)
    keys = form.cleaned_data["keys"] if request.POST.get("choose_keys") else None
    if keys is not None and not keys:
        messages.error(request, _("Choose at least one part to apply, or reject the proposal."))
        return redirect("directory:revision_detail", tenant=tenant, revision=obj.uuid)
    try:
        service = services.revision_approve(
            actor=request.user,
            revision=obj,
            note=form.cleaned_data.get("note", ""),
            keys=keys,
            url_base=_url_base(request),
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("directory:revision_detail", tenant=tenant, revision=obj.uuid)
    messages.success(request, _("The change was approved and is now part of the offer."))
    if request.POST.get("next") == "queue":
        return redirect("directory:review_queue", tenant=tenant)
    return redirect("directory:service_detail", tenant=tenant, service=service.uuid)


@role_required(COORDINATOR)
@require_POST
def revision_reject(request: HttpRequest, tenant: str, revision: UUID) -> HttpResponse:
    obj = _revision_for(request, revision)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please check the note."))
        return redirect("directory:revision_detail", tenant=tenant, revision=obj.uuid)
    try:
        services.revision_reject(
            actor=request.user,
            revision=obj,
            note=form.cleaned_data.get("note", ""),
            url_base=_url_base(request),
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("directory:revision_detail", tenant=tenant, revision=obj.uuid)
    messages.success(request, _("The proposal was rejected; the partner is told by e-mail."))
    return redirect("directory:review_queue", tenant=tenant)


@role_required(COORDINATOR, PARTNER)
@require_POST
def revision_withdraw(request: HttpRequest, tenant: str, revision: UUID) -> HttpResponse:
    obj = _revision_for(request, revision)
    try:
        services.revision_withdraw(actor=request.user, revision=obj)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Your proposal was withdrawn."))
    return redirect("directory:my_revisions", tenant=tenant)


@role_required(COORDINATOR)
@require_GET
def review_queue(request: HttpRequest, tenant: str) -> HttpResponse:
    """Proposals waiting for review, oldest first."""
    return render(
        request,
        "directory/review_queue.html",
        {"revisions": selectors.review_queue(_tenant(request))},
    )


# --- Freshness --------------------------------------------------------------------------------


@role_required(*READERS)
@require_GET
def dashboard(request: HttpRequest, tenant: str) -> HttpResponse:
    """How fresh the offers are: overall, per provider and per place, with links to the lists."""
    return render(
        request,
        "directory/dashboard.html",
        {
            "board": selectors.staleness_dashboard(_tenant(request)),
            "freshness_labels": FRESHNESS_LABELS,
        },
    )


def _verify_prompt(
    request: HttpRequest, organisation: Organisation, *, confirmed: Service | None = None
) -> HttpResponse:
    settings = selectors.directory_settings(_tenant(request))
    htmx = request.htmx  # type: ignore[attr-defined]
    # Where a plain (no-JavaScript) "still correct" button returns to: the page showing the
    # prompt, as HTMX reports it, else this page.
    here = (htmx.current_url_abs_path if htmx else None) or request.get_full_path()
    return render(
        request,
        "directory/partials/verify_prompt.html" if htmx else "directory/verify_prompt_page.html",
        {
            "organisation": organisation,
            "services": selectors.organisation_services(organisation, settings),
            "confirmed": confirmed,
            "next": _next_url(request) or here,
        },
    )


@role_required(COORDINATOR)
@require_GET
def verify_prompt(request: HttpRequest, tenant: str, organisation: UUID) -> HttpResponse:
    """A partner's offers with their freshness and a "still correct" button each (a partial for
    the pages of a visit to that partner)."""
    org = get_object_or_404(Organisation, uuid=organisation)
    return _verify_prompt(request, org)


# --- Error reports and settings ---------------------------------------------------------------


@role_required(COORDINATOR)
@require_GET
def error_report_list(request: HttpRequest, tenant: str) -> HttpResponse:
    """The public's error reports (open ones first; ``?status=`` for the others)."""
    status = request.GET.get("status", ErrorReport.Status.OPEN)
    if status not in ErrorReport.Status.values and status != "all":
        status = ErrorReport.Status.OPEN
    reports = selectors.error_reports("" if status == "all" else status)
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "directory/error_reports.html",
        {
            "page": page,
            "status": status,
            "statuses": ErrorReport.Status.choices,
            "query": _query_without_page(request),
        },
    )


@role_required(COORDINATOR)
@require_POST
def error_report_resolve(request: HttpRequest, tenant: str, report: UUID) -> HttpResponse:
    obj = get_object_or_404(ErrorReport, uuid=report)
    form = ErrorReportResolveForm(request.POST)
    if form.is_valid():
        services.error_report_resolve(
            actor=request.user, report=obj, status=form.cleaned_data["status"]
        )
        messages.success(
            request, _("The report is marked as %(status)s.") % {"status": obj.get_status_display()}
        )
    else:
        messages.error(request, _("Unknown status."))
    return redirect(_next_url(request) or "directory:error_report_list", tenant=tenant)


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def settings_edit(request: HttpRequest, tenant: str) -> HttpResponse:
    """When offers are due for verification and when unverified ones are hidden."""
    settings = selectors.directory_settings(_tenant(request))
    form = DirectorySettingsForm(request.POST or None, instance=settings)
    if request.method == "POST" and form.is_valid():
        try:
            services.directory_settings_update(
                actor=request.user,
                settings=selectors.directory_settings(_tenant(request)),
                data=form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, ValidationError(error.messages))
        else:
            messages.success(request, _("The settings were saved."))
            return redirect("directory:settings", tenant=tenant)
    return render(request, "directory/settings_form.html", {"form": form})
