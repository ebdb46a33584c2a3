"""The structure page: the diagram, the accessible list, counts, programmes, own memberships."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from knotenpunkt.bodies.models import Body, BodyRelation, Goal
from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.partners.models import Affiliation
from tests.bodies.factories import (
    BodyFactory,
    BodyKindFactory,
    BodyRelationFactory,
    GoalFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    ProfessionFactory,
    ProgrammeFactory,
    SectorFactory,
)

pytestmark = pytest.mark.django_db


def _structure(tenant: LocalAuthority, bodies: int) -> list[Body]:
    network = BodyFactory(
        local_authority=tenant,
        name="Netzwerk Frühe Hilfen",
        level=Body.Level.STRATEGIC,
        kind=BodyKindFactory(local_authority=tenant, name="Netzwerk"),
    )
    created = [network]
    sector = SectorFactory(local_authority=tenant)
    profession = ProfessionFactory(local_authority=tenant, sector=sector)
    for i in range(bodies - 1):
        body = BodyFactory(local_authority=tenant, parent=network, name=f"AG {i:02d}")
        person = PersonFactory(local_authority=tenant, profession=profession)
        MembershipFactory(body=body, person=person)
        MembershipFactory(body=network, person=person)
        organisation = OrganisationFactory(local_authority=tenant)
        organisation.sectors.add(sector)
        MembershipFactory(body=body, person=None, organisation=organisation)
        BodyRelationFactory(source=body, target=network)
        created.append(body)
    programme = ProgrammeFactory(local_authority=tenant)
    programme.bodies.add(*created[:3])
    programme.required_kinds.add(network.kind)
    GoalFactory(local_authority=tenant, kind=Goal.Kind.MISSION, title="Unser Leitbild")
    return created


@pytest.mark.parametrize("bodies", [5, 30])
def test_the_structure_page_runs_a_constant_number_of_queries(
    tenant: LocalAuthority,
    coordinator_client: Client,
    django_assert_max_num_queries: DjangoAssertNumQueries,
    bodies: int,
) -> None:
    _structure(tenant, bodies)
    with django_assert_max_num_queries(20):
        response = coordinator_client.get(f"/t/{tenant.slug}/structure/")
    assert response.status_code == 200


@pytest.mark.parametrize("bodies", [5, 30])
def test_list_and_detail_pages_run_a_constant_number_of_queries(
    tenant: LocalAuthority,
    coordinator_client: Client,
    django_assert_max_num_queries: DjangoAssertNumQueries,
    bodies: int,
) -> None:
    created = _structure(tenant, bodies)
    base = f"/t/{tenant.slug}/structure/"
    with django_assert_max_num_queries(12):
        assert coordinator_client.get(f"{base}bodies/").status_code == 200
    with django_assert_max_num_queries(12):
        assert coordinator_client.get(f"{base}programmes/").status_code == 200
    with django_assert_max_num_queries(25):
        assert coordinator_client.get(f"{base}bodies/{created[0].uuid}/").status_code == 200


def test_the_page_shows_diagram_list_counts_programmes_and_leitbild(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    _structure(tenant, 4)
    page = coordinator_client.get(f"/t/{tenant.slug}/structure/").content.decode()
    assert 'role="img"' in page and '<title id="structure-title">' in page
    assert page.count('class="body-box body-box--') == 4
    assert 'class="body-tree"' in page
    assert "Netzwerk Frühe Hilfen" in page and "AG 02" in page
    assert "reports to" in page
    assert "Members by sector" in page and "Gesundheit (SGB V)" in page
    assert "Hebamme" in page
    assert "All required bodies are in place." in page
    assert "Unser Leitbild" in page
    assert "Bodies sharing members" in page
    # Coordinates are written with a dot even in German.
    german = coordinator_client.get(
        f"/t/{tenant.slug}/structure/", HTTP_ACCEPT_LANGUAGE="de"
    ).content.decode()
    assert 'width="196.0"' in german or 'width="196"' in german


def test_a_partner_sees_their_own_memberships_highlighted(
    tenant: LocalAuthority, partner: User, partner_client: Client
) -> None:
    mine = BodyFactory(local_authority=tenant, name="Qualitätszirkel Hebammen")
    theirs = BodyFactory(local_authority=tenant, name="AG Übergang", kind=mine.kind)
    person = PersonFactory(local_authority=tenant, user=partner)
    MembershipFactory(body=mine, person=person)
    organisation = OrganisationFactory(local_authority=tenant)
    Affiliation.objects.with_scopes_disabled().create(
        local_authority=tenant, person=person, organisation=organisation
    )
    MembershipFactory(body=theirs, person=None, organisation=organisation)
    old = BodyFactory(local_authority=tenant, name="Alte AG", kind=mine.kind)
    MembershipFactory(body=old, person=person, end=datetime.date(2020, 1, 1))
    page = partner_client.get(f"/t/{tenant.slug}/structure/").content.decode()
    assert page.count("body-box--own") == 2
    assert page.count("your membership") == 2
    detail = partner_client.get(f"/t/{tenant.slug}/structure/bodies/{mine.uuid}/").content.decode()
    assert 'class="is-own"' in detail
    assert "Add member" not in detail


def test_unmet_requirements_are_shown(tenant: LocalAuthority, steering: User) -> None:
    from tests.conftest import client_for

    body = BodyFactory(local_authority=tenant)
    missing = BodyKindFactory(local_authority=tenant, name="Sozialraumteam")
    programme = ProgrammeFactory(local_authority=tenant, name="Landesprogramm")
    programme.bodies.add(body)
    programme.required_kinds.add(body.kind, missing)
    page = client_for(steering).get(f"/t/{tenant.slug}/structure/").content.decode()
    assert "Missing" in page and "Sozialraumteam" in page


def test_bodies_of_another_tenant_show_where_we_take_part(
    tenant: LocalAuthority, other_tenant: LocalAuthority, coordinator_client: Client
) -> None:
    shared = BodyFactory(local_authority=other_tenant, name="Interkommunale AG Frühe Hilfen")
    shared.partner_authorities.add(tenant)
    BodyFactory(local_authority=other_tenant, name="Geheime AG")
    page = coordinator_client.get(f"/t/{tenant.slug}/structure/").content.decode()
    assert "Interkommunale AG Frühe Hilfen" in page
    assert "Geheime AG" not in page
    assert BodyRelation.objects.with_scopes_disabled().count() == 0
