"""Forms for keeping contact: recording a contact and filtering the contact list.

Organisations and persons are chosen by uuid, from querysets set in ``__init__`` inside the
request's tenant scope: another tenant's partner is simply not a valid choice.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from knotenpunkt.core.models import Area, LocalAuthority, Role, User
from knotenpunkt.outreach.models import Contact, Tour
from knotenpunkt.outreach.selectors import ContactFilter
from knotenpunkt.partners.models import Organisation, Person, Profession, Sector

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _person_label(person: Person) -> str:
    return f"{person.full_name} ({person.profession})" if person.profession else person.full_name


class UserChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.email


class ContactForm(forms.ModelForm[Contact]):
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label=_("Organisation"),
        to_field_name="uuid",
    )
    person: forms.ModelChoiceField[Person] = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label=_("Person"),
        to_field_name="uuid",
        help_text=_("Choose the organisation, the person, or both."),
    )
    who = UserChoiceField(queryset=User.objects.none(), required=False, label=_("Contact held by"))

    class Meta:
        model = Contact
        fields = [
            "organisation",
            "person",
            "kind",
            "date",
            "start_time",
            "who",
            "companions",
            "support_needed",
            "topics_of_concern",
            "expectations",
            "topic_tags",
            "follow_up_on",
            "follow_up_note",
        ]
        widgets = {
            "date": DATE_INPUT,
            "follow_up_on": DATE_INPUT,
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "support_needed": forms.Textarea(attrs={"rows": 3}),
            "topics_of_concern": forms.Textarea(attrs={"rows": 3}),
            "expectations": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, tenant: LocalAuthority, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")  # type: ignore[attr-defined]
        people = Person.objects.filter(erased_at__isnull=True)
        self.fields["person"].queryset = people.select_related("profession").order_by(  # type: ignore[attr-defined]
            "last_name", "first_name"
        )
        self.fields["person"].label_from_instance = _person_label  # type: ignore[attr-defined]
        self.fields["who"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(
                roles__local_authority=tenant, roles__kind=Role.Kind.COORDINATOR, is_active=True
            )
            .distinct()
            .order_by("full_name", "email")
        )
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not cleaned.get("organisation") and not cleaned.get("person"):
            raise forms.ValidationError(
                _("Choose the organisation or the person the contact was with.")
            )
        day, follow_up = cleaned.get("date"), cleaned.get("follow_up_on")
        if day and day > timezone.localdate():
            self.add_error("date", _("A contact cannot lie in the future. Plan it as a follow-up."))
        if day and follow_up and follow_up < day:
            self.add_error("follow_up_on", _("The follow-up cannot lie before the contact."))
        return cleaned

    def _post_clean(self) -> None:
        # The tenant is set by the service, which validates the whole contact.
        pass


class ContactFilterForm(forms.Form):
    """Filters of the tenant's contact list."""

    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("all")), *Contact.Kind.choices]
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("Until"), required=False, widget=DATE_INPUT)
    open_follow_ups = forms.BooleanField(label=_("Only open follow-ups"), required=False)
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        to_field_name="uuid",
        widget=forms.HiddenInput,
    )
    person: forms.ModelChoiceField[Person] = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        to_field_name="uuid",
        widget=forms.HiddenInput,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.all()  # type: ignore[attr-defined]
        self.fields["person"].queryset = Person.objects.all()  # type: ignore[attr-defined]

    def filters(self) -> ContactFilter:
        if not self.is_bound or not self.is_valid():
            return ContactFilter()
        data = self.cleaned_data
        return ContactFilter(
            kind=data.get("kind") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            open_follow_ups=bool(data.get("open_follow_ups")),
            organisation=data.get("organisation"),
            person=data.get("person"),
        )


TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class CareFilterForm(forms.Form):
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("organisations", _("organisations")), ("people", _("people"))],
        help_text=_("People are always grouped by profession."),
    )
    group_by = forms.ChoiceField(
        label=_("Group organisations by"),
        required=False,
        choices=[("sector", _("sector")), ("profession", _("profession")), ("area", _("area"))],
    )

    def group(self) -> str:
        if self.is_valid() and self.cleaned_data["group_by"]:
            return str(self.cleaned_data["group_by"])
        return "sector"

    def people(self) -> bool:
        """Whether to show people rather than organisations."""
        return self.is_valid() and self.cleaned_data["show"] == "people"


class ContactIntervalForm(forms.Form):
    """Sets the interval of one sector or one profession; no months removes it."""

    sector: forms.ModelChoiceField[Sector] = forms.ModelChoiceField(
        queryset=Sector.objects.none(), required=False, label=_("Sector")
    )
    profession: forms.ModelChoiceField[Profession] = forms.ModelChoiceField(
        queryset=Profession.objects.none(),
        required=False,
        label=_("Profession"),
    )
    months = forms.IntegerField(
        label=_("Months without contact"),
        required=False,
        min_value=1,
        max_value=120,
        help_text=_("Leave empty to go back to the default of six months."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["profession"].queryset = Profession.objects.order_by("name")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("sector")) == bool(data.get("profession")):
            raise forms.ValidationError(_("Choose either a sector or a profession."))
        return data


class TourForm(forms.ModelForm[Tour]):
    class Meta:
        model = Tour
        fields = ["date", "day_start", "day_end", "start_label"]
        widgets = {"date": DATE_INPUT, "day_start": TIME_INPUT, "day_end": TIME_INPUT}


class StopForm(forms.Form):
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation"), to_field_name="uuid"
    )
    service_minutes = forms.IntegerField(
        label=_("Visit length (minutes)"), min_value=5, max_value=480, initial=45
    )
    opens = forms.TimeField(label=_("Open from"), required=False, widget=TIME_INPUT)
    closes = forms.TimeField(label=_("Open until"), required=False, widget=TIME_INPUT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        return _clean_hours(self, super().clean() or {})


def _clean_hours(form: forms.Form, cleaned: dict[str, Any]) -> dict[str, Any]:
    opens, closes = cleaned.get("opens"), cleaned.get("closes")
    if opens and closes and closes <= opens:
        form.add_error("closes", _("The opening hours must end after they begin."))
    return cleaned


class StopHoursForm(forms.Form):
    """A stop's opening hours and the length of the visit, changed after it was added."""

    service_minutes = forms.IntegerField(
        label=_("Visit length (minutes)"), min_value=5, max_value=480
    )
    opens = forms.TimeField(label=_("Open from"), required=False, widget=TIME_INPUT)
    closes = forms.TimeField(label=_("Open until"), required=False, widget=TIME_INPUT)

    def clean(self) -> dict[str, Any]:
        return _clean_hours(self, super().clean() or {})


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("up")), ("down", _("down"))])


class MonthField(forms.DateField):
    """A month as ``YYYY-MM`` (``<input type="month">``); cleaned to its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value: Any) -> datetime.date | None:
        day = super().to_python(value)
        return day.replace(day=1) if day else None


class WelcomeVisitForm(forms.Form):
    """Anonymous counts only: there is deliberately no field for names, addresses or birth dates."""

    area: forms.ModelChoiceField[Area] = forms.ModelChoiceField(
        queryset=Area.objects.none(), label=_("Area"), to_field_name="uuid"
    )
    month = MonthField(label=_("Month"))
    guide_edition = forms.CharField(
        label=_("Guide edition handed over"), max_length=100, required=False
    )
    language = forms.CharField(label=_("Language"), max_length=50, initial="Deutsch")
    count = forms.IntegerField(label=_("Number of visits"), min_value=1, max_value=1000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.order_by("name")  # type: ignore[attr-defined]
