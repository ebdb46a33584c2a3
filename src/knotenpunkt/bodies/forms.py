"""Forms for bodies, relations, memberships, programmes, goals and kinds of body.

Every choice of a tenant-owned object is declared with an empty queryset and filled in
``__init__`` inside the request's tenant scope, so that no choice of another tenant is offered
or accepted.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from knotenpunkt.bodies.models import Body, BodyKind, BodyRelation, Goal, Membership, Programme
from knotenpunkt.core.models import Area, LifePhase, LocalAuthority
from knotenpunkt.partners.models import Organisation, Person


class BodyKindForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)


class BodyForm(forms.ModelForm[Body]):
    """A body; ``version`` carries the version the form was read at (optimistic locking)."""

    kind: forms.ModelChoiceField[BodyKind] = forms.ModelChoiceField(
        queryset=BodyKind.objects.none(), label=_("kind")
    )
    parent: forms.ModelChoiceField[Body] = forms.ModelChoiceField(
        queryset=Body.objects.none(), required=False, label=_("part of")
    )
    life_phases: forms.ModelMultipleChoiceField[LifePhase] = forms.ModelMultipleChoiceField(
        queryset=LifePhase.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("target life phases"),
    )
    areas: forms.ModelMultipleChoiceField[Area] = forms.ModelMultipleChoiceField(
        queryset=Area.objects.none(), required=False, label=_("areas")
    )
    partner_authorities: forms.ModelMultipleChoiceField[LocalAuthority] = (
        forms.ModelMultipleChoiceField(
            queryset=LocalAuthority.objects.none(),
            required=False,
            label=_("other local authorities taking part"),
            help_text=_(
                "For bodies across several counties or cities, e.g. an inter-municipal group."
            ),
        )
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Body
        fields = [
            "name",
            "kind",
            "level",
            "parent",
            "description",
            "life_phases",
            "areas",
            "partner_authorities",
            "meeting_rhythm",
            "rhythm_weeks",
        ]

    def __init__(self, *args: Any, tenant: LocalAuthority, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = BodyKind.objects.order_by("name")  # type: ignore[attr-defined]
        parents = Body.objects.order_by("name")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
            self.fields["version"].initial = self.instance.version
            # An edit must say which version it was read at; without it nothing is saved.
            self.fields["version"].required = True
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
        self.fields["life_phases"].queryset = LifePhase.objects.order_by("position")  # type: ignore[attr-defined]
        self.fields["life_phases"].label_from_instance = lambda phase: phase.label  # type: ignore[attr-defined]
        self.fields["areas"].queryset = Area.objects.order_by("name")  # type: ignore[attr-defined]
        # Tenant names are public (each has a public family guide); synthetic ones are noise.
        self.fields["partner_authorities"].queryset = (  # type: ignore[attr-defined]
            LocalAuthority.objects.exclude(pk=tenant.pk)
            .filter(is_synthetic=tenant.is_synthetic)
            .order_by("name")
        )

    def validate_unique(self) -> None:
        # The tenant is set by the service, not the form.
        pass


class RelationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Relation"), choices=BodyRelation.Kind.choices)
    target: forms.ModelChoiceField[Body] = forms.ModelChoiceField(
        queryset=Body.objects.none(), label=_("Other body")
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, body: Body, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Body.objects.exclude(pk=body.pk).order_by("name")  # type: ignore[attr-defined]


class MembershipForm(forms.Form):
    """A person or an organisation of this tenant joining a body."""

    person: forms.ModelChoiceField[Person] = forms.ModelChoiceField(
        queryset=Person.objects.none(), required=False, label=_("Person")
    )
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), required=False, label=_("or organisation")
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (  # type: ignore[attr-defined]
            Person.objects.filter(erased_at__isnull=True)
            .select_related("profession")
            .order_by("last_name", "first_name")
        )
        self.fields["person"].label_from_instance = _person_label  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        both_or_neither = bool(cleaned.get("person")) == bool(cleaned.get("organisation"))
        if both_or_neither and not self.errors:
            raise forms.ValidationError(_("Choose either a person or an organisation."))
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("A membership cannot end before it starts."))
        return cleaned


def _person_label(person: Person) -> str:
    return f"{person.full_name} ({person.profession})" if person.profession else person.full_name


class MembershipEndForm(forms.Form):
    end = forms.DateField(label=_("Ended on"), widget=forms.DateInput(attrs={"type": "date"}))


class ProgrammeForm(forms.ModelForm[Programme]):
    required_kinds: forms.ModelMultipleChoiceField[BodyKind] = forms.ModelMultipleChoiceField(
        queryset=BodyKind.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("required kinds of body"),
    )
    bodies: forms.ModelMultipleChoiceField[Body] = forms.ModelMultipleChoiceField(
        queryset=Body.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("bodies serving the programme"),
        help_text=_("One body can serve several programmes: no parallel bodies needed."),
    )

    class Meta:
        model = Programme
        fields = ["name", "funder", "start", "end", "description", "required_kinds", "bodies"]
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}),
            "end": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["required_kinds"].queryset = BodyKind.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["bodies"].queryset = Body.objects.order_by("name")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("A programme cannot end before it starts."))
        return cleaned


class GoalForm(forms.ModelForm[Goal]):
    body: forms.ModelChoiceField[Body] = forms.ModelChoiceField(
        queryset=Body.objects.none(),
        required=False,
        label=_("network or body"),
        help_text=_("Leave empty for the Leitbild and goals of the whole network."),
    )

    class Meta:
        model = Goal
        fields = ["kind", "title", "text", "body"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.order_by("name")  # type: ignore[attr-defined]
