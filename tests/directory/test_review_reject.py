"""A rejected proposal changes nothing; the partner is told why; a proposer may withdraw."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.core.services import ServiceError
from knotenpunkt.directory import services
from knotenpunkt.directory.models import Service, ServiceRevision
from tests.directory.freshness_support import URLS, offer, snapshot, works_at

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]


def test_a_rejected_proposal_leaves_the_offer_and_tells_the_partner(
    tenant: LocalAuthority,
    partner: User,
    coordinator: User,
    coordinator_client: Client,
    django_capture_on_commit_callbacks: object,
) -> None:
    service = offer(tenant, name="Hebammensprechstunde")
    works_at(partner, service.organisation)
    with scope(local_authority=tenant):
        revision = services.revision_propose(
            actor=partner, service=service, data=snapshot(service, name="Umbenannt")
        )
    mail.outbox.clear()
    url = f"/t/{tenant.slug}/offers/proposals/{revision.uuid}/reject/"
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = coordinator_client.post(url, {"note": "Der Name ist im Kreis schon vergeben."})
    assert response.status_code == 302
    with scope(local_authority=tenant):
        revision.refresh_from_db()
        assert revision.status == ServiceRevision.Status.REJECTED
        assert revision.reviewed_by == coordinator
        assert Service.objects.get(pk=service.pk).name == "Hebammensprechstunde"
        assert Service.objects.get(pk=service.pk).version == 1
    assert [message.to for message in mail.outbox] == [[partner.email]]
    assert "Der Name ist im Kreis schon vergeben." in mail.outbox[0].body
    # Decided is decided.
    with scope(local_authority=tenant), pytest.raises(ServiceError):
        services.revision_approve(actor=coordinator, revision=revision)


def test_only_the_proposer_withdraws_and_only_coordinators_decide(
    tenant: LocalAuthority, partner: User, coordinator: User
) -> None:
    service = offer(tenant)
    works_at(partner, service.organisation)
    with scope(local_authority=tenant):
        revision = services.revision_propose(
            actor=partner, service=service, data=snapshot(service, description="Neu")
        )
        with pytest.raises(ServiceError):
            services.revision_withdraw(actor=coordinator, revision=revision)
        with pytest.raises(ServiceError):
            services.revision_approve(actor=partner, revision=revision)
        with pytest.raises(ServiceError):
            services.revision_reject(actor=partner, revision=revision)
        services.revision_withdraw(actor=partner, revision=revision)
        revision.refresh_from_db()
        assert revision.status == ServiceRevision.Status.WITHDRAWN


def test_a_proposal_that_changes_nothing_is_refused(tenant: LocalAuthority, partner: User) -> None:
    service = offer(tenant)
    works_at(partner, service.organisation)
    with scope(local_authority=tenant), pytest.raises(ServiceError) as refused:
        services.revision_propose(actor=partner, service=service, data=snapshot(service))
    assert refused.value.code == "unchanged"
