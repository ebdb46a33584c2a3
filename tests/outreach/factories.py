"""factory_boy factories for keeping contact."""

from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from knotenpunkt.outreach.models import Contact
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
