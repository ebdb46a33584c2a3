"""Forms for the partner register: records, filters and vocabularies.

Choices of tenant-owned objects are declared with empty querysets and filled in ``__init__``,
inside the request's tenant scope.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from knotenpunkt.core.models import Area
from knotenpunkt.partners import selectors
from knotenpunkt.partners.models import (
    Affiliation,
    Consent,
    Organisation,
    Person,
    Profession,
    Sector,
    Unit,
)


class VersionedForm(forms.ModelForm):
    """A model form that carries the version of the record it was loaded with."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def validate_unique(self) -> None:
        # The tenant is set by the service, not the form; uniqueness is checked there.
        pass


class OrganisationForm(VersionedForm):
    area: forms.ModelChoiceField[Area] = forms.ModelChoiceField(
        queryset=Area.objects.none(), required=False, label=_("located in")
    )
    sectors: forms.ModelMultipleChoiceField[Sector] = forms.ModelMultipleChoiceField(
        queryset=Sector.objects.none(),
        required=False,
        label=_("sectors"),
        widget=forms.CheckboxSelectMultiple,
    )
    areas_served: forms.ModelMultipleChoiceField[Area] = forms.ModelMultipleChoiceField(
        queryset=Area.objects.none(),
        required=False,
        label=_("areas served"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [
            "name",
            "legal_form",
            "sectors",
            "street",
            "postcode",
            "city",
            "area",
            "areas_served",
            "latitude",
            "longitude",
            "phone",
            "email",
            "website",
            "notes",
        ]
        help_texts = {
            "latitude": _("Leave both empty to find the position from the address or the area."),
        }
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, coordinator: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not coordinator:
            # The notes are the coordination's; a partner editing their own record never sees them.
            del self.fields["notes"]
        areas = Area.objects.order_by("name")
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["areas_served"].queryset = areas  # type: ignore[attr-defined]
        self.fields["sectors"].queryset = Sector.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["latitude"].widget.attrs["step"] = "any"
        self.fields["longitude"].widget.attrs["step"] = "any"
        self.fields["postcode"].widget.attrs.update(inputmode="numeric", autocomplete="postal-code")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        return cleaned


class PersonForm(VersionedForm):
    profession: forms.ModelChoiceField[Profession] = forms.ModelChoiceField(
        queryset=Profession.objects.none(), required=False, label=_("profession")
    )

    class Meta:
        model = Person
        fields = [
            "title",
            "first_name",
            "last_name",
            "profession",
            "functions",
            "phone",
            "mobile",
            "email",
            "notes",
            "purpose",
            "legal_basis",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, coordinator: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not coordinator:
            # Purpose and legal basis are the coordination's to decide; the notes are theirs.
            for name in ("notes", "purpose", "legal_basis"):
                del self.fields[name]
        self.fields["profession"].queryset = Profession.objects.order_by("name")  # type: ignore[attr-defined]


class UnitForm(VersionedForm):
    parent: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(
        queryset=Unit.objects.none(), required=False, label=_("part of")
    )

    class Meta:
        model = Unit
        fields = ["name", "kind", "parent", "phone", "email"]

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = Unit.objects.filter(organisation=organisation).order_by("name")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]


class AffiliationForm(forms.ModelForm[Affiliation]):
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("organisation")
    )
    unit: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(
        queryset=Unit.objects.none(), required=False, label=_("unit")
    )

    class Meta:
        model = Affiliation
        fields = ["organisation", "unit", "position", "start", "end"]
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["unit"].queryset = Unit.objects.select_related("organisation").order_by(  # type: ignore[attr-defined]
            "organisation__name", "name"
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        unit, organisation = cleaned.get("unit"), cleaned.get("organisation")
        if (
            unit is not None
            and organisation is not None
            and unit.organisation_id != organisation.pk
        ):
            self.add_error("unit", _("The unit belongs to another organisation."))
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end lies before the start."))
        return cleaned

    def validate_unique(self) -> None:
        pass

    def _post_clean(self) -> None:
        # The person and tenant are set by the service; model validation would miss them.
        pass


class ConsentForm(forms.ModelForm[Consent]):
    class Meta:
        model = Consent
        fields = ["given_on", "method", "scope"]
        widgets = {"given_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def _post_clean(self) -> None:
        pass


SORT_CHOICES = [
    ("name", _("Name")),
    ("town", _("Town")),
    ("changed", _("Last changed")),
]

LAST_CONTACT_SORT_CHOICES = [
    ("last_contact", _("Last contact, longest ago first")),
    ("-last_contact", _("Last contact, most recent first")),
]


class ListFilterForm(forms.Form):
    """Search, filters and sort of the organisation and person lists."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    sector: forms.ModelChoiceField[Sector] = forms.ModelChoiceField(
        queryset=Sector.objects.none(), required=False, label=_("Sector"), empty_label=_("all")
    )
    profession: forms.ModelChoiceField[Profession] = forms.ModelChoiceField(
        queryset=Profession.objects.none(),
        required=False,
        label=_("Profession"),
        empty_label=_("all"),
    )
    area: forms.ModelChoiceField[Area] = forms.ModelChoiceField(
        queryset=Area.objects.none(),
        required=False,
        label=_("Area"),
        to_field_name="uuid",
        empty_label=_("all"),
    )
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    def __init__(
        self, *args: Any, show_contacts: bool = True, search_notes: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.search_notes = search_notes
        self.fields["sector"].queryset = Sector.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["profession"].queryset = Profession.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["area"].queryset = Area.objects.order_by("name")  # type: ignore[attr-defined]
        self.show_contacts = show_contacts and selectors.contacts_installed()
        if self.show_contacts:
            # Only with the outreach app, and not for network partners: the last contact.
            from knotenpunkt.outreach.selectors import LAST_CONTACT_CHOICES

            self.fields["last_contact"] = forms.ChoiceField(
                label=_("Last contact"), choices=LAST_CONTACT_CHOICES, required=False
            )
            self.fields["sort"].choices = [*SORT_CHOICES, *LAST_CONTACT_SORT_CHOICES]  # type: ignore[attr-defined]
        body = selectors.body_model()
        if body is not None:
            # Only when the bodies app is installed: filter by membership of a body.
            self.fields["body"] = forms.ModelChoiceField(
                queryset=body.objects.order_by("name"),  # type: ignore[attr-defined]
                required=False,
                label=_("Body"),
                to_field_name="uuid",
                empty_label=_("all"),
            )
        self.order_fields(["q", "sector", "profession", "area", "body", "last_contact", "sort"])

    def filters(self) -> selectors.ListFilter:
        if not self.is_valid():
            return selectors.ListFilter(with_last_contact=self.show_contacts)
        data = self.cleaned_data
        return selectors.ListFilter(
            search=data.get("q") or "",
            sector=data.get("sector"),
            profession=data.get("profession"),
            area=data.get("area"),
            body=data.get("body"),
            last_contact=data.get("last_contact") or "",
            with_last_contact=self.show_contacts,
            search_notes=self.search_notes,
            sort=data.get("sort") or "name",
        )


class SavedFilterForm(forms.Form):
    name = forms.CharField(label=_("Name of the filter"), max_length=100)
    list_name = forms.ChoiceField(
        choices=[("organisations", "organisations"), ("people", "people")],
        widget=forms.HiddenInput,
    )
    query = forms.CharField(max_length=1000, required=False, widget=forms.HiddenInput)


class SectorForm(forms.ModelForm[Sector]):
    class Meta:
        model = Sector
        fields = ["name", "code"]

    def validate_unique(self) -> None:
        pass


class ProfessionForm(forms.ModelForm[Profession]):
    sector: forms.ModelChoiceField[Sector] = forms.ModelChoiceField(
        queryset=Sector.objects.none(), required=False, label=_("usual sector")
    )

    class Meta:
        model = Profession
        fields = ["name", "sector"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.order_by("name")  # type: ignore[attr-defined]

    def validate_unique(self) -> None:
        pass
