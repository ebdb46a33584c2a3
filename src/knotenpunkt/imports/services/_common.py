"""What the import's steps share: statuses, default decisions, the batch checks and progress."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from knotenpunkt.core.audit import Actor
from knotenpunkt.core.models import AuditEntry, User
from knotenpunkt.core.services import ServiceError
from knotenpunkt.imports.models import ImportBatch, ImportRow

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


def _require(batch: ImportBatch, allowed: Iterable[str]) -> None:
    if batch.status not in set(allowed):
        raise ServiceError(
            _("This import is “%(status)s”; that step is not possible now.")
            % {"status": batch.get_status_display()}
        )


def _touch(batch_pk: int, percent: int) -> None:
    ImportBatch.objects.filter(pk=batch_pk).update(progress=percent, touched_at=timezone.now())


def _fail(batch_pk: int, error: Exception) -> None:
    message = "; ".join(error.messages) if isinstance(error, ServiceError) else str(error)
    ImportBatch.objects.filter(pk=batch_pk).update(
        status=Status.FAILED, error=message[:2000], touched_at=timezone.now()
    )


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
