"""The kinds of body a new tenant starts with; coordinators may rename, add and delete them."""

from __future__ import annotations

from knotenpunkt.bodies.models import BodyKind
from knotenpunkt.core.models import LocalAuthority

#: German names, as networks call their bodies (data, not UI text: tenants edit them).
DEFAULT_BODY_KINDS: tuple[str, ...] = (
    "Netzwerk",
    "Steuerungsgruppe",
    "Lenkungsgruppe",
    "Arbeitsgruppe",
    "Arbeitskreis",
    "Qualitätszirkel",
    "Sozialraumteam",
    "Informationsnetzwerk",
    "Produktionsnetzwerk",
    "Fachbeirat",
)


def default_kinds(tenant: LocalAuthority) -> list[BodyKind]:
    """Unsaved default kinds for ``tenant`` (the synthetic generator bulk-creates these)."""
    return [BodyKind(local_authority=tenant, name=name) for name in DEFAULT_BODY_KINDS]


def install_defaults(tenant: LocalAuthority) -> None:
    """Adds the default kinds of body that ``tenant`` lacks (idempotent; renamed ones stay)."""
    existing = set(BodyKind.objects.filter(local_authority=tenant).values_list("name", flat=True))
    BodyKind.objects.bulk_create(
        [kind for kind in default_kinds(tenant) if kind.name not in existing]
    )
