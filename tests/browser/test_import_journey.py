"""A coordinator imports the partner sheet kept in Excel: upload, columns, preview, apply, undo.

Every step is checked with axe-core; the data changes only when the coordinator applies.
"""

from __future__ import annotations

from pathlib import Path

from django_scopes import scope
from playwright.sync_api import Page

from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.partners.models import Organisation, Person
from tests.browser.conftest import assert_accessible, log_in, open_page

SHEET = (
    "Partnerliste Frühe Hilfen – Stand März;;;;\n"
    "Träger;Vorname;Nachname;E-Mail;PLZ\n"
    "Hebammenpraxis Storchennest;Hanna;Hebamme;hanna@example.org;29410\n"
    "Kita Sonnenschein;Jürgen;Müller;j.mueller@example.org;39638\n"
    "Kita Sonnenschein;Jürgen;Müller;j.mueller@example.org;39638\n"
    "Familienzentrum Nord;Özlem;Yılmaz;keine-adresse;29410\n"
)


def _organisations(tenant: LocalAuthority) -> list[str]:
    with scope(local_authority=tenant):
        return sorted(Organisation.objects.values_list("name", flat=True))


def test_a_coordinator_imports_a_messy_sheet_and_undoes_it(
    page: Page, base_url: str, tenant: LocalAuthority, coordinator: User, tmp_path: Path
) -> None:
    sheet = tmp_path / "partner.csv"
    sheet.write_bytes(SHEET.encode("cp1252", errors="replace"))
    log_in(page, base_url, coordinator.email)

    open_page(page, f"{base_url}/t/{tenant.slug}/import/")
    assert_accessible(page)
    page.locator('main input[type="file"]').set_input_files(str(sheet))
    with page.expect_navigation(wait_until="networkidle"):
        page.locator('main form[enctype="multipart/form-data"] button[type="submit"]').click()

    # The columns: the header under the title row is found and mapped from its German names.
    assert "/mapping/" in page.url
    assert_accessible(page)
    with page.expect_navigation(wait_until="networkidle"):
        page.locator('form.mapping-form button[type="submit"]:not([name="reread"])').click()

    # The preview: new rows, the repeated row and the invalid e-mail, before anything is written.
    assert page.locator(".badge--new").count() >= 2
    assert page.locator(".badge--duplicate").count() == 1
    assert page.locator(".badge--invalid").count() == 1
    assert_accessible(page)
    assert _organisations(tenant) == []

    with page.expect_navigation(wait_until="networkidle"):
        page.locator('form[action$="/apply/"] button[type="submit"]').click()
    assert _organisations(tenant) == ["Hebammenpraxis Storchennest", "Kita Sonnenschein"]
    with scope(local_authority=tenant):
        assert Person.objects.filter(last_name="Müller").count() == 1
    assert_accessible(page)

    with page.expect_navigation(wait_until="networkidle"):
        page.locator('form[action$="/undo/"] button[type="submit"]').click()
    assert _organisations(tenant) == []
