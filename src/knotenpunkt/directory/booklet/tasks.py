"""Generating an edition in the background, with progress the edition page polls.

The same small stand-in for a task queue as the imports (:mod:`knotenpunkt.imports.tasks`): a
daemon thread of the web process, started after the request's transaction commits; status and
progress live in the edition's row (generation writes no other rows, so each step's progress is
committed at once and every web process sees it). A restart kills a running thread; the edition
then shows as stalled (:data:`STALLED_AFTER` without progress) and can be generated again.

Tests (and scripts) set ``GUIDE_EDITIONS_RUN_INLINE = True`` in the settings to generate within
the request; the setting is optional and off unless set.
"""

from __future__ import annotations

import datetime
import logging
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority

logger = logging.getLogger(__name__)

STALLED_AFTER = datetime.timedelta(minutes=3)

Job = Callable[[int], None]


def runs_inline() -> bool:
    """Whether editions are generated within the request (tests, scripts)."""
    return bool(getattr(settings, "GUIDE_EDITIONS_RUN_INLINE", False))


def run_job(*, edition_pk: int, local_authority: LocalAuthority, job: Job) -> bool:
    """Runs ``job(edition_pk)`` now (inline mode) or in a thread after commit.

    Returns whether it ran inline (its result is then in the database already).
    """
    if runs_inline():
        job(edition_pk)
        return True
    tenant_pk = local_authority.pk

    def start() -> None:
        threading.Thread(
            target=_thread_main,
            args=(edition_pk, tenant_pk, job),
            daemon=True,
            name=f"guide-edition-{edition_pk}",
        ).start()

    transaction.on_commit(start)
    return False


def _thread_main(edition_pk: int, tenant_pk: int, job: Job) -> None:
    try:
        tenant = LocalAuthority.objects.get(pk=tenant_pk)
        with scope(local_authority=tenant):
            job(edition_pk)
    except Exception:  # the job records its own failures; this is the last resort
        logger.exception("Generating guide edition %s failed", edition_pk)
    finally:
        connection.close()


def is_stalled(touched_at: datetime.datetime | None) -> bool:
    """A running edition without a sign of life for :data:`STALLED_AFTER`."""
    return touched_at is None or timezone.now() - touched_at > STALLED_AFTER
