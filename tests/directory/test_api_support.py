"""Shared set-up of the API tests (no tests here): the URLconf and a small directory.

``urlpatterns`` is the project's URLconf plus the API mounts, for as long as
``knotenpunkt/config/urls.py`` does not mount them itself (then it is the project's, unchanged);
the API tests point ``ROOT_URLCONF`` here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.urls import URLResolver, include, path
from django.utils import timezone

from knotenpunkt.config.urls import urlpatterns as project_urlpatterns
from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.directory.api import services as api_services
from knotenpunkt.directory.api.partner import api as partner_api
from knotenpunkt.directory.models import (
    Location,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from knotenpunkt.partners.models import Organisation
from tests.directory.factories import (
    AddressFactory,
    LocationFactory,
    PhoneFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    TaxonomyFactory,
    TopicFactory,
)
from tests.partners.factories import OrganisationFactory

URLCONF = "tests.directory.test_api_support"


def _mounted(namespace: str) -> bool:
    return any(
        isinstance(entry, URLResolver) and entry.namespace == namespace
        for entry in project_urlpatterns
    )


urlpatterns: list[Any] = list(project_urlpatterns)
if not _mounted("hsds_api"):
    urlpatterns.append(
        path("api/hsds/<slug:guide>/", include("knotenpunkt.directory.api.public_urls"))
    )
if not _mounted("partner_api"):
    urlpatterns.append(path("api/v1/", partner_api.urls))
if not _mounted("api_tokens"):
    urlpatterns.append(
        path(
            "t/<slug:tenant>/offers/api-tokens/",
            include("knotenpunkt.directory.api.token_urls"),
        )
    )


def api_url(tenant: LocalAuthority, path_: str = "") -> str:
    return f"/api/hsds/{tenant.slug}/{path_}"


def public_service(
    tenant: LocalAuthority, organisation: Organisation | None = None, **fields: Any
) -> Service:
    """A service the public may see (active, public, verified a month ago)."""
    if organisation is None:
        organisation = OrganisationFactory(local_authority=tenant)
    return ServiceFactory(organisation=organisation, **fields)


def located(
    service: Service,
    *,
    latitude: float | None = 52.85,
    longitude: float | None = 11.15,
    postcode: str = "29410",
    street: str = "Burgstraße 1",
    confidential: bool = False,
    **location_fields: Any,
) -> ServiceAtLocation:
    """``service`` offered at a new location of its organisation, with an address and phone."""
    location: Location = LocationFactory(
        organisation=service.organisation,
        latitude=latitude,
        longitude=longitude,
        confidential=confidential,
        **location_fields,
    )
    AddressFactory(location=location, postal_code=postcode, address_1=street)
    PhoneFactory(service=None, location=location, local_authority=service.local_authority)
    return ServiceAtLocationFactory(service=service, location=location)


@dataclass
class Directory:
    """A small directory in one tenant, with what the public must not see."""

    tenant: LocalAuthority
    taxonomy: Taxonomy
    topic: TaxonomyTerm
    other_topic: TaxonomyTerm
    provider: Organisation
    other_provider: Organisation
    counselling: Service
    midwife: Service
    playgroup: Service
    shelter: Service
    professionals_only: Service
    stale: Service
    inactive: Service
    shelter_site: ServiceAtLocation
    counselling_site: ServiceAtLocation
    playgroup_site: ServiceAtLocation


def directory(tenant: LocalAuthority) -> Directory:
    """Four public services (one of them at a confidential address) and three hidden ones."""
    taxonomy = TaxonomyFactory(local_authority=tenant, is_topics=True, name="Themen")
    topic = TopicFactory(taxonomy=taxonomy, name="Schwangerschaft", code="schwangerschaft")
    other_topic = TopicFactory(taxonomy=taxonomy, name="Medien", code="medien")
    provider = OrganisationFactory(local_authority=tenant, name="Familienzentrum Salzwedel")
    other_provider = OrganisationFactory(local_authority=tenant, name="Diakonie Gardelegen")
    counselling = public_service(
        tenant, provider, name="Schwangerschaftsberatung", description="Beratung rund um die Geburt"
    )
    counselling.topics.add(topic)
    midwife = public_service(tenant, provider, name="Hebammensprechstunde")
    midwife.topics.add(topic)
    playgroup = public_service(
        tenant, other_provider, name="Krabbelgruppe", description="Spielen und Medien"
    )
    playgroup.topics.add(other_topic)
    shelter = public_service(tenant, other_provider, name="Frauenhaus Altmark")
    professionals_only = public_service(
        tenant, provider, name="Fallberatung für Fachkräfte", visibility="professionals"
    )
    stale = public_service(
        tenant,
        provider,
        name="Alte Elterngruppe",
        last_verified_at=timezone.now() - dt.timedelta(days=400),
        created_at=timezone.now() - dt.timedelta(days=800),
    )
    inactive = public_service(tenant, provider, name="Eingestellter Kurs", status="inactive")
    counselling_site = located(counselling, latitude=52.85, longitude=11.15, postcode="29410")
    playgroup_site = located(playgroup, latitude=52.53, longitude=11.39, postcode="39638")
    shelter_site = located(
        shelter,
        latitude=52.851,
        longitude=11.151,
        postcode="29410",
        street="Geheimweg 7",
        confidential=True,
    )
    located(professionals_only)
    located(stale)
    return Directory(
        tenant=tenant,
        taxonomy=taxonomy,
        topic=topic,
        other_topic=other_topic,
        provider=provider,
        other_provider=other_provider,
        counselling=counselling,
        midwife=midwife,
        playgroup=playgroup,
        shelter=shelter,
        professionals_only=professionals_only,
        stale=stale,
        inactive=inactive,
        shelter_site=shelter_site,
        counselling_site=counselling_site,
        playgroup_site=playgroup_site,
    )


def token_for(user: User, tenant: LocalAuthority, name: str = "Skript") -> str:
    """A fresh API token of ``user`` in ``tenant`` (the secret)."""
    from django_scopes import scope

    with scope(local_authority=tenant):
        _token, secret = api_services.api_token_create(
            actor=user, local_authority=tenant, name=name
        )
    return secret


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
