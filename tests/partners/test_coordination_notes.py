"""The coordination's notes and the legal basis stay with the coordinators."""

from __future__ import annotations

import pytest
from django.test import Client
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.partners.models import Person
from tests.partners.factories import AffiliationFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_partners_do_not_see_the_notes(
    tenant: LocalAuthority, partner_client: Client, coordinator_client: Client
) -> None:
    org = OrganisationFactory(local_authority=tenant, notes="Leitung wechselt im Frühjahr")
    person = PersonFactory(local_authority=tenant, notes="Bittet um Anruf statt E-Mail")
    org_url = f"/t/{tenant.slug}/partners/organisations/{org.uuid}/"
    person_url = f"/t/{tenant.slug}/partners/people/{person.uuid}/"
    assert "Leitung wechselt" in coordinator_client.get(org_url).content.decode()
    assert "Leitung wechselt" not in partner_client.get(org_url).content.decode()
    assert "Bittet um Anruf" in coordinator_client.get(person_url).content.decode()
    assert "Bittet um Anruf" not in partner_client.get(person_url).content.decode()


def test_only_coordinators_find_organisations_by_their_notes(
    tenant: LocalAuthority, partner_client: Client, coordinator_client: Client
) -> None:
    OrganisationFactory(local_authority=tenant, name="Kita Nord", notes="Sprachförderung geplant")
    url = f"/t/{tenant.slug}/partners/?q=sprachförderung"
    assert "Kita Nord" in coordinator_client.get(url).content.decode()
    assert "Kita Nord" not in partner_client.get(url).content.decode()


def test_a_partner_edits_their_record_without_notes_or_legal_basis(
    tenant: LocalAuthority, partner: User, partner_client: Client
) -> None:
    me = PersonFactory(local_authority=tenant, user=partner, notes="intern")
    AffiliationFactory(person=me)
    url = f"/t/{tenant.slug}/partners/people/{me.uuid}/edit/"
    html = partner_client.get(url).content.decode()
    for field in ("notes", "purpose", "legal_basis"):
        assert f'name="{field}"' not in html
    response = partner_client.post(
        url,
        {"last_name": "Neu", "legal_basis": "consent", "notes": "", "version": str(me.version)},
    )
    assert response.status_code == 302
    with scope(local_authority=tenant):
        me = Person.objects.get(pk=me.pk)
    assert (me.last_name, me.legal_basis, me.notes) == ("Neu", "public_task", "intern")
