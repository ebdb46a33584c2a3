"""Colour checks for tenant branding: white text on the brand colour must stay readable."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

#: WCAG 2.1 AA minimum contrast for normal text.
MINIMUM_CONTRAST = 4.5


def relative_luminance(hex_colour: str) -> float:
    """The WCAG relative luminance of a colour written as ``#rrggbb``."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """The WCAG contrast ratio of two colours, from 1 (none) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def validate_brand_colour(value: str) -> None:
    """Rejects a brand colour on which white text falls below WCAG AA contrast."""
    if len(value) != 7 or not value.startswith("#"):
        return  # the format validator reports this one
    try:
        ratio = contrast_ratio(value, "#ffffff")
    except ValueError:
        return
    if ratio < MINIMUM_CONTRAST:
        raise ValidationError(
            _(
                "White text on %(colour)s has a contrast of %(ratio)s:1; at least %(minimum)s:1 "
                "is needed so that everyone can read it. Choose a darker colour."
            ),
            code="low_contrast",
            params={
                "colour": value,
                "ratio": number_format(ratio, decimal_pos=1),
                "minimum": number_format(MINIMUM_CONTRAST, decimal_pos=1),
            },
        )
