"""Personal API tokens: how they look, how they are stored, and who presents one.

A token is ``knp_`` and 43 random URL-safe characters (256 bits). Only its SHA-256 is stored
(:class:`~knotenpunkt.directory.models.ApiToken`): a fast hash is enough for a long random
secret, and it lets the API find the token with one indexed lookup. The first characters are
kept as ``prefix``, so that users can tell their tokens apart.

A token belongs to one user in one tenant. It opens the partner API only while it is not
revoked, the user is active and still holds the partner or coordinator role in that tenant.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django_scopes import scopes_disabled

from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.core.tenancy import COORDINATOR, PARTNER, roles_in
from knotenpunkt.directory.models import ApiToken

TOKEN_START = "knp_"  # noqa: S105 - a marker, not a secret
PREFIX_LENGTH = 8
#: Longer presented values are not ours; refuse them before hashing.
MAX_TOKEN_LENGTH = 100
#: Roles that may use the partner API.
API_ROLES = frozenset({COORDINATOR, PARTNER})


def new_token() -> str:
    """A fresh random token (shown to its owner once, never stored)."""
    return TOKEN_START + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """The SHA-256 (hex) under which a token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def token_prefix(token: str) -> str:
    return token[:PREFIX_LENGTH]


@dataclass(frozen=True)
class ApiCaller:
    """Who called the partner API: the token, its user and tenant, their roles there."""

    token: ApiToken
    user: User
    tenant: LocalAuthority
    roles: frozenset[str]

    @property
    def is_coordinator(self) -> bool:
        return COORDINATOR in self.roles


def caller_for(presented: str) -> ApiCaller | None:
    """The caller a presented token stands for, or None if it opens nothing (any reason)."""
    if not presented or len(presented) > MAX_TOKEN_LENGTH:
        return None
    # The token names the tenant, so the lookup cannot run inside one.
    with scopes_disabled():
        token = (
            ApiToken.objects.select_related("user", "local_authority")
            .filter(token_hash=token_hash(presented), revoked_at__isnull=True)
            .first()
        )
    if token is None or not token.user.is_active:
        return None
    roles = roles_in(token.user, token.local_authority)
    if not roles & API_ROLES:
        return None
    return ApiCaller(token=token, user=token.user, tenant=token.local_authority, roles=roles)
