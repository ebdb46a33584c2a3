"""factory_boy factories for the directory of offers (shared by all directory tests)."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from knotenpunkt.directory.models import (
    Address,
    DirectoryContact,
    Language,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceTranslation,
    Taxonomy,
    TaxonomyTerm,
)
from tests.partners.factories import OrganisationFactory


class TaxonomyFactory(DjangoModelFactory):
    class Meta:
        model = Taxonomy

    local_authority = factory.SubFactory("tests.factories.LocalAuthorityFactory")
    name = factory.Sequence(lambda n: f"Themen {n}")
    description = "Themen der Frühen Hilfen"


class TopicFactory(DjangoModelFactory):
    """A term of the tenant's topic taxonomy."""

    class Meta:
        model = TaxonomyTerm

    taxonomy = factory.SubFactory(TaxonomyFactory, is_topics=True)
    local_authority = factory.SelfAttribute("taxonomy.local_authority")
    code = factory.Sequence(lambda n: f"thema-{n}")
    name = factory.Sequence(lambda n: f"Thema {n}")
    description = "Ein Thema"


class ServiceFactory(DjangoModelFactory):
    class Meta:
        model = Service

    organisation = factory.SubFactory(OrganisationFactory)
    local_authority = factory.SelfAttribute("organisation.local_authority")
    name = factory.Sequence(lambda n: f"Angebot {n}")
    description = "Beratung und Begleitung für Familien mit kleinen Kindern."
    min_age_months = -9
    max_age_months = 36
    last_verified_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=30))


class ServiceTranslationFactory(DjangoModelFactory):
    class Meta:
        model = ServiceTranslation

    service = factory.SubFactory(ServiceFactory)
    local_authority = factory.SelfAttribute("service.local_authority")
    language = "en"
    name = factory.Sequence(lambda n: f"Offer {n}")
    description = "Advice for families with young children."


class LocationFactory(DjangoModelFactory):
    class Meta:
        model = Location

    organisation = factory.SubFactory(OrganisationFactory)
    local_authority = factory.SelfAttribute("organisation.local_authority")
    name = factory.Sequence(lambda n: f"Standort {n}")
    latitude = 52.85
    longitude = 11.15


class AddressFactory(DjangoModelFactory):
    class Meta:
        model = Address

    location = factory.SubFactory(LocationFactory)
    local_authority = factory.SelfAttribute("location.local_authority")
    address_1 = "Burgstraße 1"
    city = "Salzwedel"
    state_province = "Sachsen-Anhalt"
    postal_code = "29410"


class ServiceAtLocationFactory(DjangoModelFactory):
    class Meta:
        model = ServiceAtLocation

    service = factory.SubFactory(ServiceFactory)
    local_authority = factory.SelfAttribute("service.local_authority")
    location = factory.SubFactory(
        LocationFactory, organisation=factory.SelfAttribute("..service.organisation")
    )


class DirectoryContactFactory(DjangoModelFactory):
    class Meta:
        model = DirectoryContact

    service = factory.SubFactory(ServiceFactory)
    local_authority = factory.SelfAttribute("service.local_authority")
    name = "Beratungsstelle"
    email = "beratung@example.org"


class PhoneFactory(DjangoModelFactory):
    class Meta:
        model = Phone

    service = factory.SubFactory(ServiceFactory)
    local_authority = factory.SelfAttribute("service.local_authority")
    number = "03901 12345"


class ScheduleFactory(DjangoModelFactory):
    class Meta:
        model = Schedule

    service = factory.SubFactory(ServiceFactory)
    local_authority = factory.SelfAttribute("service.local_authority")
    freq = "WEEKLY"
    byday = "TU"
    opens_at = dt.time(9, 0)
    closes_at = dt.time(12, 0)


class LanguageFactory(DjangoModelFactory):
    class Meta:
        model = Language

    service = factory.SubFactory(ServiceFactory)
    local_authority = factory.SelfAttribute("service.local_authority")
    name = "Arabisch"
    code = "ar"
