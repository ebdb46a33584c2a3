"""Minutes as safe HTML (Markdown, sanitised) and as a PDF (WeasyPrint, no network)."""

from __future__ import annotations

from typing import Any

import nh3
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from weasyprint import HTML, URLFetcher

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def render_markdown(text: str) -> SafeString:
    """Markdown to HTML; raw HTML is escaped by the parser and the result sanitised by nh3."""
    html = _markdown.render(text or "")
    return mark_safe(nh3.clean(html, url_schemes={"http", "https", "mailto"}))  # noqa: S308


class LocalOnlyFetcher(URLFetcher):
    """Lets WeasyPrint read local files (fonts, images) only: nothing from the network."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(allowed_protocols=("file", "data"), **kwargs)


def minutes_pdf(context: dict[str, Any]) -> bytes:
    """The minutes page rendered as an A4 PDF."""
    html = render_to_string("meetings/minutes_pdf.html", context)
    return bytes(
        HTML(string=html, base_url="file:///", url_fetcher=LocalOnlyFetcher()).write_pdf() or b""
    )
