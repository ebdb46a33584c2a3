"""Reads of the printed guide's editions (a fixed number of queries)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from knotenpunkt.directory.booklet import tasks
from knotenpunkt.directory.models import GuideEdition


def editions(*, done_only: bool = False) -> QuerySet[GuideEdition]:
    """The tenant's editions, newest first; ``done_only`` for those ready to print."""
    found = GuideEdition.objects.select_related("area", "life_phase", "created_by")
    if done_only:
        found = found.filter(status=GuideEdition.Status.DONE)
    return found.order_by("-created_at", "-pk")


@dataclass(frozen=True)
class EditionProgress:
    status: str
    label: str
    percent: int
    running: bool
    stalled: bool


def edition_progress(edition: GuideEdition) -> EditionProgress:
    """How far the generation of ``edition`` got, and whether it seems to have stalled."""
    running = edition.status in {GuideEdition.Status.QUEUED, GuideEdition.Status.RUNNING}
    return EditionProgress(
        status=edition.status,
        label=str(edition.get_status_display()),
        percent=edition.progress,
        running=running,
        stalled=running and tasks.is_stalled(edition.touched_at),
    )
