"""Reminders to verify offers: once per due period, with the one-click link, to the right person."""

from __future__ import annotations

import datetime
import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_scopes import scope

from knotenpunkt.core.models import AuditEntry, LocalAuthority
from knotenpunkt.directory import services
from knotenpunkt.directory.models import Service
from tests.directory.freshness_support import URLS, months_ago, offer
from tests.partners.factories import OrganisationFactory, PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]

BASE = "https://wegweiser.example.org"


def _remind(tenant: LocalAuthority, captured: object) -> services.ReminderResult:
    with captured(execute=True):  # type: ignore[operator]
        return services.send_verification_reminders(tenant=tenant, url_base=BASE)


def test_due_offers_are_reminded_once_per_period_with_a_working_link(
    tenant: LocalAuthority,
    anonymous_client: Client,
    django_capture_on_commit_callbacks: object,
) -> None:
    person = PersonFactory(local_authority=tenant, email="leitung@example.org")
    due = offer(tenant, name="Stillgruppe", last_verified_at=months_ago(6, 5), responsible=person)
    offer(tenant, name="Frisch", last_verified_at=months_ago(2), responsible=person)
    offer(tenant, name="Beendet", last_verified_at=months_ago(8), status=Service.Status.DEFUNCT)

    result = _remind(tenant, django_capture_on_commit_callbacks)
    assert (result.emails, result.services, result.without_address) == (1, 1, 0)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["leitung@example.org"]
    assert "Stillgruppe" in message.subject
    assert "Frisch" not in message.body
    html, mimetype = message.alternatives[0]  # type: ignore[attr-defined]
    assert mimetype == "text/html"
    assert f"{BASE}/t/{tenant.slug}/offers/{due.uuid}/propose/" in message.body
    link = re.search(rf"{BASE}(/g/{tenant.slug}/v/[^/\s]+/)", message.body)
    assert link is not None
    assert link.group(0) in html
    with scope(local_authority=tenant):
        due.refresh_from_db()
        assert due.reminder_sent_at is not None
        assert AuditEntry.objects.filter(
            object_type="directory.Service", object_id=str(due.pk)
        ).exists()

    # The next day's run sends nothing: reminded in this period already.
    mail.outbox.clear()
    assert _remind(tenant, django_capture_on_commit_callbacks).emails == 0
    assert mail.outbox == []

    # The link from the e-mail verifies the offer; a new period starts.
    assert anonymous_client.post(link.group(1)).status_code == 200
    with scope(local_authority=tenant):
        due.refresh_from_db()
        assert due.reminder_sent_at is None
        assert due.assurer_email == "leitung@example.org"
    assert _remind(tenant, django_capture_on_commit_callbacks).emails == 0

    # Six months later it is due again and reminded again.
    with scope(local_authority=tenant):
        Service.objects.filter(pk=due.pk).update(last_verified_at=months_ago(6, 2))
    assert _remind(tenant, django_capture_on_commit_callbacks).emails == 1


def test_the_reminder_goes_to_the_responsible_person_else_the_offer_else_the_organisation(
    tenant: LocalAuthority, django_capture_on_commit_callbacks: object
) -> None:
    erased = PersonFactory(local_authority=tenant, email="", last_name="Gelöschte Person")
    org = OrganisationFactory(local_authority=tenant, email="info@traeger.example.org")
    offer(
        tenant,
        name="A",
        organisation=org,
        last_verified_at=months_ago(7),
        responsible=erased,
        email="angebot@example.org",
    )
    offer(tenant, name="B", organisation=org, last_verified_at=months_ago(7))
    offer(tenant, name="C", organisation=org, last_verified_at=months_ago(7))
    offer(
        tenant,
        name="D",
        organisation=OrganisationFactory(local_authority=tenant, email=""),
        last_verified_at=months_ago(7),
    )
    result = _remind(tenant, django_capture_on_commit_callbacks)
    assert (result.emails, result.services, result.without_address) == (2, 3, 1)
    by_recipient = {tuple(message.to): message for message in mail.outbox}
    assert set(by_recipient) == {("angebot@example.org",), ("info@traeger.example.org",)}
    # One e-mail lists all offers of one recipient.
    combined = by_recipient[("info@traeger.example.org",)]
    assert "B" in combined.body and "C" in combined.body
    assert "2 offers" in combined.subject


def test_the_daily_command_reminds_in_every_tenant(
    tenant: LocalAuthority,
    other_tenant: LocalAuthority,
    django_capture_on_commit_callbacks: object,
) -> None:
    offer(tenant, email="a@example.org", last_verified_at=months_ago(7))
    offer(other_tenant, email="b@example.org", last_verified_at=months_ago(7))
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        call_command("directory_remind", "--url-base", BASE, stdout=out)
    assert "2 reminders sent" in out.getvalue()
    assert sorted(message.to[0] for message in mail.outbox) == ["a@example.org", "b@example.org"]
    assert all(BASE in message.body for message in mail.outbox)


def test_a_reminder_of_an_earlier_period_does_not_count(
    tenant: LocalAuthority, django_capture_on_commit_callbacks: object
) -> None:
    # Verified (e.g. by an import) after the last reminder, without clearing it.
    service = offer(
        tenant,
        email="a@example.org",
        last_verified_at=months_ago(7),
        reminder_sent_at=months_ago(14),
    )
    assert _remind(tenant, django_capture_on_commit_callbacks).services == 1
    with scope(local_authority=tenant):
        service.refresh_from_db()
    assert service.reminder_sent_at is not None
    assert service.reminder_sent_at > timezone.now() - datetime.timedelta(minutes=1)
