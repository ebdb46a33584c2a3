"""Pages of the printed guide: its editions, a new edition, progress, download.

Coordinators make editions; volunteers (who print the guide for their village at welcome
visits) and the steering group list and download the finished ones. Editions are found by uuid
through the scoped manager, so another tenant's edition is simply not found.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from knotenpunkt.core.services import ServiceError
from knotenpunkt.core.tenancy import COORDINATOR, STEERING, VOLUNTEER, role_required
from knotenpunkt.directory.booklet import selectors, services
from knotenpunkt.directory.booklet.forms import EditionForm
from knotenpunkt.directory.models import GuideEdition

#: Who may list and download finished editions.
READERS = (COORDINATOR, VOLUNTEER, STEERING)


def _edition(uuid: UUID) -> GuideEdition:
    return get_object_or_404(
        GuideEdition.objects.select_related("area", "life_phase", "created_by"), uuid=uuid
    )


def _is_coordinator(request: HttpRequest) -> bool:
    return COORDINATOR in request.tenant_roles  # type: ignore[attr-defined]


@role_required(*READERS)
@require_GET
def edition_list(request: HttpRequest, tenant: str) -> HttpResponse:
    """The editions: all with their status for coordinators, the finished ones for the others."""
    coordinator = _is_coordinator(request)
    return render(
        request,
        "directory/booklet/edition_list.html",
        {
            "editions": selectors.editions(done_only=not coordinator),
            "is_coordinator": coordinator,
        },
    )


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def edition_create(request: HttpRequest, tenant: str) -> HttpResponse:
    """A new edition: area, life phase, language and its name; generated in the background."""
    form = EditionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            edition = services.edition_create(
                actor=request.user,
                local_authority=request.tenant,  # type: ignore[attr-defined]
                name=form.cleaned_data["name"],
                area=form.cleaned_data["area"],
                life_phase=form.cleaned_data["life_phase"],
                language=form.cleaned_data["language"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("guide_editions:detail", tenant=tenant, edition=edition.uuid)
    return render(request, "directory/booklet/edition_form.html", {"form": form})


@role_required(COORDINATOR)
@require_GET
def edition_detail(request: HttpRequest, tenant: str, edition: UUID) -> HttpResponse:
    """One edition: progress while it is generated, then its figures and the download."""
    obj = _edition(edition)
    return render(
        request,
        "directory/booklet/edition_detail.html",
        {"edition": obj, "progress": selectors.edition_progress(obj)},
    )


@role_required(COORDINATOR)
@require_GET
def edition_progress(request: HttpRequest, tenant: str, edition: UUID) -> HttpResponse:
    """The progress bar, polled by HTMX while the edition is generated; reloads when done."""
    obj = _edition(edition)
    state = selectors.edition_progress(obj)
    response = render(
        request,
        "directory/booklet/partials/edition_progress.html",
        {"edition": obj, "progress": state},
    )
    if not state.running and request.htmx:  # type: ignore[attr-defined]
        response["HX-Refresh"] = "true"
    return response


@role_required(*READERS)
@require_GET
def edition_download(request: HttpRequest, tenant: str, edition: UUID) -> FileResponse:
    """The PDF of a finished edition."""
    obj = _edition(edition)
    if obj.status != GuideEdition.Status.DONE or not obj.pdf:
        raise Http404("No such page.")
    try:
        handle = obj.pdf.open("rb")
    except FileNotFoundError as missing:
        raise Http404("No such page.") from missing
    area = obj.area.name if obj.area else ""
    name = "-".join(part for part in (slugify(area), slugify(obj.name), obj.language) if part)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{_('guide')}-{name}.pdf",
        content_type="application/pdf",
    )


@role_required(COORDINATOR)
@require_POST
def edition_retry(request: HttpRequest, tenant: str, edition: UUID) -> HttpResponse:
    obj = _edition(edition)
    try:
        services.edition_retry(actor=request.user, edition=obj)
    except ServiceError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("guide_editions:detail", tenant=tenant, edition=obj.uuid)


@role_required(COORDINATOR)
@require_POST
def edition_delete(request: HttpRequest, tenant: str, edition: UUID) -> HttpResponse:
    obj = _edition(edition)
    try:
        services.edition_delete(actor=request.user, edition=obj)
    except ServiceError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("guide_editions:detail", tenant=tenant, edition=obj.uuid)
    messages.success(request, _("The edition was deleted."))
    return redirect("guide_editions:list", tenant=tenant)
