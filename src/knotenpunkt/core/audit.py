"""The audit log: every write records who changed which object and which fields.

Services call these helpers inside their transaction, so that a write and its log entry land
together or not at all. Secrets (password hashes, tokens) never enter the log.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models.fields.files import FieldFile

from knotenpunkt.core.models import AuditEntry, LocalAuthority, User

#: Fields whose values are replaced by a marker in the log.
SECRET_FIELDS = frozenset({"password", "token", "secret"})
REDACTED = "***"

Actor = User | AnonymousUser | None


def _plain(value: Any) -> Any:
    """A JSON-friendly form of a field value."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return str(value)


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The current values of ``instance``'s concrete fields (foreign keys as their ids)."""
    wanted = set(fields) if fields is not None else None
    values: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if wanted is not None and field.name not in wanted:
            continue
        value = getattr(instance, field.attname)
        values[field.name] = REDACTED if field.name in SECRET_FIELDS else _plain(value)
    return values


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for each field whose value differs."""
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value and value != REDACTED
    }


def _tenant_of(instance: models.Model) -> LocalAuthority | None:
    if isinstance(instance, LocalAuthority):
        return instance
    tenant_id = getattr(instance, "local_authority_id", None)
    if tenant_id is None:
        return None
    return instance.local_authority  # type: ignore[attr-defined]


def record(
    *,
    actor: Actor,
    action: str,
    instance: models.Model,
    changes: Mapping[str, Any],
    local_authority: LocalAuthority | None = None,
) -> AuditEntry:
    """Writes one audit entry; ``local_authority`` defaults to the instance's tenant."""
    user = actor if isinstance(actor, User) else None
    tenant = local_authority if local_authority is not None else _tenant_of(instance)
    return AuditEntry.objects.using(instance._state.db or "default").create(
        local_authority=tenant,
        actor=user,
        actor_label=(user.full_name or user.email) if user else "System",
        action=action,
        object_type=instance._meta.label,
        object_id=str(instance.pk),
        object_label=str(instance)[:300],
        changes=dict(changes),
    )


def log_create(*, actor: Actor, instance: models.Model) -> AuditEntry:
    """Logs a new object with all its field values."""
    values = {
        name: [None, value]
        for name, value in snapshot(instance).items()
        if value not in (None, "") and name != "id"
    }
    return record(actor=actor, action=AuditEntry.Action.CREATE, instance=instance, changes=values)


def log_update(
    *, actor: Actor, instance: models.Model, before: Mapping[str, Any]
) -> AuditEntry | None:
    """Logs the fields that changed since ``before`` (a :func:`snapshot`); nothing if none did."""
    changes = diff(before, snapshot(instance, before.keys()))
    if not changes:
        return None
    return record(actor=actor, action=AuditEntry.Action.UPDATE, instance=instance, changes=changes)


def log_delete(*, actor: Actor, instance: models.Model) -> AuditEntry:
    """Logs an object about to be deleted, with its last values."""
    values = {
        name: [value, None]
        for name, value in snapshot(instance).items()
        if value not in (None, "") and name != "id"
    }
    return record(actor=actor, action=AuditEntry.Action.DELETE, instance=instance, changes=values)
