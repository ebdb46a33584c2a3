"""Coordinators' exchange of the directory with other HSDS systems: export and import.

Exports stream (JSON page of full services, or the tabular data package as a zip), for all offers
or only what the public guide shows. An import takes a JSON file or a zipped data package and
shows, record by record, what was created, updated or rejected and why.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.core.tenancy import COORDINATOR, role_required
from knotenpunkt.directory.hsds.importer import ImportReport, import_hsds, parse_json
from knotenpunkt.directory.hsds.serialize import stream_services_json
from knotenpunkt.directory.hsds.tabular import import_datapackage, stream_datapackage

#: Larger files are refused: an import runs while the coordinator waits.
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
FORMATS = ("json", "tabular")
SUBSETS = ("all", "public")
_ZIP_MAGIC = b"PK\x03\x04"


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("HSDS file"),
        help_text=_(
            "A JSON file (one offer, organisation, taxonomy or term, a list or a page of "
            "them) or a tabular data package as a zip file, at most 50 MB."
        ),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than 50 MB."))
        data: bytes = upload.read()
        if not data.strip():
            raise ValidationError(_("The file is empty."))
        return data


def _page(
    request: HttpRequest,
    form: ImportForm,
    report: ImportReport | None = None,
    problems: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "directory/exchange/index.html",
        {"form": form, "report": report, "problems": problems or []},
        status=status,
    )


@role_required(COORDINATOR)
@require_GET
def index(request: HttpRequest, tenant: str) -> HttpResponse:
    """The export links and the import form."""
    return _page(request, ImportForm())


@role_required(COORDINATOR)
@require_GET
def export(request: HttpRequest, tenant: str, fmt: str, subset: str) -> StreamingHttpResponse:
    """The directory as HSDS JSON or as the tabular data package, all offers or the public ones."""
    if fmt not in FORMATS or subset not in SUBSETS:
        raise Http404("No such export.")
    local_authority: LocalAuthority = request.tenant  # type: ignore[attr-defined]
    public = subset == "public"
    stamp = timezone.localdate().isoformat()
    name = f"hsds-{local_authority.slug}-{subset}-{stamp}"
    if fmt == "json":
        response = StreamingHttpResponse(
            stream_services_json(local_authority, public=public),
            content_type="application/json",
        )
        name += ".json"
    else:
        response = StreamingHttpResponse(
            stream_datapackage(local_authority, public=public), content_type="application/zip"
        )
        name += ".zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@role_required(COORDINATOR)
@require_POST
def import_file(request: HttpRequest, tenant: str) -> HttpResponse:
    """Imports an uploaded HSDS file and shows the report; a bad file changes nothing."""
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, status=400)
    data: bytes = form.cleaned_data["file"]
    local_authority: LocalAuthority = request.tenant  # type: ignore[attr-defined]
    problems: list[str] = []
    try:
        if data.startswith(_ZIP_MAGIC):
            report, problems = import_datapackage(
                actor=request.user, local_authority=local_authority, source=data
            )
        else:
            report = import_hsds(
                actor=request.user, local_authority=local_authority, data=parse_json(data)
            )
    except ValidationError as error:
        form.add_error("file", error)
        return _page(request, form, status=400)
    return _page(request, ImportForm(), report, problems)
