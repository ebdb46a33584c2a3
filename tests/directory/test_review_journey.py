"""Done means: a partner edits an offer, the coordinator approves it, the public sees it."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django_scopes import scope

from knotenpunkt.core.models import AuditEntry, LocalAuthority, User
from knotenpunkt.directory.models import Service, ServiceRevision
from tests.directory.factories import AddressFactory, ServiceAtLocationFactory
from tests.directory.freshness_support import URLS, form_data, offer, snapshot, works_at

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]


def test_a_partners_change_reaches_the_public_guide_only_after_approval(
    tenant: LocalAuthority,
    partner: User,
    coordinator: User,
    partner_client: Client,
    coordinator_client: Client,
    anonymous_client: Client,
    django_capture_on_commit_callbacks: object,
) -> None:
    service = offer(tenant, name="Elterncafé", description="Jeden Dienstag.")
    link = ServiceAtLocationFactory(service=service)
    AddressFactory(location=link.location)
    works_at(partner, service.organisation)
    public_url = f"/g/{tenant.slug}/{service.uuid}/"
    assert "Jeden Dienstag." in anonymous_client.get(public_url).content.decode()

    # The partner proposes a new description through the offer form.
    propose_url = f"/t/{tenant.slug}/offers/{service.uuid}/propose/"
    assert partner_client.get(propose_url).status_code == 200
    data = snapshot(service, description="Jeden Donnerstag, 9 bis 11 Uhr.")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = partner_client.post(
            propose_url, form_data(data, comment="Neuer Wochentag ab März.")
        )
    assert response.status_code == 302
    with scope(local_authority=tenant):
        revision = ServiceRevision.objects.get(service=service)
        assert revision.status == ServiceRevision.Status.PENDING
        assert revision.base_version == 1
        assert revision.comment == "Neuer Wochentag ab März."
    assert [message.to for message in mail.outbox] == [[coordinator.email]]
    assert "Elterncafé" in mail.outbox[0].subject

    # Nothing is published yet.
    assert "Jeden Dienstag." in anonymous_client.get(public_url).content.decode()

    # The coordinator sees the field-by-field diff in the review queue and approves.
    queue = coordinator_client.get(f"/t/{tenant.slug}/offers/review/").content.decode()
    assert "Elterncafé" in queue
    detail_url = f"/t/{tenant.slug}/offers/proposals/{revision.uuid}/"
    page = coordinator_client.get(detail_url).content.decode()
    assert "Jeden Dienstag." in page and "Jeden Donnerstag, 9 bis 11 Uhr." in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = coordinator_client.post(
            f"{detail_url}approve/", {"note": "Danke!", "next": "queue"}
        )
    assert response.status_code == 302

    # The public sees the new text; the version went up; the approved revision is history.
    assert "Jeden Donnerstag, 9 bis 11 Uhr." in anonymous_client.get(public_url).content.decode()
    with scope(local_authority=tenant):
        service = Service.objects.get(pk=service.pk)
        revision.refresh_from_db()
        assert service.version == 2
        assert revision.status == ServiceRevision.Status.APPROVED
        assert revision.reviewed_by == coordinator
        assert AuditEntry.objects.filter(
            object_type="directory.Service", object_id=str(service.pk), action="update"
        ).exists()
    assert [message.to for message in mail.outbox] == [[partner.email]]
    assert "Danke!" in mail.outbox[0].body
    history = coordinator_client.get(f"/t/{tenant.slug}/offers/{service.uuid}/").content.decode()
    assert "History of approved versions" in history
    assert "Jeden Donnerstag, 9 bis 11 Uhr." in history
    mine = partner_client.get(f"/t/{tenant.slug}/offers/mine/proposals/").content.decode()
    assert "approved" in mine


def test_a_partner_proposes_a_new_offer_that_the_coordinator_publishes(
    tenant: LocalAuthority,
    partner: User,
    partner_client: Client,
    coordinator_client: Client,
    anonymous_client: Client,
) -> None:
    organisation = offer(tenant).organisation
    works_at(partner, organisation)
    data = snapshot(offer(tenant), name="Familienfrühstück", description="Für alle.")
    data["locations"] = []
    url = f"/t/{tenant.slug}/offers/mine/new/"
    assert partner_client.get(url).status_code == 200
    response = partner_client.post(url, form_data(data, organisation=organisation))
    assert response.status_code == 302
    with scope(local_authority=tenant):
        revision = ServiceRevision.objects.get(service__isnull=True)
    coordinator_client.post(f"/t/{tenant.slug}/offers/proposals/{revision.uuid}/approve/")
    with scope(local_authority=tenant):
        created = Service.objects.get(name="Familienfrühstück")
        assert created.organisation == organisation
        assert created.last_verified_at is not None
    assert "Familienfrühstück" in anonymous_client.get(f"/g/{tenant.slug}/").content.decode()
