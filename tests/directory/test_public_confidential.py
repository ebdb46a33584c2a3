"""A confidential address (women's shelter) never reaches the public guide; the contact does."""

from __future__ import annotations

import pytest
from django.test import Client

from knotenpunkt.core.models import LocalAuthority
from tests.directory.factories import (
    AddressFactory,
    LocationFactory,
    PhoneFactory,
    ServiceAtLocationFactory,
    ServiceTranslationFactory,
)
from tests.directory.freshness_support import URLS, offer
from tests.factories import AreaFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]


def test_the_guide_shows_only_the_contact_of_a_confidential_location(
    tenant: LocalAuthority, anonymous_client: Client
) -> None:
    service = offer(tenant, name="Frauenschutzhaus")
    area = AreaFactory(local_authority=tenant, name="Geheimdorf")
    location = LocationFactory(
        organisation=service.organisation,
        name="Haus am Wald",
        confidential=True,
        area=area,
        transportation="Bus 100 bis Waldweg",
    )
    ServiceAtLocationFactory(service=service, location=location)
    AddressFactory(location=location, address_1="Waldweg 7", city="Geheimstadt")
    PhoneFactory(service=None, local_authority=tenant, location=location, number="0800 123 456")
    detail = anonymous_client.get(f"/g/{tenant.slug}/{service.uuid}/").content.decode()
    listing = anonymous_client.get(f"/g/{tenant.slug}/").content.decode()
    for page in (detail, listing):
        for secret in ("Waldweg", "Geheimstadt", "Geheimdorf", "Haus am Wald", "52.85"):
            assert secret not in page
    assert "0800 123 456" in detail
    assert "The address is confidential" in detail
    assert "Frauenschutzhaus" in listing
    # Searching for the hidden town does not reveal the offer either.
    found = anonymous_client.get(f"/g/{tenant.slug}/", {"q": "Geheimstadt"}).content.decode()
    assert "Frauenschutzhaus" not in found


def test_the_guide_shows_an_ordinary_address_and_the_readers_language(
    tenant: LocalAuthority, anonymous_client: Client
) -> None:
    service = offer(tenant, name="Elternberatung", description="Beratung für Eltern.")
    ServiceTranslationFactory(
        service=service, language="en", name="Advice for parents", description=""
    )
    link = ServiceAtLocationFactory(service=service)
    AddressFactory(location=link.location, address_1="Markt 1", city="Salzwedel")
    page = anonymous_client.get(f"/g/{tenant.slug}/{service.uuid}/").content.decode()
    assert "Markt 1" in page and "Salzwedel" in page
    assert '<h1 lang="en">Advice for parents</h1>' in page
    # The untranslated description falls back to German and says so.
    assert '<div lang="de"><p>Beratung für Eltern.</p></div>' in page
    assert '<html lang="en">' in page
