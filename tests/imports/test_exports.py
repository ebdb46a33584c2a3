"""Exports as .xlsx and .csv, with formula injection neutralised."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from python_calamine import CalamineWorkbook

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.imports.exports import neutralise
from tests.imports.factories import BodyFactory, OrganisationFactory


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+49 123", "'+49 123"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Kita Sonnenschein", "Kita Sonnenschein"),
        (None, ""),
        (5, 5),
    ],
)
def test_it_neutralises_formula_starts(value: object, expected: object) -> None:
    assert neutralise(value) == expected


@pytest.mark.django_db
def test_exported_cells_never_start_a_formula(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    OrganisationFactory(local_authority=tenant, name="=1+2", notes="@cmd")
    BodyFactory(local_authority=tenant, name="-Steuerung")
    base = f"/t/{tenant.slug}/import/export/"
    response = coordinator_client.get(base + "organisations.csv")
    assert response.status_code == 200
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    assert "'=1+2;" in text and "'@cmd" in text
    assert text.splitlines()[0].startswith("Organisation;")

    response = coordinator_client.get(base + "organisations.xlsx")
    workbook = CalamineWorkbook.from_object(io.BytesIO(response.content))
    rows = workbook.get_sheet_by_index(0).to_python()
    assert rows[1][0] == "'=1+2"

    for dataset in ("persons", "bodies", "memberships"):
        for fmt in ("csv", "xlsx"):
            assert coordinator_client.get(f"{base}{dataset}.{fmt}").status_code == 200
    assert "'-Steuerung" in coordinator_client.get(base + "bodies.csv").content.decode("utf-8-sig")
    assert coordinator_client.get(base + "secrets.csv").status_code == 404
