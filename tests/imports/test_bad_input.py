"""Bad files get a clear message on the upload form and change nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.imports.models import ImportBatch
from tests.imports.helpers import upload


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "bild.png", "not a spreadsheet"),
        (b"PK\x03\x04broken zip", "liste.xlsx", "not a spreadsheet"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1broken", "liste.xls", "not a spreadsheet"),
        (b"", "leer.csv", "empty"),
        (b";;\n;;\n", "leer.csv", "empty"),
        (b"Name;Ort\n", "nur-kopf.csv", "no rows below"),
        ((";".join(f"Spalte {i}" for i in range(200)) + "\nx\n").encode(), "breit.csv", "columns"),
        (b"Name;Notiz\nA;" + b"x" * (1024 * 1024) + b"\n", "riesig.csv", "characters"),
        (b"Name;Ort\n\x81\x8d\x8f;\x90\x9d\n", "kaputt.csv", "encoding"),
        (b"a;b\n" * (6 * 1024 * 1024), "gross.csv", "larger than 20 MB"),
    ],
)
def test_it_refuses_bad_files_and_changes_nothing(
    tenant: LocalAuthority, coordinator_client: Client, data: bytes, name: str, message: str
) -> None:
    response = upload(coordinator_client, tenant, data, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    with scope(local_authority=tenant):
        assert ImportBatch.objects.count() == 0
