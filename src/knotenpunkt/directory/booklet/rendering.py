"""The printed guide as HTML and as a PDF booklet (WeasyPrint; nothing from the network).

The layout lives in ``static/directory/booklet.css`` (A5, running heads, the edition and date
in the footer of every page, page numbers on the outer edge). Only the tenant's brand colour
comes from data; it is checked to be a hex colour before it goes into the style sheet.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from weasyprint import CSS, HTML

from knotenpunkt.directory.booklet.content import Booklet
from knotenpunkt.directory.booklet.qr import qr_svg
from knotenpunkt.meetings.rendering import LocalOnlyFetcher

STYLESHEET = "directory/booklet.css"
#: Languages written from right to left.
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur"})
_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_COLOUR = "#1d5c8f"

Progress = Callable[[int], None]


@dataclass(frozen=True)
class RenderedBooklet:
    pdf: bytes
    page_count: int


def brand_css(colour: str) -> str:
    """The few rules that carry the tenant's brand colour."""
    colour = colour if _HEX_COLOUR.match(colour or "") else DEFAULT_COLOUR
    return (
        f".cover-band, .chapter-title {{ background: {colour}; }}\n"
        f"h3.topic, .contents a.chapter-link, .back h2 {{ color: {colour}; }}\n"
        f"h3.topic {{ border-bottom-color: {colour}; }}\n"
        f".offer h4 {{ border-left-color: {colour}; }}\n"
    )


def booklet_html(booklet: Booklet) -> str:
    """The booklet as one HTML document (QR codes inline), in the booklet's language."""
    with translation.override(booklet.language):
        context: dict[str, Any] = {
            "booklet": booklet,
            "rtl": booklet.language in RTL_LANGUAGES,
            "chapters": [
                {
                    "section": section,
                    "groups": [
                        {
                            "group": group,
                            "entries": [
                                (offer, mark_safe(qr_svg(offer.online_url)))  # noqa: S308
                                for offer in group.offers
                            ],
                        }
                        for group in section.groups
                    ],
                }
                for section in booklet.sections
            ],
            "guide_qr": mark_safe(qr_svg(booklet.guide_url)),  # noqa: S308
        }
        return render_to_string("directory/booklet/booklet.html", context)


def _stylesheets(booklet: Booklet) -> list[CSS]:
    path = finders.find(STYLESHEET)
    if not isinstance(path, str):
        raise FileNotFoundError(STYLESHEET)
    return [CSS(filename=path), CSS(string=brand_css(booklet.brand_colour))]


def booklet_pdf(booklet: Booklet, *, progress: Progress | None = None) -> RenderedBooklet:
    """The booklet as a PDF and its number of pages. ``progress`` hears 40, 85 and 95 (%)."""
    html = booklet_html(booklet)
    if progress:
        progress(40)
    document = HTML(string=html, base_url="file:///", url_fetcher=LocalOnlyFetcher()).render(
        stylesheets=_stylesheets(booklet)
    )
    if progress:
        progress(85)
    pdf = document.write_pdf() or b""
    if progress:
        progress(95)
    return RenderedBooklet(pdf=bytes(pdf), page_count=len(document.pages))
