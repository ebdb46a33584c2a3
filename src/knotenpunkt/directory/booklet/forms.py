"""The form for a new edition of the printed guide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from knotenpunkt.core.models import Area, LifePhase
from knotenpunkt.directory.models import GUIDE_LANGUAGES


class EditionForm(forms.Form):
    name = forms.CharField(
        label=_("Edition"),
        max_length=100,
        help_text=_("Printed on every page, for example 2026/1. Welcome visits refer to it."),
    )
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Area.objects.none(),
        help_text=_(
            "The guide lists the offers in this area and the places inside it, and those "
            "whose catchment area covers it."
        ),
    )
    life_phase = forms.ModelChoiceField(
        label=_("Life phase"),
        queryset=LifePhase.objects.none(),
        required=False,
        empty_label=_("All life phases"),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=GUIDE_LANGUAGES,
        initial="de",
        help_text=_("Offers not translated into this language are printed in German."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("name", f"{timezone.localdate().year}/1")
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["life_phase"].queryset = LifePhase.objects.order_by("position")  # type: ignore[attr-defined]
