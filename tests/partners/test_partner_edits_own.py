"""A network partner edits their own organisations and person record, and nothing else."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority, User
from tests.partners.factories import AffiliationFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _form(org_name: str, version: int) -> dict[str, str]:
    return {"name": org_name, "postcode": "29410", "city": "Salzwedel", "version": str(version)}


def test_a_partner_edits_their_own_organisation(
    tenant: LocalAuthority, partner: User, partner_client: Client
) -> None:
    person = PersonFactory(local_authority=tenant, user=partner)
    org = AffiliationFactory(person=person).organisation
    response = partner_client.post(
        f"/t/{tenant.slug}/partners/organisations/{org.uuid}/edit/", _form("Neuer Name", 1)
    )
    assert response.status_code == 302
    with scope(local_authority=tenant):
        org.refresh_from_db()
    assert org.name == "Neuer Name"


def test_a_partner_cannot_edit_another_organisation(
    tenant: LocalAuthority, partner: User, partner_client: Client
) -> None:
    PersonFactory(local_authority=tenant, user=partner)
    foreign = OrganisationFactory(local_authority=tenant, name="Fremd")
    url = f"/t/{tenant.slug}/partners/organisations/{foreign.uuid}/edit/"
    assert partner_client.get(url).status_code == 403
    assert partner_client.post(url, _form("Gekapert", 1)).status_code == 403
    with scope(local_authority=tenant):
        foreign.refresh_from_db()
    assert foreign.name == "Fremd"


def test_an_ended_affiliation_no_longer_gives_edit_rights(
    tenant: LocalAuthority, partner: User, partner_client: Client
) -> None:
    person = PersonFactory(local_authority=tenant, user=partner)
    org = AffiliationFactory(
        person=person,
        start=datetime.date(2020, 1, 1),
        end=datetime.date(2021, 1, 1),
    ).organisation
    url = f"/t/{tenant.slug}/partners/organisations/{org.uuid}/edit/"
    assert partner_client.get(url).status_code == 403


def test_a_partner_edits_only_their_own_person(
    tenant: LocalAuthority, partner: User, partner_client: Client
) -> None:
    me = PersonFactory(local_authority=tenant, user=partner)
    colleague = PersonFactory(local_authority=tenant)
    base = f"/t/{tenant.slug}/partners/people/"
    assert partner_client.get(f"{base}{me.uuid}/edit/").status_code == 200
    assert partner_client.get(f"{base}{colleague.uuid}/edit/").status_code == 403
    assert partner_client.get(f"{base}{colleague.uuid}/export/").status_code == 403
    assert partner_client.get(f"{base}{me.uuid}/export/").status_code == 200
    assert partner_client.get(f"{base}{colleague.uuid}/").status_code == 200
    assert partner_client.get(f"{base}new/").status_code == 403
    assert partner_client.post(f"{base}{colleague.uuid}/erase/").status_code == 403
