"""The console commands: directory_export and directory_import."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.directory.models import Service
from tests.directory.test_hsds_import import EXAMPLES
from tests.directory.test_hsds_serialize import build_directory
from tests.factories import LocalAuthorityFactory


@pytest.mark.django_db
def test_it_exports_and_imports_from_the_console(
    tenant: LocalAuthority, other_tenant: LocalAuthority, tmp_path: Path
) -> None:
    build_directory(tenant)
    package = tmp_path / "directory.zip"
    call_command("directory_export", tenant=tenant.slug, format="tabular", output=str(package))
    with zipfile.ZipFile(package) as archive:
        assert "services.csv" in archive.namelist()
    public_json = tmp_path / "public.json"
    call_command(
        "directory_export", tenant=tenant.slug, format="json", public=True, output=str(public_json)
    )
    page = json.loads(public_json.read_text())
    assert [s["name"] for s in page["contents"]] == ["Stillberatung"]

    out = io.StringIO()
    call_command("directory_import", str(package), tenant=other_tenant.slug, stdout=out)
    text = out.getvalue()
    assert text.startswith("9 created, 0 updated, 0 unchanged, 0 rejected")
    with scope(local_authority=other_tenant):
        assert Service.objects.count() == 2
    third = LocalAuthorityFactory(slug="dritte")
    out = io.StringIO()
    call_command("directory_import", str(public_json), tenant=third.slug, stdout=out)
    assert out.getvalue().startswith("1 created, 0 updated, 0 unchanged, 0 rejected")
    # A data package unpacked into a folder reads the same.
    folder = tmp_path / "unpacked"
    with zipfile.ZipFile(package) as archive:
        archive.extractall(folder)
    out = io.StringIO()
    call_command("directory_import", str(folder), tenant=other_tenant.slug, stdout=out)
    assert out.getvalue().startswith("0 created, 0 updated, 9 unchanged, 0 rejected")


@pytest.mark.django_db
def test_it_lists_rejected_records_and_refuses_bad_arguments(
    tenant: LocalAuthority, tmp_path: Path
) -> None:
    bad = json.loads((EXAMPLES / "service_full.json").read_text())
    bad["status"] = "offen"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    out = io.StringIO()
    call_command("directory_import", str(path), tenant=tenant.slug, stdout=out)
    assert "1 rejected" in out.getvalue()
    assert "offen" in out.getvalue()
    with pytest.raises(CommandError, match="No tenant"):
        call_command("directory_import", str(path), tenant="nowhere")
    with pytest.raises(CommandError, match="does not exist"):
        call_command("directory_import", str(tmp_path / "missing.json"), tenant=tenant.slug)
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("directory_import", str(broken), tenant=tenant.slug)
    with pytest.raises(CommandError, match="No tenant"):
        call_command("directory_export", tenant="nowhere")
