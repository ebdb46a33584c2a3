"""Every page of the structure against the standard visitors, and other tenants' objects."""

from __future__ import annotations

import pytest
from django.test import Client

from knotenpunkt.bodies.models import Membership
from knotenpunkt.core.models import LocalAuthority, User
from tests.access import check_tenant_urls
from tests.bodies.factories import (
    BodyFactory,
    BodyKindFactory,
    BodyRelationFactory,
    GoalFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    ProgrammeFactory,
)
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _objects(tenant: LocalAuthority) -> dict[str, object]:
    body = BodyFactory(local_authority=tenant)
    return {
        "body": body.uuid,
        "relation": BodyRelationFactory(source=body).uuid,
        "membership": MembershipFactory(body=body).uuid,
        "programme": ProgrammeFactory(local_authority=tenant).uuid,
        "goal": GoalFactory(local_authority=tenant).uuid,
        "kind": BodyKindFactory(local_authority=tenant, name="Fachbeirat").uuid,
    }


def test_every_structure_url_keeps_outsiders_and_visitors_out(
    tenant: LocalAuthority,
    coordinator_client: Client,
    partner_client: Client,
    outsider_client: Client,
    anonymous_client: Client,
) -> None:
    checked = check_tenant_urls(
        namespace="bodies",
        tenant=tenant.slug,
        url_kwargs=_objects(tenant),
        coordinator=coordinator_client,
        partner=partner_client,
        outsider=outsider_client,
        anonymous=anonymous_client,
    )
    assert {url.name for url in checked} >= {"bodies:structure", "bodies:body_detail"}


def test_steering_reads_but_cannot_write(tenant: LocalAuthority, steering: User) -> None:
    objects = _objects(tenant)
    client = client_for(steering)
    base = f"/t/{tenant.slug}/structure/"
    assert client.get(base).status_code == 200
    assert client.get(f"{base}bodies/{objects['body']}/").status_code == 200
    assert client.get(f"{base}bodies/new/").status_code == 403
    assert client.post(f"{base}bodies/{objects['body']}/delete/").status_code == 403


def test_volunteers_are_turned_away(tenant: LocalAuthority, volunteer: User) -> None:
    objects = _objects(tenant)
    client = client_for(volunteer)
    base = f"/t/{tenant.slug}/structure/"
    for path in ("", "bodies/", f"bodies/{objects['body']}/", "programmes/", "goals/"):
        assert client.get(base + path).status_code == 403, path


def test_another_tenants_objects_are_not_found_through_my_tenant(
    tenant: LocalAuthority, other_tenant: LocalAuthority, coordinator_client: Client
) -> None:
    foreign = _objects(other_tenant)
    base = f"/t/{tenant.slug}/structure/"
    gets = [
        f"bodies/{foreign['body']}/",
        f"bodies/{foreign['body']}/edit/",
        f"bodies/{foreign['body']}/relations/new/",
        f"bodies/{foreign['body']}/members/new/",
        f"memberships/{foreign['membership']}/end/",
        f"programmes/{foreign['programme']}/edit/",
        f"goals/{foreign['goal']}/edit/",
        f"kinds/{foreign['kind']}/edit/",
    ]
    for path in gets:
        assert coordinator_client.get(base + path).status_code == 404, path
    posts = [
        f"bodies/{foreign['body']}/delete/",
        f"relations/{foreign['relation']}/delete/",
        f"memberships/{foreign['membership']}/delete/",
        f"programmes/{foreign['programme']}/delete/",
        f"goals/{foreign['goal']}/move/",
        f"goals/{foreign['goal']}/delete/",
        f"kinds/{foreign['kind']}/delete/",
    ]
    for path in posts:
        assert coordinator_client.post(base + path).status_code == 404, path
    assert Membership.objects.with_scopes_disabled().filter(uuid=foreign["membership"]).exists()


def test_a_membership_form_refuses_a_person_or_organisation_of_another_tenant(
    tenant: LocalAuthority, other_tenant: LocalAuthority, coordinator_client: Client
) -> None:
    body = BodyFactory(local_authority=tenant)
    url = f"/t/{tenant.slug}/structure/bodies/{body.uuid}/members/new/"
    foreign_person = PersonFactory(local_authority=other_tenant)
    response = coordinator_client.post(url, {"person": foreign_person.pk, "role": "member"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    foreign_org = OrganisationFactory(local_authority=other_tenant)
    response = coordinator_client.post(url, {"organisation": foreign_org.pk, "role": "member"})
    assert "Select a valid choice" in response.content.decode()
    assert not Membership.objects.with_scopes_disabled().filter(body=body).exists()


def test_a_body_form_refuses_a_parent_of_another_tenant(
    tenant: LocalAuthority, other_tenant: LocalAuthority, coordinator_client: Client
) -> None:
    kind = BodyKindFactory(local_authority=tenant)
    foreign_parent = BodyFactory(local_authority=other_tenant)
    response = coordinator_client.post(
        f"/t/{tenant.slug}/structure/bodies/new/",
        {"name": "AG X", "kind": kind.pk, "level": "operative", "parent": foreign_parent.pk},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
