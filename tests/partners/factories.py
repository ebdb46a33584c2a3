"""factory_boy factories for the partner register."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from knotenpunkt.partners.models import (
    Affiliation,
    Consent,
    Organisation,
    Person,
    Profession,
    Sector,
    Unit,
)
from tests.factories import LocalAuthorityFactory


class SectorFactory(DjangoModelFactory):
    class Meta:
        model = Sector

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    name = factory.Sequence(lambda n: f"Sektor {n}")
    code = factory.Sequence(lambda n: f"S{n}")


class ProfessionFactory(DjangoModelFactory):
    class Meta:
        model = Profession

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    name = factory.Sequence(lambda n: f"Beruf {n}")


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    name = factory.Sequence(lambda n: f"Einrichtung {n}")
    street = "Musterstraße 1"
    postcode = "29410"
    city = "Salzwedel"


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    organisation = factory.SubFactory(OrganisationFactory)
    local_authority = factory.SelfAttribute("organisation.local_authority")
    name = factory.Sequence(lambda n: f"Fachdienst {n}")


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    first_name = "Erika"
    last_name = factory.Sequence(lambda n: f"Beispiel{n}")
    email = factory.Sequence(lambda n: f"fachkraft{n}@example.org")


class AffiliationFactory(DjangoModelFactory):
    class Meta:
        model = Affiliation

    person = factory.SubFactory(PersonFactory)
    local_authority = factory.SelfAttribute("person.local_authority")
    organisation = factory.SubFactory(
        OrganisationFactory, local_authority=factory.SelfAttribute("..local_authority")
    )


class ConsentFactory(DjangoModelFactory):
    class Meta:
        model = Consent

    person = factory.SubFactory(PersonFactory)
    local_authority = factory.SelfAttribute("person.local_authority")
    given_on = factory.Faker("date_object")
    method = Consent.Method.WRITTEN
