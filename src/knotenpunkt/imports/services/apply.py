"""Applying a previewed batch to the register, in one transaction, recording what it did."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from knotenpunkt.bodies.models import Body, Membership
from knotenpunkt.core import audit
from knotenpunkt.core.audit import Actor
from knotenpunkt.core.models import AuditEntry, User
from knotenpunkt.core.services import ServiceError
from knotenpunkt.imports import tasks
from knotenpunkt.imports.matching import (
    organisation_key,
)
from knotenpunkt.imports.models import ImportBatch
from knotenpunkt.imports.services._common import (
    ORGANISATION_CONTACT_FIELDS,
    ORGANISATION_FIELDS,
    PERSON_FIELDS,
    Decision,
    RowStatus,
    Status,
    _audit_entry,
    _require,
)
from knotenpunkt.partners.models import (
    Affiliation,
    Organisation,
    Person,
    Unit,
)

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
        # A person erased after the preview (GDPR) must not come back through this import:
        # rows that matched them are left out, neither merged nor created anew.
        erased = {pk for pk, person in persons.items() if person.erased_at is not None}
        if erased:
            rows = [row for row in rows if row.person_id_match not in erased]
            persons = {pk: person for pk, person in persons.items() if pk not in erased}

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
