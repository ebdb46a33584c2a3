"""Running the slow steps of an import (preview, apply) in the background, with progress.

The project has no task queue yet. This is a small, honest stand-in: a batch with more than
``settings.IMPORTS_BACKGROUND_ROWS`` rows (2,000 by default) is worked on in a daemon thread of
the web process, started after the request's transaction commits; the state (status, progress,
error) lives in the database, so the batch page can poll it and survives reloads. Its limits,
written down on purpose:

* a restart of the web process kills a running thread; the batch page then shows the step as
  stalled (no progress for :data:`STALLED_AFTER`) and lets the coordinator start it again –
  nothing is half-written, as applying is one transaction;
* during the (atomic) apply, progress is kept in this process's memory, since the database only
  shows the transaction's writes when it commits; another web process sees "applying" without a
  percentage.

When the project gets a task queue (Celery, Django's tasks framework, …), replace
:func:`run_job` by an enqueue call; the jobs themselves take only the batch's primary key.

Tests set ``IMPORTS_RUN_INLINE = True`` (or a tiny threshold) to run everything synchronously.
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

STALLED_AFTER = datetime.timedelta(minutes=2)

Job = Callable[[int], None]

#: Progress of jobs running in this process, by batch primary key (0–100).
_live_progress: dict[int, int] = {}
_lock = threading.Lock()


def runs_inline(row_count: int) -> bool:
    """Whether a batch of ``row_count`` rows is worked on within the request."""
    if settings.IMPORTS_RUN_INLINE:
        return True
    threshold = settings.IMPORTS_BACKGROUND_ROWS
    return row_count <= threshold


def run_job(*, batch_pk: int, local_authority: LocalAuthority, row_count: int, job: Job) -> bool:
    """Runs ``job(batch_pk)`` now or, for large batches, in a thread after commit.

    Returns whether it ran inline (its result is then already in the database).
    """
    if runs_inline(row_count):
        job(batch_pk)
        return True
    tenant_pk = local_authority.pk

    def start() -> None:
        thread = threading.Thread(
            target=_thread_main,
            args=(batch_pk, tenant_pk, job),
            daemon=True,
            name=f"import-{batch_pk}",
        )
        thread.start()

    transaction.on_commit(start)
    return False


def _thread_main(batch_pk: int, tenant_pk: int, job: Job) -> None:
    try:
        tenant = LocalAuthority.objects.get(pk=tenant_pk)
        with scope(local_authority=tenant):
            job(batch_pk)
    except Exception:  # the job records its own failures; this is the last resort
        logger.exception("Import job for batch %s failed", batch_pk)
    finally:
        forget_progress(batch_pk)
        connection.close()


def set_live_progress(batch_pk: int, percent: int) -> None:
    with _lock:
        _live_progress[batch_pk] = max(0, min(100, percent))


def live_progress(batch_pk: int) -> int | None:
    with _lock:
        return _live_progress.get(batch_pk)


def forget_progress(batch_pk: int) -> None:
    with _lock:
        _live_progress.pop(batch_pk, None)


def is_stalled(touched_at: datetime.datetime | None) -> bool:
    return touched_at is None or timezone.now() - touched_at > STALLED_AFTER
