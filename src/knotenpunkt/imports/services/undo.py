"""Undoing an applied batch as a whole, unless its records were changed since."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.db.models.deletion import Collector
from django.utils import timezone
from django.utils.translation import gettext as _

from knotenpunkt.bodies.models import Membership
from knotenpunkt.core import audit
from knotenpunkt.core.audit import Actor
from knotenpunkt.core.models import AuditEntry
from knotenpunkt.core.services import ServiceError
from knotenpunkt.imports.models import ImportBatch
from knotenpunkt.imports.services._common import (
    Status,
    _actor_user,
    _audit_entry,
    _require,
)
from knotenpunkt.partners.models import (
    Affiliation,
    Organisation,
    Person,
    Unit,
)

# --- undo -------------------------------------------------------------------------------------

_MODELS: dict[str, type[models.Model]] = {
    "partners.Organisation": Organisation,
    "partners.Unit": Unit,
    "partners.Person": Person,
    "partners.Affiliation": Affiliation,
    "bodies.Membership": Membership,
}


def _added_since(created: dict[str, list[int]]) -> list[str]:
    """What deleting the batch's objects would take with it that the batch did not create.

    Django's deletion collector finds every dependent row – a consent, a unit, a contact, or
    anything a later app hangs on an organisation or person – so that undo never destroys work
    done after the import, whatever the app.
    """
    own = {(label, int(pk)) for label, pks in created.items() for pk in pks if label in _MODELS}
    collector = Collector(using="default")
    try:
        for label, model in _MODELS.items():
            pks = [pk for kind, pk in own if kind == label]
            if pks:
                collector.collect(list(model._base_manager.filter(pk__in=pks)))
    except (ProtectedError, RestrictedError) as error:
        return [str(obj) for obj in list(error.args[1])[:5]]
    found: list[str] = []
    for model, instances in collector.data.items():
        if model._meta.auto_created:  # rows of many-to-many tables, such as sector links
            continue
        for instance in instances:
            if (model._meta.label, instance.pk) not in own:
                found.append(str(instance))
    for queryset in collector.fast_deletes:
        if queryset.model._meta.auto_created:
            continue
        label = queryset.model._meta.label
        mine = [pk for kind, pk in own if kind == label]
        found += [str(obj) for obj in queryset.exclude(pk__in=mine)[:5]]
    return found[:5]


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
        changed_since += _added_since(created)
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
