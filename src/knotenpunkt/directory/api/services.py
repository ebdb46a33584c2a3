"""Writes of the API layer: personal API tokens. Each one is atomic and audited.

The audit log names the token and its prefix, never the token or its hash.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from knotenpunkt.core import audit
from knotenpunkt.core.models import AuditEntry, LocalAuthority, User
from knotenpunkt.core.services import ServiceError
from knotenpunkt.directory.api import tokens
from knotenpunkt.directory.models import ApiToken

#: A token's last use is written at most this often: reading the API should not mean writing.
LAST_USED_PRECISION = dt.timedelta(minutes=1)
#: Enough for every script a partner runs; a limit keeps forgotten tokens from piling up.
MAX_ACTIVE_TOKENS = 20


def api_token_create(
    *, actor: User, local_authority: LocalAuthority, name: str
) -> tuple[ApiToken, str]:
    """Creates a personal API token of ``actor`` in ``local_authority``.

    Returns the stored token and the secret itself, which is shown once and never again.
    """
    name = name.strip()
    if not name:
        raise ServiceError(_("Give the token a name."))
    active = ApiToken.objects.filter(user=actor, revoked_at__isnull=True).count()
    if active >= MAX_ACTIVE_TOKENS:
        raise ServiceError(
            _("You have %(count)d active tokens; revoke one you no longer use first.")
            % {"count": active}
        )
    secret = tokens.new_token()
    token = ApiToken(
        local_authority=local_authority,
        user=actor,
        name=name,
        token_hash=tokens.token_hash(secret),
        prefix=tokens.token_prefix(secret),
    )
    token.full_clean(exclude=["token_hash"])
    with transaction.atomic():
        token.save()
        audit.record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            instance=token,
            changes={"name": [None, token.name], "prefix": [None, token.prefix]},
        )
    return token, secret


def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revokes ``token`` (its owner's own); from now on it opens nothing. Idempotent."""
    if token.user_id != actor.pk:
        raise ServiceError(_("Only the owner can revoke a token."))
    if token.revoked_at is not None:
        return token
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            instance=token,
            changes={"revoked_at": [None, token.revoked_at.isoformat()]},
        )
    return token


def api_token_touch(*, token: ApiToken, now: dt.datetime | None = None) -> None:
    """Notes that ``token`` was used, at most once per :data:`LAST_USED_PRECISION`.

    Not audited: it records use, not a change. One conditional UPDATE, none when recent.
    """
    now = now or timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_PRECISION:
        return
    ApiToken.objects.filter(pk=token.pk, local_authority_id=token.local_authority_id).update(
        last_used_at=now
    )
    token.last_used_at = now
