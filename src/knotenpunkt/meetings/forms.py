"""Forms for meetings, series, agenda, attendance, minutes, action items and needs.

Foreign keys to tenant-owned models are declared with an empty queryset and filled in
``__init__``, inside the request's tenant scope.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from knotenpunkt.bodies.models import Body
from knotenpunkt.core.models import Area, LifePhase
from knotenpunkt.meetings.models import (
    ActionItem,
    AgendaItem,
    Invitation,
    Meeting,
    MeetingSeries,
    Minutes,
    Need,
)
from knotenpunkt.partners.models import Person


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _bodies() -> Any:
    return Body.objects.order_by("name")


def _persons() -> Any:
    return Person.objects.filter(erased_at__isnull=True).order_by("last_name", "first_name")


class SeriesForm(forms.ModelForm[MeetingSeries]):
    video_url = forms.URLField(
        assume_scheme="https", required=False, label=_("video link"), max_length=200
    )
    body: forms.ModelChoiceField[Body] = forms.ModelChoiceField(
        queryset=Body.objects.none(), label=_("body")
    )

    class Meta:
        model = MeetingSeries
        fields = [
            "body",
            "title",
            "interval",
            "unit",
            "first_date",
            "until",
            "start_time",
            "duration_minutes",
            "place",
            "video_url",
        ]
        widgets = {"first_date": DateInput(), "until": DateInput(), "start_time": TimeInput()}
        help_texts = {
            "first_date": _("The weekday of the series is that of its first date."),
            "until": _("Without an end date, the next 12 meetings are planned."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = _bodies()  # type: ignore[attr-defined]

    def validate_unique(self) -> None:
        # The tenant is set by the service.
        pass


class MeetingForm(forms.ModelForm[Meeting]):
    video_url = forms.URLField(
        assume_scheme="https", required=False, label=_("video link"), max_length=200
    )
    body: forms.ModelChoiceField[Body] = forms.ModelChoiceField(
        queryset=Body.objects.none(), label=_("body")
    )

    class Meta:
        model = Meeting
        fields = ["body", "title", "start", "end", "place", "video_url"]
        widgets = {"start": DateTimeInput(), "end": DateTimeInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A meeting stays with its body: its invitations went to that body's members.
            del self.fields["body"]
        else:
            self.fields["body"].queryset = _bodies()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end <= start:
            self.add_error("end", _("A meeting must end after it starts."))
        return cleaned

    def _post_clean(self) -> None:
        # The service validates the model (with its tenant); the form checks its fields only.
        pass


class AgendaItemForm(forms.ModelForm[AgendaItem]):
    owner: forms.ModelChoiceField[Person] = forms.ModelChoiceField(
        queryset=Person.objects.none(), required=False, label=_("presented by")
    )

    class Meta:
        model = AgendaItem
        fields = ["title", "owner"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _persons()  # type: ignore[attr-defined]

    def _post_clean(self) -> None:
        pass


class AttendanceForm(forms.Form):
    present: forms.ModelMultipleChoiceField[Person] = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("present"),
    )

    def __init__(self, *args: Any, candidates: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["present"]
        field.queryset = Person.objects.filter(  # type: ignore[attr-defined]
            pk__in=[person.pk for person in candidates]
        ).order_by("last_name", "first_name")


class MinutesForm(forms.ModelForm[Minutes]):
    class Meta:
        model = Minutes
        fields = ["text", "decisions"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 14}),
            "decisions": forms.Textarea(attrs={"rows": 6}),
        }

    def _post_clean(self) -> None:
        pass


class ActionItemForm(forms.ModelForm[ActionItem]):
    owner: forms.ModelChoiceField[Person] = forms.ModelChoiceField(
        queryset=Person.objects.none(), required=False, label=_("owner")
    )
    meeting: forms.ModelChoiceField[Meeting] = forms.ModelChoiceField(
        queryset=Meeting.objects.none(), required=False, label=_("meeting")
    )
    body: forms.ModelChoiceField[Body] = forms.ModelChoiceField(
        queryset=Body.objects.none(), required=False, label=_("body")
    )
    area: forms.ModelChoiceField[Area] = forms.ModelChoiceField(
        queryset=Area.objects.none(), required=False, label=_("area")
    )
    need: forms.ModelChoiceField[Need] = forms.ModelChoiceField(
        queryset=Need.objects.none(), required=False, label=_("need")
    )

    class Meta:
        model = ActionItem
        fields = ["title", "owner", "due", "status", "meeting", "body", "area", "need"]
        widgets = {"due": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["owner"].queryset = _persons()
        fields["meeting"].queryset = Meeting.objects.select_related("body").order_by("-start")
        fields["body"].queryset = _bodies()
        fields["area"].queryset = Area.objects.order_by("name")
        fields["need"].queryset = Need.objects.order_by("title")

    def _post_clean(self) -> None:
        pass


class NeedForm(forms.ModelForm[Need]):
    area: forms.ModelChoiceField[Area] = forms.ModelChoiceField(
        queryset=Area.objects.none(), required=False, label=_("area")
    )

    class Meta:
        model = Need
        fields = [
            "title",
            "description",
            "area",
            "topic",
            "life_phase",
            "source",
            "evidence",
            "status",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.order_by("name")  # type: ignore[attr-defined]

    def _post_clean(self) -> None:
        pass


class NeedFilterForm(forms.Form):
    area: forms.ModelChoiceField[Area] = forms.ModelChoiceField(
        queryset=Area.objects.none(), required=False, label=_("area")
    )
    life_phase: forms.ModelChoiceField[LifePhase] = forms.ModelChoiceField(
        queryset=LifePhase.objects.all(), required=False, label=_("life phase")
    )
    status = forms.ChoiceField(
        choices=[("", _("all")), *list(Need.Status.choices)], required=False, label=_("status")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.order_by("name")  # type: ignore[attr-defined]


class ActionItemFilterForm(forms.Form):
    mine = forms.BooleanField(required=False, label=_("only mine"))
    overdue = forms.BooleanField(required=False, label=_("only overdue"))


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionItem.Status.choices, label=_("status"))


class RsvpForm(forms.Form):
    response = forms.ChoiceField(
        choices=[
            (Invitation.Response.YES, _("yes")),
            (Invitation.Response.NO, _("no")),
            (Invitation.Response.MAYBE, _("maybe")),
        ]
    )


class ReplyUploadForm(forms.Form):
    """An answer a calendar program sent to an invitation (.ics with METHOD:REPLY)."""

    MAX_BYTES = 256 * 1024

    ics = forms.FileField(
        label=_("Calendar file (.ics)"),
        help_text=_(
            "The answer that a calendar program (Outlook, Thunderbird, Apple Calendar …) sent "
            "by e-mail, saved as a file."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".ics,text/calendar"}),
    )

    def clean_ics(self) -> bytes:
        upload = self.cleaned_data["ics"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is too large for a calendar reply."))
        data: bytes = upload.read()
        return data
