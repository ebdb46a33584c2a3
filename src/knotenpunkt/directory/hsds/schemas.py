"""Validate HSDS 3.0 data against the official schemas (optionally the DE profile).

Pure Python over the vendored specification files (``hsds/spec``), no ORM and no network:

- ``validate()`` checks one HSDS object as JSON (an API response, an import record) against its
  object schema, with the relative ``$ref``s (``"phone.json"``) resolved from a local registry;
- ``validate_list_item()`` checks one item of a list response (``contents[]``) against the
  compiled list schemas;
- ``validate_datapackage()`` checks a tabular export (``datapackage.json`` and the CSV files)
  against the official ``datapackage.json``, streaming over the rows.

Every function returns a list of readable messages, each starting with where the problem is
(``services[0].phones[1].number: ...`` or ``services.csv: row 7, status: ...``); an empty list
means valid. Schemas and validators are built once per process.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import jsonschema  # type: ignore[import-untyped]
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from knotenpunkt.directory.hsds import profile as de_profile
from knotenpunkt.directory.hsds import spec

__all__ = [
    "FORMAT_CHECKER",
    "datapackage_descriptor",
    "is_date",
    "is_date_time",
    "is_email",
    "is_time",
    "is_uri",
    "is_uuid",
    "json_path",
    "load_schema",
    "schema_names",
    "tabular_fields",
    "validate",
    "validate_datapackage",
    "validate_list_item",
]

# --------------------------------------------------------------------------------------------
# Formats. jsonschema checks "uri" and "date-time" only when optional packages are installed,
# so the formats HSDS uses are checked here, the same way for JSON and for CSV cells.

_UUID_RE = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+")
# RFC 3986 absolute URI: a scheme, a colon, then only URI characters; "%" starts an escape.
_URI_RE = re.compile(
    r"[A-Za-z][A-Za-z0-9+.\-]*:(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*"
)
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME_RE = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt]([0-9]{2}:[0-9]{2}:[0-9]{2})(\.[0-9]+)?"
    r"([Zz]|[+-][0-9]{2}:[0-9]{2})"
)
_TIME_RE = re.compile(r"([0-9]{2}:[0-9]{2}:[0-9]{2})(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})?")


def is_uuid(value: str) -> bool:
    """A UUID in its canonical 8-4-4-4-12 hex form (any case)."""
    return _UUID_RE.fullmatch(value) is not None


def is_email(value: str) -> bool:
    """Something that looks like an address: one ``@`` with text and no spaces on both sides."""
    return _EMAIL_RE.fullmatch(value) is not None


def is_uri(value: str) -> bool:
    """An absolute URI (RFC 3986): a scheme and only URI characters (IRIs must be encoded)."""
    return _URI_RE.fullmatch(value) is not None


def is_date(value: str) -> bool:
    """An RFC 3339 full-date (``2024-05-16``) that exists in the calendar."""
    if _DATE_RE.fullmatch(value) is None:
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_time_of_day(value: str) -> bool:
    hour, minute, second = (int(part) for part in value.split(":"))
    # 60 is a leap second, which RFC 3339 allows.
    return hour <= 23 and minute <= 59 and second <= 60


def _is_offset(value: str) -> bool:
    if value in {"Z", "z"}:
        return True
    hour, minute = (int(part) for part in value[1:].split(":"))
    return hour <= 23 and minute <= 59


def is_date_time(value: str) -> bool:
    """An RFC 3339 date-time with offset (``2023-03-15T10:30:45.123Z``)."""
    match = _DATETIME_RE.fullmatch(value)
    return (
        match is not None
        and is_date(match[1])
        and _is_time_of_day(match[2])
        and _is_offset(match[4])
    )


def is_time(value: str) -> bool:
    """A time of day ``hh:mm:ss`` with optional fraction and offset (``10:00:00``)."""
    match = _TIME_RE.fullmatch(value)
    return (
        match is not None
        and _is_time_of_day(match[1])
        and (match[3] is None or _is_offset(match[3]))
    )


_FORMATS: dict[str, Callable[[str], bool]] = {
    "uuid": is_uuid,
    "email": is_email,
    "uri": is_uri,
    "date": is_date,
    "date-time": is_date_time,
    "time": is_time,
}

#: The format checker used for HSDS JSON: exactly the formats above.
FORMAT_CHECKER = jsonschema.FormatChecker(formats=())


def _register_format(name: str, check: Callable[[str], bool]) -> None:
    def checker(instance: object) -> bool:
        # JSON Schema formats apply to strings only; other types are the "type" keyword's job.
        return not isinstance(instance, str) or check(instance)

    FORMAT_CHECKER.checks(name)(checker)


for _name, _check in _FORMATS.items():
    _register_format(_name, _check)

# --------------------------------------------------------------------------------------------
# JSON schemas


def schema_names() -> tuple[str, ...]:
    """The HSDS object schema names (``"service"``, ``"phone"``, ...)."""
    return spec.schema_names()


def load_schema(name: str, *, profile: bool = True) -> dict[str, Any]:
    """One object or list-item schema, core or DE profile (a fresh copy).

    ``name`` is an object schema (``"service"``, ``"service.json"``) or one of the compiled
    list-item schemas (``"service_list"``, ``"organization_list"``,
    ``"service_at_location_list"``). Raises ``KeyError`` for any other name.
    """
    name = name.removesuffix(".json")
    if name in spec.LIST_SCHEMAS:
        return de_profile.profile_list_schema(name) if profile else spec.list_schema(name)
    return de_profile.profile_schema(name) if profile else spec.core_schema(name)


@functools.cache
def _registry(profile: bool) -> Registry[Any]:
    # Each object schema is registered under its file name, so that the schemas' relative
    # "$ref": "phone.json" resolves (against the empty base URI) to the local copy.
    return Registry().with_resources(
        (f"{name}.json", Resource.from_contents(schema, default_specification=DRAFT202012))
        for name, schema in ((name, load_schema(name, profile=profile)) for name in schema_names())
    )


@functools.cache
def _validator(name: str, profile: bool) -> Any:
    if name in spec.LIST_SCHEMAS:
        schema = load_schema(name, profile=profile)
    elif name in schema_names():
        schema = {"$ref": f"{name}.json"}
    else:
        raise KeyError(f"Unknown HSDS schema: {name!r}")
    return jsonschema.Draft202012Validator(
        schema, registry=_registry(profile), format_checker=FORMAT_CHECKER
    )


def validate(instance: Any, schema_name: str, *, profile: bool = True) -> list[str]:
    """Check one HSDS object (as JSON data) against its schema; return the problems found.

    ``schema_name`` is the HSDS object (``"service"``, ``"organization"``, ``"location"``,
    ``"service_at_location"``, ``"taxonomy"``, ``"taxonomy_term"``, ...; ``".json"`` optional).
    Nested objects are checked against their own schemas. With ``profile`` (the default) the DE
    profile's extension fields are checked too; without it only the core schemas apply (which
    ignore unknown properties). Formats (uuid, uri, email, date-time) are checked.
    Each message reads ``<path>: <problem>``, e.g. ``phones[1].number: required property is
    missing``; the path is ``(root)`` for the object itself.
    """
    return _messages(_validator(schema_name.removesuffix(".json"), profile), instance)


def validate_list_item(instance: Any, list_name: str, *, profile: bool = True) -> list[str]:
    """Check one item of a list response against a compiled list schema.

    ``list_name`` is ``"service_list"`` (``/services``), ``"organization_list"``
    (``/organizations``) or ``"service_at_location_list"`` (``/service_at_locations``). Items of
    ``/taxonomies`` and ``/taxonomy_terms`` are whole objects: use ``validate()``.
    """
    name = list_name.removesuffix(".json")
    if name not in spec.LIST_SCHEMAS:
        raise KeyError(f"Unknown HSDS list schema: {list_name!r}")
    return _messages(_validator(name, profile), instance)


def _messages(validator: Any, instance: Any) -> list[str]:
    messages: list[str] = []
    seen: set[str] = set()
    for error in validator.iter_errors(instance):
        for message in _describe(error):
            if message not in seen:
                seen.add(message)
                messages.append(message)
    return messages


def json_path(parts: Iterable[str | int]) -> str:
    """``("services", 0, "phones")`` as ``services[0].phones``; ``(root)`` when empty."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part.isidentifier():
            text += f".{part}" if text else part
        else:
            text += f"[{json.dumps(part, ensure_ascii=False)}]"
    return text or "(root)"


def _short(value: Any, limit: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


_JSON_TYPE_NAMES: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (bool, "boolean"),
    ((int, float), "number"),
    (str, "string"),
    (list, "array"),
    (dict, "object"),
    (type(None), "null"),
)


def _json_type(value: Any) -> str:
    for types, type_name in _JSON_TYPE_NAMES:
        if isinstance(value, types):
            return type_name
    return type(value).__name__


def _describe(error: Any) -> Iterator[str]:
    parts = list(error.absolute_path)
    keyword = error.validator
    instance = error.instance
    if keyword == "required":
        for name in error.validator_value:
            if isinstance(instance, dict) and name not in instance:
                yield f"{json_path([*parts, name])}: required property is missing"
        return
    where = json_path(parts)
    if keyword == "type":
        expected = error.validator_value
        expected_text = " or ".join(expected) if isinstance(expected, list) else expected
        yield f"{where}: expected {expected_text}, got {_json_type(instance)} {_short(instance)}"
    elif keyword == "enum":
        allowed = ", ".join(_short(value) for value in error.validator_value)
        yield f"{where}: {_short(instance)} is not one of {allowed}"
    elif keyword == "format":
        yield f"{where}: {_short(instance)} is not a valid {error.validator_value}"
    elif keyword == "pattern":
        yield f"{where}: {_short(instance)} does not match {error.validator_value}"
    elif keyword == "uniqueItems":
        yield f"{where}: the items are not unique"
    else:
        yield f"{where}: {_short_message(error.message)}"


def _short_message(message: str, limit: int = 200) -> str:
    return message if len(message) <= limit else message[: limit - 1] + "…"


# --------------------------------------------------------------------------------------------
# Tabular data package

#: Cells with these values are missing (Table Schema default ``missingValues``).
_MISSING = ""
_TRUE_VALUES = frozenset({"true", "True", "TRUE", "1"})
_FALSE_VALUES = frozenset({"false", "False", "FALSE", "0"})
_NUMBER_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|NaN|INF|-INF")
_INTEGER_RE = re.compile(r"[+-]?[0-9]+")
_CSV_DATETIME_RE = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})T([0-9]{2}:[0-9]{2}:[0-9]{2})(\.[0-9]+)?"
    r"([Zz]|[+-][0-9]{2}:[0-9]{2})?"
)


def _is_csv_datetime(value: str) -> bool:
    # Table Schema's default datetime is ISO 8601 with "T"; the offset may be left out.
    match = _CSV_DATETIME_RE.fullmatch(value)
    return (
        match is not None
        and is_date(match[1])
        and _is_time_of_day(match[2])
        and (match[4] is None or _is_offset(match[4]))
    )


def _is_boolean(value: str) -> bool:
    return value in _TRUE_VALUES or value in _FALSE_VALUES


_CELL_TYPES: dict[str, Callable[[str], bool]] = {
    "number": lambda value: _NUMBER_RE.fullmatch(value) is not None,
    "integer": lambda value: _INTEGER_RE.fullmatch(value) is not None,
    "boolean": _is_boolean,
    "date": is_date,
    "datetime": _is_csv_datetime,
    "time": is_time,
}


def datapackage_descriptor() -> dict[str, Any]:
    """The official HSDS ``datapackage.json`` for exports to write as their descriptor."""
    return spec.datapackage_descriptor()


def tabular_fields(resource_name: str) -> list[str]:
    """The official CSV header of one resource (``"service"``), in order."""
    resource = _official_resources().get(resource_name)
    if resource is None:
        raise KeyError(f"Unknown HSDS resource: {resource_name!r}")
    return [column.name for column in resource.columns]


@dataclass(frozen=True)
class _Column:
    name: str
    type: str
    required: bool
    unique: bool
    check: Callable[[str], bool] | None
    check_name: str
    enum: frozenset[str] | None


@dataclass(frozen=True)
class _ForeignKey:
    field: str
    resource: str
    target_field: str


@dataclass(frozen=True)
class _Resource:
    name: str
    path: str
    columns: tuple[_Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[_ForeignKey, ...]


def _as_list(value: str | Sequence[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _column(field_descriptor: Mapping[str, Any]) -> _Column:
    type_name = field_descriptor.get("type", "string")
    constraints = field_descriptor.get("constraints", {})
    check: Callable[[str], bool] | None = _CELL_TYPES.get(type_name)
    check_name = type_name
    format_name = field_descriptor.get("format")
    if type_name == "string" and format_name in _FORMATS:
        check, check_name = _FORMATS[format_name], format_name
    enum = constraints.get("enum")
    return _Column(
        name=field_descriptor["name"],
        type=type_name,
        required=bool(constraints.get("required", False)),
        unique=bool(constraints.get("unique", False)),
        check=check,
        check_name=check_name,
        enum=frozenset(str(value) for value in enum) if enum is not None else None,
    )


@functools.cache
def _official_resources() -> dict[str, _Resource]:
    resources: dict[str, _Resource] = {}
    for resource in spec.datapackage_descriptor()["resources"]:
        schema = resource["schema"]
        foreign_keys = []
        for foreign_key in schema.get("foreignKeys", []):
            fields = _as_list(foreign_key["fields"])
            targets = _as_list(foreign_key["reference"]["fields"])
            if not len(fields) == len(targets) == 1:
                # HSDS has single-field keys only; a composite key would need tuples here.
                raise ValueError(f"composite foreign key in {resource['name']}: {fields}")
            # An empty resource name refers to the resource itself (Table Schema).
            target = foreign_key["reference"]["resource"] or resource["name"]
            foreign_keys.append(_ForeignKey(fields[0], target, targets[0]))
        resources[resource["name"]] = _Resource(
            name=resource["name"],
            path=resource["path"],
            columns=tuple(_column(item) for item in schema["fields"]),
            primary_key=_as_list(schema.get("primaryKey", ())),
            foreign_keys=tuple(foreign_keys),
        )
    return resources


def _processing_order(names: Iterable[str], resources: Mapping[str, _Resource]) -> list[str]:
    """Referenced resources before the resources that point at them (where there is no cycle)."""
    wanted = list(names)
    order: list[str] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in order or name in visiting:
            return
        visiting.add(name)
        for foreign_key in resources[name].foreign_keys:
            if foreign_key.resource in resources and foreign_key.resource in wanted:
                visit(foreign_key.resource)
        visiting.discard(name)
        order.append(name)

    for name in wanted:
        visit(name)
    return order


class _TooManyErrors(Exception):
    pass


@dataclass
class _Report:
    max_errors: int
    by_resource: dict[str, list[str]] = field(default_factory=dict)
    count: int = 0

    def add(self, resource: str, message: str) -> None:
        self.count += 1
        if self.count > self.max_errors:
            raise _TooManyErrors
        self.by_resource.setdefault(resource, []).append(message)


def _text(content: str | bytes) -> str:
    if isinstance(content, bytes):
        return content.decode("utf-8-sig")
    return content.removeprefix("\ufeff")


def validate_datapackage(files: Mapping[str, str | bytes], *, max_errors: int = 1000) -> list[str]:
    """Check an HSDS tabular data package (CSV export) against the official ``datapackage.json``.

    ``files`` maps each file name to its content: ``"datapackage.json"`` and the CSV files named
    as the official resources' paths (``"services.csv"``, ...), as text or UTF-8 bytes. Checked:
    the descriptor lists only official resources under their official paths and fields; every
    listed file is there and every CSV file is listed; each CSV header equals the official field
    list in order; per cell: required, type (string, number, integer, boolean, date, datetime,
    time), format (uuid, email, uri), enum; unique fields and primary keys are unique; foreign
    keys resolve. Empty cells are missing values. The package may leave out resources it has no
    rows for. Stops after ``max_errors`` messages (and says so). Streams over the rows; no
    network.
    """
    official = _official_resources()
    by_path = {resource.path: resource for resource in official.values()}
    report = _Report(max_errors=max_errors)
    package_messages: list[str] = []
    try:
        listed = _check_descriptor(files, official, by_path, package_messages)
        names = [name for name in official if name in listed]
        _check_rows(files, official, names, report)
    except _TooManyErrors:
        report.by_resource.setdefault("", []).append(
            f"more than {max_errors} errors; stopped checking"
        )
    messages = package_messages[:]
    for name in [*official, ""]:
        messages.extend(report.by_resource.get(name, []))
    return messages


def _check_descriptor(
    files: Mapping[str, str | bytes],
    official: Mapping[str, _Resource],
    by_path: Mapping[str, _Resource],
    messages: list[str],
) -> set[str]:
    """Check ``datapackage.json``; return the names of the resources to check the rows of."""
    csv_files = {name for name in files if name != "datapackage.json"}
    for name in sorted(csv_files - by_path.keys()):
        messages.append(f"{name}: not a file of an HSDS tabular data package")
    present = {by_path[name].name for name in csv_files if name in by_path}
    if "datapackage.json" not in files:
        messages.append("datapackage.json: missing")
        return present
    try:
        descriptor = json.loads(_text(files["datapackage.json"]))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        messages.append(f"datapackage.json: not valid JSON ({error})")
        return present
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list):
        messages.append("datapackage.json: resources: expected an array of resources")
        return present
    listed: set[str] = set()
    for index, resource in enumerate(resources):
        where = f"datapackage.json: resources[{index}]"
        if not isinstance(resource, dict):
            messages.append(f"{where}: expected an object")
            continue
        resource_name = resource.get("name")
        expected = official.get(resource_name) if isinstance(resource_name, str) else None
        if expected is None:
            messages.append(f"{where}: {_short(resource_name)} is not an HSDS resource")
            continue
        if expected.name in listed:
            messages.append(f"{where}: resource {expected.name} is listed twice")
            continue
        listed.add(expected.name)
        if resource.get("path") != expected.path:
            messages.append(
                f"{where} ({expected.name}): path {_short(resource.get('path'))} should be "
                f"{_short(expected.path)}"
            )
        schema = resource.get("schema")
        fields = schema.get("fields") if isinstance(schema, dict) else None
        if schema is not None and not _same_fields(fields, expected):
            messages.append(
                f"{where} ({expected.name}): fields differ from the official descriptor"
            )
        if expected.path not in files:
            messages.append(f"{expected.path}: missing (listed in datapackage.json)")
    for name in sorted(present - listed):
        messages.append(f"{official[name].path}: not listed in datapackage.json")
    return listed & present


def _same_fields(fields: Any, expected: _Resource) -> bool:
    if not isinstance(fields, list) or not all(isinstance(item, dict) for item in fields):
        return False
    got = [(item.get("name"), item.get("type", "string")) for item in fields]
    return got == [(column.name, column.type) for column in expected.columns]


def _check_rows(
    files: Mapping[str, str | bytes],
    official: Mapping[str, _Resource],
    names: Sequence[str],
    report: _Report,
) -> None:
    tables = _Tables(official=official, report=report)
    for name in _processing_order(names, official):
        resource = official[name]
        _check_resource(resource, _text(files[resource.path]), tables)
        tables.done.add(name)
    for name, path, row_number, foreign_key, value in tables.deferred:
        targets = tables.key_values.get((foreign_key.resource, foreign_key.target_field), ())
        if value not in targets:
            report.add(name, _foreign_key_message(path, row_number, foreign_key, value, official))


def _foreign_key_message(
    path: str,
    row_number: int,
    foreign_key: _ForeignKey,
    value: str,
    official: Mapping[str, _Resource],
) -> str:
    target = official.get(foreign_key.resource)
    target_text = f"{target.path}" if target is not None else foreign_key.resource
    return (
        f"{path}: row {row_number}, {foreign_key.field}: foreign key {value} not found in "
        f"{target_text} ({foreign_key.target_field})"
    )


@dataclass
class _Tables:
    """What the rows of all resources share while a package is checked."""

    official: Mapping[str, _Resource]
    report: _Report
    # Values of the fields that foreign keys point at, per (resource, field).
    key_values: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    # Foreign keys to resources not checked yet (a cycle or a self-reference): checked last.
    deferred: list[tuple[str, str, int, _ForeignKey, str]] = field(default_factory=list)
    done: set[str] = field(default_factory=set)

    def referenced_fields(self, resource_name: str) -> list[str]:
        return sorted(
            {
                foreign_key.target_field
                for resource in self.official.values()
                for foreign_key in resource.foreign_keys
                if foreign_key.resource == resource_name
            }
        )


def _check_resource(resource: _Resource, text: str, tables: _Tables) -> None:
    path, name, report = resource.path, resource.name, tables.report
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as error:
        report.add(name, f"{path}: row 1: not readable as CSV ({error})")
        return
    if header is None:
        report.add(name, f"{path}: empty file (no header row)")
        return
    expected_header = [column.name for column in resource.columns]
    if header != expected_header:
        report.add(name, f"{path}: {_header_problem(header, expected_header)}")
    index = {column_name: position for position, column_name in enumerate(header)}
    for column in resource.columns:
        if column.required and column.name not in index:
            report.add(name, f"{path}: required column {column.name} is missing")
    rows = _RowChecker(resource, index, tables)
    row_number = 1
    try:
        for row_number, row in enumerate(reader, start=2):
            if len(row) == len(header):
                rows.check(row_number, row)
            elif row:  # blank lines are skipped
                report.add(
                    name, f"{path}: row {row_number}: {len(row)} cells, expected {len(header)}"
                )
    except csv.Error as error:
        report.add(name, f"{path}: row {row_number + 1}: not readable as CSV ({error})")


class _RowChecker:
    """Checks the rows of one resource; built once per file, so each row costs little."""

    def __init__(self, resource: _Resource, index: Mapping[str, int], tables: _Tables) -> None:
        self.resource = resource
        self.tables = tables
        columns = [column for column in resource.columns if column.name in index]
        # Per column only the checks it needs: most columns are free text and cost nothing.
        self.cells = [
            (index[column.name], column.required, column.check, column.enum, column)
            for column in columns
            if column.required or column.check is not None or column.enum is not None
        ]
        key = resource.primary_key
        self.primary_key = index[key[0]] if len(key) == 1 and key[0] in index else None
        self.primary_values: set[str] = set()
        self.unique = [
            (index[column.name], column.name, set[str]())
            for column in columns
            if column.unique and (column.name,) != key
        ]
        self.collect = [
            (index[field_name], tables.key_values.setdefault((resource.name, field_name), set()))
            for field_name in tables.referenced_fields(resource.name)
            if field_name in index
        ]
        self.foreign_keys = [
            (index[foreign_key.field], foreign_key)
            for foreign_key in resource.foreign_keys
            if foreign_key.field in index
        ]

    def error(self, row_number: int, field_name: str, message: str) -> None:
        self.tables.report.add(
            self.resource.name,
            f"{self.resource.path}: row {row_number}, {field_name}: {message}",
        )

    def check(self, row_number: int, row: Sequence[str]) -> None:
        for position, required, check, enum, column in self.cells:
            value = row[position]
            if value == _MISSING:
                if required:
                    self.error(row_number, column.name, "missing value")
            elif check is not None and not check(value):
                self.error(
                    row_number, column.name, f"{_short(value)} is not a valid {column.check_name}"
                )
            elif enum is not None and value not in enum:
                allowed = ", ".join(sorted(enum))
                self.error(row_number, column.name, f"{_short(value)} is not one of {allowed}")
        if self.primary_key is not None:
            value = row[self.primary_key]
            if value != _MISSING:
                if value in self.primary_values:
                    name = self.resource.primary_key[0]
                    self.error(row_number, name, f"duplicate primary key {value}")
                self.primary_values.add(value)
        for position, name, values in self.unique:
            value = row[position]
            if value != _MISSING:
                if value in values:
                    self.error(row_number, name, f"{_short(value)} is not unique")
                values.add(value)
        for position, target in self.collect:
            if row[position] != _MISSING:
                target.add(row[position])
        for position, foreign_key in self.foreign_keys:
            value = row[position]
            if value == _MISSING:
                continue
            if foreign_key.resource not in self.tables.done:
                self.tables.deferred.append(
                    (self.resource.name, self.resource.path, row_number, foreign_key, value)
                )
            elif value not in self.tables.key_values.get(
                (foreign_key.resource, foreign_key.target_field), ()
            ):
                self.tables.report.add(
                    self.resource.name,
                    _foreign_key_message(
                        self.resource.path, row_number, foreign_key, value, self.tables.official
                    ),
                )


def _header_problem(header: Sequence[str], expected: Sequence[str]) -> str:
    missing = [name for name in expected if name not in header]
    unexpected = [name for name in header if name not in expected]
    parts = []
    if missing:
        parts.append("missing " + ", ".join(missing))
    if unexpected:
        parts.append("unexpected " + ", ".join(unexpected))
    if not parts:
        parts.append("columns out of order")
    return (
        "header differs from the official field list ("
        + "; ".join(parts)
        + "); expected: "
        + ",".join(expected)
    )
