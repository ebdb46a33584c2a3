"""Writes of the import: upload, mapping and preview, decisions, apply and undo.

Nothing reaches the register before :func:`batch_apply`; applying is one transaction, and
:func:`batch_undo` reverts a whole applied batch in one transaction.

Audit: the upload, the apply and the undo each write one entry on the batch (action "import");
applying also writes one entry per created or changed organisation, person, unit, affiliation and
membership (in bulk, so that 10,000 rows stay fast), and undoing one per deleted or restored
object.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from knotenpunkt.bodies.models import Body, Membership
from knotenpunkt.core import audit
from knotenpunkt.core.audit import Actor
from knotenpunkt.core.models import AuditEntry, LocalAuthority, User
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
    organisation_key,
)
from knotenpunkt.imports.models import ColumnMapping, ImportBatch, ImportRow
from knotenpunkt.imports.reading import ReadError, Sheet, find_header_row, read_table
from knotenpunkt.partners.models import (
    Affiliation,
    Organisation,
    Person,
    Profession,
    Sector,
    Unit,
)

Status = ImportBatch.Status
RowStatus = ImportRow.Status
Decision = ImportRow.Decision

VOCABULARY_CUTOFF = 88.0
PROGRESS_EVERY = 500

DEFAULT_DECISIONS = {
    RowStatus.NEW: Decision.CREATE,
    RowStatus.MATCH: Decision.MERGE,
    RowStatus.DUPLICATE: Decision.SKIP,
    RowStatus.INVALID: Decision.SKIP,
}

#: Fields an import fills on an organisation; phone and e-mail only from rows without a person.
ORGANISATION_FIELDS = ("street", "postcode", "city", "website", "notes")
ORGANISATION_CONTACT_FIELDS = ("phone", "email")
PERSON_FIELDS = ("title", "first_name", "functions", "phone", "mobile", "email", "notes")


def _actor_user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


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


def _require(batch: ImportBatch, allowed: Iterable[str]) -> None:
    if batch.status not in set(allowed):
        raise ServiceError(
            _("This import is “%(status)s”; that step is not possible now.")
            % {"status": batch.get_status_display()}
        )


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


def _touch(batch_pk: int, percent: int) -> None:
    ImportBatch.objects.filter(pk=batch_pk).update(progress=percent, touched_at=timezone.now())


def _fail(batch_pk: int, error: Exception) -> None:
    message = "; ".join(error.messages) if isinstance(error, ServiceError) else str(error)
    ImportBatch.objects.filter(pk=batch_pk).update(
        status=Status.FAILED, error=message[:2000], touched_at=timezone.now()
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


# --- apply ------------------------------------------------------------------------------------


def batch_apply(*, actor: Actor, batch: ImportBatch) -> bool:
    """Writes the chosen rows into the register, all or nothing; returns whether it is done.

    Large batches are applied in the background (see :mod:`knotenpunkt.imports.tasks`).
    """
    if batch.status == Status.APPLYING and not tasks.is_stalled(batch.touched_at):
        raise ServiceError(_("This import is being applied already."))
    _require(batch, {Status.PREVIEWED, Status.APPLYING})
    batch.status, batch.progress, batch.touched_at = Status.APPLYING, 0, timezone.now()
    batch.save(update_fields=["status", "progress", "touched_at"])
    actor_pk = actor.pk if isinstance(actor, User) else None

    def job(batch_pk: int) -> None:
        apply_job(batch_pk, actor_pk)

    return tasks.run_job(
        batch_pk=batch.pk, local_authority=batch.local_authority, row_count=batch.row_count, job=job
    )


def apply_job(batch_pk: int, actor_pk: int | None) -> None:
    """Applies a batch; on failure nothing is written and the batch records why."""
    try:
        actor = User.objects.filter(pk=actor_pk).first() if actor_pk else None
        _apply(batch_pk, actor)
    except Exception as error:
        ImportBatch.objects.filter(pk=batch_pk).update(
            status=Status.PREVIEWED,
            error=("; ".join(error.messages) if isinstance(error, ServiceError) else str(error))[
                :2000
            ],
        )
        if not isinstance(error, ServiceError):
            raise
    finally:
        tasks.forget_progress(batch_pk)


def _audit_entry(
    *,
    actor: User | None,
    tenant_id: int,
    action: str,
    instance: models.Model,
    label: str,
    changes: dict[str, Any],
) -> AuditEntry:
    return AuditEntry(
        local_authority_id=tenant_id,
        actor=actor,
        actor_label=(actor.full_name or actor.email) if actor else "System",
        action=action,
        object_type=instance._meta.label,
        object_id=str(instance.pk),
        object_label=label[:300],
        changes=changes,
    )


def _created_changes(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    values = audit.snapshot(instance, fields)
    return {name: [None, value] for name, value in values.items() if value not in (None, "")}


class _Applier:
    """The state of one apply: objects by key, and the record of every change for the undo."""

    def __init__(self, batch: ImportBatch, actor: User | None) -> None:
        self.batch = batch
        self.actor = actor
        self.tenant_id = batch.local_authority_id
        self.now = timezone.now()
        self.audit: list[AuditEntry] = []
        self.before: dict[str, dict[int, dict[str, Any]]] = {"org": {}, "person": {}}

    def fill(
        self, kind: str, instance: Any, values: Mapping[str, Any], fields: Iterable[str]
    ) -> None:
        """Fills the empty ``fields`` of an existing record from ``values``; keeps old values."""
        for name in fields:
            value = values.get(name)
            if not value:
                continue
            field: Any = instance._meta.get_field(name)
            current = getattr(instance, field.attname)
            if current not in (None, ""):
                continue
            before = self.before[kind].setdefault(instance.pk, {})
            before.setdefault(field.name, audit._plain(current))
            setattr(instance, field.attname, value)


def _apply(batch_pk: int, actor: User | None) -> None:
    batch = ImportBatch.objects.get(pk=batch_pk)
    applier = _Applier(batch, actor)
    tenant_id = batch.local_authority_id
    rows = list(
        batch.rows.exclude(decision=Decision.SKIP)
        .exclude(status=RowStatus.INVALID)
        .order_by("number")
    )
    tasks.set_live_progress(batch_pk, 5)
    with transaction.atomic():
        org_ids = {row.organisation_id_match for row in rows if row.organisation_id_match}
        person_ids = {
            row.person_id_match
            for row in rows
            if row.person_id_match and row.decision == Decision.MERGE
        }
        organisations = Organisation.objects.select_for_update().in_bulk(org_ids)
        persons = Person.objects.select_for_update().in_bulk(person_ids)

        # Organisations: matched ones filled, new ones grouped by name and postcode.
        new_orgs: dict[str, dict[str, Organisation]] = defaultdict(dict)
        row_org: dict[int, Organisation] = {}
        for row in rows:
            values = row.values
            has_person = bool(values.get("last_name"))
            if not values.get("organisation") and not (
                row.organisation_id_match and not has_person
            ):
                continue
            fields = ORGANISATION_FIELDS + (() if has_person else ORGANISATION_CONTACT_FIELDS)
            existing = organisations.get(row.organisation_id_match or 0)
            create_anyway = not has_person and row.decision == Decision.CREATE
            if existing is not None and not create_anyway:
                applier.fill("org", existing, values, fields)
                row_org[row.number] = existing
                continue
            key, postcode = organisation_key(values)
            group = new_orgs[key]
            organisation = group.get(postcode) or (
                next(iter(group.values())) if group and not postcode else None
            )
            if organisation is None or create_anyway:
                organisation = Organisation(
                    local_authority_id=tenant_id,
                    name=values["organisation"],
                    created_at=applier.now,
                    updated_at=applier.now,
                )
                group[postcode if not create_anyway else f"{postcode}#{row.number}"] = organisation
            for name in fields:
                if values.get(name) and not getattr(organisation, name):
                    setattr(organisation, name, values[name])
            row_org[row.number] = organisation
        created_orgs = [org for group in new_orgs.values() for org in group.values()]
        Organisation.objects.bulk_create(created_orgs, batch_size=500)
        tasks.set_live_progress(batch_pk, 25)

        # Units inside the organisations (top level), reusing those that exist.
        unit_keys = {
            (row_org[row.number].pk, row.values["unit"])
            for row in rows
            if row.values.get("unit") and row.number in row_org
        }
        units: dict[tuple[int, str], Unit] = {
            (unit.organisation_id, unit.name): unit
            for unit in Unit.objects.filter(
                organisation_id__in={org_pk for org_pk, _name in unit_keys}, parent=None
            )
        }
        created_units = [
            Unit(local_authority_id=tenant_id, organisation_id=org_pk, name=name)
            for org_pk, name in sorted(unit_keys)
            if (org_pk, name) not in units
        ]
        Unit.objects.bulk_create(created_units, batch_size=500)
        units.update({(unit.organisation_id, unit.name): unit for unit in created_units})

        # People: merged ones filled, new ones created.
        created_persons: list[Person] = []
        row_person: dict[int, Person] = {}
        for row in rows:
            person_values: dict[str, Any] = dict(row.values)
            if not person_values.get("last_name"):
                continue
            person_values["profession_id"] = person_values.get("@profession")
            existing_person = persons.get(row.person_id_match or 0)
            if existing_person is not None and row.decision == Decision.MERGE:
                applier.fill(
                    "person", existing_person, person_values, (*PERSON_FIELDS, "profession_id")
                )
                row_person[row.number] = existing_person
                continue
            person = Person(
                local_authority_id=tenant_id,
                last_name=person_values["last_name"],
                created_at=applier.now,
                updated_at=applier.now,
            )
            for name in (*PERSON_FIELDS, "profession_id"):
                if person_values.get(name):
                    setattr(person, name, person_values[name])
            created_persons.append(person)
            row_person[row.number] = person
        Person.objects.bulk_create(created_persons, batch_size=500)
        tasks.set_live_progress(batch_pk, 50)

        # Affiliations, sectors and memberships that are not there yet.
        known_affiliations = set(
            Affiliation.objects.filter(person_id__in=person_ids).values_list(
                "person_id", "organisation_id"
            )
        )
        created_affiliations: list[Affiliation] = []
        sector_pairs: set[tuple[int, int]] = set()
        membership_keys: set[tuple[int, int | None, int | None]] = set()
        for row in rows:
            organisation = row_org.get(row.number)
            linked = row_person.get(row.number)
            if organisation is not None and linked is not None:
                pair = (linked.pk, organisation.pk)
                if pair not in known_affiliations:
                    known_affiliations.add(pair)
                    unit = units.get((organisation.pk, row.values.get("unit", "")))
                    created_affiliations.append(
                        Affiliation(
                            local_authority_id=tenant_id,
                            person=linked,
                            organisation=organisation,
                            unit=unit,
                            position=row.values.get("functions", "")[:200],
                        )
                    )
            if organisation is not None:
                for sector_id in row.values.get("@sector", []):
                    sector_pairs.add((organisation.pk, sector_id))
            for body_id in row.values.get("@body", []):
                if linked is not None:
                    membership_keys.add((body_id, linked.pk, None))
                elif organisation is not None:
                    membership_keys.add((body_id, None, organisation.pk))
        Affiliation.objects.bulk_create(created_affiliations, batch_size=500)

        through = Organisation.sectors.through
        org_pks = {org.pk for org in row_org.values()}
        known_sectors = set(
            through.objects.filter(organisation_id__in=org_pks).values_list(
                "organisation_id", "sector_id"
            )
        )
        added_sectors = sorted(sector_pairs - known_sectors)
        through.objects.bulk_create(
            [through(organisation_id=o, sector_id=s) for o, s in added_sectors], batch_size=500
        )

        body_ids = {key[0] for key in membership_keys}
        known_memberships = set(
            Membership.objects.filter(body_id__in=body_ids).values_list(
                "body_id", "person_id", "organisation_id"
            )
        )
        body_names = dict(Body.objects.filter(pk__in=body_ids).values_list("pk", "name"))
        created_memberships = [
            Membership(
                local_authority_id=tenant_id,
                body_id=body_id,
                person_id=person_pk,
                organisation_id=org_pk,
            )
            for body_id, person_pk, org_pk in sorted(
                membership_keys - known_memberships, key=lambda key: tuple(k or 0 for k in key)
            )
        ]
        Membership.objects.bulk_create(created_memberships, batch_size=500)
        tasks.set_live_progress(batch_pk, 70)

        # Merged records: save the filled fields, one version up.
        updated: dict[str, dict[str, dict[str, Any]]] = {
            "partners.Organisation": {},
            "partners.Person": {},
        }
        for kind, store, label in (
            ("org", organisations, "partners.Organisation"),
            ("person", persons, "partners.Person"),
        ):
            changed_objects: list[Any] = []
            fields_used: set[str] = set()
            for pk, before in applier.before[kind].items():
                instance = store[pk]
                instance.version += 1
                instance.updated_at = applier.now
                changed_objects.append(instance)
                fields_used.update(before)
                updated[label][str(pk)] = before
                after = audit.snapshot(instance, before)
                applier.audit.append(
                    _audit_entry(
                        actor=actor,
                        tenant_id=tenant_id,
                        action=AuditEntry.Action.UPDATE,
                        instance=instance,
                        label=str(instance),
                        changes=audit.diff(before, after),
                    )
                )
            if changed_objects:
                model: Any = Organisation if kind == "org" else Person
                model.objects.bulk_update(
                    changed_objects, [*sorted(fields_used), "version", "updated_at"], batch_size=100
                )

        # The audit log and the record for the undo.
        org_fields = ("name", *ORGANISATION_FIELDS, *ORGANISATION_CONTACT_FIELDS)
        for org in created_orgs:
            applier.audit.append(
                _audit_entry(
                    actor=actor,
                    tenant_id=tenant_id,
                    action=AuditEntry.Action.CREATE,
                    instance=org,
                    label=org.name,
                    changes=_created_changes(org, org_fields),
                )
            )
        for unit in created_units:
            applier.audit.append(
                _audit_entry(
                    actor=actor,
                    tenant_id=tenant_id,
                    action=AuditEntry.Action.CREATE,
                    instance=unit,
                    label=unit.name,
                    changes={"name": [None, unit.name]},
                )
            )
        for person in created_persons:
            applier.audit.append(
                _audit_entry(
                    actor=actor,
                    tenant_id=tenant_id,
                    action=AuditEntry.Action.CREATE,
                    instance=person,
                    label=person.full_name,
                    changes=_created_changes(person, ("last_name", *PERSON_FIELDS, "profession")),
                )
            )
        for affiliation in created_affiliations:
            applier.audit.append(
                _audit_entry(
                    actor=actor,
                    tenant_id=tenant_id,
                    action=AuditEntry.Action.CREATE,
                    instance=affiliation,
                    label=f"{affiliation.person.full_name} @ {affiliation.organisation.name}",
                    changes={
                        "person": [None, affiliation.person_id],
                        "organisation": [None, affiliation.organisation_id],
                    },
                )
            )
        for membership in created_memberships:
            applier.audit.append(
                _audit_entry(
                    actor=actor,
                    tenant_id=tenant_id,
                    action=AuditEntry.Action.CREATE,
                    instance=membership,
                    label=str(body_names.get(membership.body_id, "")),
                    changes={
                        "body": [None, membership.body_id],
                        "person": [None, membership.person_id],
                        "organisation": [None, membership.organisation_id],
                    },
                )
            )
        AuditEntry.objects.bulk_create(applier.audit, batch_size=1000)
        tasks.set_live_progress(batch_pk, 90)

        counts = dict(batch.counts)
        counts.update(
            {
                "organisations_created": len(created_orgs),
                "organisations_merged": len(applier.before["org"]),
                "persons_created": len(created_persons),
                "persons_merged": len(applier.before["person"]),
                "units_created": len(created_units),
                "affiliations_created": len(created_affiliations),
                "sectors_added": len(added_sectors),
                "memberships_created": len(created_memberships),
                "rows_applied": len(rows),
            }
        )
        # Only what this import created or filled: later edits there block the undo.
        versions = {
            "partners.Organisation": {
                str(org.pk): org.version
                for org in [
                    *created_orgs,
                    *(organisations[pk] for pk in applier.before["org"]),
                ]
            },
            "partners.Person": {
                str(person.pk): person.version
                for person in [
                    *created_persons,
                    *(persons[pk] for pk in applier.before["person"]),
                ]
            },
        }
        batch.changes = {
            "created": {
                "partners.Organisation": [org.pk for org in created_orgs],
                "partners.Unit": [unit.pk for unit in created_units],
                "partners.Person": [person.pk for person in created_persons],
                "partners.Affiliation": [a.pk for a in created_affiliations],
                "bodies.Membership": [m.pk for m in created_memberships],
            },
            "updated": updated,
            "versions": versions,
            "sectors": [list(pair) for pair in added_sectors],
        }
        batch.counts = counts
        batch.status = Status.APPLIED
        batch.progress = 100
        batch.applied_at = applier.now
        batch.touched_at = applier.now
        batch.error = ""
        # The file is no longer needed: the rows keep what was imported.
        batch.content = None
        batch.table = []
        batch.save(
            update_fields=[
                "changes",
                "counts",
                "status",
                "progress",
                "applied_at",
                "touched_at",
                "error",
                "content",
                "table",
            ]
        )
        audit.record(
            actor=actor,
            action=AuditEntry.Action.IMPORT,
            instance=batch,
            changes={key: [None, value] for key, value in counts.items()}
            | {"file_name": [None, batch.file_name]},
        )


# --- undo -------------------------------------------------------------------------------------

_MODELS: dict[str, type[models.Model]] = {
    "partners.Organisation": Organisation,
    "partners.Unit": Unit,
    "partners.Person": Person,
    "partners.Affiliation": Affiliation,
    "bodies.Membership": Membership,
}


def batch_undo(*, actor: Actor, batch: ImportBatch) -> None:
    """Reverts an applied batch: deletes what it created and empties the fields it filled.

    Refused, with the records named, when any of them was changed after the import or has gained
    affiliations or memberships from elsewhere: undoing would then destroy someone's later work.
    """
    _require(batch, {Status.APPLIED})
    changes = batch.changes
    created: dict[str, list[int]] = changes.get("created", {})
    with transaction.atomic():
        changed_since: list[str] = []
        for label, model in (("partners.Organisation", Organisation), ("partners.Person", Person)):
            recorded = changes.get("versions", {}).get(label, {})
            current = model.objects.filter(pk__in=[int(pk) for pk in recorded]).select_for_update()
            for instance in current:
                if instance.version != recorded[str(instance.pk)]:
                    changed_since.append(str(instance))
        created_orgs = created.get("partners.Organisation", [])
        created_persons = created.get("partners.Person", [])
        own_affiliations = created.get("partners.Affiliation", [])
        own_memberships = created.get("bodies.Membership", [])
        foreign = Affiliation.objects.filter(
            models.Q(organisation_id__in=created_orgs) | models.Q(person_id__in=created_persons)
        ).exclude(pk__in=own_affiliations)
        foreign_members = Membership.objects.filter(
            models.Q(organisation_id__in=created_orgs) | models.Q(person_id__in=created_persons)
        ).exclude(pk__in=own_memberships)
        for affiliation in foreign.select_related("person", "organisation")[:5]:
            changed_since.append(str(affiliation))
        for membership in foreign_members.select_related("person", "organisation", "body")[:5]:
            changed_since.append(str(membership))
        if changed_since:
            names = ", ".join(sorted(set(changed_since))[:5])
            raise ServiceError(
                _(
                    "This import cannot be undone: records it wrote were changed since "
                    "(%(names)s). Change them by hand instead."
                )
                % {"names": names}
            )
        actor_user = _actor_user(actor)
        entries: list[AuditEntry] = []
        now = timezone.now()
        for label in (
            "bodies.Membership",
            "partners.Affiliation",
            "partners.Person",
            "partners.Unit",
            "partners.Organisation",
        ):
            delete_model = _MODELS[label]
            objects = list(delete_model._default_manager.filter(pk__in=created.get(label, [])))
            for deleted in objects:
                entries.append(
                    _audit_entry(
                        actor=actor_user,
                        tenant_id=batch.local_authority_id,
                        action=AuditEntry.Action.DELETE,
                        instance=deleted,
                        label=label.split(".")[1],
                        changes={},
                    )
                )
            delete_model._default_manager.filter(pk__in=[o.pk for o in objects]).delete()
        restorable: tuple[tuple[str, Any], ...] = (
            ("partners.Organisation", Organisation),
            ("partners.Person", Person),
        )
        for label, restore_model in restorable:
            before_by_pk = changes.get("updated", {}).get(label, {})
            restored: list[Any] = []
            restored_fields: set[str] = set()
            for instance in restore_model.objects.filter(pk__in=[int(pk) for pk in before_by_pk]):
                before = before_by_pk[str(instance.pk)]
                current_values = audit.snapshot(instance, before)
                for name, value in before.items():
                    field: Any = instance._meta.get_field(name)
                    setattr(
                        instance,
                        field.attname,
                        value if value is not None else (None if field.null else ""),
                    )
                instance.version += 1
                instance.updated_at = now
                restored_fields.update(before)
                restored.append(instance)
                entries.append(
                    _audit_entry(
                        actor=actor_user,
                        tenant_id=batch.local_authority_id,
                        action=AuditEntry.Action.UPDATE,
                        instance=instance,
                        label=str(instance),
                        changes=audit.diff(current_values, before),
                    )
                )
            if restored:
                restore_model.objects.bulk_update(
                    restored, [*sorted(restored_fields), "version", "updated_at"]
                )
        through = Organisation.sectors.through
        pairs = {(org_pk, sector_pk) for org_pk, sector_pk in changes.get("sectors", [])}
        if pairs:
            links = through.objects.filter(
                organisation_id__in={pair[0] for pair in pairs},
                sector_id__in={pair[1] for pair in pairs},
            ).values_list("pk", "organisation_id", "sector_id")
            through.objects.filter(
                pk__in=[pk for pk, org_pk, sector_pk in links if (org_pk, sector_pk) in pairs]
            ).delete()
        AuditEntry.objects.bulk_create(entries, batch_size=1000)
        batch.status = Status.UNDONE
        batch.undone_at = now
        batch.save(update_fields=["status", "undone_at"])
        audit.record(
            actor=actor,
            action=AuditEntry.Action.IMPORT,
            instance=batch,
            changes={"status": [Status.APPLIED.value, Status.UNDONE.value]},
        )
