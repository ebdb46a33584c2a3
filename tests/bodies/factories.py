"""factory_boy factories for bodies, and the few partner objects their tests need."""

from __future__ import annotations

import factory
from django_scopes import scopes_disabled
from factory.django import DjangoModelFactory as _DjangoModelFactory

from knotenpunkt.bodies.models import Body, BodyKind, BodyRelation, Goal, Membership, Programme
from knotenpunkt.partners.models import Organisation, Person, Profession, Sector
from tests.factories import LocalAuthorityFactory


class DjangoModelFactory(_DjangoModelFactory):
    """Creates (and get-or-creates) outside any tenant scope, as test set-up does."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class: type, *args: object, **kwargs: object) -> object:
        with scopes_disabled():
            return super()._create(model_class, *args, **kwargs)


class BodyKindFactory(DjangoModelFactory):
    class Meta:
        model = BodyKind
        django_get_or_create = ("local_authority", "name")

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    name = "Arbeitsgruppe"


class BodyFactory(DjangoModelFactory):
    class Meta:
        model = Body

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    name = factory.Sequence(lambda n: f"AG Beispiel {n}")
    kind = factory.SubFactory(
        BodyKindFactory, local_authority=factory.SelfAttribute("..local_authority")
    )
    level = Body.Level.OPERATIVE


class BodyRelationFactory(DjangoModelFactory):
    class Meta:
        model = BodyRelation

    source = factory.SubFactory(BodyFactory)
    local_authority = factory.SelfAttribute("source.local_authority")
    target = factory.SubFactory(
        BodyFactory, local_authority=factory.SelfAttribute("..local_authority")
    )
    kind = BodyRelation.Kind.REPORTS_TO


class SectorFactory(DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("local_authority", "name")

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    name = "Gesundheit (SGB V)"


class ProfessionFactory(DjangoModelFactory):
    class Meta:
        model = Profession
        django_get_or_create = ("local_authority", "name")

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    name = "Hebamme"


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    first_name = "Erika"
    last_name = factory.Sequence(lambda n: f"Muster{n}")


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    name = factory.Sequence(lambda n: f"Beratungsstelle {n}")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    body = factory.SubFactory(BodyFactory)
    local_authority = factory.SelfAttribute("body.local_authority")
    person = factory.SubFactory(
        PersonFactory, local_authority=factory.SelfAttribute("..local_authority")
    )
    role = Membership.Role.MEMBER


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    name = factory.Sequence(lambda n: f"Programm {n}")


class GoalFactory(DjangoModelFactory):
    class Meta:
        model = Goal

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    title = factory.Sequence(lambda n: f"Ziel {n}")
    kind = Goal.Kind.GOAL
