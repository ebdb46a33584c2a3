"""Without the inline setting, an edition is generated in a thread started after commit."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.directory.booklet import services, tasks
from knotenpunkt.directory.models import GuideEdition
from tests.directory import test_booklet_support as support
from tests.directory.test_booklet_support import Directory

pytestmark = pytest.mark.django_db
# The shared fixtures, under their own names.
booklet_settings = support.booklet_settings
directory = support.directory


class InlineThread:
    """Stands in for ``threading.Thread``: the test database is not shared with real threads."""

    def __init__(self, *, target: Any, args: tuple[Any, ...], **kwargs: Any) -> None:
        self.target, self.args = target, args

    def start(self) -> None:
        self.target(*self.args)


def test_it_queues_the_edition_and_generates_it_after_commit(
    tenant: LocalAuthority,
    directory: Directory,
    booklet_settings: Any,
    coordinator: User,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    booklet_settings.GUIDE_EDITIONS_RUN_INLINE = False
    monkeypatch.setattr(threading, "Thread", InlineThread)
    monkeypatch.setattr(tasks.connection, "close", lambda: None)
    with scope(local_authority=tenant):
        with django_capture_on_commit_callbacks() as callbacks:
            edition = services.edition_create(
                actor=coordinator, local_authority=tenant, name="2026/1", area=directory.town
            )
        assert edition.status == GuideEdition.Status.QUEUED and edition.progress == 0
        assert len(callbacks) == 1
    callbacks[0]()  # the thread runs outside the request's scope, as in production
    with scope(local_authority=tenant):
        edition.refresh_from_db()
    assert edition.status == GuideEdition.Status.DONE, edition.error
    assert edition.progress == 100 and edition.offer_count == 4


def test_a_failure_is_recorded_on_the_edition(
    tenant: LocalAuthority,
    directory: Directory,
    booklet_settings: Any,
    coordinator: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("layout exploded")

    monkeypatch.setattr(services.rendering, "booklet_pdf", broken)
    with scope(local_authority=tenant):
        edition = services.edition_create(
            actor=coordinator, local_authority=tenant, name="2026/1", area=directory.town
        )
    assert edition.status == GuideEdition.Status.FAILED
    assert "layout exploded" in edition.error
    assert not edition.pdf
