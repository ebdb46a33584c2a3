"""A visit to a partner prompts the coordinator to check that partner's offers on the spot."""

from __future__ import annotations

import pytest
from django.test import Client

from knotenpunkt.core.models import LocalAuthority
from tests.directory.factories import ServiceFactory
from tests.outreach.factories import ContactFactory
from tests.partners.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_it_prompts_to_verify_the_offers_of_the_visited_partner(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    org = OrganisationFactory(local_authority=tenant, name="Familienzentrum (Demo)")
    ServiceFactory(organisation=org, name="Stillcafé am Markt")
    prompt_url = f"/t/{tenant.slug}/offers/organisations/{org.uuid}/verify/"

    page = coordinator_client.get(f"/t/{tenant.slug}/contacts/new/?organisation={org.uuid}")
    assert prompt_url in page.content.decode()
    contact = ContactFactory(organisation=org)
    page = coordinator_client.get(f"/t/{tenant.slug}/contacts/{contact.uuid}/edit/")
    assert prompt_url in page.content.decode()

    partial = coordinator_client.get(prompt_url, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    assert "Stillcafé am Markt" in partial.content.decode()
