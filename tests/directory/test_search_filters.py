"""Search filters: age, place and distance, costs, language, barrier-free, weekday, topic."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from django_scopes import scopes_disabled

from knotenpunkt.core.models import LifePhase, LocalAuthority
from knotenpunkt.directory.models import Location, Service
from knotenpunkt.directory.search import Near, search_services
from tests.directory.factories import LanguageFactory, ScheduleFactory
from tests.directory.test_search_set import GARDELEGEN, SALZWEDEL, build_offers

pytestmark = pytest.mark.django_db


def _names(ids: dict[str, int], hits: Sequence[tuple[int, float]]) -> list[str]:
    names = {pk: name for name, pk in ids.items()}
    return [names[pk] for pk, _ in hits]


@pytest.fixture
def offers(tenant: LocalAuthority, other_tenant: LocalAuthority) -> dict[str, int]:
    return build_offers(tenant, other_tenant)


def test_it_keeps_offers_for_the_childs_age(tenant: LocalAuthority, offers: dict[str, int]) -> None:
    assert (
        _names(offers, search_services(tenant, "Hebamme", age_months=24))
        == ["Hebammensprechstunde (beendet)"][:0]
    )
    found = _names(offers, search_services(tenant, "Hebamme", age_months=-6))
    assert found == ["Hebammensprechstunde", "Geburtsvorbereitungskurs"]  # not Familienhebamme


def test_it_filters_by_life_phase(tenant: LocalAuthority, offers: dict[str, int]) -> None:
    with scopes_disabled():
        Service.objects.get(pk=offers["Babymassage"]).life_phases.set(
            LifePhase.objects.filter(code="age_0_1")
        )
    assert _names(offers, search_services(tenant, "", life_phase="age_0_1")) == ["Babymassage"]


def test_it_orders_equal_scores_by_distance(tenant: LocalAuthority, offers: dict[str, int]) -> None:
    near_gardelegen = search_services(tenant, "Beratung", near=Near(*GARDELEGEN))
    assert _names(offers, near_gardelegen)[:3] == [
        "Erziehungsberatung",
        "Schwangerschaftsberatung",
        "Schuldnerberatung",
    ]


def test_it_keeps_offers_within_the_radius(tenant: LocalAuthority, offers: dict[str, int]) -> None:
    hits = search_services(tenant, "Beratung", near=Near(*SALZWEDEL, radius_km=10))
    assert set(_names(offers, hits)) == {"Schwangerschaftsberatung", "Schuldnerberatung"}


def test_a_shelter_counts_by_its_areas_centre_never_its_own_position(
    tenant: LocalAuthority, offers: dict[str, int]
) -> None:
    # The shelter's secret position is in Gardelegen; without an area it has no public position.
    assert "Frauenhaus Altmark" not in _names(
        offers, search_services(tenant, "", near=Near(*GARDELEGEN, radius_km=5))
    )
    everything = _names(offers, search_services(tenant, "", near=Near(*GARDELEGEN)))
    assert everything[-1] == "Frauenhaus Altmark"  # listed, but last


def test_it_filters_by_costs_language_access_and_weekday(
    tenant: LocalAuthority, offers: dict[str, int]
) -> None:
    with scopes_disabled():
        stillcafe = Service.objects.get(pk=offers["Stillcafé"])
        LanguageFactory(service=stillcafe, code="ar")
        ScheduleFactory(service=stillcafe, byday="WE")
        Location.objects.filter(service_at_locations__service=stillcafe).update(barrier_free=True)
    assert "Babymassage" not in _names(offers, search_services(tenant, "Babys", free=True))
    assert _names(offers, search_services(tenant, "", offer_language="ar")) == ["Stillcafé"]
    assert _names(offers, search_services(tenant, "", barrier_free=True)) == ["Stillcafé"]
    assert _names(offers, search_services(tenant, "", weekday=2)) == ["Stillcafé"]
    assert _names(offers, search_services(tenant, "", weekday=1)) == []


def test_it_filters_by_topic(tenant: LocalAuthority, offers: dict[str, int]) -> None:
    with scopes_disabled():
        topic = Service.objects.get(pk=offers["Babymassage"]).topics.get()
    found = _names(offers, search_services(tenant, "", topic=topic))
    assert found == ["Eltern-Kind-Gruppe", "Babymassage"]


def test_an_empty_query_lists_all_public_offers(
    tenant: LocalAuthority, offers: dict[str, int]
) -> None:
    hits = search_services(tenant, "  ")
    assert len(hits) == len(offers)
    assert {rank for _, rank in hits} == {0.0}
    assert len(search_services(tenant, "", limit=3)) == 3
