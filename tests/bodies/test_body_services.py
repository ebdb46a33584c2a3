"""Bodies: creation, cycles refused, optimistic locking, deletion rules, audit."""

from __future__ import annotations

import pytest
from django.test import Client
from django_scopes import scope

from knotenpunkt.bodies import services
from knotenpunkt.bodies.models import Body
from knotenpunkt.core.models import AuditEntry, LifePhase, LocalAuthority, User
from knotenpunkt.core.services import ServiceError
from tests.bodies.factories import BodyFactory, BodyKindFactory

pytestmark = pytest.mark.django_db


def test_a_coordinator_creates_a_body_with_life_phases(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    kind = BodyKindFactory(local_authority=tenant, name="Arbeitsgruppe")
    phase = LifePhase.objects.get(code="age_1_3")
    response = coordinator_client.post(
        f"/t/{tenant.slug}/structure/bodies/new/",
        {
            "name": "AG 0–3 Jahre",
            "kind": kind.pk,
            "level": "operative",
            "life_phases": [phase.pk],
            "meeting_rhythm": "alle sechs Wochen, drei Stunden",
            "rhythm_weeks": "6",
        },
    )
    assert response.status_code == 302
    with scope(local_authority=tenant):
        body = Body.objects.get(name="AG 0–3 Jahre")
        entries = list(AuditEntry.objects.filter(object_id=str(body.pk)))
        assert list(body.life_phases.all()) == [phase]
    assert response["Location"] == f"/t/{tenant.slug}/structure/bodies/{body.uuid}/"
    assert {entry.action for entry in entries} == {"create"}
    assert any(e.changes.get("life_phases") == [[], [phase.label]] for e in entries)


def test_a_body_cannot_become_part_of_its_own_sub_body(
    tenant: LocalAuthority, coordinator: User
) -> None:
    top = BodyFactory(local_authority=tenant, name="Netzwerk")
    middle = BodyFactory(local_authority=tenant, parent=top, kind=top.kind)
    below = BodyFactory(local_authority=tenant, parent=middle, kind=top.kind)
    with scope(local_authority=tenant):
        for new_parent in (top, below):
            with pytest.raises(ServiceError, match="cannot be part of itself"):
                services.body_update(
                    actor=coordinator, body=top, version=top.version, data={"parent": new_parent}
                )
    top.refresh_from_db()
    assert top.parent is None
    assert top.version == 1


def test_the_cycle_is_refused_through_the_form(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    top = BodyFactory(local_authority=tenant)
    below = BodyFactory(local_authority=tenant, parent=top, kind=top.kind)
    response = coordinator_client.post(
        f"/t/{tenant.slug}/structure/bodies/{top.uuid}/edit/",
        {
            "name": top.name,
            "kind": top.kind.pk,
            "level": "strategic",
            "parent": below.pk,
            "version": top.version,
        },
    )
    assert response.status_code == 200
    assert "cannot be part of itself" in response.content.decode()


def test_a_stale_version_is_refused_and_nothing_is_overwritten(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    body = BodyFactory(local_authority=tenant, name="AG Alt")
    url = f"/t/{tenant.slug}/structure/bodies/{body.uuid}/edit/"
    form = {"kind": body.kind.pk, "level": "operative", "version": 1}
    first = coordinator_client.post(url, {**form, "name": "AG Erste"})
    assert first.status_code == 302
    second = coordinator_client.post(url, {**form, "name": "AG Zweite"})
    assert second.status_code == 200
    assert "Someone else changed this body" in second.content.decode()
    body.refresh_from_db()
    assert (body.name, body.version) == ("AG Erste", 2)
    # With the current version the change goes through.
    third = coordinator_client.post(url, {**form, "name": "AG Dritte", "version": 2})
    assert third.status_code == 302
    body.refresh_from_db()
    assert (body.name, body.version) == ("AG Dritte", 3)


def test_a_body_with_sub_bodies_cannot_be_deleted(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    top = BodyFactory(local_authority=tenant)
    BodyFactory(local_authority=tenant, parent=top, kind=top.kind)
    response = coordinator_client.post(
        f"/t/{tenant.slug}/structure/bodies/{top.uuid}/delete/", follow=True
    )
    assert "Move or delete the bodies inside" in response.content.decode()
    assert Body.objects.with_scopes_disabled().filter(pk=top.pk).exists()


def test_a_body_is_deleted_and_logged(tenant: LocalAuthority, coordinator_client: Client) -> None:
    body = BodyFactory(local_authority=tenant)
    response = coordinator_client.post(f"/t/{tenant.slug}/structure/bodies/{body.uuid}/delete/")
    assert response.status_code == 302
    with scope(local_authority=tenant):
        assert not Body.objects.filter(pk=body.pk).exists()
        assert AuditEntry.objects.filter(object_id=str(body.pk), action="delete").exists()


def test_links_to_another_tenant_are_refused_by_the_service(
    tenant: LocalAuthority, other_tenant: LocalAuthority, coordinator: User
) -> None:
    kind = BodyKindFactory(local_authority=tenant)
    foreign = BodyFactory(local_authority=other_tenant)
    with scope(local_authority=tenant), pytest.raises(ServiceError):
        services.body_create(
            actor=coordinator,
            local_authority=tenant,
            name="X",
            kind=kind,
            level="operative",
            parent=foreign,
        )


def test_a_tenant_with_bodies_can_be_deleted(tenant: LocalAuthority) -> None:
    top = BodyFactory(local_authority=tenant)
    BodyFactory(local_authority=tenant, parent=top, kind=top.kind)
    tenant.delete()
    assert not Body.objects.with_scopes_disabled().exists()


@pytest.mark.django_db
def test_an_edit_without_a_version_is_refused(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    body = BodyFactory(local_authority=tenant, name="AG Alt")
    response = coordinator_client.post(
        f"/t/{tenant.slug}/structure/bodies/{body.uuid}/edit/",
        {"name": "AG Neu", "kind": body.kind.pk, "level": body.level},
    )
    assert response.status_code == 200
    body.refresh_from_db()
    assert (body.name, body.version) == ("AG Alt", 1)
