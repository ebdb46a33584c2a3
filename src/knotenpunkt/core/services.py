"""Writes for tenancy, places, figures, roles and accounts. Each one is atomic and audited."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from knotenpunkt.core import audit
from knotenpunkt.core.audit import Actor
from knotenpunkt.core.figures_import import FigureRow
from knotenpunkt.core.models import Area, AreaFigure, AuditEntry, LocalAuthority, Role, User

ModelT = TypeVar("ModelT", bound=models.Model)


class ServiceError(ValidationError):
    """A write refused for a reason the user can act on; the message is shown to them.

    A :class:`ValidationError`, so that views put it on the form like any other.
    """


def model_update(
    *, actor: Actor, instance: ModelT, data: Mapping[str, Any], fields: list[str]
) -> tuple[ModelT, bool]:
    """Sets ``fields`` of ``instance`` from ``data``, validates, saves only what changed, logs it.

    Returns the instance and whether anything changed.
    """
    before = audit.snapshot(instance, fields)
    changed = [name for name in fields if name in data and getattr(instance, name) != data[name]]
    if not changed:
        return instance, False
    for name in changed:
        setattr(instance, name, data[name])
    instance.full_clean()
    with transaction.atomic():
        instance.save(update_fields=changed)
        audit.log_update(actor=actor, instance=instance, before=before)
    return instance, True


AREA_FIELDS = [
    "name",
    "kind",
    "parent",
    "official_key",
    "is_central_place",
    "latitude",
    "longitude",
]


def area_create(*, actor: Actor, local_authority: LocalAuthority, **data: Any) -> Area:
    """Creates an area in ``local_authority``; its parent must belong to the same tenant."""
    parent = data.get("parent")
    if parent is not None and parent.local_authority_id != local_authority.pk:
        raise ServiceError(_("The parent area belongs to another tenant."))
    area = Area(
        local_authority=local_authority, **{k: v for k, v in data.items() if k in AREA_FIELDS}
    )
    area.full_clean()
    with transaction.atomic():
        area.save()
        audit.log_create(actor=actor, instance=area)
    return area


def area_update(*, actor: Actor, area: Area, data: Mapping[str, Any]) -> tuple[Area, bool]:
    """Changes an area; refuses a parent that is the area itself or one of its descendants."""
    parent = data.get("parent")
    if parent is not None:
        if parent.local_authority_id != area.local_authority_id:
            raise ServiceError(_("The parent area belongs to another tenant."))
        ancestor: Area | None = parent
        while ancestor is not None:
            if ancestor.pk == area.pk:
                raise ServiceError(_("An area cannot lie inside itself."))
            ancestor = ancestor.parent
    return model_update(actor=actor, instance=area, data=data, fields=AREA_FIELDS)


def area_delete(*, actor: Actor, area: Area) -> None:
    """Deletes an area without sub-areas, with its figures."""
    if area.children.exists():
        raise ServiceError(_("Move or delete the areas inside “%(name)s” first.") % {"name": area})
    with transaction.atomic():
        audit.log_delete(actor=actor, instance=area)
        area.delete()


@dataclass(frozen=True)
class FiguresImportResult:
    created: int
    updated: int
    unchanged: int


def figures_import(
    *, actor: Actor, local_authority: LocalAuthority, rows: list[FigureRow], file_name: str
) -> FiguresImportResult:
    """Writes parsed figure rows for one tenant in one transaction, inserting or updating.

    ``rows`` come from :func:`knotenpunkt.core.figures_import.parse_figures_csv`, which has
    already resolved every area inside this tenant and refused the file if any row was wrong.
    One audit entry records the import as a whole.
    """
    created = updated = unchanged = 0
    keys = {(row.area.pk, row.year, row.indicator) for row in rows}
    area_ids = {row.area.pk for row in rows}
    with transaction.atomic():
        existing = {
            (figure.area_id, figure.year, figure.indicator): figure
            for figure in AreaFigure.objects.filter(area_id__in=area_ids).select_for_update()
            if (figure.area_id, figure.year, figure.indicator) in keys
        }
        to_create: list[AreaFigure] = []
        to_update: list[AreaFigure] = []
        for row in rows:
            figure = existing.get((row.area.pk, row.year, row.indicator))
            if figure is None:
                to_create.append(
                    AreaFigure(
                        local_authority=local_authority,
                        area=row.area,
                        year=row.year,
                        indicator=row.indicator,
                        value=row.value,
                        source=row.source,
                    )
                )
            elif (figure.value, figure.source) != (row.value, row.source):
                figure.value, figure.source = row.value, row.source
                to_update.append(figure)
            else:
                unchanged += 1
        AreaFigure.objects.bulk_create(to_create)
        AreaFigure.objects.bulk_update(to_update, ["value", "source"])
        created, updated = len(to_create), len(to_update)
        audit.record(
            actor=actor,
            action=AuditEntry.Action.IMPORT,
            instance=local_authority,
            changes={
                "file": [None, file_name],
                "figures_created": [None, created],
                "figures_updated": [None, updated],
                "figures_unchanged": [None, unchanged],
            },
        )
    return FiguresImportResult(created=created, updated=updated, unchanged=unchanged)


TENANT_PROFILE_FIELDS = [
    "name",
    "kind",
    "office_name",
    "office_email",
    "office_phone",
    "office_address",
    "guide_name",
    "logo",
    "brand_colour",
]


def tenant_update(
    *, actor: Actor, tenant: LocalAuthority, data: Mapping[str, Any]
) -> tuple[LocalAuthority, bool]:
    """Changes the tenant's profile and branding."""
    return model_update(actor=actor, instance=tenant, data=data, fields=TENANT_PROFILE_FIELDS)


def role_grant(
    *,
    actor: Actor,
    local_authority: LocalAuthority,
    email: str,
    full_name: str,
    kind: str,
    invite_url_base: str,
) -> Role:
    """Gives the user with ``email`` a role in ``local_authority``; creates and invites new users.

    A new user gets an e-mail with a link to set a password (Django's password-reset token), sent
    after the transaction commits.
    """
    email = User.objects.normalize_email(email).strip().lower()
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        is_new = user is None
        if user is None:
            if not full_name.strip():
                raise ServiceError(_("Give the name of the person you invite."))
            user = User(email=email, full_name=full_name.strip())
            user.set_unusable_password()
            user.full_clean()
            user.save()
            audit.record(
                actor=actor,
                action=AuditEntry.Action.CREATE,
                instance=user,
                changes={"email": [None, user.email], "full_name": [None, user.full_name]},
                local_authority=local_authority,
            )
        if Role.objects.filter(user=user, kind=kind).exists():
            raise ServiceError(_("%(user)s already holds this role.") % {"user": user})
        role = Role.objects.create(local_authority=local_authority, user=user, kind=kind)
        audit.log_create(actor=actor, instance=role)
        if is_new:
            language = translation.get_language()
            transaction.on_commit(
                lambda: _send_invitation(
                    user=user,
                    local_authority=local_authority,
                    url_base=invite_url_base,
                    language=language,
                )
            )
    return role


def _send_invitation(
    *, user: User, local_authority: LocalAuthority, url_base: str, language: str | None
) -> None:
    token = default_token_generator.make_token(user)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    with translation.override(language):
        context = {"user": user, "tenant": local_authority, "url": url_base.rstrip("/") + path}
        send_mail(
            subject=_("Your access to Knotenpunkt – %(tenant)s") % {"tenant": local_authority},
            message=render_to_string("core/email/invitation.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )


def role_revoke(*, actor: Actor, role: Role) -> None:
    """Takes a role away; the last coordinator of a tenant cannot be removed."""
    with transaction.atomic():
        coordinators = Role.objects.filter(
            local_authority_id=role.local_authority_id, kind=Role.Kind.COORDINATOR
        ).select_for_update()
        # Counted in Python: PostgreSQL refuses FOR UPDATE together with COUNT(*).
        if role.kind == Role.Kind.COORDINATOR and len(coordinators.values_list("pk")) <= 1:
            raise ServiceError(_("A tenant needs at least one coordinator."))
        audit.log_delete(actor=actor, instance=role)
        role.delete()
