"""Writes of the printed guide: recording an edition, generating it, trying again, deleting it."""

from __future__ import annotations

import logging
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from knotenpunkt.core.audit import log_create, log_delete, log_update, snapshot
from knotenpunkt.core.models import Area, LifePhase, LocalAuthority
from knotenpunkt.core.services import ServiceError
from knotenpunkt.directory.booklet import rendering, selection, tasks
from knotenpunkt.directory.models import GUIDE_LANGUAGES, GuideEdition

logger = logging.getLogger(__name__)

Status = GuideEdition.Status
Actor = Any

LANGUAGE_CODES = frozenset(code for code, _label in GUIDE_LANGUAGES)


def edition_create(
    *,
    actor: Actor,
    local_authority: LocalAuthority,
    name: str,
    area: Area,
    life_phase: LifePhase | None = None,
    language: str = "de",
) -> GuideEdition:
    """Records a new edition of the printed guide and starts generating it.

    Generation runs in the background after commit (inline in tests); the edition's status and
    progress say how far it got.
    """
    name = name.strip()
    if not name:
        raise ServiceError(_("Give the edition a name, for example 2026/1."))
    if language not in LANGUAGE_CODES:
        raise ServiceError(_("This language is not offered."))
    if area.local_authority_id != local_authority.pk:
        raise ServiceError(_("Choose an area of this tenant."))
    with transaction.atomic():
        edition = GuideEdition.objects.create(
            local_authority=local_authority,
            name=name,
            area=area,
            life_phase=life_phase,
            language=language,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            touched_at=timezone.now(),
        )
        log_create(actor=actor, instance=edition)
    # Outside the block above: inline, a failed generation must find a usable transaction.
    tasks.run_job(edition_pk=edition.pk, local_authority=local_authority, job=generate)
    edition.refresh_from_db()
    return edition


def edition_retry(*, actor: Actor, edition: GuideEdition) -> GuideEdition:
    """Generates a failed or stalled edition again (with today's data)."""
    running = edition.status in {Status.QUEUED, Status.RUNNING}
    if edition.status == Status.DONE or (running and not tasks.is_stalled(edition.touched_at)):
        raise ServiceError(_("This edition is being generated or is ready already."))
    with transaction.atomic():
        before = snapshot(edition, ["status", "progress", "error"])
        edition.status, edition.progress, edition.error = Status.QUEUED, 0, ""
        edition.touched_at = timezone.now()
        edition.save(update_fields=["status", "progress", "error", "touched_at"])
        log_update(actor=actor, instance=edition, before=before)
    tasks.run_job(edition_pk=edition.pk, local_authority=edition.local_authority, job=generate)
    edition.refresh_from_db()
    return edition


def edition_delete(*, actor: Actor, edition: GuideEdition) -> None:
    """Deletes an edition and its PDF; not while it is being generated."""
    running = edition.status in {Status.QUEUED, Status.RUNNING}
    if running and not tasks.is_stalled(edition.touched_at):
        raise ServiceError(_("Wait until the edition is generated, then delete it."))
    with transaction.atomic():
        log_delete(actor=actor, instance=edition)
        file_name = edition.pdf.name
        storage = edition.pdf.storage
        edition.delete()
        if file_name:
            transaction.on_commit(lambda: storage.delete(file_name))


def _progress(edition_pk: int, percent: int, **fields: Any) -> None:
    GuideEdition.objects.filter(pk=edition_pk).update(
        progress=max(0, min(100, percent)), touched_at=timezone.now(), **fields
    )


def generate(edition_pk: int) -> None:
    """Generates the PDF of an edition from the live data; records failures on the edition.

    Not one transaction: each step's progress is committed at once, so that the edition's page
    can show it; the PDF and the counts are written last, together with the status.
    """
    try:
        edition = GuideEdition.objects.select_related("local_authority", "area", "life_phase").get(
            pk=edition_pk
        )
    except GuideEdition.DoesNotExist:
        return  # deleted meanwhile
    try:
        if edition.area is None:
            raise ServiceError(_("The area of this edition was deleted."))
        _progress(edition_pk, 5, status=Status.RUNNING, error="")
        tenant = edition.local_authority
        services = list(
            selection.booklet_services(tenant, area=edition.area, life_phase=edition.life_phase)
        )
        _progress(edition_pk, 20)
        booklet = selection.booklet_for(
            tenant,
            area=edition.area,
            life_phase=edition.life_phase,
            language=edition.language,
            edition=edition.name,
            date=timezone.localdate(edition.created_at),
            services=services,
        )
        _progress(edition_pk, 30)
        rendered = rendering.booklet_pdf(
            booklet, progress=lambda percent: _progress(edition_pk, percent)
        )
        file_name = "-".join(
            part
            for part in (
                slugify(tenant.slug),
                slugify(edition.area.name),
                slugify(edition.name),
                edition.language,
                str(edition.uuid)[:8],
            )
            if part
        )
        edition.pdf.save(f"{file_name}.pdf", ContentFile(rendered.pdf), save=False)
        updated = GuideEdition.objects.filter(pk=edition_pk).update(
            pdf=edition.pdf.name,
            page_count=rendered.page_count,
            offer_count=booklet.offer_count,
            status=Status.DONE,
            progress=100,
            touched_at=timezone.now(),
        )
        if not updated:  # deleted while it was generated
            edition.pdf.storage.delete(edition.pdf.name)
    except Exception as error:
        logger.exception("Guide edition %s could not be generated", edition_pk)
        message = " ".join(error.messages) if isinstance(error, ServiceError) else str(error)
        _progress(
            edition_pk,
            0,
            status=Status.FAILED,
            error=message[:2000] or _("The guide could not be generated."),
        )
