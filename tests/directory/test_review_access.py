"""A partner acts only for the organisations they currently work at."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.core.services import ServiceError
from knotenpunkt.directory import services
from knotenpunkt.directory.models import Service, ServiceRevision
from tests.directory.freshness_support import URLS, form_data, offer, snapshot, works_at
from tests.partners.factories import AffiliationFactory, PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]


def test_a_partner_cannot_propose_for_another_organisation(
    tenant: LocalAuthority, partner: User, partner_client: Client
) -> None:
    mine = offer(tenant, name="Meins")
    works_at(partner, mine.organisation)
    foreign = offer(tenant, name="Fremd")
    base = f"/t/{tenant.slug}/offers/{foreign.uuid}"
    assert partner_client.get(f"{base}/").status_code == 404
    assert partner_client.get(f"{base}/propose/").status_code == 404
    response = partner_client.post(f"{base}/propose/", form_data(snapshot(foreign, name="X")))
    assert response.status_code == 404
    assert partner_client.post(f"{base}/verify/").status_code == 404
    with scope(local_authority=tenant):
        assert not ServiceRevision.objects.exists()
        with pytest.raises(ServiceError):
            services.revision_propose(
                actor=partner, service=foreign, data=snapshot(foreign, name="X")
            )
        with pytest.raises(ServiceError):
            services.revision_propose_new(
                actor=partner, organisation=foreign.organisation, data=snapshot(foreign)
            )
        with pytest.raises(ServiceError):
            services.service_verify(actor=partner, service=foreign)
    # A new offer for another organisation is refused by the form's choices.
    data = form_data(snapshot(foreign, name="Neu"), organisation=foreign.organisation)
    response = partner_client.post(f"/t/{tenant.slug}/offers/mine/new/", data)
    assert response.status_code == 200
    with scope(local_authority=tenant):
        assert not ServiceRevision.objects.exists()
    # Their own offer works, and "my offers" lists only it.
    assert partner_client.get(f"/t/{tenant.slug}/offers/{mine.uuid}/propose/").status_code == 200
    page = partner_client.get(f"/t/{tenant.slug}/offers/mine/").content.decode()
    assert "Meins" in page and "Fremd" not in page


def test_an_ended_affiliation_ends_the_right_to_propose(
    tenant: LocalAuthority, partner: User, partner_client: Client
) -> None:
    service = offer(tenant)
    person = PersonFactory(local_authority=tenant, user=partner)
    AffiliationFactory(
        person=person,
        organisation=service.organisation,
        start=datetime.date(2020, 1, 1),
        end=datetime.date(2021, 1, 1),
    )
    assert partner_client.get(f"/t/{tenant.slug}/offers/{service.uuid}/propose/").status_code == 404


def test_partners_cannot_edit_directly_or_review(
    tenant: LocalAuthority, partner: User, partner_client: Client
) -> None:
    service = offer(tenant)
    works_at(partner, service.organisation)
    with scope(local_authority=tenant):
        revision = services.revision_propose(
            actor=partner, service=service, data=snapshot(service, name="Anders")
        )
    data = form_data(snapshot(service, name="Direkt"), version=1)
    assert (
        partner_client.post(f"/t/{tenant.slug}/offers/{service.uuid}/edit/", data).status_code
        == 403
    )
    url = f"/t/{tenant.slug}/offers/proposals/{revision.uuid}/approve/"
    assert partner_client.post(url).status_code == 403
    with scope(local_authority=tenant):
        assert Service.objects.get(pk=service.pk).name == service.name
        revision.refresh_from_db()
        assert revision.status == ServiceRevision.Status.PENDING


def test_a_partner_sees_only_their_own_proposals(
    tenant: LocalAuthority, partner: User, coordinator: User, partner_client: Client
) -> None:
    service = offer(tenant)
    works_at(partner, service.organisation)
    with scope(local_authority=tenant):
        theirs = services.revision_propose(
            actor=coordinator, service=service, data=snapshot(service, name="Vom Jugendamt")
        )
    assert (
        partner_client.get(f"/t/{tenant.slug}/offers/proposals/{theirs.uuid}/").status_code == 404
    )
