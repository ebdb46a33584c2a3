"""Driving an import through the pages, as a coordinator does."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_scopes import scopes_disabled

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.imports.models import ImportBatch


def upload(client: Client, tenant: LocalAuthority, data: bytes, name: str):  # type: ignore[no-untyped-def]
    return client.post(f"/t/{tenant.slug}/import/", {"file": SimpleUploadedFile(name, data)})


def latest_batch() -> ImportBatch:
    with scopes_disabled():
        return ImportBatch.objects.order_by("-pk").first()  # type: ignore[return-value]


def confirm_mapping(client: Client, tenant: LocalAuthority, batch: ImportBatch) -> None:
    data = {"header_row": batch.header_row + 1, "sheet": batch.sheet_name}
    data.update({f"col_{i}": key for i, key in enumerate(batch.mapping)})
    response = client.post(f"/t/{tenant.slug}/import/{batch.uuid}/mapping/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
