"""Uploaded sheets are forgotten after IMPORTS_KEEP_DAYS (storage limitation, GDPR Art. 5)."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.imports.models import ImportBatch, ImportRow
from tests.imports.factories import windows_csv
from tests.imports.helpers import confirm_mapping, latest_batch, upload

pytestmark = pytest.mark.django_db


def test_old_sheets_lose_their_file_and_personal_values(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    upload(coordinator_client, tenant, windows_csv(), "alt.csv")
    old = latest_batch()
    confirm_mapping(coordinator_client, tenant, old)
    with scope(local_authority=tenant):
        ImportBatch.objects.filter(pk=old.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=31)
        )
    upload(coordinator_client, tenant, windows_csv(), "neu.csv")
    new = latest_batch()

    out = StringIO()
    call_command("imports_purge", stdout=out)

    assert "Purged 1 import batches" in out.getvalue()
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.content is None and old.table == []
    assert new.table != []
    with scope(local_authority=tenant):
        values = [row.values for row in ImportRow.objects.filter(batch=old)]
    assert values and all(value.get("last_name", "") == "" for value in values)
