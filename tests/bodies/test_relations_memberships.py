"""Relations and memberships: the rules the services keep."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django_scopes import scope

from knotenpunkt.bodies import services
from knotenpunkt.bodies.models import BodyRelation, Membership
from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.core.services import ServiceError
from tests.bodies.factories import (
    BodyFactory,
    BodyRelationFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


def test_a_relation_is_added_once_and_never_to_itself(
    tenant: LocalAuthority, coordinator: User
) -> None:
    group = BodyFactory(local_authority=tenant)
    steering = BodyFactory(local_authority=tenant, kind=group.kind)
    with scope(local_authority=tenant):
        services.relation_add(actor=coordinator, source=group, target=steering, kind="reports_to")
        with pytest.raises(ServiceError, match="exists already"):
            services.relation_add(
                actor=coordinator, source=group, target=steering, kind="reports_to"
            )
        with pytest.raises(ServiceError, match="itself"):
            services.relation_add(actor=coordinator, source=group, target=group, kind="feeds_into")
        assert BodyRelation.objects.count() == 1


def test_a_relation_across_tenants_is_refused(
    tenant: LocalAuthority, other_tenant: LocalAuthority, coordinator: User
) -> None:
    mine = BodyFactory(local_authority=tenant)
    foreign = BodyFactory(local_authority=other_tenant)
    with scope(local_authority=tenant), pytest.raises(ServiceError, match="must belong"):
        services.relation_add(actor=coordinator, source=mine, target=foreign, kind="reports_to")


def test_a_relation_is_removed_through_the_page(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    relation = BodyRelationFactory(source=BodyFactory(local_authority=tenant))
    response = coordinator_client.post(
        f"/t/{tenant.slug}/structure/relations/{relation.uuid}/delete/"
    )
    assert response.status_code == 302
    assert not BodyRelation.objects.with_scopes_disabled().filter(pk=relation.pk).exists()


def test_a_coordinator_adds_an_organisation_as_member(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    body = BodyFactory(local_authority=tenant)
    organisation = OrganisationFactory(local_authority=tenant, name="Jobcenter Altmark")
    response = coordinator_client.post(
        f"/t/{tenant.slug}/structure/bodies/{body.uuid}/members/new/",
        {"organisation": organisation.pk, "role": "chair", "start": "2024-01-01"},
    )
    assert response.status_code == 302
    with scope(local_authority=tenant):
        membership = Membership.objects.get(body=body)
    assert membership.organisation == organisation
    assert membership.role == "chair"


def test_a_member_must_be_a_person_or_an_organisation_not_both(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    body = BodyFactory(local_authority=tenant)
    person = PersonFactory(local_authority=tenant)
    organisation = OrganisationFactory(local_authority=tenant)
    url = f"/t/{tenant.slug}/structure/bodies/{body.uuid}/members/new/"
    for data in ({}, {"person": person.pk, "organisation": organisation.pk}):
        response = coordinator_client.post(url, {**data, "role": "member"})
        assert "Choose either a person or an organisation" in response.content.decode()


def test_the_same_member_cannot_join_twice_while_active(
    tenant: LocalAuthority, coordinator: User
) -> None:
    membership = MembershipFactory(body=BodyFactory(local_authority=tenant))
    with scope(local_authority=tenant):
        with pytest.raises(ServiceError, match="already a member"):
            services.membership_add(
                actor=coordinator, body=membership.body, person=membership.person
            )
        services.membership_end(
            actor=coordinator, membership=membership, end=datetime.date(2020, 1, 1)
        )
        again = services.membership_add(
            actor=coordinator, body=membership.body, person=membership.person
        )
    assert again.pk != membership.pk


def test_a_person_of_another_tenant_is_refused_by_the_service(
    tenant: LocalAuthority, other_tenant: LocalAuthority, coordinator: User
) -> None:
    body = BodyFactory(local_authority=tenant)
    foreign = PersonFactory(local_authority=other_tenant)
    with scope(local_authority=tenant), pytest.raises(ServiceError, match="this local authority"):
        services.membership_add(actor=coordinator, body=body, person=foreign)


def test_ending_a_membership_keeps_it_as_former(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    membership = MembershipFactory(
        body=BodyFactory(local_authority=tenant), start=datetime.date(2019, 1, 1)
    )
    url = f"/t/{tenant.slug}/structure/memberships/{membership.uuid}/end/"
    assert coordinator_client.post(url, {"end": "2018-01-01"}).status_code == 200
    assert coordinator_client.post(url, {"end": "2021-06-30"}).status_code == 302
    membership.refresh_from_db()
    assert membership.end == datetime.date(2021, 6, 30)
    page = coordinator_client.get(f"/t/{tenant.slug}/structure/bodies/{membership.body.uuid}/")
    assert "Former members" in page.content.decode()
