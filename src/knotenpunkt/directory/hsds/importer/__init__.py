"""Import HSDS 3.0 JSON into a tenant's directory: record by record, all or nothing per record.

A *record* is one top-level HSDS object with everything nested in it: a ``service`` (as
``/services/{id}`` returns it, or a list item), an ``organization`` (its nested ``services``
become records of their own), a ``taxonomy`` or a ``taxonomy_term``. :func:`import_hsds` takes
one record, a list of them or an HSDS page (``{"contents": [...]}``); the tabular data package
(:mod:`knotenpunkt.directory.hsds.tabular`) is turned into the same records.

Each record is checked before anything is written: against the official schema with the DE
profile (:func:`knotenpunkt.directory.hsds.schemas.validate`), then against our own rules (field
lengths, dates, numbers that fit, references that resolve, the age range). A record that fails is
reported with its id, name and the reasons and writes nothing: it runs in a savepoint of its own,
so even a conflict found only by the database rolls back just that record.

Identifiers are kept: every object is matched by its HSDS id (``uuid``) within the tenant, so a
second import of the same data updates instead of duplicating, and unchanged data changes
nothing. Within a record the data is the truth: scalar properties that are missing are empty, and
a list of child objects that is present replaces the children that were there (children that are
left out are unlinked, and deleted when nothing else uses them). A list that is missing leaves the
children alone. Services, organisations, locations and terms are never deleted by an import.

Topics: an attribute with ``link_type`` "topic" whose term belongs to the tenant's topic taxonomy
becomes a topic of the service (:attr:`Service.topics`); a tenant without topics adopts the
taxonomy of the first imported topic. Other attributes and metadata are stored as they are.

What our models cannot hold is reported as a note on the record (e.g. ``tax_status``, or a
reference to an object that is not there), never silently dropped.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _
from django_scopes import scope

from knotenpunkt.core import audit
from knotenpunkt.core.audit import Actor
from knotenpunkt.core.models import AuditEntry, LocalAuthority
from knotenpunkt.core.services import ServiceError
from knotenpunkt.directory.hsds import schemas
from knotenpunkt.directory.hsds.importer.offers import RecordWriter
from knotenpunkt.directory.hsds.importer.report import (
    ImportReport,
    Record,
    RecordOutcome,
    _Rejected,
)
from knotenpunkt.directory.hsds.importer.writer import _TenantState
from knotenpunkt.directory.search.index import search_index_rebuild

__all__ = [
    "KINDS",
    "ImportReport",
    "Record",
    "RecordOutcome",
    "import_hsds",
    "import_records",
    "parse_json",
    "records_from_json",
]

logger = logging.getLogger(__name__)

#: The record kinds, in the order they are imported (what others refer to comes first).
KINDS = ("taxonomy", "taxonomy_term", "organization", "service")

#: At most this many schema problems are listed per rejected record.
MAX_REASONS = 5


# --- Reading -------------------------------------------------------------------------------


def parse_json(content: bytes | str) -> Any:
    """The JSON value of an uploaded file; :class:`ServiceError` if it is not JSON."""
    import json

    try:
        text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
        return json.loads(text)
    except (UnicodeDecodeError, ValueError) as error:
        raise ServiceError(
            _("The file is not valid JSON (UTF-8): %(error)s") % {"error": error}
        ) from error


def _kind_of(data: Any) -> str | None:
    if not isinstance(data, dict):
        return None
    keys = set(data)
    if keys & {"status", "service_at_locations", "organization", "program", "program_id"}:
        return "service"
    if keys & {"taxonomy_detail", "term_uri", "parent_id", "code", "taxonomy_id", "taxonomy"}:
        return "taxonomy_term"
    if "version" in keys and not keys & {"email", "website", "locations", "services"}:
        return "taxonomy"
    return "organization"


def records_from_json(data: Any) -> list[Record]:
    """The records in an HSDS JSON document: one object, a list, or a page (``contents``).

    An organisation's nested ``services`` become records of their own (referring to it), so
    that one bad service does not cost the whole organisation.
    """
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        items, prefix = data["contents"], "contents"
    elif isinstance(data, list):
        items, prefix = data, ""
    else:
        items, prefix = [data], ""
    records: list[Record] = []
    for index, item in enumerate(items):
        source = f"{prefix}[{index}]" if prefix or len(items) > 1 else ""
        kind = _kind_of(item)
        if kind is None:
            records.append(Record(kind="", data=item, source=source))
            continue
        if kind == "organization" and isinstance(item.get("services"), list):
            services = item["services"]
            records.append(
                Record(
                    kind=kind,
                    data={k: v for k, v in item.items() if k != "services"},
                    source=source,
                )
            )
            for position, service in enumerate(services):
                if isinstance(service, dict) and "organization" not in service:
                    service = {**service, "organization_id": item.get("id")}
                records.append(
                    Record(kind="service", data=service, source=f"{source}.services[{position}]")
                )
            continue
        records.append(Record(kind=kind, data=item, source=source))
    return records


def _ordered(records: Iterable[Record]) -> list[Record]:
    """Referenced before referring: taxonomies, terms (parents first), organisations, services."""
    by_kind: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        by_kind[record.kind].append(record)
    ordered = [*by_kind.pop("", [])]
    for kind in KINDS:
        group = by_kind.pop(kind, [])
        if kind == "taxonomy_term":
            group = _parents_first(group, "parent_id")
        elif kind == "organization":
            group = _parents_first(group, "parent_organization_id")
        ordered += group
    for group in by_kind.values():
        ordered += group
    return ordered


def _parents_first(records: list[Record], parent_key: str) -> list[Record]:
    by_id = {
        record.data["id"]: record
        for record in records
        if isinstance(record.data, dict) and isinstance(record.data.get("id"), str)
    }
    done: set[int] = set()
    result: list[Record] = []

    def visit(record: Record, depth: int = 0) -> None:
        if id(record) in done:
            return
        done.add(id(record))
        key = record.data.get(parent_key) if isinstance(record.data, dict) else None
        parent = by_id.get(key) if isinstance(key, str) else None
        if parent is not None and depth < 100:
            visit(parent, depth + 1)
        result.append(record)

    for record in records:
        visit(record)
    return result


# --- Entry points ------------------------------------------------------------------------------


def import_hsds(*, actor: Actor, local_authority: LocalAuthority, data: Any) -> ImportReport:
    """Imports HSDS JSON (one object, a list or a page) into ``local_authority``'s directory.

    Every record is validated and written in a savepoint of its own; see the module's docstring.
    Returns the :class:`ImportReport`; raises nothing for bad records.
    """
    return import_records(
        actor=actor, local_authority=local_authority, records=records_from_json(data)
    )


def import_records(
    *, actor: Actor, local_authority: LocalAuthority, records: Iterable[Record]
) -> ImportReport:
    """Imports ``records`` (see :class:`Record`) into ``local_authority``, each all or nothing."""
    report = ImportReport()
    with scope(local_authority=local_authority), transaction.atomic():
        state = _TenantState(local_authority)
        for record in _ordered(records):
            outcome, result = _import_one(actor, state, record)
            getattr(report, result).append(outcome)
        search_index_rebuild(local_authority)
    return report


def _name_of(data: Any) -> str:
    if isinstance(data, dict):
        name = data.get("name")
        if isinstance(name, str):
            return name[:200]
    return ""


def _id_of(data: Any) -> str:
    if isinstance(data, dict) and isinstance(data.get("id"), str):
        return str(data["id"])[:100]
    return ""


def _import_one(actor: Actor, state: _TenantState, record: Record) -> tuple[RecordOutcome, str]:
    outcome = RecordOutcome(
        kind=record.kind, id=_id_of(record.data), name=_name_of(record.data), source=record.source
    )
    if not record.kind:
        outcome.reasons.append(_("This is not an HSDS object."))
        return outcome, "rejected"
    problems = schemas.validate(record.data, record.kind)
    if problems:
        outcome.reasons += [
            _("Does not match the HSDS schema: %(problem)s") % {"problem": problem}
            for problem in problems[:MAX_REASONS]
        ]
        if len(problems) > MAX_REASONS:
            outcome.reasons.append(
                _("… and %(count)s more problems.") % {"count": len(problems) - MAX_REASONS}
            )
        return outcome, "rejected"
    writer = RecordWriter(state, outcome)
    try:
        with transaction.atomic():
            top = writer.write(record.kind, record.data)
            if writer.changes:
                audit.record(
                    actor=actor,
                    action=AuditEntry.Action.IMPORT,
                    instance=top,
                    changes={
                        "hsds_objects_created": [None, writer.created],
                        "hsds_objects_updated": [None, writer.updated],
                        "hsds_objects_removed": [None, writer.removed],
                    },
                )
    except _Rejected as error:
        outcome.reasons.append(str(error))
    except (DatabaseError, ValidationError) as error:
        outcome.reasons.append(
            _("Conflicts with data already there: %(error)s") % {"error": _short(error)}
        )
    except Exception as error:  # a bug must not take the other records with it
        logger.exception("HSDS import of %s %s failed", record.kind, outcome.id)
        outcome.reasons.append(
            _("Could not be imported because of an internal error (%(error)s).")
            % {"error": type(error).__name__}
        )
    if outcome.reasons:
        state.forget()
        outcome.notes.clear()
        outcome.remapped.clear()
        return outcome, "rejected"
    state.keep()
    if writer.top_created:
        return outcome, "created"
    return outcome, "updated" if writer.changes else "unchanged"


def _short(error: Exception, limit: int = 200) -> str:
    text = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
    return text if len(text) <= limit else text[: limit - 1] + "…"
