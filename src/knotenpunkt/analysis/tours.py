"""Planning a visit tour: the order in which to visit partners in one day.

Pure functions over plain data (minutes since midnight, coordinates in degrees). Travel times
come from a matrix: by default the great-circle distance times a detour factor at an average
speed (:func:`travel_minutes_matrix`), or road times from an OSRM server (:func:`osrm_matrix`,
the only function here that touches the network).

Nodes of a matrix are numbered: 0 = start (the office), 1..n = the stops in the given order,
n + 1 = end (usually the office again).

:func:`plan_tour` solves the routing problem with time windows with OR-Tools;
:func:`brute_force_tour` finds the exact optimum for a few stops and is the baseline for tests
and ``bench/tours.py``. Both minimise the travel time among the tours that visit as many stops
as possible, and both return a :class:`TourPlan` with the schedule from :func:`schedule`.
"""

from __future__ import annotations

import json
import math
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

EARTH_RADIUS_KM = 6371.0088
#: Penalty for leaving out a stop; far larger than any day's travel, so stops are only dropped
#: when they cannot be fitted in.
_DROP_PENALTY = 10**9

Matrix = Sequence[Sequence[float]]


@dataclass(frozen=True)
class Place:
    """A point on the map."""

    latitude: float
    longitude: float


@dataclass(frozen=True)
class Stop:
    """A partner to visit: where, for how long, and when they are open (minutes since midnight).

    The visit must begin and end within ``opens``–``closes``; without them the whole day is open.
    """

    key: str
    latitude: float
    longitude: float
    service_minutes: int = 30
    opens: int | None = None
    closes: int | None = None


@dataclass(frozen=True)
class PlannedStop:
    """One visit of a plan: arrival, start of the visit (after waiting for opening), departure."""

    key: str
    arrival: float
    start: float
    departure: float

    @property
    def waiting(self) -> float:
        return self.start - self.arrival


@dataclass(frozen=True)
class TourPlan:
    """The result of planning: visits in order, the stops that do not fit, and the totals."""

    stops: tuple[PlannedStop, ...]
    unreachable: tuple[str, ...]
    departure: float
    return_time: float
    travel_minutes: float

    @property
    def total_minutes(self) -> float:
        """From leaving the office to coming back."""
        return self.return_time - self.departure

    @property
    def order(self) -> tuple[str, ...]:
        return tuple(stop.key for stop in self.stops)


#: Tours with at most this many stops are solved exactly (8! orders, pruned by the time windows).
EXACT_UP_TO = 8


def haversine_km(a: Place, b: Place) -> float:
    """Great-circle distance between two places in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def travel_minutes_matrix(
    places: Sequence[Place], *, detour_factor: float = 1.3, speed_kmh: float = 50.0
) -> list[list[float]]:
    """Travel minutes between all places: great-circle km × detour factor at an average speed."""
    if speed_kmh <= 0:
        raise ValueError("speed_kmh must be positive")
    return [[haversine_km(a, b) * detour_factor / speed_kmh * 60.0 for b in places] for a in places]


def fetch_json(url: str, timeout: float) -> object:
    """GET a URL and decode its JSON (separate so that tests can replace it)."""
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (URL from settings)
        return json.loads(response.read().decode("utf-8"))


def osrm_matrix(
    places: Sequence[Place], base_url: str, *, timeout: float = 10.0
) -> list[list[float]]:
    """Road travel minutes between all places from an OSRM server's table service.

    Raises ``ValueError`` when the answer is not a complete table (for example, a place that is
    not on the road network), so that callers can fall back to :func:`travel_minutes_matrix`.
    """
    if not base_url.startswith(("http://", "https://")):
        raise ValueError("OSRM URL must be http(s)")
    coordinates = ";".join(f"{place.longitude:.6f},{place.latitude:.6f}" for place in places)
    url = f"{base_url.rstrip('/')}/table/v1/driving/{coordinates}?annotations=duration"
    answer = fetch_json(url, timeout)
    if not isinstance(answer, dict) or answer.get("code") != "Ok":
        raise ValueError("OSRM answered with an error")
    durations = answer.get("durations")
    if not isinstance(durations, list) or len(durations) != len(places):
        raise ValueError("OSRM answered with an incomplete table")
    matrix: list[list[float]] = []
    for row in durations:
        if not isinstance(row, list) or len(row) != len(places):
            raise ValueError("OSRM answered with an incomplete table")
        if any(not isinstance(value, int | float) for value in row):
            raise ValueError("OSRM found no road between some places")
        matrix.append([float(value) / 60.0 for value in row])
    return matrix


def _windows(stop: Stop, day_start: int, day_end: int) -> tuple[int, int]:
    """The interval in which the visit of ``stop`` may begin."""
    opens = day_start if stop.opens is None else max(day_start, stop.opens)
    closes = day_end if stop.closes is None else min(day_end, stop.closes)
    return opens, closes - stop.service_minutes


def schedule(
    order: Sequence[int],
    stops: Sequence[Stop],
    matrix: Matrix,
    *,
    day_start: int,
    day_end: int,
) -> tuple[list[PlannedStop], float, float] | None:
    """The earliest schedule for visiting ``stops[i]`` for i in ``order`` (0-based stop indices).

    Returns (visits, return time, travel minutes), or None when a time window or the end of the
    day is missed. Waiting for a partner to open is allowed; leaving at ``day_start`` and always
    going on at once gives the earliest times, so the order is feasible iff this is.
    """
    end_node = len(stops) + 1
    now = float(day_start)
    previous = 0
    travel = 0.0
    visits: list[PlannedStop] = []
    for index in order:
        stop = stops[index]
        leg = matrix[previous][index + 1]
        arrival = now + leg
        earliest, latest = _windows(stop, day_start, day_end)
        start = max(arrival, float(earliest))
        if start > latest + 1e-9:
            return None
        travel += leg
        now = start + stop.service_minutes
        visits.append(PlannedStop(stop.key, arrival, start, now))
        previous = index + 1
    leg = matrix[previous][end_node]
    if now + leg > day_end + 1e-9:
        return None
    return visits, now + leg, travel + leg


def first_missed(
    order: Sequence[int],
    stops: Sequence[Stop],
    matrix: Matrix,
    *,
    day_start: int,
    day_end: int,
) -> int | None:
    """Where the earliest schedule of ``order`` (as in :func:`schedule`) first fails.

    The position in ``order`` of the first stop whose opening hours are missed, ``len(order)``
    when only the way back misses the end of the day, None when the order works.
    """
    now = float(day_start)
    previous = 0
    for position, index in enumerate(order):
        earliest, latest = _windows(stops[index], day_start, day_end)
        start = max(now + matrix[previous][index + 1], float(earliest))
        if start > latest + 1e-9:
            return position
        now = start + stops[index].service_minutes
        previous = index + 1
    if now + matrix[previous][len(stops) + 1] > day_end + 1e-9:
        return len(order)
    return None


def plan_in_order(
    stops: Sequence[Stop], *, day_start: int, day_end: int, matrix: Matrix
) -> TourPlan | None:
    """The schedule for visiting ``stops`` in the order given (a tour ordered by hand).

    None when that order misses a window or the end of the day (see :func:`first_missed`).
    """
    _check(stops, matrix, day_start, day_end)
    order = list(range(len(stops)))
    if schedule(order, stops, matrix, day_start=day_start, day_end=day_end) is None:
        return None
    return _plan(order, stops, matrix, day_start, day_end)


def _plan(
    order: Sequence[int],
    stops: Sequence[Stop],
    matrix: Matrix,
    day_start: int,
    day_end: int,
) -> TourPlan:
    result = schedule(order, stops, matrix, day_start=day_start, day_end=day_end)
    if result is None:  # pragma: no cover - callers pass feasible orders
        raise ValueError("infeasible order")
    visits, back, travel = result
    chosen = set(order)
    unreachable = tuple(stop.key for i, stop in enumerate(stops) if i not in chosen)
    return TourPlan(tuple(visits), unreachable, float(day_start), back, travel)


def _check(stops: Sequence[Stop], matrix: Matrix, day_start: int, day_end: int) -> None:
    size = len(stops) + 2
    if len(matrix) != size or any(len(row) != size for row in matrix):
        raise ValueError(f"the matrix must be {size} × {size}: start, the stops, end")
    if day_end <= day_start:
        raise ValueError("the day must end after it starts")
    if day_start + matrix[0][size - 1] > day_end:
        raise ValueError("the day is too short to get from the start to the end")


def default_matrix(
    stops: Sequence[Stop],
    start: Place,
    end: Place | None = None,
    *,
    detour_factor: float = 1.3,
    speed_kmh: float = 50.0,
) -> list[list[float]]:
    """The great-circle matrix over start, the stops and end (end defaults to start)."""
    places = [start, *(Place(s.latitude, s.longitude) for s in stops), end or start]
    return travel_minutes_matrix(places, detour_factor=detour_factor, speed_kmh=speed_kmh)


#: The first-solution heuristics that :func:`plan_tour` tries, each with a short guided local
#: search. They build tours in different ways; with tight time windows the feasible tours fall
#: apart into islands that one local search seldom leaves, so a different start wins on
#: different instances, and the search goes on from the cheapest.
FIRST_SOLUTION_STRATEGIES = (
    "PATH_CHEAPEST_ARC",
    "PARALLEL_CHEAPEST_INSERTION",
    "LOCAL_CHEAPEST_INSERTION",
    "SAVINGS",
    "GLOBAL_CHEAPEST_ARC",
    "CHRISTOFIDES",
)
#: At most this share of the time limit goes to the short searches from the first solutions.
_FIRST_SOLUTION_SHARE = 0.8


def _first_search_solutions(size: int, *, first: bool) -> int:
    """How many solutions the short search from one first solution may go through.

    An amount of work rather than of time, so that a busy machine does not cut the searches
    short. The first strategy searches longest: the cheapest-arc path leaves the stops with
    awkward hours out at first and lets the search put them in where they fit, which on small
    tours with tight opening hours finds the optimum in about a thousand moves, where the full
    tours of the insertion heuristics can stay stuck. The others give large tours other places
    to start from, a hundred moves each (about a tenth of a second for forty stops).
    """
    size = max(1, size)
    return max(250, 10000 // size) if first else max(100, 3000 // size)


@dataclass
class _RoutingModel:
    """An OR-Tools routing model of one tour, in whole seconds."""

    manager: Any
    routing: Any
    size: int

    def route(self, solution: Any) -> list[int]:
        """The stops (0-based) of a solution, in order."""
        order: list[int] = []
        index = solution.Value(self.routing.NextVar(self.routing.Start(0)))
        while not self.routing.IsEnd(index):
            order.append(self.manager.IndexToNode(index) - 1)
            index = solution.Value(self.routing.NextVar(index))
        return order


def _routing_model(
    stops: Sequence[Stop], matrix: Matrix, day_start: int, day_end: int
) -> _RoutingModel:
    from ortools.constraint_solver import pywrapcp

    size = len(stops) + 2
    # Whole seconds, rounded up: a schedule that OR-Tools finds feasible is feasible with the
    # exact times too. The costs are the same travel seconds, so that the search optimises what
    # the time dimension sees; both go to the solver as matrices, not Python callbacks, which
    # makes each step of the search some ten times faster.
    seconds = [[math.ceil(value * 60 - 1e-6) for value in row] for row in matrix]
    service = [0, *(stop.service_minutes * 60 for stop in stops), 0]
    with_service = [[service[i] + value for value in row] for i, row in enumerate(seconds)]
    manager = pywrapcp.RoutingIndexManager(size, 1, [0], [size - 1])
    routing = pywrapcp.RoutingModel(manager)
    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitMatrix(seconds))
    horizon = day_end * 60
    routing.AddDimension(
        routing.RegisterTransitMatrix(with_service), horizon, horizon, False, "time"
    )
    clock = routing.GetDimensionOrDie("time")
    for index in (routing.Start(0), routing.End(0)):
        clock.CumulVar(index).SetRange(day_start * 60, horizon)
    for node, stop in enumerate(stops, start=1):
        index = manager.NodeToIndex(node)
        earliest, latest = _windows(stop, day_start, day_end)
        routing.AddDisjunction([index], _DROP_PENALTY)
        if latest < earliest:
            routing.ActiveVar(index).SetValue(0)
            continue
        clock.CumulVar(index).SetRange(earliest * 60, latest * 60)
    return _RoutingModel(manager, routing, size)


def _search_parameters(strategy: str, metaheuristic: str, seconds: float) -> Any:
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    parameters = pywrapcp.DefaultRoutingSearchParameters()
    parameters.first_solution_strategy = getattr(routing_enums_pb2.FirstSolutionStrategy, strategy)
    parameters.local_search_metaheuristic = getattr(
        routing_enums_pb2.LocalSearchMetaheuristic, metaheuristic
    )
    parameters.time_limit.FromNanoseconds(max(1, round(seconds * 1e9)))
    return parameters


def plan_tour(
    stops: Sequence[Stop],
    *,
    day_start: int,
    day_end: int,
    start: Place | None = None,
    end: Place | None = None,
    matrix: Matrix | None = None,
    detour_factor: float = 1.3,
    speed_kmh: float = 50.0,
    time_limit_seconds: float = 2.0,
    exact_up_to: int = EXACT_UP_TO,
    strategies: Sequence[str] = FIRST_SOLUTION_STRATEGIES,
) -> TourPlan:
    """Plan the order of visits with OR-Tools (vehicle routing with time windows).

    Either ``matrix`` (travel minutes, nodes as in the module docstring) or ``start`` (and
    optionally ``end``) must be given. Stops that cannot be fitted into the day or their opening
    hours are left out and listed in ``unreachable``. Tours of up to ``exact_up_to`` stops – a
    usual day of visits – are solved exactly (:func:`brute_force_tour`, well under a second).
    Larger ones are first built by each of ``strategies`` (OR-Tools first-solution
    heuristics), each improved by a short guided local search (a fixed number of moves, at
    most 80 % of ``time_limit_seconds`` together); guided local search then goes on from the
    cheapest until the time limit.
    """
    if matrix is None:
        if start is None:
            raise ValueError("give a start place or a matrix")
        matrix = default_matrix(stops, start, end, detour_factor=detour_factor, speed_kmh=speed_kmh)
    _check(stops, matrix, day_start, day_end)
    if not stops:
        return _plan([], stops, matrix, day_start, day_end)
    if len(stops) <= exact_up_to:
        return brute_force_tour(
            stops, day_start=day_start, day_end=day_end, matrix=matrix, max_stops=exact_up_to
        )

    started = time.monotonic()
    budget = max(0.05, time_limit_seconds)
    model = _routing_model(stops, matrix, day_start, day_end)
    routing = model.routing
    best: list[int] | None = None
    best_cost = math.inf
    work = [_first_search_solutions(len(stops), first=i == 0) for i in range(len(strategies))]
    for done, strategy in enumerate(strategies):
        # The time for the first searches is shared in proportion to the work each is given.
        left = budget * _FIRST_SOLUTION_SHARE - (time.monotonic() - started)
        seconds = max(0.01, left * work[done] / sum(work[done:]))
        parameters = _search_parameters(strategy, "GUIDED_LOCAL_SEARCH", seconds)
        parameters.solution_limit = work[done]
        solution = routing.SolveWithParameters(parameters)
        if solution is not None and solution.ObjectiveValue() < best_cost:
            best, best_cost = model.route(solution), solution.ObjectiveValue()
    remaining = budget - (time.monotonic() - started)
    parameters = _search_parameters(
        strategies[0] if strategies else "AUTOMATIC", "GUIDED_LOCAL_SEARCH", max(0.05, remaining)
    )
    initial = None
    if best is not None:
        initial = routing.ReadAssignmentFromRoutes([[node + 1 for node in best]], True)
    if initial is not None:
        solution = routing.SolveFromAssignmentWithParameters(initial, parameters)
    else:
        solution = routing.SolveWithParameters(parameters)
    if solution is None and best is None:
        # No first solution within the limit (a busy machine): try once more, with more time.
        parameters.time_limit.seconds = int(budget * 2) + 1
        solution = routing.SolveWithParameters(parameters)
    if solution is not None and solution.ObjectiveValue() > best_cost:
        solution = None
    order = model.route(solution) if solution is not None else list(best or [])
    # Guard against rounding: drop the stops that miss their window by the exact times.
    while schedule(order, stops, matrix, day_start=day_start, day_end=day_end) is None:
        order = _drop_first_late(order, stops, matrix, day_start, day_end)
    return _plan(order, stops, matrix, day_start, day_end)


def _drop_first_late(
    order: list[int], stops: Sequence[Stop], matrix: Matrix, day_start: int, day_end: int
) -> list[int]:
    for length in range(1, len(order) + 1):
        if schedule(order[:length], stops, matrix, day_start=day_start, day_end=day_end) is None:
            return order[: length - 1] + order[length:]
    return order[:-1]


def brute_force_tour(
    stops: Sequence[Stop],
    *,
    day_start: int,
    day_end: int,
    start: Place | None = None,
    end: Place | None = None,
    matrix: Matrix | None = None,
    detour_factor: float = 1.3,
    speed_kmh: float = 50.0,
    max_stops: int = 9,
) -> TourPlan:
    """The exact optimum by depth-first search over all orders (for at most ``max_stops``).

    Like :func:`plan_tour`, it first visits as many stops as possible, then minimises travel.
    """
    if len(stops) > max_stops:
        raise ValueError(f"brute force is for at most {max_stops} stops")
    if matrix is None:
        if start is None:
            raise ValueError("give a start place or a matrix")
        matrix = default_matrix(stops, start, end, detour_factor=detour_factor, speed_kmh=speed_kmh)
    _check(stops, matrix, day_start, day_end)
    n = len(stops)
    end_node = n + 1
    windows = [_windows(stop, day_start, day_end) for stop in stops]
    best_order: list[int] = []
    best_count = 0
    best_travel = matrix[0][end_node] if day_start + matrix[0][end_node] <= day_end else math.inf
    path: list[int] = []
    used = [False] * n

    def visit(node: int, now: float, travel: float) -> None:
        nonlocal best_order, best_count, best_travel
        count = len(path)
        if count == best_count == n and travel >= best_travel:
            return
        back = matrix[node][end_node]
        if now + back <= day_end + 1e-9 and (
            count > best_count or (count == best_count and travel + back < best_travel - 1e-9)
        ):
            best_order, best_count, best_travel = list(path), count, travel + back
        for i in range(n):
            if used[i]:
                continue
            leg = matrix[node][i + 1]
            earliest, latest = windows[i]
            begin = max(now + leg, float(earliest))
            if begin > latest + 1e-9:
                continue
            used[i] = True
            path.append(i)
            visit(i + 1, begin + stops[i].service_minutes, travel + leg)
            path.pop()
            used[i] = False

    visit(0, float(day_start), 0.0)
    return _plan(best_order, stops, matrix, day_start, day_end)
