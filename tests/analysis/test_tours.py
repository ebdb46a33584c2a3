"""The pure tour planner: time windows, left-out stops, and agreement with brute force."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knotenpunkt.analysis import tours
from knotenpunkt.analysis.tours import (
    Place,
    Stop,
    brute_force_tour,
    haversine_km,
    osrm_matrix,
    plan_tour,
    schedule,
    travel_minutes_matrix,
)

OFFICE = Place(52.6, 11.85)
FAST = 0.2  # seconds of local search in tests


def line_matrix(positions: list[float]) -> list[list[float]]:
    """Travel minutes between points on a line (start and end at 0)."""
    points = [0.0, *positions, 0.0]
    return [[abs(a - b) for b in points] for a in points]


def test_it_measures_great_circle_distances() -> None:
    # Stendal to Salzwedel, about 55 km as the crow flies.
    assert haversine_km(Place(52.6058, 11.8584), Place(52.8503, 11.1533)) == pytest.approx(
        54.5, abs=3
    )
    matrix = travel_minutes_matrix(
        [Place(52.0, 11.0), Place(52.0, 11.0), Place(52.5, 11.0)], detour_factor=1.3, speed_kmh=60
    )
    assert matrix[0][1] == 0
    assert matrix[0][2] == pytest.approx(55.6 * 1.3, rel=0.01)
    assert matrix[2][0] == matrix[0][2]


def test_it_respects_time_windows() -> None:
    # Without windows the order would be a, b (on the way); b closes at 9:00.
    stops = [
        Stop("a", 0, 0, service_minutes=30, opens=None, closes=None),
        Stop("b", 0, 0, service_minutes=30, opens=8 * 60, closes=9 * 60),
    ]
    matrix = line_matrix([10, 20])
    plan = plan_tour(
        stops, matrix=matrix, day_start=8 * 60, day_end=17 * 60, time_limit_seconds=FAST
    )
    assert plan.order == ("b", "a")
    first = plan.stops[0]
    assert first.start >= 8 * 60
    assert first.departure <= 9 * 60
    assert plan.unreachable == ()
    assert plan.travel_minutes == pytest.approx(40)


def test_it_waits_for_opening_hours() -> None:
    stops = [Stop("a", 0, 0, service_minutes=30, opens=10 * 60, closes=12 * 60)]
    plan = plan_tour(
        stops, matrix=line_matrix([15]), day_start=8 * 60, day_end=17 * 60, time_limit_seconds=FAST
    )
    visit = plan.stops[0]
    assert visit.arrival == 8 * 60 + 15
    assert visit.start == 10 * 60
    assert visit.waiting == 105
    assert plan.return_time == 10 * 60 + 30 + 15


def test_it_reports_stops_that_do_not_fit() -> None:
    stops = [
        Stop("near", 0, 0, service_minutes=30),
        # Closes before anyone can get there.
        Stop("closed", 0, 0, service_minutes=30, opens=8 * 60, closes=8 * 60 + 20),
        # Too far for the day.
        Stop("far", 0, 0, service_minutes=30),
    ]
    plan = plan_tour(
        stops,
        matrix=line_matrix([10, 30, 300]),
        day_start=8 * 60,
        day_end=16 * 60,
        time_limit_seconds=FAST,
    )
    assert plan.order == ("near",)
    assert set(plan.unreachable) == {"closed", "far"}
    exact = brute_force_tour(stops, matrix=line_matrix([10, 30, 300]), day_start=480, day_end=960)
    assert exact.order == ("near",)


def test_it_plans_from_coordinates() -> None:
    rng = random.Random(3)
    stops = [
        Stop(f"s{i}", 52.6 + rng.uniform(-0.2, 0.2), 11.85 + rng.uniform(-0.3, 0.3))
        for i in range(6)
    ]
    plan = plan_tour(
        stops, start=OFFICE, day_start=8 * 60, day_end=18 * 60, time_limit_seconds=FAST
    )
    assert sorted(plan.order) == sorted(stop.key for stop in stops)
    assert plan.total_minutes >= plan.travel_minutes + 6 * 30


def test_it_refuses_bad_input() -> None:
    with pytest.raises(ValueError):
        plan_tour([Stop("a", 0, 0)], day_start=480, day_end=960)
    with pytest.raises(ValueError):
        plan_tour([Stop("a", 0, 0)], matrix=[[0]], day_start=480, day_end=960)
    with pytest.raises(ValueError):
        brute_force_tour(
            [Stop(str(i), 0, 0) for i in range(10)], start=OFFICE, day_start=0, day_end=9
        )


def test_it_plans_an_empty_tour() -> None:
    plan = plan_tour([], start=OFFICE, day_start=480, day_end=960)
    assert plan.stops == ()
    assert plan.travel_minutes == 0


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=10**6), size=st.integers(min_value=1, max_value=6))
def test_it_agrees_with_brute_force_on_small_instances(seed: int, size: int) -> None:
    rng = random.Random(seed)
    stops = []
    for i in range(size):
        opens = rng.choice([None, 8 * 60, 9 * 60, 13 * 60])
        closes = None if opens is None else opens + rng.choice([60, 120, 240])
        stops.append(
            Stop(
                f"s{i}",
                52.6 + rng.uniform(-0.25, 0.25),
                11.85 + rng.uniform(-0.4, 0.4),
                service_minutes=rng.choice([20, 30, 45]),
                opens=opens,
                closes=closes,
            )
        )
    exact = brute_force_tour(stops, start=OFFICE, day_start=8 * 60, day_end=15 * 60)
    plan = plan_tour(
        stops, start=OFFICE, day_start=8 * 60, day_end=15 * 60, time_limit_seconds=FAST
    )
    assert len(plan.stops) == len(exact.stops)
    assert plan.travel_minutes <= exact.travel_minutes * 1.01 + 1e-6
    # Both schedules respect every window and the end of the day.
    matrix = tours.default_matrix(stops, OFFICE)
    index = {stop.key: i for i, stop in enumerate(stops)}
    for result in (plan, exact):
        order = [index[key] for key in result.order]
        assert schedule(order, stops, matrix, day_start=480, day_end=900) is not None
        for visit in result.stops:
            stop = stops[index[visit.key]]
            if stop.opens is not None and stop.closes is not None:
                assert stop.opens <= visit.start
                assert visit.departure <= stop.closes + 1e-9
        assert result.return_time <= 15 * 60 + 1e-9


def test_it_reads_road_times_from_osrm(monkeypatch: pytest.MonkeyPatch) -> None:
    urls: list[str] = []

    def fake_fetch(url: str, timeout: float) -> object:
        urls.append(url)
        return {"code": "Ok", "durations": [[0, 600], [660, 0]]}

    monkeypatch.setattr(tours, "fetch_json", fake_fetch)
    matrix = osrm_matrix([Place(52.0, 11.0), Place(52.1, 11.2)], "https://osrm.example/")
    assert matrix == [[0, 10], [11, 0]]
    assert urls == [
        "https://osrm.example/table/v1/driving/11.000000,52.000000;11.200000,52.100000"
        "?annotations=duration"
    ]


@pytest.mark.parametrize(
    "answer",
    [
        {"code": "NoTable"},
        {"code": "Ok", "durations": [[0, None], [1, 0]]},
        {"code": "Ok", "durations": [[0, 1]]},
        [],
    ],
)
def test_it_refuses_incomplete_osrm_answers(
    monkeypatch: pytest.MonkeyPatch, answer: object
) -> None:
    monkeypatch.setattr(tours, "fetch_json", lambda url, timeout: answer)
    with pytest.raises(ValueError):
        osrm_matrix([Place(52.0, 11.0), Place(52.1, 11.2)], "https://osrm.example")


def test_it_refuses_non_http_osrm_urls() -> None:
    with pytest.raises(ValueError):
        osrm_matrix([OFFICE], "file:///etc/passwd")


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=10**6), size=st.integers(min_value=2, max_value=6))
def test_the_or_tools_search_keeps_every_window_and_visits_as_many(seed: int, size: int) -> None:
    # How close a time-limited search comes to the optimum is measured in bench/tours.py; here
    # only what must always hold: every window kept, as many stops as the exact search visits.
    rng = random.Random(seed)
    stops = [
        Stop(
            f"s{i}",
            52.6 + rng.uniform(-0.25, 0.25),
            11.85 + rng.uniform(-0.4, 0.4),
            service_minutes=rng.choice([20, 30, 45]),
            opens=8 * 60 + 60 * rng.randrange(4),
            closes=15 * 60,
        )
        for i in range(size)
    ]
    exact = brute_force_tour(stops, start=OFFICE, day_start=8 * 60, day_end=15 * 60)
    plan = plan_tour(
        stops,
        start=OFFICE,
        day_start=8 * 60,
        day_end=15 * 60,
        time_limit_seconds=FAST,
        exact_up_to=0,
    )
    matrix = tours.default_matrix(stops, OFFICE)
    index = {stop.key: i for i, stop in enumerate(stops)}
    order = [index[key] for key in plan.order]
    assert schedule(order, stops, matrix, day_start=480, day_end=900) is not None
    assert len(plan.stops) == len(exact.stops)


def test_it_schedules_an_order_by_hand_and_names_the_first_stop_it_misses() -> None:
    stops = [
        Stop("a", 0, 0, service_minutes=30),
        Stop("b", 0, 0, service_minutes=30, opens=8 * 60, closes=9 * 60),
    ]
    matrix = line_matrix([10, 20])
    plan = tours.plan_in_order(stops, matrix=matrix, day_start=8 * 60, day_end=17 * 60)
    # "a" first: b is reached at 9:00 and closes then; the order by hand does not work.
    assert plan is None
    assert tours.first_missed([0, 1], stops, matrix, day_start=480, day_end=1020) == 1
    assert tours.first_missed([1, 0], stops, matrix, day_start=480, day_end=1020) is None
    # Only the way back misses the end of the day.
    assert tours.first_missed([1, 0], stops, matrix, day_start=480, day_end=570) == 2
    swapped = tours.plan_in_order(
        [stops[1], stops[0]],
        matrix=line_matrix([20, 10]),
        day_start=8 * 60,
        day_end=17 * 60,
    )
    assert swapped is not None
    assert swapped.order == ("b", "a")
    assert swapped.travel_minutes == pytest.approx(40)


@pytest.mark.parametrize("strategies", [("SAVINGS",), ("PARALLEL_CHEAPEST_INSERTION",), ()])
def test_every_first_solution_strategy_gives_a_feasible_tour(strategies: tuple[str, ...]) -> None:
    rng = random.Random(7)
    stops = [
        Stop(
            f"s{i}",
            52.6 + rng.uniform(-0.1, 0.1),
            11.85 + rng.uniform(-0.15, 0.15),
            service_minutes=15,
            opens=rng.choice([8 * 60, 13 * 60]),
            closes=rng.choice([12 * 60, 17 * 60]) + 60,
        )
        for i in range(12)
    ]
    plan = plan_tour(
        stops,
        start=OFFICE,
        day_start=8 * 60,
        day_end=18 * 60,
        time_limit_seconds=FAST,
        strategies=strategies,
    )
    matrix = tours.default_matrix(stops, OFFICE)
    index = {stop.key: i for i, stop in enumerate(stops)}
    order = [index[key] for key in plan.order]
    assert schedule(order, stops, matrix, day_start=480, day_end=1080) is not None
    assert len(plan.stops) + len(plan.unreachable) == len(stops)


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(min_value=0, max_value=10**6), size=st.integers(min_value=0, max_value=6))
def test_first_missed_agrees_with_the_schedule(seed: int, size: int) -> None:
    rng = random.Random(seed)
    stops = [
        Stop(
            f"s{i}",
            52.6 + rng.uniform(-0.3, 0.3),
            11.85 + rng.uniform(-0.4, 0.4),
            service_minutes=rng.choice([20, 45]),
            opens=rng.choice([None, 9 * 60, 13 * 60]),
            closes=rng.choice([None, 12 * 60, 16 * 60]),
        )
        for i in range(size)
    ]
    matrix = tours.default_matrix(stops, OFFICE)
    order = list(range(size))
    rng.shuffle(order)
    missed = tours.first_missed(order, stops, matrix, day_start=480, day_end=900)
    feasible = schedule(order, stops, matrix, day_start=480, day_end=900) is not None
    assert (missed is None) == feasible
    if missed is not None and missed < size:
        # Every stop before the missed one keeps its window; at most the way back is too late.
        before = order[:missed]
        assert tours.first_missed(before, stops, matrix, day_start=480, day_end=900) in (
            None,
            missed,
        )
