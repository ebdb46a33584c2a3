"""The tabular data package: valid against the official descriptor, and it round-trips."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.core.services import ServiceError
from knotenpunkt.directory.hsds import tabular
from knotenpunkt.directory.hsds.importer import ImportReport
from knotenpunkt.directory.hsds.schemas import tabular_fields, validate_datapackage
from knotenpunkt.directory.models import Location, Service
from tests.directory.test_hsds_import import object_counts
from tests.directory.test_hsds_serialize import build_directory
from tests.factories import AreaFactory, LocalAuthorityFactory

CSV_EXAMPLE = (
    Path(__file__).resolve().parents[2].parent / "shared" / "hsds" / "v3.0" / "examples" / "csv"
)


def export(tenant: LocalAuthority, *, public: bool = False, profile: bool = True) -> dict[str, str]:
    buffer = io.BytesIO()
    tabular.export_datapackage(tenant, buffer, public=public, profile=profile)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def rows(files: dict[str, str], name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files[name], newline="")))


def import_package(tenant: LocalAuthority, files: dict[str, Any]) -> tuple[ImportReport, list[str]]:
    return tabular.import_datapackage(actor=None, local_authority=tenant, source=files)


def comparable(files: dict[str, str], replace: dict[str, str] | None = None) -> dict[str, Any]:
    """Rows as sorted tuples per file: the order of rows carries no meaning."""
    result: dict[str, Any] = {}
    for name, text in files.items():
        if name == "datapackage.json":
            result[name] = json.loads(text)
        else:
            for old, new in (replace or {}).items():
                text = text.replace(old, new)
            table = list(csv.reader(io.StringIO(text, newline="")))
            result[name] = (table[0], sorted(table[1:]))
    return result


@pytest.mark.django_db
def test_it_exports_the_official_tables_with_the_profile_columns_at_the_end(
    tenant: LocalAuthority,
) -> None:
    build_directory(tenant)
    files = export(tenant)
    assert validate_datapackage(tabular.core_view(files)) == []
    package = json.loads(files["datapackage.json"])
    assert [r["path"] for r in package["resources"]] == [
        tabular.path_of(name) for name in tabular.EXPORTED
    ]
    for resource in package["resources"]:
        header = next(csv.reader(io.StringIO(files[resource["path"]])))
        official = tabular_fields(resource["name"])
        extra = [c[0] for c in tabular.DE_COLUMNS.get(resource["name"], ())]
        assert header == official + extra
        assert [f["name"] for f in resource["schema"]["fields"]] == header
    (service,) = [r for r in rows(files, "services.csv") if r["name"] == "Stillberatung"]
    assert service["assured_date"] == "2026-10-01"
    assert service["maximum_age"] == "1.5"
    assert json.loads(service["life_phases"]) == ["pregnancy", "age_0_1"]
    assert json.loads(service["translations"])[0]["name"] == "Breastfeeding advice"
    assert service["minimum_age_months"] == "-3"
    topic_rows = [r for r in rows(files, "attributes.csv") if r["link_type"] == "topic"]
    assert [r["link_id"] for r in topic_rows] == [service["id"]]
    schedule = next(r for r in rows(files, "schedules.csv") if r["freq"] == "MONTHLY")
    assert (schedule["opens_at"], schedule["closes_at"]) == ("10:00:00", "12:00:00")
    assert {r["name"] for r in rows(files, "organizations.csv")} == {
        "Familienzentrum Salzwedel",
        "Diakonie Altmark",
    }


@pytest.mark.django_db
def test_the_core_package_is_exactly_the_official_one(tenant: LocalAuthority) -> None:
    build_directory(tenant)
    files = export(tenant, profile=False)
    assert validate_datapackage(files) == []
    assert "de_profile_version" not in json.loads(files["datapackage.json"])


@pytest.mark.django_db
def test_the_public_package_leaves_out_what_the_public_must_not_see(
    tenant: LocalAuthority,
) -> None:
    directory = build_directory(tenant)
    files = export(tenant, public=True)
    assert validate_datapackage(tabular.core_view(files)) == []
    text = "".join(files.values())
    assert "Geheimweg" not in text
    assert "Geheime Adresse" not in text
    assert "Fallberatung" not in text  # professionals only
    assert "verifier@example.org" not in text
    assert rows(files, "metadata.csv") == []
    (shelter,) = [r for r in rows(files, "locations.csv") if r["id"] == str(directory.shelter.uuid)]
    assert shelter["latitude"] == shelter["transportation"] == ""
    assert shelter["confidential"] == "true"
    assert any(r["location_id"] == shelter["id"] for r in rows(files, "phones.csv"))
    assert not any(r["location_id"] == shelter["id"] for r in rows(files, "addresses.csv"))
    # Attributes only of published objects; the topics of published offers.
    assert {r["link_type"] for r in rows(files, "attributes.csv")} == {"topic", "eligibility", ""}
    complete = export(tenant)
    assert "Geheimweg" in "".join(complete.values())
    assert "Fallberatung" in complete["services.csv"]


@pytest.mark.django_db
def test_the_official_csv_example_imports_and_round_trips(
    tenant: LocalAuthority, other_tenant: LocalAuthority
) -> None:
    official = {p.name: p.read_bytes() for p in CSV_EXAMPLE.iterdir()}
    report, problems = import_package(tenant, official)
    assert report.rejected == []
    assert sorted(o.kind for o in report.created) == [
        "organization",
        "service",
        "taxonomy",
        "taxonomy_term",
    ]
    problem_text = " ".join(problems)
    assert "attributes.csv row 2 is not linked" in problem_text  # its link_id points nowhere
    assert "meta_table_descriptions.csv" in problem_text
    first = export(tenant)
    assert validate_datapackage(tabular.core_view(first)) == []
    (service,) = rows(first, "services.csv")
    assert service["name"] == "Community Counselling"
    assert service["last_modified"] == "2023-03-15T10:30:45.123Z"
    (phone,) = rows(first, "phones.csv")
    assert all(phone[key] for key in ("location_id", "service_id", "contact_id"))
    # Re-imported into another tenant and exported again: the same package.
    report, problems = import_package(other_tenant, first)
    assert report.rejected == []
    assert problems == []
    second = export(other_tenant)
    assert comparable(second) == comparable(first, report.remapped)


@pytest.mark.django_db
def test_our_own_directory_round_trips_through_the_package(
    tenant: LocalAuthority, other_tenant: LocalAuthority
) -> None:
    build_directory(tenant)
    town = AreaFactory(local_authority=other_tenant, name="Salzwedel", official_key="15081455")
    first = export(tenant)
    report, problems = import_package(other_tenant, first)
    assert report.rejected == []
    assert problems == []
    second = export(other_tenant)
    with scope(local_authority=tenant):
        own_town = Location.objects.get(name="Familienzentrum").area
    replace = {**report.remapped, str(own_town.uuid): str(town.uuid)}  # type: ignore[union-attr]
    assert comparable(second) == comparable(first, replace)
    # Importing it again changes nothing.
    counts = object_counts()
    report, problems = import_package(other_tenant, second)
    assert report.created == [] and report.updated == [] and report.rejected == []
    assert object_counts() == counts


@pytest.mark.django_db
def test_a_bad_row_costs_only_its_record(tenant: LocalAuthority) -> None:
    build_directory(tenant)
    files = export(tenant)
    target = LocalAuthorityFactory(slug="ziel")
    table = list(csv.DictReader(io.StringIO(files["services.csv"], newline="")))
    assert len(table) == 2
    table[0]["status"] = "geöffnet"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(table[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(table)
    files["services.csv"] = out.getvalue()
    report, _problems = import_package(target, files)
    assert [o.source for o in report.rejected] == ["services.csv row 2"]
    assert "geöffnet" in report.rejected[0].reasons[0]
    assert len([o for o in report.created if o.kind == "service"]) == 1
    with scope(local_authority=target):
        assert Service.objects.count() == 1


@pytest.mark.django_db
def test_it_says_what_is_wrong_with_a_file_that_is_no_package(tenant: LocalAuthority) -> None:
    with pytest.raises(ServiceError, match="not a zip archive"):
        tabular.import_datapackage(actor=None, local_authority=tenant, source=b"no zip")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    huge = "id,name\r\n1," + "x" * 200_000 + "\r\n"
    with pytest.raises(ServiceError, match="could not be read as CSV"):
        tabular.import_datapackage(
            actor=None, local_authority=tenant, source={"services.csv": huge}
        )
    with pytest.raises(ServiceError, match="no CSV files"):
        tabular.import_datapackage(actor=None, local_authority=tenant, source=buffer.getvalue())


@pytest.mark.django_db
def test_it_streams_outside_the_request_scope(
    tenant: LocalAuthority, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_directory(tenant)
    monkeypatch.setattr("knotenpunkt.directory.hsds.tabular.export.FLUSH_BYTES", 200)
    chunks = list(tabular.stream_datapackage(tenant, public=True))
    assert len(chunks) > 20
    with zipfile.ZipFile(io.BytesIO(b"".join(chunks))) as archive:
        assert "services.csv" in archive.namelist()
