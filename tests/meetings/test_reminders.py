"""Reminders for overdue action items go out once."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scopes_disabled

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.meetings.models import ActionItem
from tests.meetings.factories import ActionItemFactory


@pytest.mark.django_db
def test_it_reminds_owners_of_overdue_open_items_once(
    tenant: LocalAuthority, other_tenant: LocalAuthority, django_capture_on_commit_callbacks: Any
) -> None:
    past = timezone.localdate() - datetime.timedelta(days=2)
    overdue = ActionItemFactory(local_authority=tenant, due=past, title="Flyer drucken")
    ActionItemFactory(local_authority=tenant, due=past, status=ActionItem.Status.DONE)
    ActionItemFactory(local_authority=tenant)  # not due yet
    ActionItemFactory(local_authority=tenant, due=past, owner=None)
    foreign = ActionItemFactory(local_authority=other_tenant, due=past)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("meetings_remind", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [overdue.owner.email, foreign.owner.email]
    )
    message = next(m for m in mail.outbox if m.to == [overdue.owner.email])
    assert "Flyer drucken" in message.subject
    with scopes_disabled():
        overdue.refresh_from_db()
    assert overdue.reminded_at is not None

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("meetings_remind", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert mail.outbox == []
