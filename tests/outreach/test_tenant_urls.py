"""Every contact page against the standard visitors, and other tenants' objects."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.outreach.models import Contact
from tests.access import check_tenant_urls
from tests.conftest import client_for
from tests.outreach.factories import ContactFactory, TourFactory, TourStopFactory
from tests.partners.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_every_contact_url_keeps_outsiders_partners_and_visitors_out(
    tenant: LocalAuthority,
    coordinator_client: Client,
    partner_client: Client,
    outsider_client: Client,
    anonymous_client: Client,
) -> None:
    contact = ContactFactory(organisation=OrganisationFactory(local_authority=tenant))
    stop = TourStopFactory(tour=TourFactory(local_authority=tenant))
    checked = check_tenant_urls(
        namespace="outreach",
        tenant=tenant.slug,
        url_kwargs={
            "contact": contact.uuid,
            "organisation": contact.organisation.uuid,
            "person": PersonFactory(local_authority=tenant).uuid,
            "tour": stop.tour.uuid,
            "stop": stop.uuid,
        },
        coordinator=coordinator_client,
        partner=partner_client,
        outsider=outsider_client,
        anonymous=anonymous_client,
    )
    assert {url.name for url in checked} == {
        "outreach:contact_list",
        "outreach:contact_create",
        "outreach:contact_edit",
        "outreach:contact_delete",
        "outreach:follow_up_done",
        "outreach:contact_care",
        "outreach:contact_interval_set",
        "outreach:care_put_on_tour",
        "outreach:care_put_person_on_tour",
        "outreach:tour_list",
        "outreach:tour_detail",
        "outreach:tour_print",
        "outreach:tour_stop_add",
        "outreach:tour_stop_remove",
        "outreach:tour_stop_edit",
        "outreach:tour_stop_move",
        "outreach:tour_plan",
        "outreach:tour_complete",
        "outreach:welcome_visit_record",
        "outreach:welcome_statistics",
    }


def test_steering_reads_the_list_but_cannot_write(tenant: LocalAuthority, steering: User) -> None:
    contact = ContactFactory(organisation=OrganisationFactory(local_authority=tenant))
    client = client_for(steering)
    base = f"/t/{tenant.slug}/contacts/"
    assert client.get(base).status_code == 200
    assert client.get(f"{base}new/").status_code == 403
    assert client.get(f"{base}{contact.uuid}/edit/").status_code == 403
    assert client.post(f"{base}{contact.uuid}/delete/").status_code == 403
    assert client.post(f"{base}{contact.uuid}/follow-up-done/").status_code == 403


def test_volunteers_are_turned_away(tenant: LocalAuthority, volunteer: User) -> None:
    contact = ContactFactory(organisation=OrganisationFactory(local_authority=tenant))
    client = client_for(volunteer)
    base = f"/t/{tenant.slug}/contacts/"
    for path in ("", "new/", f"{contact.uuid}/edit/"):
        assert client.get(base + path).status_code == 403, path


def test_another_tenants_contact_is_not_found_through_my_tenant(
    tenant: LocalAuthority, other_tenant: LocalAuthority, coordinator_client: Client
) -> None:
    foreign = ContactFactory(
        organisation=OrganisationFactory(local_authority=other_tenant),
        follow_up_on=datetime.date.today(),  # noqa: DTZ011
    )
    base = f"/t/{tenant.slug}/contacts/"
    assert coordinator_client.get(f"{base}{foreign.uuid}/edit/").status_code == 404
    assert coordinator_client.post(f"{base}{foreign.uuid}/edit/").status_code == 404
    assert coordinator_client.post(f"{base}{foreign.uuid}/delete/").status_code == 404
    assert coordinator_client.post(f"{base}{foreign.uuid}/follow-up-done/").status_code == 404
    foreign_org = OrganisationFactory(local_authority=other_tenant)
    foreign_person = PersonFactory(local_authority=other_tenant)
    assert coordinator_client.get(f"{base}new/?organisation={foreign_org.uuid}").status_code == 404
    assert coordinator_client.get(f"{base}new/?person={foreign_person.uuid}").status_code == 404
    assert coordinator_client.get(f"{base}new/?person=not-a-uuid").status_code == 404
    stored = Contact.objects.with_scopes_disabled().get(pk=foreign.pk)
    assert not stored.follow_up_done


def test_the_form_refuses_a_person_or_organisation_of_another_tenant(
    tenant: LocalAuthority, other_tenant: LocalAuthority, coordinator_client: Client
) -> None:
    url = f"/t/{tenant.slug}/contacts/new/"
    day = datetime.date.today().isoformat()  # noqa: DTZ011
    foreign_person = PersonFactory(local_authority=other_tenant)
    response = coordinator_client.post(
        url, {"person": foreign_person.uuid, "kind": "visit", "date": day}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    foreign_org = OrganisationFactory(local_authority=other_tenant)
    response = coordinator_client.post(
        url, {"organisation": foreign_org.uuid, "kind": "visit", "date": day}
    )
    assert "Select a valid choice" in response.content.decode()
    # Raw primary keys are no valid choice either.
    mine = OrganisationFactory(local_authority=tenant)
    response = coordinator_client.post(url, {"organisation": mine.pk, "kind": "visit", "date": day})
    assert response.status_code == 200
    assert "is not a valid UUID" in response.content.decode()
    assert not Contact.objects.with_scopes_disabled().exists()
