"""Forms for places, figures, the tenant profile and the team."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from knotenpunkt.core.figures_import import MAX_BYTES
from knotenpunkt.core.models import Area, LocalAuthority, Role


class AreaForm(forms.ModelForm[Area]):
    """An area; the choice of parent is limited to the current tenant's other areas."""

    # Declared here: a generated field would query all areas, outside any tenant scope.
    parent: forms.ModelChoiceField[Area] = forms.ModelChoiceField(
        queryset=Area.objects.none(), required=False, label=_("part of")
    )

    class Meta:
        model = Area
        fields = [
            "name",
            "kind",
            "parent",
            "official_key",
            "is_central_place",
            "latitude",
            "longitude",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = Area.objects.order_by("name")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
        self.fields["latitude"].widget.attrs["step"] = "any"
        self.fields["longitude"].widget.attrs["step"] = "any"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        return cleaned

    def validate_unique(self) -> None:
        # The tenant is set by the service, not the form; uniqueness is checked there.
        pass


class FiguresUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Separated by semicolons or commas, as Excel saves it. At most 5 MB."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class TenantProfileForm(forms.ModelForm[LocalAuthority]):
    class Meta:
        model = LocalAuthority
        fields = [
            "name",
            "kind",
            "office_name",
            "office_email",
            "office_phone",
            "office_address",
            "guide_name",
            "logo",
            "brand_colour",
        ]
        widgets = {"brand_colour": forms.TextInput(attrs={"type": "color"})}


class RoleGrantForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    full_name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        help_text=_("Needed only for people who have no access yet."),
    )
    kind = forms.ChoiceField(label=_("Role"), choices=Role.Kind.choices)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
