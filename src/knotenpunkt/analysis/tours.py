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
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass

EARTH_RADIUS_KM = 6371.0088
#: Arc costs for OR-Tools are integers: travel times in this many units per minute (0.01 s).
_UNITS_PER_MINUTE = 6000
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
) -> TourPlan:
    """Plan the order of visits with OR-Tools (vehicle routing with time windows).

    Either ``matrix`` (travel minutes, nodes as in the module docstring) or ``start`` (and
    optionally ``end``) must be given. Stops that cannot be fitted into the day or their opening
    hours are left out and listed in ``unreachable``. Tours of up to ``exact_up_to`` stops – a
    usual day of visits – are solved exactly (:func:`brute_force_tour`, well under a second);
    larger ones start from the cheapest-arc solution and are improved with guided local search
    for ``time_limit_seconds``.
    """
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

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

    size = len(stops) + 2
    # Rounded up, so that a schedule that OR-Tools finds feasible is feasible with exact times.
    units = [[math.ceil(value * _UNITS_PER_MINUTE - 1e-6) for value in row] for row in matrix]
    service = [0, *(stop.service_minutes * _UNITS_PER_MINUTE for stop in stops), 0]
    manager = pywrapcp.RoutingIndexManager(size, 1, [0], [size - 1])
    routing = pywrapcp.RoutingModel(manager)

    def travel(from_index: int, to_index: int) -> int:
        return units[manager.IndexToNode(from_index)][manager.IndexToNode(to_index)]

    def transit(from_index: int, to_index: int) -> int:
        node = manager.IndexToNode(from_index)
        return service[node] + units[node][manager.IndexToNode(to_index)]

    travel_callback = routing.RegisterTransitCallback(travel)
    transit_callback = routing.RegisterTransitCallback(transit)
    routing.SetArcCostEvaluatorOfAllVehicles(travel_callback)
    horizon = day_end * _UNITS_PER_MINUTE
    routing.AddDimension(transit_callback, horizon, horizon, False, "time")
    time = routing.GetDimensionOrDie("time")
    time.CumulVar(routing.Start(0)).SetRange(
        day_start * _UNITS_PER_MINUTE, day_end * _UNITS_PER_MINUTE
    )
    time.CumulVar(routing.End(0)).SetRange(
        day_start * _UNITS_PER_MINUTE, day_end * _UNITS_PER_MINUTE
    )
    for i, stop in enumerate(stops, start=1):
        index = manager.NodeToIndex(i)
        earliest, latest = _windows(stop, day_start, day_end)
        routing.AddDisjunction([index], _DROP_PENALTY)
        if latest < earliest:
            routing.ActiveVar(index).SetValue(0)
            continue
        time.CumulVar(index).SetRange(earliest * _UNITS_PER_MINUTE, latest * _UNITS_PER_MINUTE)

    parameters = pywrapcp.DefaultRoutingSearchParameters()
    parameters.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    parameters.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    seconds = max(0.01, time_limit_seconds)
    parameters.time_limit.seconds = int(seconds)
    parameters.time_limit.nanos = int((seconds - int(seconds)) * 1e9)
    solution = routing.SolveWithParameters(parameters)
    if solution is None:
        # No first solution within the limit (a busy machine): try once more, with more time.
        parameters.time_limit.seconds = int(seconds * 2) + 1
        solution = routing.SolveWithParameters(parameters)

    order: list[int] = []
    if solution is not None:
        index = solution.Value(routing.NextVar(routing.Start(0)))
        while not routing.IsEnd(index):
            order.append(manager.IndexToNode(index) - 1)
            index = solution.Value(routing.NextVar(index))
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
