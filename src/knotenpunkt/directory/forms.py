"""Forms of the directory: the offer editor, filters, review, settings and the public report.

The offer editor (:class:`ServiceEditor`) is one HTML form in parts: the main fields with
topics, life phases and languages; the locations (a formset with address, place and phones);
weekly opening hours (a formset); and one group of fields per translation language. It turns
what was typed into an editable snapshot (:mod:`knotenpunkt.directory.revisions`), which the
services apply (coordinators) or store as a proposal (partners).

Choices of tenant-owned objects are declared with empty querysets and filled in ``__init__``,
inside the request's tenant scope.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from knotenpunkt.core.models import Area, LifePhase
from knotenpunkt.directory import freshness as fresh
from knotenpunkt.directory import revisions
from knotenpunkt.directory.models import (
    PREGNANCY_START_MONTHS,
    DirectorySettings,
    ErrorReport,
    Service,
    ServiceTranslation,
    TaxonomyTerm,
)
from knotenpunkt.directory.services import ERROR_REPORT_MAX_LENGTH, ERROR_REPORT_MIN_LENGTH
from knotenpunkt.partners.models import Organisation, Person

TEXTAREA = forms.Textarea(attrs={"rows": 4})

FRESHNESS_LABELS: dict[str, Any] = {
    fresh.FRESH: _("fresh"),
    fresh.DUE: _("due for verification"),
    fresh.OVERDUE: _("overdue"),
    fresh.HIDDEN: _("hidden from the public"),
}


def _service_field(name: str, **kwargs: Any) -> forms.Field:
    field = Service._meta.get_field(name).formfield(**kwargs)  # type: ignore[union-attr]
    if field is None:  # pragma: no cover - every field named here has a form field
        raise LookupError(name)
    return field


class ServiceForm(forms.Form):
    """The offer's own fields, topics, life phases, languages, phone and contact."""

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation] | None = None,
        people: QuerySet[Person] | None = None,
        with_version: bool = False,
        with_comment: bool = False,
        extra_languages: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if with_version:
            self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
        if organisations is not None:
            self.fields["organisation"] = forms.ModelChoiceField(
                queryset=organisations,
                to_field_name="uuid",
                label=_("Provider"),
                empty_label=None if organisations.count() == 1 else "---------",
            )
        for name in revisions.SCALAR_FIELDS:
            if name == "url":
                continue
            options: dict[str, Any] = {}
            if name in TEXT_AREAS:
                options["widget"] = TEXTAREA
            if name in revisions.INT_FIELDS:
                options["min_value"] = PREGNANCY_START_MONTHS
            self.fields[name] = _service_field(name, **options)
        self.fields["url"] = forms.URLField(
            label=_("Web page"), required=False, assume_scheme="https", max_length=500
        )
        self.order_fields(["version", "organisation", *revisions.SCALAR_FIELDS])
        self.fields["topics"] = forms.ModelMultipleChoiceField(
            queryset=TaxonomyTerm.objects.filter(taxonomy__is_topics=True).order_by(
                "position", "name"
            ),
            to_field_name="uuid",
            required=False,
            label=_("Topics"),
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["life_phases"] = forms.ModelMultipleChoiceField(
            queryset=LifePhase.objects.order_by("position"),
            to_field_name="code",
            required=False,
            label=_("Life phases"),
            widget=forms.CheckboxSelectMultiple,
        )
        language_choices = list(revisions.OFFER_LANGUAGES)
        known = {code for code, _label in language_choices}
        language_choices += [(code, code) for code in extra_languages or [] if code not in known]
        self.fields["languages"] = forms.MultipleChoiceField(
            choices=language_choices,
            required=False,
            label=_("Languages offered"),
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["phone"] = forms.CharField(label=_("Phone"), required=False, max_length=50)
        self.fields["contact_name"] = forms.CharField(
            label=_("Contact person or office"), required=False, max_length=200
        )
        self.fields["contact_email"] = forms.EmailField(label=_("Contact e-mail"), required=False)
        if people is None:
            people = Person.objects.filter(erased_at__isnull=True)
        self.fields["responsible"] = forms.ModelChoiceField(
            queryset=people.order_by("last_name", "first_name"),
            to_field_name="uuid",
            required=False,
            label=_("Responsible contact"),
            help_text=_("Receives the reminders to verify this offer."),
        )
        self.fields["min_age_months"].widget.attrs.update(min=-9, inputmode="numeric")
        self.fields["max_age_months"].widget.attrs.update(min=-9, inputmode="numeric")
        if with_comment:
            self.fields["comment"] = forms.CharField(
                label=_("Note for the coordination"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=2000,
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        low, high = cleaned.get("min_age_months"), cleaned.get("max_age_months")
        if low is not None and high is not None and high < low:
            self.add_error("max_age_months", _("The upper age lies below the lower age."))
        return cleaned


TEXT_AREAS = frozenset(
    {
        "description",
        "application_process",
        "eligibility_description",
        "fees_description",
    }
)
#: Where each part of the main form is shown (fieldsets of the template).
MAIN_GROUPS: list[tuple[Any, list[str]]] = [
    (
        _("The offer"),
        [
            "organisation",
            "name",
            "alternate_name",
            "description",
            "application_process",
            "eligibility_description",
            "status",
            "visibility",
        ],
    ),
    (
        _("For whom"),
        ["min_age_months", "max_age_months", "life_phases", "topics", "languages"],
    ),
    (_("Costs"), ["cost_type", "fees_description"]),
    (
        _("Contact"),
        ["phone", "email", "url", "contact_name", "contact_email", "responsible"],
    ),
]


class LocationForm(forms.Form):
    """A location of the offer: name, address, place, confidentiality, access, phones."""

    uuid = forms.CharField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Name of the location"), required=False, max_length=250)
    address_1 = forms.CharField(label=_("Street and number"), required=False, max_length=250)
    address_2 = forms.CharField(label=_("Address addition"), required=False, max_length=250)
    postal_code = forms.CharField(label=_("Postcode"), required=False, max_length=20)
    city = forms.CharField(label=_("Town"), required=False, max_length=120)
    state_province = forms.CharField(
        label=_("Federal state"),
        required=False,
        max_length=120,
        help_text=_("Leave empty to keep the usual federal state of this directory."),
    )
    area: forms.ModelChoiceField[Area] = forms.ModelChoiceField(
        queryset=Area.objects.none(), required=False, label=_("Place"), to_field_name="uuid"
    )
    confidential = forms.BooleanField(
        label=_("Confidential address"),
        required=False,
        help_text=_("The address is never published (e.g. a women's shelter); only a contact."),
    )
    barrier_free = forms.BooleanField(label=_("Step-free access"), required=False)
    phones = forms.CharField(
        label=_("Phone numbers at this location"),
        required=False,
        max_length=300,
        help_text=_("Separate several numbers with commas."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["postal_code"].widget.attrs.update(
            inputmode="numeric", autocomplete="postal-code"
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        address = [cleaned.get(name) for name in ("address_1", "postal_code", "city")]
        if any(address) and not all(address):
            raise ValidationError(_("Give street, postcode and town of the address, or none."))
        if not (cleaned.get("name") or any(address) or cleaned.get("area")) and (
            cleaned.get("phones") or cleaned.get("confidential") or cleaned.get("barrier_free")
        ):
            raise ValidationError(_("Give the location a name, an address or a place."))
        return cleaned

    def entry(self) -> dict[str, Any]:
        data = self.cleaned_data
        area = data.get("area")
        return {
            "uuid": data.get("uuid") or None,
            **{name: data.get(name, "") for name in ("name", *revisions.ADDRESS_FIELDS)},
            "area": str(area.uuid) if area else None,
            "confidential": bool(data.get("confidential")),
            "barrier_free": bool(data.get("barrier_free")),
            "phones": [part.strip() for part in (data.get("phones") or "").split(",")],
        }


class ScheduleForm(forms.Form):
    """A row of weekly opening hours."""

    weekday = forms.ChoiceField(
        label=_("Weekday"), choices=[("", "---------"), *revisions.WEEKDAYS], required=False
    )
    opens = forms.TimeField(
        label=_("Opens at"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    closes = forms.TimeField(
        label=_("Closes at"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    description = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=300,
        help_text=_("For example “by appointment” or “every first Monday of the month”."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        opens, closes = cleaned.get("opens"), cleaned.get("closes")
        if opens and closes and closes <= opens:
            self.add_error("closes", _("The closing time lies before the opening time."))
        if (opens or closes) and not cleaned.get("weekday"):
            self.add_error("weekday", _("Choose the weekday of these hours."))
        return cleaned


LocationFormSet = forms.formset_factory(LocationForm, extra=1, can_delete=True, max_num=50)
ScheduleFormSet = forms.formset_factory(ScheduleForm, extra=2, can_delete=True, max_num=50)


class TranslationForm(forms.Form):
    """The offer's texts in one other language."""

    def __init__(self, *args: Any, language: str, language_label: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.language = language
        self.language_label = language_label
        for name in revisions.TEXT_FIELDS_TRANSLATED:
            model_field = ServiceTranslation._meta.get_field(name)
            widget = (
                forms.Textarea(attrs={"rows": 3})
                if name in TEXT_AREAS or name == "description"
                else forms.TextInput
            )
            field = forms.CharField(
                label=capfirst(getattr(model_field, "verbose_name", name)),
                required=False,
                widget=widget,
                max_length=getattr(model_field, "max_length", None),
            )
            # Screen readers and spell checkers need to know the language of the text typed.
            field.widget.attrs.update(lang=language, dir="auto")
            self.fields[name] = field


def _location_initial(entry: Mapping[str, Any]) -> dict[str, Any]:
    return {
        **{key: value for key, value in entry.items() if key != "phones"},
        "phones": ", ".join(entry.get("phones") or []),
    }


def _schedule_initial(entry: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "weekday": entry.get("weekday", ""),
        "opens": entry.get("opens") or None,
        "closes": entry.get("closes") or None,
        "description": entry.get("description", ""),
    }


class ServiceEditor:
    """The whole offer form: main fields, locations, opening hours and translations.

    ``snapshot`` fills an unbound editor; ``data`` (request.POST) binds it. :meth:`snapshot`
    gives what was typed as an editable snapshot.
    """

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        snapshot: Mapping[str, Any],
        organisations: QuerySet[Organisation] | None = None,
        organisation: Organisation | None = None,
        people: QuerySet[Person] | None = None,
        version: int | None = None,
        with_comment: bool = False,
    ) -> None:
        """``organisations`` offers a choice of provider (``organisation`` preselects one);
        ``people`` limits the responsible contact (default: every person of the tenant)."""
        snapshot = revisions.normalise(snapshot)
        initial: dict[str, Any] = {
            name: snapshot[name] for name in (*revisions.SCALAR_FIELDS, *revisions.CONTACT_FIELDS)
        }
        initial.update(
            topics=snapshot["topics"],
            life_phases=snapshot["life_phases"],
            languages=snapshot["languages"],
            responsible=snapshot["responsible"],
        )
        if version is not None:
            initial["version"] = version
        if organisation is not None:
            initial["organisation"] = organisation.uuid
        self.main = ServiceForm(
            data,
            initial=initial,
            organisations=organisations,
            people=people,
            with_version=version is not None,
            with_comment=with_comment,
            extra_languages=snapshot["languages"],
        )
        self.locations = LocationFormSet(
            data,
            initial=[_location_initial(entry) for entry in snapshot["locations"]],
            prefix="locations",
        )
        self.schedules = ScheduleFormSet(
            data,
            initial=[_schedule_initial(entry) for entry in snapshot["schedules"]],
            prefix="hours",
        )
        self.translations = [
            TranslationForm(
                data,
                prefix=f"translation-{code}",
                initial=snapshot["translations"].get(code, {}),
                language=code,
                language_label=label,
            )
            for code, label in revisions.TRANSLATION_LANGUAGES
        ]

    @property
    def is_bound(self) -> bool:
        return self.main.is_bound

    def groups(self) -> list[tuple[Any, list[forms.BoundField]]]:
        """The main form's visible fields by fieldset, for the template."""
        result = []
        for legend, names in MAIN_GROUPS:
            fields = [self.main[name] for name in names if name in self.main.fields]
            if fields:
                result.append((legend, fields))
        return result

    def is_valid(self) -> bool:
        # Every part is validated, so that all errors show at once.
        results = [
            self.main.is_valid(),
            self.locations.is_valid(),
            self.schedules.is_valid(),
            *(form.is_valid() for form in self.translations),
        ]
        return all(results)

    @property
    def version(self) -> int | None:
        value = self.main.cleaned_data.get("version")
        return int(value) if value is not None else None

    @property
    def organisation(self) -> Organisation | None:
        return self.main.cleaned_data.get("organisation")

    @property
    def comment(self) -> str:
        return str(self.main.cleaned_data.get("comment") or "")

    def snapshot(self) -> dict[str, Any]:
        """What was typed, as an editable snapshot (call after :meth:`is_valid`)."""
        data = self.main.cleaned_data
        responsible = data.get("responsible")
        result: dict[str, Any] = {
            name: data.get(name) for name in (*revisions.SCALAR_FIELDS, *revisions.CONTACT_FIELDS)
        }
        result.update(
            topics=[str(term.uuid) for term in data.get("topics") or []],
            life_phases=[phase.code for phase in data.get("life_phases") or []],
            languages=list(data.get("languages") or []),
            responsible=str(responsible.uuid) if responsible else None,
            locations=[
                form.entry()
                for form in self.locations.forms
                if form.cleaned_data
                and not form.cleaned_data.get("DELETE")
                and any(
                    form.cleaned_data.get(name)
                    for name in ("name", "address_1", "city", "area", "phones")
                )
            ],
            schedules=[
                form.cleaned_data
                for form in self.schedules.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE")
            ],
            translations={form.language: form.cleaned_data for form in self.translations},
        )
        return revisions.normalise(result)

    def add_error(self, error: ValidationError) -> None:
        """Shows a refusal of the service above the form."""
        self.main.add_error(None, ValidationError(error.messages))

    def rebase(self, version: int) -> None:
        """Lets the user save again knowingly: the form now carries the current version."""
        data = self.main.data.copy()  # type: ignore[attr-defined]  # a QueryDict from a request
        data["version"] = str(version)
        self.main.data = data


# --- Lists, review, settings ------------------------------------------------------------------


class ServiceFilterForm(forms.Form):
    """Search and filters of the offer list."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label=_("Provider"),
        to_field_name="uuid",
        empty_label=_("all"),
    )
    area: forms.ModelChoiceField[Area] = forms.ModelChoiceField(
        queryset=Area.objects.none(),
        required=False,
        label=_("Place"),
        to_field_name="uuid",
        empty_label=_("all"),
    )
    topic: forms.ModelChoiceField[TaxonomyTerm] = forms.ModelChoiceField(
        queryset=TaxonomyTerm.objects.none(),
        required=False,
        label=_("Topic"),
        to_field_name="uuid",
        empty_label=_("all"),
    )
    life_phase: forms.ModelChoiceField[LifePhase] = forms.ModelChoiceField(
        queryset=LifePhase.objects.none(),
        required=False,
        label=_("Life phase"),
        to_field_name="code",
        empty_label=_("all"),
    )
    freshness = forms.ChoiceField(
        label=_("Freshness"),
        required=False,
        choices=[("", _("all")), *FRESHNESS_LABELS.items()],
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("all")), *Service.Status.choices]
    )
    visibility = forms.ChoiceField(
        label=_("Visible to"),
        required=False,
        choices=[("", _("all")), *Service.Visibility.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        providers = Organisation.objects.filter(services__isnull=False).distinct()
        self.fields["organisation"].queryset = providers.order_by("name")  # type: ignore[attr-defined]
        self.fields["area"].queryset = Area.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["topic"].queryset = TaxonomyTerm.objects.filter(  # type: ignore[attr-defined]
            taxonomy__is_topics=True
        ).order_by("position", "name")
        self.fields["life_phase"].queryset = LifePhase.objects.order_by("position")  # type: ignore[attr-defined]

    def filters(self) -> Any:
        from knotenpunkt.directory.selectors import ServiceFilter

        if not self.is_valid():
            return ServiceFilter()
        data = self.cleaned_data
        return ServiceFilter(
            search=data.get("q") or "",
            organisation=data.get("organisation"),
            area=data.get("area"),
            topic=data.get("topic"),
            life_phase=data.get("life_phase"),
            freshness=data.get("freshness") or "",
            status=data.get("status") or "",
            visibility=data.get("visibility") or "",
        )


class ReviewForm(forms.Form):
    """Approve or reject a proposal, with a note and the parts to apply."""

    note = forms.CharField(
        label=_("Note to the partner"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    keys = forms.MultipleChoiceField(
        choices=[(key, key) for key in revisions.KEYS],
        required=False,
        widget=forms.MultipleHiddenInput,
    )


class DirectorySettingsForm(forms.ModelForm[DirectorySettings]):
    class Meta:
        model = DirectorySettings
        fields = ["verify_interval_months", "hide_after_months", "publisher_email"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        interval, hide = cleaned.get("verify_interval_months"), cleaned.get("hide_after_months")
        if interval is not None and hide is not None and hide <= interval:
            self.add_error(
                "hide_after_months",
                _("Offers can only be hidden after the reminder: choose more months for hiding."),
            )
        return cleaned

    def _post_clean(self) -> None:
        # The service validates and saves; the tenant is not part of the form.
        pass


class ErrorReportResolveForm(forms.Form):
    status = forms.ChoiceField(choices=ErrorReport.Status.choices)


class ErrorReportForm(forms.Form):
    """The public's "report an error" form. ``website`` is a honeypot for bots."""

    message = forms.CharField(
        label=_("What is wrong or out of date?"),
        min_length=ERROR_REPORT_MIN_LENGTH,
        max_length=ERROR_REPORT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Please do not write any names, phone numbers or other personal details. "
            "We do not answer reports; the coordination office checks the offer."
        ),
    )
    website = forms.CharField(
        label=_("Please leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
