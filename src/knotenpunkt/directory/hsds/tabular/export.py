"""Writing the package: which objects are published, and one streamed query per table."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any

from django.db import models
from django.db.models import CharField, F, QuerySet, Value
from django.db.models.functions import Cast, Coalesce
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.directory.hsds.serialize import (
    TOPIC_LINK_TYPE,
    topic_attribute_id,
)
from knotenpunkt.directory.hsds.tabular.tables import (
    _MODELS,
    _OWN_SETS,
    _PLACE_TABLES,
    CHUNK_SIZE,
    DE_COLUMNS,
    EMPTY_REQUIRED_TEXT,
    EXPORTED,
    _columns,
    _field_at,
    _header,
    _json,
    _official_key,
    _required_texts,
    _text,
    _uuid_text,
    descriptor,
    path_of,
)
from knotenpunkt.directory.models import (
    Attribute,
    DirectoryContact,
    Funding,
    Location,
    OrganizationIdentifier,
    Phone,
    Program,
    Service,
    ServiceAtLocation,
    ServiceTranslation,
    TaxonomyTermTranslation,
)
from knotenpunkt.directory.selectors import public_services
from knotenpunkt.partners.models import Organisation

#: Bytes collected before a piece of the zip stream is handed on.
FLUSH_BYTES = 1 << 20

# --- Which objects an export publishes ---------------------------------------------------------


#: Location columns that say where a place is or what it is like: empty for confidential ones.
_PLACE_DETAILS = (
    "url",
    "alternate_name",
    "description",
    "transportation",
    "latitude",
    "longitude",
    "external_identifier",
    "external_identifier_type",
    "barrier_free",
    "area_official_key",
)


def _ids(qs: QuerySet[Any], name: str = "pk") -> set[int]:
    return {value for value in qs.values_list(name, flat=True).iterator(CHUNK_SIZE) if value}


def _directory_organisations() -> set[int]:
    """Organisations with anything in the directory, and their parents."""
    ids: set[int] = set()
    for model in (Service, Program, Location, DirectoryContact, Phone, Funding):
        ids |= _ids(model._default_manager.all(), "organisation_id")
    ids |= _ids(OrganizationIdentifier.objects.all(), "organisation_id")
    parents = dict(Organisation.objects.filter(parent__isnull=False).values_list("pk", "parent_id"))
    frontier = set(ids)
    while frontier:
        found = {parents[pk] for pk in frontier if pk in parents} - ids
        ids |= found
        frontier = found
    return ids


def _published(public: bool, tenant: LocalAuthority) -> dict[str, set[int] | None]:
    """The ids each table may refer to (None: all of the tenant's).

    The public sets are worked out here from one scan of each table's foreign keys: SQLite
    evaluates nested ``IN`` subqueries slowly, and long ``IN`` lists of ids break its limits.
    """
    if not public:
        return {"organization": _directory_organisations()}
    services = _ids(public_services(tenant))
    organisations: set[int] = set()
    programs: set[int] = set()
    for pk, organisation, program in _scan(Service, "organisation_id", "program_id"):
        if pk in services:
            organisations.add(organisation)
            if program is not None:
                programs.add(program)
    for pk, organisation in _scan(Program, "organisation_id"):
        if pk in programs:
            organisations.add(organisation)
    sals: set[int] = set()
    locations: set[int] = set()
    for pk, service, location in _scan(ServiceAtLocation, "service_id", "location_id"):
        if service in services:
            sals.add(pk)
            locations.add(location)
    hidden: set[int] = set()
    for pk, organisation, confidential in _scan(Location, "organisation_id", "confidential"):
        if pk in locations or organisation in organisations:
            locations.add(pk)
            if confidential:
                hidden.add(pk)
    near = (organisations, services, sals, locations)
    contacts = {
        pk
        for pk, *links in _scan(
            DirectoryContact,
            "organisation_id",
            "service_id",
            "service_at_location_id",
            "location_id",
        )
        if any(link in ids for link, ids in zip(links, near, strict=True))
    }
    phones = {
        pk
        for pk, *links in _scan(
            Phone,
            "organisation_id",
            "service_id",
            "service_at_location_id",
            "location_id",
            "contact_id",
        )
        if any(link in ids for link, ids in zip(links, (*near, contacts), strict=True))
    }
    return {
        "organization": organisations,
        "service": services,
        "program": programs,
        "service_at_location": sals,
        "location": locations,
        "open_location": locations - hidden,
        "hidden_location": hidden,
        "contact": contacts,
        "phone": phones,
    }


def _scan(model: type[models.Model], *fields: str) -> Iterator[tuple[Any, ...]]:
    return model._default_manager.values_list("pk", *fields).iterator(CHUNK_SIZE)


# --- Export ----------------------------------------------------------------------------------


class _Sink(io.RawIOBase):
    """A write-only stream that collects what the zip writer writes, for the caller to take."""

    def __init__(self) -> None:
        super().__init__()
        self._chunks: list[bytes] = []
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self._chunks.append(chunk)
        self.size += len(chunk)
        return len(chunk)

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        self.size = 0
        return data


@dataclass
class _Export:
    tenant: LocalAuthority
    public: bool
    profile: bool
    published: dict[str, set[int] | None]
    #: HSDS ids of everything written (only when attributes must be matched against them).
    written_ids: set[str] | None = None


def stream_datapackage(
    tenant: LocalAuthority, *, public: bool, profile: bool = True
) -> Iterator[bytes]:
    """The zipped data package of ``tenant``'s directory, in pieces of about a megabyte.

    For a ``StreamingHttpResponse``: the generator enters the tenant's scope itself, since the
    response is iterated after the view (and the middleware's scope) returned.
    """
    sink = _Sink()
    with scope(local_authority=tenant):
        archive = zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
        export = _Export(tenant, public, profile, _published(public, tenant))
        if public and Attribute.objects.exists():
            export.written_ids = set()
        # Attributes and metadata last: in the public subset they follow what was written.
        order = [n for n in EXPORTED if n not in {"attribute", "metadata"}]
        for name in [*order, "attribute", "metadata"]:
            with archive.open(path_of(name), "w", force_zip64=True) as raw:
                buffer = io.StringIO()
                writer = csv.writer(buffer, lineterminator="\r\n")
                writer.writerow(_header(name, profile=profile))
                for rows in _row_batches(name, export):
                    writer.writerows(rows)
                    raw.write(buffer.getvalue().encode())
                    buffer.seek(0)
                    buffer.truncate()
                    if sink.size >= FLUSH_BYTES:
                        yield sink.take()
                raw.write(buffer.getvalue().encode())
            yield sink.take()
        archive.writestr(
            "datapackage.json",
            json.dumps(descriptor(profile=profile), ensure_ascii=False, indent=2),
        )
        archive.close()
    yield sink.take()


def export_datapackage(
    tenant: LocalAuthority, out: IO[bytes], *, public: bool, profile: bool = True
) -> int:
    """Writes the zipped data package to ``out``; returns the number of bytes written."""
    size = 0
    for chunk in stream_datapackage(tenant, public=public, profile=profile):
        out.write(chunk)
        size += len(chunk)
    return size


def _batches(rows: Iterable[list[str]]) -> Iterator[list[list[str]]]:
    batch: list[list[str]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= CHUNK_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


def _row_batches(name: str, export: _Export) -> Iterator[list[list[str]]]:
    if name == "attribute":
        return _batches(_attribute_rows(export))
    if name == "metadata" and export.public:
        return iter(())  # change logs may hold earlier values, e.g. a confidential address
    return _batches(_rows(name, export))


def _rows(name: str, export: _Export) -> Iterator[list[str]]:
    """The rows of one table, in id order, as the cells of the CSV file."""
    columns = _columns(name, export.profile)
    model = _MODELS[name]
    # One expression per cell. Texts come ready from the database; ids are read as text
    # (UUID objects and back would be most of the work); the rest is converted here.
    expressions: dict[str, Any] = {}
    conversions: list[tuple[int, Callable[[Any], str]]] = []
    for index, column in enumerate(columns):
        alias = f"c{index}"
        field = _field_at(model, column.path) if column.path else None
        if column.path is None or field is None:
            expressions[alias] = Value("", output_field=CharField())
        elif isinstance(field, models.UUIDField):
            expressions[alias] = Cast(column.path, output_field=CharField())
            conversions.append((index, column.convert))
        elif column.convert is _text:
            expression: Any = F(column.path)
            if not isinstance(field, models.CharField | models.TextField):
                # PostgreSQL will not COALESCE a number with '' (SQLite would).
                expression = Cast(expression, output_field=CharField())
            if field.null or "__" in column.path:
                expression = Coalesce(expression, Value(""), output_field=CharField())
            expressions[alias] = expression
        else:
            expressions[alias] = F(column.path)
            conversions.append((index, column.convert))
    links = [column.link for column in columns if column.link is not None]
    qs = (
        model._default_manager.order_by("pk")
        .annotate(**expressions)
        .values_list("pk", *expressions, *(attname for attname, _set in links))
    )
    width = len(columns)
    paths = expressions
    index_of = {column.name: index for index, column in enumerate(columns)}
    link_plan = [
        (index_of[column.name], 1 + len(paths) + number_, export.published.get(column.link[1]))
        for number_, column in enumerate(c for c in columns if c.link is not None)
        if column.link is not None
    ]
    if export.public and name in _PLACE_TABLES:
        # Detailed tables of a place: only for the places that are not confidential.
        link_plan = [
            (cell, value, export.published.get("open_location"))
            if columns[cell].link == ("location_id", "location")
            else (cell, value, allowed)
            for cell, value, allowed in link_plan
        ]
    own = export.published.get(_OWN_SETS.get(name, ""))
    must_link = export.public and name not in _OWN_SETS and bool(link_plan)
    required = [index_of[column] for column in _required_texts(name)]
    merged = _merged_lists(name, export) if export.profile else None
    merged_cells = (
        [(index_of[column], column) for column in ("life_phases", "translations")]
        if merged is not None and name == "service"
        else [(index_of["translations"], "translations")]
        if merged is not None
        else []
    )
    special = _special_cells(name, export, index_of)
    for values in qs.iterator(CHUNK_SIZE):
        pk = values[0]
        if own is not None and pk not in own:
            continue
        row = list(values[1 : width + 1])
        for cell, convert in conversions:
            row[cell] = convert(row[cell])
        live = False
        for cell, value_index, allowed in link_plan:
            target = values[value_index]
            if target is None:
                continue
            if allowed is not None and target not in allowed:
                row[cell] = ""  # what it refers to is not published
            else:
                live = True
        if must_link and not live:
            continue
        if special is not None:
            special(pk, row, values)
        if merged is not None:
            lists = merged(pk)
            for cell, list_name in merged_cells:
                row[cell] = lists[list_name]
        for cell in required:
            if not row[cell]:
                row[cell] = EMPTY_REQUIRED_TEXT
        if export.written_ids is not None and not (
            name == "location" and pk in (export.published.get("hidden_location") or ())
        ):
            export.written_ids.add(row[0])
        yield row


def _special_cells(
    name: str, export: _Export, index_of: Mapping[str, int]
) -> Callable[[int, list[str], tuple[Any, ...]], None] | None:
    """Cells that are not a plain field: dates of moments, keys, confidential places."""
    keys = [index_of[c] for c in ("area_official_key",) if c in index_of]
    if name == "service":
        assurer = index_of["assurer_email"]
        public = export.public

        def service(pk: int, row: list[str], values: tuple[Any, ...]) -> None:
            if public:
                row[assurer] = ""

        return service if public else None
    if name == "location":
        hidden = export.published.get("hidden_location") or set()
        details = [index_of[c] for c in _PLACE_DETAILS if c in index_of]

        def location(pk: int, row: list[str], values: tuple[Any, ...]) -> None:
            for cell in keys:
                row[cell] = _official_key(row[cell])
            if pk in hidden:
                for cell in details:
                    row[cell] = ""

        return location
    if keys:

        def area(pk: int, row: list[str], values: tuple[Any, ...]) -> None:
            for cell in keys:
                row[cell] = _official_key(row[cell])

        return area
    return None


def _merged_lists(name: str, export: _Export) -> Callable[[int], dict[str, str]] | None:
    """The profile's per-row lists, merged in from queries sorted like the rows (by pk)."""
    if name == "service":
        phases = _Merge(
            Service.life_phases.through.objects.filter(service__local_authority=export.tenant)
            .order_by("service_id", "lifephase__position")
            .values_list("service_id", "lifephase__code")
            .iterator(CHUNK_SIZE)
        )
        translations = _Merge(
            (t.service_id, t)
            for t in ServiceTranslation.objects.order_by("service_id", "language").iterator(
                CHUNK_SIZE
            )
        )

        def service_lists(pk: int) -> dict[str, str]:
            return {
                "life_phases": _json(phases.take(pk)),
                "translations": _json([_service_translation(t) for t in translations.take(pk)]),
            }

        return service_lists
    if name == "taxonomy_term":
        by_term: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for t in TaxonomyTermTranslation.objects.order_by("language"):
            entry = {"language": t.language, "name": t.name, "description": t.description}
            by_term[t.term_id].append({k: v for k, v in entry.items() if v})

        def term_lists(pk: int) -> dict[str, str]:
            return {"translations": _json(by_term.get(pk, []))}

        return term_lists
    return None


def _service_translation(translation: ServiceTranslation) -> dict[str, Any]:
    entry = {"language": translation.language}
    for name in ServiceTranslation.FIELDS:
        value = getattr(translation, name)
        if value:
            entry[name] = value
    return entry


class _Merge:
    """Values of an iterator of ``(key, value)`` sorted by key, taken key by key in order."""

    def __init__(self, pairs: Iterator[tuple[int, Any]]) -> None:
        self._pairs = iter(pairs)
        self._next: tuple[int, Any] | None = next(self._pairs, None)

    def take(self, key: int) -> list[Any]:
        values = []
        while self._next is not None and self._next[0] <= key:
            if self._next[0] == key:
                values.append(self._next[1])
            self._next = next(self._pairs, None)
        return values


def _attribute_rows(export: _Export) -> Iterator[list[str]]:
    """The generic attributes, then one attribute per topic of each published service."""
    published_services = export.published.get("service")
    qs = Attribute.objects.order_by("pk").values_list(
        "uuid", "link_id", "taxonomy_term__uuid", "link_type", "link_entity", "value"
    )
    for values in qs.iterator(CHUNK_SIZE):
        row = [_text(value) for value in values]
        if export.public and (export.written_ids is None or row[1] not in export.written_ids):
            continue
        yield row
    topics = (
        Service.topics.through.objects.filter(service__local_authority=export.tenant)
        .order_by("service_id", "taxonomyterm__position", "taxonomyterm__name")
        .values_list(
            "service_id",
            Cast("service__uuid", output_field=CharField()),
            Cast("taxonomyterm__uuid", output_field=CharField()),
        )
    )
    for service_pk, service_text, term_text in topics.iterator(CHUNK_SIZE):
        if published_services is not None and service_pk not in published_services:
            continue
        service_id, term_id = _uuid_text(service_text), _uuid_text(term_text)
        yield [
            str(topic_attribute_id(service_id, term_id)),
            service_id,
            term_id,
            TOPIC_LINK_TYPE,
            "service",
            "",
        ]


def core_view(files: Mapping[str, str]) -> dict[str, str]:
    """The package as a core HSDS consumer reads it: without the DE profile's columns.

    What :func:`knotenpunkt.directory.hsds.schemas.validate_datapackage` checks, since that
    knows the official tables only.
    """
    by_path = {path_of(name): name for name in EXPORTED}
    result: dict[str, str] = {}
    for name, text in files.items():
        if name == "datapackage.json":
            package = json.loads(text)
            package.pop("de_profile_version", None)
            for resource in package.get("resources", []):
                official = set(_header(resource["name"], profile=False))
                resource["schema"]["fields"] = [
                    f for f in resource["schema"]["fields"] if f["name"] in official
                ]
            result[name] = json.dumps(package, ensure_ascii=False)
            continue
        resource_name = by_path.get(name)
        extra = len(DE_COLUMNS.get(resource_name or "", ()))
        if not extra:
            result[name] = text
            continue
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        for row in csv.reader(io.StringIO(text, newline="")):
            writer.writerow(row[:-extra])
        result[name] = out.getvalue()
    return result
