"""The printed guide renders as a PDF booklet with the right offers, QR codes and footers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from django_scopes import scope

from knotenpunkt.core.models import LifePhase, LocalAuthority
from knotenpunkt.directory.booklet import rendering, selection
from knotenpunkt.directory.booklet.qr import qr_svg
from tests.directory import test_booklet_support as support
from tests.directory.test_booklet_support import SHELTER_STREET, Directory, pdf_pages

pytestmark = pytest.mark.django_db
# The shared fixtures, under their own names.
booklet_settings = support.booklet_settings
directory = support.directory


def _booklet(tenant: LocalAuthority, directory: Directory, **kwargs: Any) -> Any:
    with scope(local_authority=tenant):
        return selection.booklet_for(
            tenant,
            area=kwargs.pop("area", directory.town),
            life_phase=kwargs.pop("life_phase", None),
            language=kwargs.pop("language", "de"),
            edition="2026/1",
            **kwargs,
        )


def test_it_renders_a_booklet_with_the_offers_and_the_edition_on_every_page(
    tenant: LocalAuthority, directory: Directory, booklet_settings: Any, tmp_path: Path
) -> None:
    booklet = _booklet(tenant, directory)
    rendered = rendering.booklet_pdf(booklet)
    assert rendered.pdf.startswith(b"%PDF")
    assert rendered.page_count >= 2
    html = rendering.booklet_html(booklet)
    names = [
        directory.in_village.name,
        directory.county_wide.name,
        directory.shelter.name,
        directory.translated.name,
    ]
    for name in names:
        assert name in html
    pages = pdf_pages(rendered.pdf, tmp_path)
    if pages is not None:  # poppler installed: check the PDF itself
        assert len(pages) == rendered.page_count
        text = " ".join(" ".join(page.split()) for page in pages)
        for name in names:
            assert name in text
        for number, page in enumerate(pages, start=1):
            assert "2026/1" in page, f"page {number} lacks the edition"
        assert all(str(number) in pages[number - 1] for number in range(2, len(pages) + 1))


def test_it_never_prints_a_confidential_address_only_the_contact(
    tenant: LocalAuthority, directory: Directory, booklet_settings: Any, tmp_path: Path
) -> None:
    booklet = _booklet(tenant, directory)
    html = rendering.booklet_html(booklet)
    assert SHELTER_STREET not in html
    assert "Frauenhaus Notruf" in html
    assert "03901 99999" in html  # the phone is the way in
    rendered = rendering.booklet_pdf(booklet)
    pages = pdf_pages(rendered.pdf, tmp_path)
    if pages is not None:
        text = " ".join(pages)
        assert SHELTER_STREET not in text
        assert "99999" in text


def test_each_offer_has_a_qr_code_that_opens_it_in_the_online_guide(
    tenant: LocalAuthority, directory: Directory, booklet_settings: Any
) -> None:
    booklet = _booklet(tenant, directory)
    offer = next(o for o in booklet.index if o.uuid == str(directory.in_village.uuid))
    expected = f"https://guide.example.org/g/{tenant.slug}/{directory.in_village.uuid}/"
    assert offer.online_url == expected
    html = rendering.booklet_html(booklet)
    assert qr_svg(expected) in html
    assert html.count('class="qr"') == len(booklet.index) + 2  # and the guide's, twice


def test_it_prints_other_languages_where_translated_else_german_with_a_note(
    tenant: LocalAuthority, directory: Directory, booklet_settings: Any
) -> None:
    booklet = _booklet(tenant, directory, language="en")
    by_uuid = {offer.uuid: offer for offer in booklet.index}
    translated = by_uuid[str(directory.translated.uuid)]
    assert translated.translated and translated.name.value == "Parent advice Salzwedel"
    german = by_uuid[str(directory.in_village.uuid)]
    assert not german.translated and german.name.language == "de"
    html = rendering.booklet_html(booklet)
    assert "Parent advice Salzwedel" in html
    assert "(in German)" in html
    assert '<html lang="en" dir="ltr">' in html


def test_arabic_is_printed_right_to_left(
    tenant: LocalAuthority, directory: Directory, booklet_settings: Any
) -> None:
    booklet = _booklet(tenant, directory, language="ar")
    html = rendering.booklet_html(booklet)
    assert '<html lang="ar" dir="rtl">' in html
    assert rendering.booklet_pdf(booklet).pdf.startswith(b"%PDF")


def test_a_booklet_for_one_life_phase_has_one_chapter(
    tenant: LocalAuthority, directory: Directory, booklet_settings: Any
) -> None:
    with scope(local_authority=tenant):
        phase = LifePhase.objects.get(code="age_0_1")
    booklet = _booklet(tenant, directory, life_phase=phase)
    assert [section.phase.code for section in booklet.sections] == ["age_0_1"]
    with translation.override("de"):  # the booklet speaks its own language, not the UI's
        label = str(phase.label)
    assert booklet.phase_label == label
    assert label in rendering.booklet_html(booklet)


def test_the_brand_colour_goes_into_the_style_sheet_only_as_a_colour() -> None:
    assert "#2f6b3a" in rendering.brand_css("#2f6b3a")
    hostile = rendering.brand_css("red;} body { display: none")
    assert "display" not in hostile
    assert rendering.DEFAULT_COLOUR in hostile
