"""Shared fixtures: two tenants and the four visitors every tenant page is checked against.

``coordinator`` and ``partner`` hold roles in ``tenant``; ``outsider`` is a coordinator of
``other_tenant`` only; ``anonymous`` is not logged in.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from django_scopes import scope, scopes_disabled

from knotenpunkt.core.models import LocalAuthority, Role, User
from tests.factories import LocalAuthorityFactory, RoleFactory, UserFactory


@pytest.fixture(autouse=True)
def _english_ui(settings: pytest.FixtureRequest) -> None:
    """Tests read messages in English unless they switch language themselves."""
    settings.LANGUAGE_CODE = "en"  # type: ignore[attr-defined]


@pytest.fixture
def tenant(db: None) -> LocalAuthority:
    return LocalAuthorityFactory(slug="altmark-test", name="Altmark (Test)")


@pytest.fixture
def other_tenant(db: None) -> LocalAuthority:
    return LocalAuthorityFactory(
        slug="musterstadt-test",
        name="Musterstadt (Test)",
        kind=LocalAuthority.Kind.KREISFREIE_STADT,
    )


def _user_with_role(tenant: LocalAuthority, kind: str, email: str) -> User:
    user = UserFactory(email=email, full_name=email.split("@")[0].title())
    RoleFactory(local_authority=tenant, user=user, kind=kind)
    return user


@pytest.fixture
def coordinator(tenant: LocalAuthority) -> User:
    return _user_with_role(tenant, Role.Kind.COORDINATOR, "coordinator@example.org")


@pytest.fixture
def partner(tenant: LocalAuthority) -> User:
    return _user_with_role(tenant, Role.Kind.PARTNER, "partner@example.org")


@pytest.fixture
def steering(tenant: LocalAuthority) -> User:
    return _user_with_role(tenant, Role.Kind.STEERING, "steering@example.org")


@pytest.fixture
def volunteer(tenant: LocalAuthority) -> User:
    return _user_with_role(tenant, Role.Kind.VOLUNTEER, "volunteer@example.org")


@pytest.fixture
def outsider(other_tenant: LocalAuthority) -> User:
    return _user_with_role(other_tenant, Role.Kind.COORDINATOR, "outsider@example.org")


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def coordinator_client(coordinator: User) -> Client:
    return client_for(coordinator)


@pytest.fixture
def partner_client(partner: User) -> Client:
    return client_for(partner)


@pytest.fixture
def outsider_client(outsider: User) -> Client:
    return client_for(outsider)


@pytest.fixture
def anonymous_client() -> Client:
    return Client()


@pytest.fixture
def in_tenant(tenant: LocalAuthority) -> Iterator[LocalAuthority]:
    """Runs the test body inside the tenant's scope, as a request would."""
    with scope(local_authority=tenant):
        yield tenant


@pytest.fixture
def unscoped() -> Iterator[None]:
    with scopes_disabled():
        yield
