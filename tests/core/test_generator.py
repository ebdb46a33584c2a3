"""The synthetic data generator: shape, determinism, replacement and the ``generate`` command."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django_scopes import scope, scopes_disabled

from knotenpunkt.core import synthetic
from knotenpunkt.core.models import Area, AreaFigure, Indicator, LocalAuthority, Role, User
from knotenpunkt.core.synthetic import (
    SCALES,
    GenerationContext,
    generate,
    generator_step,
    get_scale,
    plan,
)
from tests.factories import AreaFactory

pytestmark = pytest.mark.django_db

LAT_RANGE = (47.3, 55.0)
LON_RANGE = (5.9, 15.0)


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Everything the seed decides, keyed by paths of names instead of ids."""
    with scopes_disabled():
        tenants = {t.pk: t.slug for t in LocalAuthority.objects.filter(is_synthetic=True)}
        areas = {a.pk: a for a in Area.objects.filter(local_authority__in=tenants)}

        def path(area: Area) -> str:
            parts = []
            current: Area | None = area
            while current is not None:
                parts.append(current.name)
                current = areas[current.parent_id] if current.parent_id else None
            return "/".join([tenants[area.local_authority_id], *reversed(parts)])

        return {
            "tenants": sorted(
                LocalAuthority.objects.filter(is_synthetic=True).values_list("slug", "name", "kind")
            ),
            "areas": sorted(
                (path(a), a.kind, a.latitude, a.longitude, a.is_central_place)
                for a in areas.values()
            ),
            "figures": sorted(
                (path(areas[f.area_id]), f.year, f.indicator, f.value, f.source)
                for f in AreaFigure.objects.filter(local_authority__in=tenants)
            ),
            "users": sorted(
                (r.user.email, r.user.full_name, r.kind)
                for r in Role.objects.filter(local_authority__in=tenants).select_related("user")
            ),
        }


# --- Shape ------------------------------------------------------------------------------------


def test_county_scale_creates_one_landkreis_with_a_tree_of_about_60_areas() -> None:
    report = generate(scale="county", seed=7)

    tenant = LocalAuthority.objects.get()
    assert tenant.is_synthetic
    assert tenant.slug.startswith("syn-")
    assert tenant.kind == LocalAuthority.Kind.LANDKREIS
    assert tenant.name.startswith("Landkreis ")
    with scope(local_authority=tenant):
        areas = list(Area.objects.all())
    assert report.tenants == 1
    assert report.areas == len(areas)
    assert 40 <= len(areas) <= 90
    roots = [a for a in areas if a.parent_id is None]
    assert len(roots) == 1
    assert roots[0].kind == Area.Kind.COUNTY
    municipalities = [a for a in areas if a.parent_id == roots[0].pk]
    assert len(municipalities) == 10
    assert {a.kind for a in municipalities} <= {Area.Kind.MUNICIPALITY, Area.Kind.TOWN}
    assert any(a.is_central_place for a in municipalities)
    for municipality in municipalities:
        districts = [a for a in areas if a.parent_id == municipality.pk]
        assert 3 <= len(districts) <= 8
        assert all(d.kind == Area.Kind.DISTRICT for d in districts)
        # The Kernort carries the municipality's name.
        assert municipality.name in {d.name for d in districts}
    assert len(areas) == 1 + len(municipalities) + sum(
        1 for a in areas if a.kind == Area.Kind.DISTRICT
    )


def test_areas_lie_in_germany_within_about_25_km_of_their_tenant() -> None:
    generate(scale="county", seed=3)

    with scopes_disabled():
        areas = list(Area.objects.all())
    root = next(a for a in areas if a.parent_id is None)
    assert root.latitude is not None
    assert root.longitude is not None
    for area in areas:
        assert area.latitude is not None
        assert area.longitude is not None
        assert LAT_RANGE[0] <= area.latitude <= LAT_RANGE[1]
        assert LON_RANGE[0] <= area.longitude <= LON_RANGE[1]
        # ~25 km for the Gemeinde plus ~5 km for its Ortsteil: at most 0.3 degrees apart.
        assert abs(area.latitude - root.latitude) < 0.3
        assert abs(area.longitude - root.longitude) < 0.5


def test_every_area_has_every_indicator_for_three_years() -> None:
    report = generate(scale="county", seed=7)

    with scopes_disabled():
        figures = list(AreaFigure.objects.all())
        area_ids = set(Area.objects.values_list("pk", flat=True))
    assert report.figures == len(figures) == len(area_ids) * 3 * len(Indicator)
    assert {f.area_id for f in figures} == area_ids
    assert {f.year for f in figures} == {2022, 2023, 2024}
    assert {f.indicator for f in figures} == set(Indicator.values)
    assert {f.source for f in figures} == {"Synthetische Daten (Seed 7)"}


def test_parent_figures_are_the_sums_of_their_children() -> None:
    generate(scale="county", seed=11)

    with scopes_disabled():
        parents = dict(Area.objects.values_list("pk", "parent_id"))
        figures = list(AreaFigure.objects.all())
    values = {(f.area_id, f.year, f.indicator): f.value for f in figures}
    sums: defaultdict[tuple[int, int, str], int] = defaultdict(int)
    for (area_id, year, indicator), value in values.items():
        if parents[area_id] is not None:
            sums[(parents[area_id], year, indicator)] += value
    assert sums  # the tree has parents at all
    for key, total in sums.items():
        assert values[key] == total


def test_figures_are_plausible_shares_of_the_population() -> None:
    generate(scale="county", seed=5)

    with scopes_disabled():
        leaves = Area.objects.filter(children__isnull=True)
        leaf_figures = list(AreaFigure.objects.filter(area__in=leaves, year=2024))
        root = Area.objects.get(parent=None)
        root_figures = {
            f.indicator: f.value for f in AreaFigure.objects.filter(area=root, year=2024)
        }
    populations = [f.value for f in leaf_figures if f.indicator == Indicator.POPULATION]
    assert min(populations) >= 290
    assert max(populations) <= 30_000
    population = root_figures[Indicator.POPULATION]
    expected_shares = {
        Indicator.CHILDREN_0_3: 0.026,
        Indicator.CHILDREN_3_6: 0.028,
        Indicator.CHILDREN_6_10: 0.037,
        Indicator.CHILDREN_10_18: 0.075,
        Indicator.YOUNG_ADULTS_18_27: 0.085,
        Indicator.BIRTHS: 0.0085,
        Indicator.SINGLE_PARENTS_SGB2: 0.011,
        Indicator.HOUSEHOLDS_SGB2_WITH_CHILDREN: 0.02,
    }
    for indicator, share in expected_shares.items():
        assert 0.6 * share < root_figures[indicator] / population < 1.6 * share, indicator


def test_each_tenant_gets_a_coordinator_and_a_partner_without_a_usable_password() -> None:
    report = generate(scale="county", seed=7)

    tenant = LocalAuthority.objects.get()
    with scope(local_authority=tenant):
        roles = {r.kind: r.user for r in Role.objects.select_related("user")}
    assert set(roles) == {Role.Kind.COORDINATOR, Role.Kind.PARTNER}
    assert roles[Role.Kind.COORDINATOR].email == f"koordination@{tenant.slug}.example.org"
    assert roles[Role.Kind.PARTNER].email == f"partner@{tenant.slug}.example.org"
    for user in roles.values():
        assert user.full_name
        assert not user.has_usable_password()
    assert report.users == 2


def test_names_are_unique_per_parent() -> None:
    generate(scale="state", seed=2)

    with scopes_disabled():
        rows = list(Area.objects.values_list("local_authority_id", "parent_id", "name"))
        slugs = list(LocalAuthority.objects.values_list("slug", flat=True))
    assert len(rows) == len(set(rows))
    assert len(slugs) == len(set(slugs)) == 14


# --- Scales -----------------------------------------------------------------------------------


def test_state_scale_plans_14_tenants_and_about_700_areas() -> None:
    scale = get_scale("state")
    tenants = plan(scale="state", seed=1)

    assert scale.tenants == len(tenants) == 14
    assert 600 <= scale.expected_areas <= 800
    assert 600 <= sum(t.root.count() for t in tenants) <= 800


def test_national_scale_plans_about_400_tenants_and_10000_areas() -> None:
    scale = get_scale("national")
    tenants = plan(scale="national", seed=1)

    assert scale.tenants == len(tenants) == 400
    assert 9_000 <= scale.expected_areas <= 11_000
    assert 9_000 <= sum(t.root.count() for t in tenants) <= 11_000
    kinds = {t.kind for t in tenants}
    assert kinds == {
        LocalAuthority.Kind.LANDKREIS,
        LocalAuthority.Kind.KREISFREIE_STADT,
        LocalAuthority.Kind.REGION,
    }
    assert len({t.slug for t in tenants}) == 400
    assert all(t.slug.startswith("syn-") for t in tenants)


def test_an_unknown_scale_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown scale 'planet'"):
        generate(scale="planet", seed=1)


def test_slugs_transliterate_german_letters() -> None:
    assert synthetic.tenant_slug("Großmühlhausen an der Saale") == (
        "syn-grossmuehlhausen-an-der-saale"
    )


def test_place_names_are_deterministic_per_seed() -> None:
    first = [synthetic.place_name(random.Random(4)) for _ in range(3)]
    again = [synthetic.place_name(random.Random(4)) for _ in range(3)]
    assert first == again


# --- Determinism and replacement --------------------------------------------------------------


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data() -> None:
    generate(scale="county", seed=42)
    first = snapshot()

    generate(scale="county", seed=42, replace=True)
    second = snapshot()
    generate(scale="county", seed=43, replace=True)
    other = snapshot()

    assert first == second
    assert len(first["figures"]) > 1000
    assert other["tenants"] != first["tenants"]
    assert other["areas"] != first["areas"]
    assert {v for *_, v, _ in other["figures"]} != {v for *_, v, _ in first["figures"]}


def test_it_refuses_to_generate_over_existing_synthetic_data() -> None:
    generate(scale="county", seed=1)
    before = snapshot()

    with pytest.raises(ValueError, match="Synthetic data exists already"):
        generate(scale="county", seed=2)

    assert snapshot() == before


def test_replace_deletes_earlier_synthetic_data_but_nothing_else(tenant: LocalAuthority) -> None:
    kept_area = AreaFactory(local_authority=tenant, name="Echtdorf")
    AreaFactory(local_authority=tenant, parent=kept_area, name="Echtdorf-Nord")
    kept_user = User.objects.create_user("echt@example.org", full_name="Echte Person")
    generate(scale="state", seed=1)

    report = generate(scale="county", seed=1, replace=True)

    assert report.replaced_tenants == 14
    assert LocalAuthority.objects.filter(is_synthetic=True).count() == 1
    assert LocalAuthority.objects.filter(pk=tenant.pk).exists()
    with scope(local_authority=tenant):
        assert Area.objects.count() == 2
        assert Area.objects.get(name="Echtdorf-Nord").parent == kept_area
    assert User.objects.filter(pk=kept_user.pk).exists()
    with scopes_disabled():
        assert Area.objects.count() == 2 + report.areas
        assert AreaFigure.objects.count() == report.figures
        assert Role.objects.count() == 2
    assert User.objects.count() == 1 + 2


def test_delete_synthetic_data_removes_every_synthetic_row() -> None:
    generate(scale="county", seed=1)

    assert synthetic.delete_synthetic_data() == 1

    assert not synthetic.synthetic_data_exists()
    with scopes_disabled():
        assert not Area.objects.exists()
        assert not AreaFigure.objects.exists()
        assert not Role.objects.exists()
    assert not User.objects.exists()


# --- Extension by other apps ------------------------------------------------------------------


@pytest.fixture
def isolated_registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(synthetic, "_REGISTRY", dict(synthetic._REGISTRY))
    yield


@pytest.mark.usefixtures("isolated_registry")
def test_steps_of_other_apps_run_after_core_with_their_own_random_source() -> None:
    seen: list[tuple[int, int, float]] = []

    @generator_step(order=100, name="testapp.count_leaves")
    def count_leaves(ctx: GenerationContext) -> None:
        leaves = [a for a in ctx.areas if not any(b.parent_id == a.pk for b in ctx.areas)]
        seen.append((len(ctx.tenants), len(leaves), ctx.rng.random()))
        ctx.counts["testapp_leaves"] += len(leaves)

    names = [step.name for step in synthetic.registered_steps()]
    report = generate(scale="county", seed=9)

    assert names.index("testapp.count_leaves") > names.index("core.create_users")
    assert names[:4] == [
        "core.create_tenants",
        "core.create_areas",
        "core.create_figures",
        "core.create_users",
    ]
    assert seen[0][0] == 1
    assert seen[0][2] == random.Random("9:testapp.count_leaves").random()
    assert report.counts["testapp_leaves"] == seen[0][1]
    step = next(step for step in report.steps if step.name == "testapp.count_leaves")
    assert step.rows == seen[0][1]


# --- The command ------------------------------------------------------------------------------


def test_the_command_generates_and_prints_a_summary() -> None:
    out = StringIO()

    call_command("generate", "--scale", "county", "--seed", "3", stdout=out)

    text = out.getvalue()
    areas = Area.objects.model._base_manager.count()
    assert "1 tenants" in text
    assert f"{areas} areas" in text
    assert f"{areas * 3 * len(Indicator)} figures" in text
    assert "2 users" in text
    assert " s." in text


def test_the_command_refuses_without_replace_and_replaces_with_it() -> None:
    call_command("generate", "--scale", "county", "--seed", "3", stdout=StringIO())

    with pytest.raises(CommandError, match="Synthetic data exists already"):
        call_command("generate", "--scale", "county", "--seed", "3", stdout=StringIO())

    out = StringIO()
    call_command("generate", "--scale", "county", "--seed", "3", "--replace", stdout=out)
    assert "Replaced 1 earlier synthetic tenants." in out.getvalue()
    assert LocalAuthority.objects.filter(is_synthetic=True).count() == 1


def test_scales_are_ordered_by_size() -> None:
    sizes = [SCALES[name].expected_areas for name in ("county", "state", "national")]
    assert sizes == sorted(sizes)
