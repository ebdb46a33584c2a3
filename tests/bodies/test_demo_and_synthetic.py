"""The demo structure of both demo tenants, and the synthetic generator's structure step."""

from __future__ import annotations

import pytest
from django.test import Client
from django_scopes import scope, scopes_disabled

from knotenpunkt.bodies.models import Body, BodyKind, BodyRelation, Goal, Membership, Programme
from knotenpunkt.bodies.selectors import structure_overview
from knotenpunkt.bodies.tenant_defaults import DEFAULT_BODY_KINDS
from knotenpunkt.core.demo import ALTMARK_SLUG, MUSTERSTADT_SLUG, load_demo
from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.core.synthetic import generate
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_the_altmark_demo_has_its_network_structure() -> None:
    load_demo()
    altmark = LocalAuthority.objects.get(slug=ALTMARK_SLUG)
    with scope(local_authority=altmark):
        bodies = {body.name: body for body in Body.objects.select_related("kind", "parent")}
        network = bodies["Netzwerk Frühe Hilfen Altmarkkreis (Demo)"]
        assert network.parent is None and network.level == "strategic"
        steering = bodies["Steuerungsgruppe Frühe Hilfen (Demo)"]
        assert (steering.level, steering.rhythm_weeks) == ("strategic", 13)
        for name in (
            "AG 0–3 Jahre",
            "AG Übergang Kita–Schule",
            "Qualitätszirkel Hebammen und Kinderärzt:innen",
            "Sozialraumteam Gardelegen",
            "Sozialraumteam Salzwedel",
        ):
            assert bodies[name].level == "operative"
            assert bodies[name].parent == network
            assert bodies[name].meeting_rhythm == "alle sechs Wochen, drei Stunden"
        assert BodyRelation.objects.filter(
            source=bodies["AG 0–3 Jahre"], target=steering, kind="reports_to"
        ).exists()
        assert BodyRelation.objects.filter(
            source=bodies["Qualitätszirkel Hebammen und Kinderärzt:innen"],
            target=bodies["AG 0–3 Jahre"],
            kind="feeds_into",
        ).exists()
        assert set(Programme.objects.values_list("name", flat=True)) == {
            "Bundesstiftung Frühe Hilfen (Demo)",
            "Landesprogramm Präventionsketten (Demo)",
        }
        assert Goal.objects.filter(kind="mission").count() == 1
        assert Goal.objects.filter(kind="goal").count() == 4
        assert set(DEFAULT_BODY_KINDS) <= set(BodyKind.objects.values_list("name", flat=True))
        overview = structure_overview(tenant=altmark)
        assert all(not row.unmet_kinds for row in overview.programmes)
        if Membership.objects.exists():
            assert overview.totals.members > 0


def test_musterstadt_has_an_inter_municipal_group_shown_in_the_altmark() -> None:
    load_demo()
    with scopes_disabled():
        group = Body.objects.get(name="Interkommunale AG Frühe Hilfen (Demo)")
        assert group.local_authority.slug == MUSTERSTADT_SLUG
        assert [a.slug for a in group.partner_authorities.all()] == [ALTMARK_SLUG]
        programme = Programme.objects.get(local_authority=group.local_authority)
    with scope(local_authority=group.local_authority):
        overview = structure_overview(tenant=group.local_authority)
        unmet = {row.programme.pk: row.unmet_kinds for row in overview.programmes}
    assert unmet[programme.pk] == ("Sozialraumteam",)
    steering = User.objects.get(email="steuerung@altmark-demo.example.org")
    page = client_for(steering).get(f"/t/{ALTMARK_SLUG}/structure/").content.decode()
    assert "Interkommunale AG Frühe Hilfen (Demo)" in page


def test_the_demo_pages_open_for_the_coordinator() -> None:
    load_demo()
    coordinator = User.objects.get(email="koordination@altmark-demo.example.org")
    client: Client = client_for(coordinator)
    page = client.get(f"/t/{ALTMARK_SLUG}/structure/")
    assert page.status_code == 200
    assert page.content.decode().count('class="body-box body-box--') == 7
    with scopes_disabled():
        body = Body.objects.get(name="AG 0–3 Jahre")
    assert client.get(f"/t/{ALTMARK_SLUG}/structure/bodies/{body.uuid}/").status_code == 200


def test_the_demo_is_deterministic() -> None:
    def snapshot() -> list[tuple[str, ...]]:
        with scopes_disabled():
            return sorted(
                (
                    m.body.name,
                    str(m.person.full_name if m.person else m.organisation),
                    m.role,
                )
                for m in Membership.objects.select_related("body", "person", "organisation")
            )

    load_demo()
    first = snapshot()
    load_demo(reset=True)
    assert snapshot() == first


def test_the_synthetic_step_builds_a_structure_per_tenant() -> None:
    report = generate(scale="county", seed=7)
    assert report.counts["bodies"] >= 5 * report.tenants
    with scopes_disabled():
        for tenant in LocalAuthority.objects.filter(is_synthetic=True):
            bodies = Body.objects.filter(local_authority=tenant)
            assert bodies.filter(parent=None).count() == 1
            working_groups = bodies.filter(kind__name="Arbeitsgruppe")
            assert 3 <= working_groups.count() <= 6
            assert BodyRelation.objects.filter(local_authority=tenant).count() == (
                working_groups.count()
            )
            assert (
                not Membership.objects.exclude(local_authority=tenant)
                .filter(body__local_authority=tenant)
                .exists()
            )
            assert (
                not Membership.objects.filter(body__local_authority=tenant)
                .exclude(person__local_authority=tenant, organisation=None)
                .exclude(organisation__local_authority=tenant, person=None)
                .exists()
            )


def test_the_synthetic_structure_is_deterministic_and_replaceable() -> None:
    def names() -> list[str]:
        with scopes_disabled():
            return sorted(Body.objects.values_list("name", flat=True))

    generate(scale="county", seed=3)
    first = names()
    generate(scale="county", seed=3, replace=True)
    assert names() == first
