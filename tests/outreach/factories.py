"""factory_boy factories for keeping contact."""

from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from knotenpunkt.outreach.models import Contact, Tour, TourStop, WelcomeVisit
from tests.factories import AreaFactory, LocalAuthorityFactory
from tests.partners.factories import OrganisationFactory


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    organisation = factory.SubFactory(OrganisationFactory)
    local_authority = factory.LazyAttribute(lambda o: (o.organisation or o.person).local_authority)
    kind = Contact.Kind.VISIT
    date = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=10))  # noqa: DTZ011
    support_needed = "Mehr Austausch mit den Hebammen"
    topics_of_concern = "Übergang Kita–Schule"
    expectations = "Regelmäßige Infos über neue Angebote"


class TourFactory(DjangoModelFactory):
    class Meta:
        model = Tour

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=3))  # noqa: DTZ011
    start_label = "Koordinierungsstelle"
    start_latitude = 52.6
    start_longitude = 11.85
    day_start = datetime.time(8, 0)
    day_end = datetime.time(16, 0)


class TourStopFactory(DjangoModelFactory):
    class Meta:
        model = TourStop

    tour = factory.SubFactory(TourFactory)
    local_authority = factory.SelfAttribute("tour.local_authority")
    organisation = factory.SubFactory(
        OrganisationFactory,
        local_authority=factory.SelfAttribute("..local_authority"),
        latitude=52.65,
        longitude=11.9,
    )
    service_minutes = 30
    position = factory.Sequence(lambda n: n + 1)


class WelcomeVisitFactory(DjangoModelFactory):
    class Meta:
        model = WelcomeVisit

    area = factory.SubFactory(AreaFactory)
    local_authority = factory.SelfAttribute("area.local_authority")
    month = factory.LazyFunction(lambda: datetime.date.today().replace(day=1))  # noqa: DTZ011
    language = "Deutsch"
    count = 3
