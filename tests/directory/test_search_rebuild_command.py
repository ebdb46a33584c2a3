"""`manage.py directory_search_rebuild` fills the index after an upgrade."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.directory.search import search_services
from knotenpunkt.directory.search.index import DOCUMENT_TABLE
from tests.directory.test_search_set import build_offers

pytestmark = pytest.mark.django_db


def test_it_rebuilds_the_index_of_one_tenant(
    tenant: LocalAuthority, other_tenant: LocalAuthority
) -> None:
    ids = build_offers(tenant, other_tenant)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {DOCUMENT_TABLE}")  # noqa: S608 - as after an upgrade
    assert search_services(tenant, "Stillcafé") == []

    out = io.StringIO()
    call_command("directory_search_rebuild", tenant=tenant.slug, stdout=out)

    assert f"{tenant.slug}: search index rebuilt" in out.getvalue()
    hits = [hit.service_id for hit in search_services(tenant, "Stillcafé")]
    assert ids["Stillcafé"] in hits
    with pytest.raises(CommandError):
        call_command("directory_search_rebuild", tenant="nirgendwo")
