"""Kinds of body, programmes, Leitbild and goals."""

from __future__ import annotations

import pytest
from django.test import Client
from django_scopes import scope

from knotenpunkt.bodies import services
from knotenpunkt.bodies.models import BodyKind, Goal, Programme
from knotenpunkt.bodies.tenant_defaults import DEFAULT_BODY_KINDS, install_defaults
from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.core.services import ServiceError
from tests.bodies.factories import BodyFactory, BodyKindFactory, GoalFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_default_kinds_are_installed_once(tenant: LocalAuthority) -> None:
    with scope(local_authority=tenant):
        install_defaults(tenant)
        BodyKind.objects.filter(name="Fachbeirat").update(name="Beirat")
        install_defaults(tenant)
        names = list(BodyKind.objects.values_list("name", flat=True))
    assert len(names) == len(DEFAULT_BODY_KINDS) + 1
    assert {"Netzwerk", "Steuerungsgruppe", "Qualitätszirkel", "Beirat"} <= set(names)


def test_a_kind_is_added_renamed_and_refused_twice(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    url = f"/t/{tenant.slug}/structure/kinds/"
    assert coordinator_client.post(url, {"name": "Runder Tisch"}).status_code == 302
    response = coordinator_client.post(url, {"name": "runder tisch"})
    assert "exists already" in response.content.decode()
    with scope(local_authority=tenant):
        kind = BodyKind.objects.get(name="Runder Tisch")
    coordinator_client.post(f"{url}{kind.uuid}/edit/", {"name": "Runder Tisch Kinderschutz"})
    kind.refresh_from_db()
    assert kind.name == "Runder Tisch Kinderschutz"


def test_a_kind_in_use_cannot_be_deleted(tenant: LocalAuthority, coordinator: User) -> None:
    body = BodyFactory(local_authority=tenant)
    required = BodyKindFactory(local_authority=tenant, name="Lenkungsgruppe")
    programme = ProgrammeFactory(local_authority=tenant)
    programme.required_kinds.add(required)
    with scope(local_authority=tenant):
        with pytest.raises(ServiceError, match="change their kind first"):
            services.body_kind_delete(actor=coordinator, kind=body.kind)
        with pytest.raises(ServiceError, match="requires the kind"):
            services.body_kind_delete(actor=coordinator, kind=required)
        unused = BodyKindFactory(local_authority=tenant, name="Informationsnetzwerk")
        services.body_kind_delete(actor=coordinator, kind=unused)
        assert not BodyKind.objects.filter(pk=unused.pk).exists()


def test_a_programme_is_created_with_kinds_and_bodies(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    steering = BodyFactory(local_authority=tenant, name="Steuerungsgruppe")
    network_kind = BodyKindFactory(local_authority=tenant, name="Netzwerk")
    response = coordinator_client.post(
        f"/t/{tenant.slug}/structure/programmes/new/",
        {
            "name": "Bundesstiftung Frühe Hilfen",
            "funder": "Bund",
            "required_kinds": [steering.kind.pk, network_kind.pk],
            "bodies": [steering.pk],
        },
    )
    assert response.status_code == 302
    page = coordinator_client.get(f"/t/{tenant.slug}/structure/programmes/").content.decode()
    assert "Bundesstiftung Frühe Hilfen" in page
    assert "Missing" in page and "Netzwerk" in page
    with scope(local_authority=tenant):
        programme = Programme.objects.get()
        assert list(programme.bodies.all()) == [steering]


def test_a_programme_refuses_an_end_before_its_start(
    tenant: LocalAuthority, coordinator: User
) -> None:
    import datetime

    with scope(local_authority=tenant), pytest.raises(ServiceError):
        services.programme_create(
            actor=coordinator,
            local_authority=tenant,
            name="X",
            start=datetime.date(2025, 1, 1),
            end=datetime.date(2024, 1, 1),
        )


def test_goals_are_numbered_and_reordered(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    url = f"/t/{tenant.slug}/structure/goals/"
    for title in ("Erstes", "Zweites", "Drittes"):
        coordinator_client.post(f"{url}new/", {"kind": "goal", "title": title})
    with scope(local_authority=tenant):
        third = Goal.objects.get(title="Drittes")
    assert third.position == 3
    coordinator_client.post(f"{url}{third.uuid}/move/", {"direction": "up"})
    with scope(local_authority=tenant):
        titles = list(Goal.objects.order_by("position").values_list("title", flat=True))
    assert titles == ["Erstes", "Drittes", "Zweites"]


def test_a_goal_is_edited_and_deleted(tenant: LocalAuthority, coordinator_client: Client) -> None:
    goal = GoalFactory(local_authority=tenant, title="Alt")
    base = f"/t/{tenant.slug}/structure/goals/{goal.uuid}/"
    coordinator_client.post(f"{base}edit/", {"kind": "mission", "title": "Leitbild"})
    goal.refresh_from_db()
    assert (goal.kind, goal.title) == ("mission", "Leitbild")
    coordinator_client.post(f"{base}delete/")
    assert not Goal.objects.with_scopes_disabled().filter(pk=goal.pk).exists()
