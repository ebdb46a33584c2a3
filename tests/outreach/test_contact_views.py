"""Recording a contact from a partner's page, editing it, and the contact list."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.outreach.models import Contact
from tests.outreach.factories import ContactFactory
from tests.partners.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_it_preselects_the_partner_and_returns_to_its_page(
    tenant: LocalAuthority, coordinator: User, coordinator_client: Client
) -> None:
    org = OrganisationFactory(local_authority=tenant, name="Jobcenter (Demo)")
    base = f"/t/{tenant.slug}/contacts/"
    page = coordinator_client.get(f"{base}new/?organisation={org.uuid}").content.decode()
    assert f'<option value="{org.uuid}" selected>' in page
    assert "Record a contact with Jobcenter (Demo)" in page
    person = PersonFactory(local_authority=tenant)
    page = coordinator_client.get(f"{base}new/?person={person.uuid}").content.decode()
    assert f'<option value="{person.uuid}" selected>' in page
    org_page = f"/t/{tenant.slug}/partners/organisations/{org.uuid}/"
    response = coordinator_client.post(
        f"{base}new/",
        {
            "organisation": org.uuid,
            "kind": "visit",
            "date": "2025-05-20",
            "start_time": "09:30",
            "who": coordinator.pk,
            "support_needed": "Räume für eine Sprechstunde",
            "follow_up_on": "2025-06-20",
            "next": org_page,
        },
    )
    assert response.status_code == 302 and response["Location"] == org_page
    with scope(local_authority=tenant):
        contact = Contact.objects.get()
    assert contact.organisation == org and contact.start_time == datetime.time(9, 30)
    assert "Räume für eine Sprechstunde" in coordinator_client.get(org_page).content.decode()


def test_it_ignores_a_next_address_outside_the_tenant(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    org = OrganisationFactory(local_authority=tenant)
    response = coordinator_client.post(
        f"/t/{tenant.slug}/contacts/new/",
        {"organisation": org.uuid, "kind": "call", "date": "2025-05-20", "next": "https://evil"},
    )
    assert response["Location"] == f"/t/{tenant.slug}/partners/organisations/{org.uuid}/"


def test_it_shows_form_errors_next_to_the_fields(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    org = OrganisationFactory(local_authority=tenant)
    url = f"/t/{tenant.slug}/contacts/new/"
    page = coordinator_client.post(url, {"kind": "call", "date": "2025-05-20"}).content.decode()
    assert "Choose the organisation or the person" in page
    page = coordinator_client.post(
        url,
        {
            "organisation": org.uuid,
            "kind": "call",
            "date": "2025-05-20",
            "follow_up_on": "2025-05-01",
        },
    ).content.decode()
    assert "The follow-up cannot lie before the contact." in page


def test_edit_delete_and_follow_up(tenant: LocalAuthority, coordinator_client: Client) -> None:
    org = OrganisationFactory(local_authority=tenant)
    contact = ContactFactory(organisation=org, follow_up_on=datetime.date.today())  # noqa: DTZ011
    base = f"/t/{tenant.slug}/contacts/{contact.uuid}/"
    page = coordinator_client.get(f"{base}edit/").content.decode()
    assert "Mehr Austausch mit den Hebammen" in page
    response = coordinator_client.post(
        f"{base}edit/",
        {
            "organisation": org.uuid,
            "kind": "event",
            "date": contact.date.isoformat(),
            "expectations": "Ein Fachtag im Herbst",
            "follow_up_on": contact.follow_up_on.isoformat(),  # type: ignore[union-attr]
        },
    )
    assert response.status_code == 302
    coordinator_client.post(f"{base}follow-up-done/")
    with scope(local_authority=tenant):
        contact.refresh_from_db()
        assert contact.kind == "event" and contact.expectations == "Ein Fachtag im Herbst"
        assert contact.follow_up_done
    coordinator_client.post(f"{base}delete/")
    with scope(local_authority=tenant):
        assert not Contact.objects.exists()


def test_the_list_filters(tenant: LocalAuthority, coordinator_client: Client) -> None:
    org = OrganisationFactory(local_authority=tenant)
    ContactFactory(organisation=org, kind="call", support_needed="Anruf wegen Elterncafé")
    ContactFactory(
        organisation=org,
        support_needed="Besuch mit offener Nachfrage",
        follow_up_on=datetime.date.today(),  # noqa: DTZ011
    )
    url = f"/t/{tenant.slug}/contacts/"
    page = coordinator_client.get(url).content.decode()
    assert "Elterncafé" in page and "offener Nachfrage" in page
    page = coordinator_client.get(url, {"kind": "call"}).content.decode()
    assert "Elterncafé" in page and "offener Nachfrage" not in page
    page = coordinator_client.get(url, {"open_follow_ups": "on"}).content.decode()
    assert "Elterncafé" not in page and "offener Nachfrage" in page
    page = coordinator_client.get(url, {"date_from": "2000-01-01", "date_to": "2000-12-31"})
    assert "No contacts found." in page.content.decode()
    page = coordinator_client.get(url, {"organisation": str(org.uuid)}).content.decode()
    assert "Elterncafé" in page
