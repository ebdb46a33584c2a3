"""A proposal made against an older version is still approvable, shown against current data."""

from __future__ import annotations

import pytest
from django.test import Client
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.directory import selectors, services
from knotenpunkt.directory.models import Service
from tests.directory.freshness_support import URLS, offer, snapshot, works_at

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]


def test_a_stale_proposal_is_flagged_diffed_against_current_data_and_approvable(
    tenant: LocalAuthority,
    partner: User,
    coordinator: User,
    coordinator_client: Client,
) -> None:
    service = offer(tenant, name="Kurs", description="Alt", email="alt@example.org")
    works_at(partner, service.organisation)
    with scope(local_authority=tenant):
        proposal = services.revision_propose(
            actor=partner, service=service, data=snapshot(service, description="Vom Partner")
        )
        # Meanwhile the coordinator changes the e-mail address.
        services.service_update(
            actor=coordinator,
            service=service,
            data=snapshot(service, email="neu@example.org"),
            expected_version=1,
        )
        queue = list(selectors.review_queue(tenant))
        assert [(r.pk, r.stale) for r in queue] == [(proposal.pk, True)]
        changes = {change.key: change for change in selectors.revision_diff(proposal)}
    # Against the current data the proposal would also undo the new e-mail address.
    assert changes["description"].old == "Alt" and changes["description"].new == "Vom Partner"
    assert changes["email"].old == "neu@example.org" and changes["email"].new == "alt@example.org"
    page = coordinator_client.get(
        f"/t/{tenant.slug}/offers/proposals/{proposal.uuid}/"
    ).content.decode()
    assert "was changed since this proposal was made" in page

    # The coordinator applies only the description.
    response = coordinator_client.post(
        f"/t/{tenant.slug}/offers/proposals/{proposal.uuid}/approve/",
        {"choose_keys": "1", "keys": ["description"]},
    )
    assert response.status_code == 302
    with scope(local_authority=tenant):
        service = Service.objects.get(pk=service.pk)
        proposal.refresh_from_db()
    assert (service.description, service.email) == ("Vom Partner", "neu@example.org")
    assert service.version == 3
    assert proposal.data["email"] == "neu@example.org"


def test_a_stale_proposal_approved_whole_wins(
    tenant: LocalAuthority, partner: User, coordinator: User
) -> None:
    service = offer(tenant, name="Kurs", description="Alt")
    works_at(partner, service.organisation)
    with scope(local_authority=tenant):
        proposal = services.revision_propose(
            actor=partner, service=service, data=snapshot(service, description="Vom Partner")
        )
        services.service_update(
            actor=coordinator,
            service=service,
            data=snapshot(service, name="Kurs (neu)"),
            expected_version=1,
        )
        services.revision_approve(actor=coordinator, revision=proposal)
        service = Service.objects.get(pk=service.pk)
    assert (service.name, service.description) == ("Kurs", "Vom Partner")
