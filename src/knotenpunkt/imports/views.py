"""Pages of the import (upload → mapping → preview → apply → undo) and the exports.

Coordinators only. Every view runs inside the tenant's scope; batches are found by uuid through
the scoped manager, so another tenant's batch is simply not found.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from knotenpunkt.core.tenancy import COORDINATOR, role_required
from knotenpunkt.imports import exports, selectors, services
from knotenpunkt.imports.forms import DECISION_CHOICES, MappingForm, UploadForm
from knotenpunkt.imports.models import ImportBatch, ImportRow

Status = ImportBatch.Status


def _batch(uuid: UUID) -> ImportBatch:
    return get_object_or_404(ImportBatch, uuid=uuid)


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, tenant: str) -> HttpResponse:
    """Upload form, recent imports and export links."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.batch_upload(
                actor=request.user,
                local_authority=request.tenant,  # type: ignore[attr-defined]
                file_name=upload.name or "upload",
                data=upload.read(),
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("imports:mapping", tenant=tenant, batch=batch.uuid)
    return render(
        request,
        "imports/start.html",
        {
            "form": form,
            "batches": selectors.recent_batches(),
            "datasets": exports.DATASETS,
        },
    )


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def mapping(request: HttpRequest, tenant: str, batch: UUID) -> HttpResponse:
    """Which column holds what; changing the sheet or header row reads the file again."""
    obj = _batch(batch)
    stalled = obj.status == Status.PREVIEWING and selectors.batch_progress(obj).stalled
    if obj.status not in {Status.UPLOADED, Status.PREVIEWED, Status.FAILED} and not stalled:
        return redirect("imports:batch", tenant=tenant, batch=obj.uuid)
    initial = {"header_row": obj.header_row + 1, "sheet": obj.sheet_name}
    initial.update({f"col_{i}": key for i, key in enumerate(obj.mapping)})
    form = MappingForm(
        request.POST or None, initial=initial, headers=obj.headers, sheet_names=obj.sheet_names
    )
    if request.method == "POST" and form.is_valid():
        try:
            if "reread" in request.POST or (
                form.cleaned_data["header_row"] != obj.header_row + 1
                or form.cleaned_data.get("sheet", obj.sheet_name) != obj.sheet_name
            ):
                services.batch_reread(
                    actor=request.user,
                    batch=obj,
                    sheet_name=form.cleaned_data.get("sheet"),
                    header_row=form.cleaned_data["header_row"],
                )
                messages.info(request, _("The sheet was read again. Check the columns."))
                return redirect("imports:mapping", tenant=tenant, batch=obj.uuid)
            services.batch_preview(actor=request.user, batch=obj, mapping=form.mapping())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("imports:batch", tenant=tenant, batch=obj.uuid)
    columns = selectors.mapping_columns(obj)
    return render(
        request,
        "imports/mapping.html",
        {
            "batch": obj,
            "form": form,
            "columns": list(zip(columns, form.column_fields(), strict=True)),
            "first_data_row": obj.header_row + 2,
        },
    )


@role_required(COORDINATOR)
@require_GET
def batch(request: HttpRequest, tenant: str, batch: UUID) -> HttpResponse:
    """The batch's page: progress while it runs, the preview, or the result with undo."""
    obj = _batch(batch)
    status = request.GET.get("status", "")
    if status not in ImportRow.Status.values:
        status = ""
    context: dict[str, object] = {
        "batch": obj,
        "progress": selectors.batch_progress(obj),
        "status_filter": status,
        "statuses": ImportRow.Status.choices,
        "decisions": DECISION_CHOICES,
    }
    if obj.status in {Status.PREVIEWED, Status.APPLIED, Status.UNDONE, Status.FAILED}:
        page, rows = selectors.preview_page(obj, status=status, page=request.GET.get("page", 1))
        context.update({"page": page, "rows": rows, "fields": selectors.preview_fields(obj)})
    return render(request, "imports/batch.html", context)


@role_required(COORDINATOR)
@require_GET
def progress(request: HttpRequest, tenant: str, batch: UUID) -> HttpResponse:
    """The progress bar, polled by HTMX while a step runs; reloads the page when it ends."""
    obj = _batch(batch)
    state = selectors.batch_progress(obj)
    response = render(request, "imports/partials/progress.html", {"batch": obj, "progress": state})
    if not state.running and request.htmx:  # type: ignore[attr-defined]
        response["HX-Refresh"] = "true"
    return response


@role_required(COORDINATOR)
@require_POST
def decide(request: HttpRequest, tenant: str, batch: UUID) -> HttpResponse:
    """Saves the choices (merge, create, skip) made on one page of the preview."""
    obj = _batch(batch)
    decisions: dict[int, str] = {}
    for name in request.POST:
        value = request.POST.get(name, "")
        if name.startswith("decision-"):
            try:
                decisions[int(name.removeprefix("decision-"))] = value
            except ValueError:
                continue
    try:
        changed = services.batch_decide(actor=request.user, batch=obj, decisions=decisions)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext("%(count)s choice saved.", "%(count)s choices saved.", changed)
            % {"count": changed},
        )
    url = reverse("imports:batch", kwargs={"tenant": tenant, "batch": obj.uuid})
    query = {key: request.POST[key] for key in ("status", "page") if request.POST.get(key)}
    return redirect(f"{url}?{urlencode(query)}" if query else url)


@role_required(COORDINATOR)
@require_POST
def apply(request: HttpRequest, tenant: str, batch: UUID) -> HttpResponse:
    obj = _batch(batch)
    try:
        done = services.batch_apply(actor=request.user, batch=obj)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        obj.refresh_from_db(fields=["status", "error"])
        if done and obj.status == Status.APPLIED:
            messages.success(request, _("The import was applied."))
        elif done:
            messages.error(request, obj.error or _("The import could not be applied."))
    return redirect("imports:batch", tenant=tenant, batch=obj.uuid)


@role_required(COORDINATOR)
@require_POST
def undo(request: HttpRequest, tenant: str, batch: UUID) -> HttpResponse:
    obj = _batch(batch)
    try:
        services.batch_undo(actor=request.user, batch=obj)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The import was undone."))
    return redirect("imports:batch", tenant=tenant, batch=obj.uuid)


@role_required(COORDINATOR)
@require_GET
def export(request: HttpRequest, tenant: str, dataset: str, fmt: str) -> HttpResponse:
    """Organisations, people, bodies or memberships as .xlsx or .csv."""
    if dataset not in exports.TABLES or fmt not in exports.FORMATS:
        raise Http404("No such export.")
    table = exports.TABLES[dataset]()
    stamp = timezone.localdate().isoformat()
    name = f"{dataset}-{tenant}-{stamp}.{fmt}"
    if fmt == "xlsx":
        content = exports.write_xlsx(table)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content = exports.write_csv(table)
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
