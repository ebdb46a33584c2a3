"""Large batches run in a thread after commit; small ones and tests run inline."""

from __future__ import annotations

import threading

import pytest

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.imports import tasks


@pytest.mark.django_db
def test_large_batches_start_a_thread_after_commit(
    tenant: LocalAuthority,
    settings: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    settings.IMPORTS_RUN_INLINE = False  # type: ignore[attr-defined]
    settings.IMPORTS_BACKGROUND_ROWS = 10  # type: ignore[attr-defined]
    started: list[int] = []
    done = threading.Event()

    def fake_main(batch_pk: int, tenant_pk: int, job: tasks.Job) -> None:
        started.append(batch_pk)
        done.set()

    monkeypatch.setattr(tasks, "_thread_main", fake_main)
    with django_capture_on_commit_callbacks(execute=True):
        ran = tasks.run_job(batch_pk=7, local_authority=tenant, row_count=11, job=lambda pk: None)
        assert not ran
        assert started == []
    assert done.wait(5)
    assert started == [7]
    assert tasks.run_job(batch_pk=8, local_authority=tenant, row_count=10, job=started.append)
    assert started == [7, 8]


def test_live_progress_is_kept_per_batch() -> None:
    tasks.set_live_progress(1, 150)
    assert tasks.live_progress(1) == 100
    tasks.forget_progress(1)
    assert tasks.live_progress(1) is None
