"""factory_boy factories for the core models."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from knotenpunkt.core.models import Area, AreaFigure, Indicator, LocalAuthority, Role, User


class LocalAuthorityFactory(DjangoModelFactory):
    class Meta:
        model = LocalAuthority
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Landkreis Beispiel {n}")
    slug = factory.Sequence(lambda n: f"beispiel-{n}")
    kind = LocalAuthority.Kind.LANDKREIS


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person Beispiel {n}")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class AreaFactory(DjangoModelFactory):
    class Meta:
        model = Area

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    name = factory.Sequence(lambda n: f"Ort {n}")
    kind = Area.Kind.VILLAGE
    latitude = 52.6
    longitude = 11.2


class AreaFigureFactory(DjangoModelFactory):
    class Meta:
        model = AreaFigure

    area = factory.SubFactory(AreaFactory)
    local_authority = factory.SelfAttribute("area.local_authority")
    year = 2024
    indicator = Indicator.POPULATION
    value = 1000
    source = "Testdaten"


class RoleFactory(DjangoModelFactory):
    class Meta:
        model = Role

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    user = factory.SubFactory(UserFactory)
    kind = Role.Kind.COORDINATOR
