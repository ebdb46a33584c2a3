"""Upload, column mapping, preview and the coordinator's decisions; the register stays as it is."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from knotenpunkt.bodies.models import Body
from knotenpunkt.core import audit
from knotenpunkt.core.audit import Actor
from knotenpunkt.core.models import AuditEntry, LocalAuthority
from knotenpunkt.core.services import ServiceError
from knotenpunkt.imports import tasks
from knotenpunkt.imports.mapping import (
    TARGET_KEYS,
    Record,
    extract,
    header_signature,
    is_header_word,
    normalise,
    suggest_mapping,
)
from knotenpunkt.imports.matching import (
    ExistingOrganisation,
    ExistingPerson,
    match_rows,
)
from knotenpunkt.imports.models import ColumnMapping, ImportBatch, ImportRow
from knotenpunkt.imports.reading import ReadError, Sheet, find_header_row, read_table
from knotenpunkt.imports.services._common import (
    DEFAULT_DECISIONS,
    PROGRESS_EVERY,
    VOCABULARY_CUTOFF,
    Decision,
    RowStatus,
    Status,
    _actor_user,
    _fail,
    _require,
    _touch,
)
from knotenpunkt.partners.models import (
    Affiliation,
    Organisation,
    Person,
    Profession,
    Sector,
)

# --- upload and mapping -----------------------------------------------------------------------


def _table_parts(sheet: Sheet, header_row: int | None) -> tuple[int, list[str], list[list[str]]]:
    index = find_header_row(sheet.rows, is_header_word) if header_row is None else header_row
    index = max(0, min(index, len(sheet.rows) - 1))
    headers = [cell or _("Column %(n)s") % {"n": n} for n, cell in enumerate(sheet.rows[index], 1)]
    body = [row for row in sheet.rows[index + 1 :] if any(row)]
    return index, headers, body


def remembered_mapping(headers: Sequence[str]) -> list[str] | None:
    """The mapping chosen last time for these headers in the current tenant, if any."""
    kept = ColumnMapping.objects.filter(signature=header_signature(headers)).first()
    if kept is None or len(kept.mapping) != len(headers):
        return None
    return [key if key in TARGET_KEYS else "" for key in kept.mapping]


def batch_upload(
    *, actor: Actor, local_authority: LocalAuthority, file_name: str, data: bytes
) -> ImportBatch:
    """Reads an uploaded file and keeps it as a new batch with a suggested mapping.

    Refuses (with the reader's message) anything that is not a readable table; then nothing is
    stored.
    """
    try:
        sheet = read_table(data, file_name)
    except ReadError as error:
        raise ServiceError(str(error)) from error
    header_row, headers, body = _table_parts(sheet, None)
    if not body:
        raise ServiceError(_("The sheet has a header row but no rows below it."))
    mapping = remembered_mapping(headers) or suggest_mapping(headers)
    batch = ImportBatch(
        local_authority=local_authority,
        created_by=_actor_user(actor),
        file_name=file_name[:255],
        file_kind=sheet.kind,
        content=data,
        sheet_name=sheet.name,
        sheet_names=sheet.sheet_names,
        notes=sheet.notes,
        header_row=header_row,
        headers=headers,
        table=body,
        mapping=mapping,
        row_count=len(body),
    )
    with transaction.atomic():
        batch.save()
        audit.record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            instance=batch,
            changes={"file_name": [None, batch.file_name], "rows": [None, batch.row_count]},
        )
    return batch


def batch_reread(
    *, actor: Actor, batch: ImportBatch, sheet_name: str | None, header_row: int | None
) -> ImportBatch:
    """Reads the batch's file again with another sheet or header row (1-based: ``header_row``)."""
    _require(batch, {Status.UPLOADED, Status.PREVIEWED, Status.FAILED})
    if batch.content is None:
        raise ServiceError(_("The file of this import is no longer kept. Upload it again."))
    try:
        sheet = read_table(bytes(batch.content), batch.file_name, sheet_name or None)
    except ReadError as error:
        raise ServiceError(str(error)) from error
    same_sheet = sheet.name == batch.sheet_name
    index, headers, body = _table_parts(sheet, None if header_row is None else header_row - 1)
    if not body:
        raise ServiceError(_("The sheet has a header row but no rows below it."))
    batch.sheet_name, batch.notes, batch.header_row = sheet.name, sheet.notes, index
    if not (same_sheet and headers == batch.headers):
        batch.mapping = remembered_mapping(headers) or suggest_mapping(headers)
    batch.headers, batch.table, batch.row_count = headers, body, len(body)
    batch.status = Status.UPLOADED
    with transaction.atomic():
        batch.rows.all().delete()
        batch.save(
            update_fields=[
                "sheet_name",
                "notes",
                "header_row",
                "headers",
                "table",
                "row_count",
                "mapping",
                "status",
            ]
        )
    return batch


def batch_preview(*, actor: Actor, batch: ImportBatch, mapping: Sequence[str]) -> bool:
    """Remembers ``mapping`` for the tenant and checks every row against the register.

    Writes only the batch's preview rows. Runs in the background for large files; returns whether
    the preview is ready already.
    """
    if batch.status in {Status.PREVIEWING} and not tasks.is_stalled(batch.touched_at):
        raise ServiceError(_("The rows are being checked already."))
    _require(batch, {Status.UPLOADED, Status.PREVIEWED, Status.FAILED, Status.PREVIEWING})
    mapping = [key if key in TARGET_KEYS else "" for key in mapping]
    if len(mapping) != len(batch.headers):
        raise ServiceError(_("The mapping does not fit the sheet's columns."))
    used = [key for key in mapping if key]
    if len(used) != len(set(used)):
        raise ServiceError(_("Each field can be chosen for one column only."))
    if not ({"organisation", "last_name", "full_name"} & set(used)):
        raise ServiceError(
            _("Choose at least the column with the organisation's name or the person's name.")
        )
    with transaction.atomic():
        ColumnMapping.objects.update_or_create(
            local_authority=batch.local_authority,
            signature=header_signature(batch.headers),
            defaults={"headers": batch.headers, "mapping": mapping, "updated_at": timezone.now()},
        )
        batch.mapping = mapping
        batch.status = Status.PREVIEWING
        batch.progress = 0
        batch.error = ""
        batch.touched_at = timezone.now()
        batch.save(update_fields=["mapping", "status", "progress", "error", "touched_at"])
    return tasks.run_job(
        batch_pk=batch.pk,
        local_authority=batch.local_authority,
        row_count=batch.row_count,
        job=preview_job,
    )


class Vocabulary:
    """Names of professions, sectors or bodies, found by normalised or fuzzy name."""

    def __init__(self, pairs: Iterable[tuple[int, str]]) -> None:
        self.by_key: dict[str, int] = {}
        for pk, name in pairs:
            self.by_key.setdefault(normalise(name), pk)
        self.keys = list(self.by_key)

    def find(self, name: str) -> int | None:
        key = normalise(name)
        if not key:
            return None
        if key in self.by_key:
            return self.by_key[key]
        found = process.extractOne(
            key, self.keys, scorer=fuzz.WRatio, score_cutoff=VOCABULARY_CUTOFF
        )
        return self.by_key[found[0]] if found else None


def _split_list(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;,|\n]", value) if part.strip()]


def _resolve_vocabulary(
    record: Record, professions: Vocabulary, sectors: Vocabulary, bodies: Vocabulary
) -> list[str]:
    """Adds the ids of known professions, sectors and bodies to the values; returns warnings."""
    warnings: list[str] = []
    values: dict[str, Any] = record.values
    if values.get("profession"):
        found = professions.find(values["profession"])
        if found is None:
            warnings.append(
                _("Profession “%(name)s” is not in the list of professions; it is left empty.")
                % {"name": values["profession"]}
            )
        values["@profession"] = found
    for key, vocabulary, message in (
        ("sector", sectors, _("Sector “%(name)s” is unknown; it is left out.")),
        ("body", bodies, _("Body “%(name)s” does not exist; no membership is added.")),
    ):
        if values.get(key):
            ids = []
            for name in _split_list(values[key]):
                found = vocabulary.find(name)
                if found is None:
                    warnings.append(message % {"name": name})
                else:
                    ids.append(found)
            values["@" + key] = ids
    return warnings


def existing_records() -> tuple[list[ExistingOrganisation], list[ExistingPerson], dict[int, str]]:
    """The tenant's organisations and people as plain data for matching (three queries)."""
    organisations = [
        ExistingOrganisation(id=pk, name=name, postcode=postcode, street=street, email=email)
        for pk, name, postcode, street, email in Organisation.objects.values_list(
            "pk", "name", "postcode", "street", "email"
        )
    ]
    by_person: dict[int, set[int]] = defaultdict(set)
    for person_id, organisation_id in Affiliation.objects.values_list(
        "person_id", "organisation_id"
    ):
        by_person[person_id].add(organisation_id)
    persons = [
        ExistingPerson(
            id=pk,
            first_name=first,
            last_name=last,
            email=email,
            organisation_ids=frozenset(by_person.get(pk, ())),
        )
        for pk, first, last, email in Person.objects.filter(erased_at__isnull=True).values_list(
            "pk", "first_name", "last_name", "email"
        )
    ]
    labels = {item.id: item.name for item in organisations}
    return organisations, persons, labels


def preview_job(batch_pk: int) -> None:
    """Builds the preview rows of a batch; records a failure on the batch instead of raising."""
    try:
        _preview(batch_pk)
    except Exception as error:
        _fail(batch_pk, error)
        if not isinstance(error, ServiceError):
            raise


def _preview(batch_pk: int) -> None:
    batch = ImportBatch.objects.get(pk=batch_pk)
    mapping = list(batch.mapping)
    records = [extract(row, mapping) for row in batch.table]
    _touch(batch_pk, 10)
    professions = Vocabulary(Profession.objects.values_list("pk", "name"))
    sectors = Vocabulary(Sector.objects.values_list("pk", "name"))
    bodies = Vocabulary(Body.objects.values_list("pk", "name"))
    warnings = [_resolve_vocabulary(r, professions, sectors, bodies) for r in records]
    organisations, persons, org_labels = existing_records()
    person_labels = {
        item.id: " ".join(part for part in (item.first_name, item.last_name) if part)
        for item in persons
    }
    _touch(batch_pk, 20)
    results = match_rows(
        records,
        organisations,
        persons,
        progress=lambda done, total: _touch(batch_pk, 20 + (70 * done) // max(total, 1)),
        every=PROGRESS_EVERY * 4,
    )
    first_number = batch.header_row + 2
    rows = []
    counts: dict[str, int] = defaultdict(int)
    for position, (record, result, row_warnings) in enumerate(
        zip(records, results, warnings, strict=True)
    ):
        label = ""
        if result.person_id is not None:
            label = person_labels.get(result.person_id, "")
        if result.organisation_id is not None:
            org_label = org_labels.get(result.organisation_id, "")
            label = f"{label} ({org_label})" if label else org_label
        counts[result.status] += 1
        if row_warnings:
            counts["warnings"] += 1
        rows.append(
            ImportRow(
                local_authority_id=batch.local_authority_id,
                batch_id=batch.pk,
                number=first_number + position,
                values=record.values,
                problems=record.problems,
                warnings=row_warnings,
                status=result.status,
                decision=DEFAULT_DECISIONS[RowStatus(result.status)],
                organisation_id_match=result.organisation_id,
                person_id_match=result.person_id,
                match_label=label[:300],
                score=result.score,
                duplicate_of=(
                    first_number + result.duplicate_of if result.duplicate_of is not None else None
                ),
            )
        )
    with transaction.atomic():
        ImportRow.objects.filter(batch_id=batch.pk).delete()
        ImportRow.objects.bulk_create(rows, batch_size=1000)
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=Status.PREVIEWED,
            progress=100,
            counts=dict(counts),
            previewed_at=timezone.now(),
            touched_at=timezone.now(),
            error="",
        )


def batch_decide(*, actor: Actor, batch: ImportBatch, decisions: Mapping[int, str]) -> int:
    """Sets the choice (merge, create, skip) for rows by their number; returns how many changed.

    Invalid rows can only be skipped; merging needs a matched record.
    """
    _require(batch, {Status.PREVIEWED})
    rows = list(batch.rows.filter(number__in=list(decisions)))
    changed = []
    for row in rows:
        decision = decisions[row.number]
        if decision not in Decision.values:
            continue
        if row.status == RowStatus.INVALID and decision != Decision.SKIP:
            raise ServiceError(
                _("Row %(number)s is invalid and cannot be imported.") % {"number": row.number}
            )
        if (
            decision == Decision.MERGE
            and row.person_id_match is None
            and (row.organisation_id_match is None or row.values.get("last_name"))
        ):
            raise ServiceError(
                _("Row %(number)s matches no existing record to merge into.")
                % {"number": row.number}
            )
        if row.decision != decision:
            row.decision = decision
            changed.append(row)
    ImportRow.objects.bulk_update(changed, ["decision"])
    return len(changed)
