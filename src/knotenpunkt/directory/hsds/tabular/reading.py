"""Reading a package back: files, typed cells, and the nested HSDS records they make."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from knotenpunkt.core.audit import Actor
from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.core.services import ServiceError
from knotenpunkt.directory.hsds.importer import ImportReport, Record, import_records
from knotenpunkt.directory.hsds.tabular.tables import (
    DE_COLUMNS,
    EMPTY_REQUIRED_TEXT,
    _official,
    _required_texts,
    path_of,
)

# --- Import ----------------------------------------------------------------------------------

#: Larger packages (unpacked) are refused; a directory of 100,000 offers has about 200 MB.
MAX_PACKAGE_BYTES = 1024 * 2**20

_INTEGER = re.compile(r"[+-]?\d+")


def read_package(source: bytes | Path | Mapping[str, str | bytes]) -> dict[str, str]:
    """The files of a package as text by file name: from a zip (bytes or path) or a folder.

    Raises :class:`ServiceError` for something that is not a readable package.
    """
    files: dict[str, str | bytes] = {}
    try:
        if isinstance(source, Mapping):
            files = dict(source)
        elif isinstance(source, Path) and source.is_dir():
            files = {p.name: p.read_bytes() for p in source.iterdir() if p.is_file()}
        else:
            data = source.read_bytes() if isinstance(source, Path) else source
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                members = [
                    info
                    for info in archive.infolist()
                    if not info.is_dir() and _is_package_file(info.filename)
                ]
                if sum(info.file_size for info in members) > MAX_PACKAGE_BYTES:
                    raise ServiceError(
                        _("The package is larger than %(size)s MB unpacked.")
                        % {"size": MAX_PACKAGE_BYTES // 2**20}
                    )
                for info in members:
                    # Files may sit in a folder inside the zip; only their names count.
                    files[info.filename.rsplit("/", 1)[-1]] = archive.read(info)
    except (zipfile.BadZipFile, OSError) as error:
        raise ServiceError(
            _("The file is not a zip archive of a data package: %(error)s") % {"error": error}
        ) from error
    text: dict[str, str] = {}
    for name, content in files.items():
        if not _is_package_file(name):
            continue
        try:
            text[name] = content.decode("utf-8-sig") if isinstance(content, bytes) else content
        except UnicodeDecodeError as error:
            raise ServiceError(_("%(file)s is not UTF-8 text.") % {"file": name}) from error
    if not any(name.endswith(".csv") for name in text):
        raise ServiceError(_("The package has no CSV files."))
    return text


def _is_package_file(name: str) -> bool:
    return name.endswith(".csv") or name.rsplit("/", 1)[-1] == "datapackage.json"


def _column_types() -> dict[str, dict[str, str]]:
    types = {
        name: {f["name"]: f.get("type", "string") for f in resource["schema"]["fields"]}
        for name, resource in _official().items()
    }
    for name, columns in DE_COLUMNS.items():
        for column, type_name, _constraints in columns:
            types[name][column] = type_name
    return types


def _value(text: str, type_name: str) -> Any:
    """A CSV cell as the JSON value HSDS has there; what does not parse stays text."""
    if type_name in {"number", "integer"}:
        if _INTEGER.fullmatch(text):
            return int(text)
        try:
            return float(text)
        except ValueError:
            return text
    if type_name == "boolean":
        lowered = text.lower()
        return {"true": True, "1": True, "false": False, "0": False}.get(lowered, text)
    if type_name == "array":
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


@dataclass
class _Tables:
    """The package's rows (as JSON objects) by resource, and indexes by foreign key."""

    rows: dict[str, list[dict[str, Any]]]
    problems: list[str]

    def __post_init__(self) -> None:
        self._index: dict[tuple[str, str], dict[str, list[dict[str, Any]]]] = {}
        self.used: set[tuple[str, int]] = set()

    def by(self, resource: str, column: str, value: Any) -> list[dict[str, Any]]:
        key = (resource, column)
        if key not in self._index:
            index: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for row in self.rows.get(resource, []):
                if isinstance(row.get(column), str):
                    index[row[column]].append(row)
            self._index[key] = index
        found = self._index[key].get(value, []) if isinstance(value, str) else []
        for row in found:
            self.used.add((resource, id(row)))
        return found


def _read_tables(files: Mapping[str, str]) -> _Tables:
    official = _official()
    by_path = {resource["path"]: name for name, resource in official.items()}
    types = _column_types()
    rows: dict[str, list[dict[str, Any]]] = {}
    problems: list[str] = []
    for file_name in sorted(files):
        if file_name == "datapackage.json":
            continue
        resource = by_path.get(file_name)
        if resource is None:
            problems.append(
                _("%(file)s is not a table of HSDS; it was not read.") % {"file": file_name}
            )
            continue
        if resource == "meta_table_description":
            problems.append(
                _("%(file)s describes the tables only; it was not imported.") % {"file": file_name}
            )
            continue
        reader = csv.DictReader(io.StringIO(files[file_name], newline=""))
        column_types = types[resource]
        required = _required_texts(resource)
        unknown = [c for c in reader.fieldnames or [] if c not in column_types]
        if unknown:
            problems.append(
                _("%(file)s: the columns %(columns)s are not HSDS; they were not read.")
                % {"file": file_name, "columns": ", ".join(unknown)}
            )
        table = []
        try:
            read = list(reader)
        except csv.Error as error:
            raise ServiceError(
                _("%(file)s could not be read as CSV: %(error)s")
                % {"file": file_name, "error": error}
            ) from error
        for row in read:
            values = {
                column: _value(value, column_types[column])
                for column, value in row.items()
                if column in column_types and isinstance(value, str) and value != ""
            }
            for column in required:
                # An empty required text (see EMPTY_REQUIRED_TEXT) is the empty text.
                if values.get(column, EMPTY_REQUIRED_TEXT) == EMPTY_REQUIRED_TEXT:
                    values[column] = ""
            table.append(values)
        rows[resource] = table
    return _Tables(rows=rows, problems=problems)


def records_from_package(files: Mapping[str, str]) -> tuple[list[Record], list[str]]:
    """The HSDS records in a package and the problems with it (files, rows that hang loose).

    Taxonomies and terms are records of their own; each organisation and each service is one
    record with everything that refers to it nested, as the JSON API has them.
    """
    tables = _read_tables(files)
    builder = _Builder(tables)
    records: list[Record] = []
    for kind, resource in (
        ("taxonomy", "taxonomy"),
        ("taxonomy_term", "taxonomy_term"),
        ("organization", "organization"),
        ("service", "service"),
    ):
        for number_, row in enumerate(tables.rows.get(resource, []), start=2):
            tables.used.add((resource, id(row)))
            build = getattr(builder, kind)
            records.append(
                Record(kind=kind, data=build(row), source=f"{path_of(resource)} row {number_}")
            )
    problems = list(tables.problems)
    for resource, rows in tables.rows.items():
        for number_, row in enumerate(rows, start=2):
            if (resource, id(row)) not in tables.used:
                problems.append(
                    _("%(file)s row %(row)s is not linked to anything imported; left out.")
                    % {"file": path_of(resource), "row": number_}
                )
    return records, problems


class _Builder:
    """Nests the flat rows into HSDS records."""

    def __init__(self, tables: _Tables) -> None:
        self.t = tables

    def _own(self, row: dict[str, Any], *drop: str) -> dict[str, Any]:
        return {key: value for key, value in row.items() if key not in drop}

    def _links(self, data: dict[str, Any]) -> dict[str, Any]:
        data["attributes"] = [
            self._own(a, "link_id") for a in self.t.by("attribute", "link_id", data.get("id"))
        ]
        data["metadata"] = [
            self._own(m, "resource_id")
            for m in self.t.by("metadata", "resource_id", data.get("id"))
        ]
        return data

    def taxonomy(self, row: dict[str, Any]) -> dict[str, Any]:
        return self._links(dict(row))

    def taxonomy_term(self, row: dict[str, Any]) -> dict[str, Any]:
        return dict(row)

    def phone(self, row: dict[str, Any]) -> dict[str, Any]:
        data = self._own(
            row,
            "location_id",
            "service_id",
            "organization_id",
            "contact_id",
            "service_at_location_id",
        )
        data["languages"] = [
            self.plain(r, "language") for r in self.t.by("language", "phone_id", row.get("id"))
        ]
        return self._links(data)

    def plain(self, row: dict[str, Any], resource: str) -> dict[str, Any]:
        drop = {
            "organization_id",
            "service_id",
            "location_id",
            "service_at_location_id",
            "phone_id",
            "contact_id",
        }
        return self._links(self._own(row, *drop))

    def contact(self, row: dict[str, Any]) -> dict[str, Any]:
        data = self.plain(row, "contact")
        data["phones"] = [self.phone(r) for r in self.t.by("phone", "contact_id", row.get("id"))]
        return data

    def location(self, row: dict[str, Any]) -> dict[str, Any]:
        data = dict(row)
        key = row.get("id")
        data["languages"] = [
            self.plain(r, "language") for r in self.t.by("language", "location_id", key)
        ]
        data["addresses"] = [
            self.plain(r, "address") for r in self.t.by("address", "location_id", key)
        ]
        data["contacts"] = [self.contact(r) for r in self.t.by("contact", "location_id", key)]
        data["accessibility"] = [
            self.plain(r, "accessibility") for r in self.t.by("accessibility", "location_id", key)
        ]
        data["phones"] = [self.phone(r) for r in self.t.by("phone", "location_id", key)]
        data["schedules"] = [
            self.plain(r, "schedule") for r in self.t.by("schedule", "location_id", key)
        ]
        return self._links(data)

    def organization(self, row: dict[str, Any]) -> dict[str, Any]:
        data = dict(row)
        key = row.get("id")
        data["funding"] = [
            self.plain(r, "funding") for r in self.t.by("funding", "organization_id", key)
        ]
        data["contacts"] = [self.contact(r) for r in self.t.by("contact", "organization_id", key)]
        data["phones"] = [self.phone(r) for r in self.t.by("phone", "organization_id", key)]
        data["locations"] = [
            self.location(r) for r in self.t.by("location", "organization_id", key)
        ]
        data["programs"] = [
            self.plain(r, "program") for r in self.t.by("program", "organization_id", key)
        ]
        data["organization_identifiers"] = [
            self.plain(r, "organization_identifier")
            for r in self.t.by("organization_identifier", "organization_id", key)
        ]
        return self._links(data)

    def service_at_location(self, row: dict[str, Any]) -> dict[str, Any]:
        data = self._own(row, "service_id")
        key = row.get("id")
        data["contacts"] = [
            self.contact(r) for r in self.t.by("contact", "service_at_location_id", key)
        ]
        data["phones"] = [self.phone(r) for r in self.t.by("phone", "service_at_location_id", key)]
        data["schedules"] = [
            self.plain(r, "schedule") for r in self.t.by("schedule", "service_at_location_id", key)
        ]
        locations = self.t.by("location", "id", row.get("location_id"))
        if locations:
            data.pop("location_id", None)
            data["location"] = self.location(locations[0])
        return self._links(data)

    def service(self, row: dict[str, Any]) -> dict[str, Any]:
        data = dict(row)
        key = row.get("id")
        data["phones"] = [self.phone(r) for r in self.t.by("phone", "service_id", key)]
        data["schedules"] = [
            self.plain(r, "schedule") for r in self.t.by("schedule", "service_id", key)
        ]
        data["service_areas"] = [
            self.plain(r, "service_area") for r in self.t.by("service_area", "service_id", key)
        ]
        data["service_at_locations"] = [
            self.service_at_location(r) for r in self.t.by("service_at_location", "service_id", key)
        ]
        data["languages"] = [
            self.plain(r, "language") for r in self.t.by("language", "service_id", key)
        ]
        data["funding"] = [
            self.plain(r, "funding") for r in self.t.by("funding", "service_id", key)
        ]
        data["cost_options"] = [
            self.plain(r, "cost_option") for r in self.t.by("cost_option", "service_id", key)
        ]
        data["required_documents"] = [
            self.plain(r, "required_document")
            for r in self.t.by("required_document", "service_id", key)
        ]
        data["contacts"] = [self.contact(r) for r in self.t.by("contact", "service_id", key)]
        return self._links(data)


def import_datapackage(
    *,
    actor: Actor,
    local_authority: LocalAuthority,
    source: bytes | Path | Mapping[str, str | bytes],
) -> tuple[ImportReport, list[str]]:
    """Imports a tabular data package (zip or folder) into ``local_authority``'s directory.

    Returns the import report and the problems with the package as a whole (files that are not
    HSDS tables, rows that are linked to nothing). Raises :class:`ServiceError` for a file that
    is not a package at all.
    """
    files = read_package(source)
    records, problems = records_from_package(files)
    report = import_records(actor=actor, local_authority=local_authority, records=records)
    return report, problems
