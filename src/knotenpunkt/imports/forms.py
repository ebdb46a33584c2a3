"""Forms of the import: the upload and the column mapping."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from knotenpunkt.imports.mapping import TARGETS
from knotenpunkt.imports.models import ImportRow
from knotenpunkt.imports.reading import MAX_BYTES


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_(
            "Excel (.xlsx, .xls), OpenDocument (.ods) or CSV (separated by semicolons or commas). "
            "At most 20 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xlsm,.xls,.ods,.csv,.txt,.tsv"}),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 20 MB. Split it or remove unused sheets.")
            )
        return upload


def target_choices() -> list[tuple[str, Any]]:
    return [("", _("– do not import –")), *((t.key, t.label) for t in TARGETS)]


class MappingForm(forms.Form):
    """One choice per column of the sheet, plus the sheet and the header row."""

    def __init__(
        self,
        *args: Any,
        headers: Sequence[str],
        sheet_names: Sequence[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.headers = list(headers)
        if len(sheet_names) > 1:
            self.fields["sheet"] = forms.ChoiceField(
                label=_("Sheet"), choices=[(name, name) for name in sheet_names]
            )
        self.fields["header_row"] = forms.IntegerField(
            label=_("Header row"),
            min_value=1,
            max_value=50_000,
            help_text=_("The row of the sheet that holds the column names."),
        )
        for index, header in enumerate(self.headers):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=_("Field for column “%(header)s”") % {"header": header},
                choices=target_choices(),
                required=False,
            )

    def column_fields(self) -> list[forms.BoundField]:
        return [self[f"col_{index}"] for index in range(len(self.headers))]

    def mapping(self) -> list[str]:
        return [self.cleaned_data.get(f"col_{index}", "") for index in range(len(self.headers))]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen = [cleaned.get(f"col_{index}") for index in range(len(self.headers))]
        used = [key for key in chosen if key]
        if len(used) != len(set(used)):
            raise forms.ValidationError(_("Each field can be chosen for one column only."))
        return cleaned


DECISION_CHOICES = ImportRow.Decision.choices
