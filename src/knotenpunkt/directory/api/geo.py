"""Distances for the API's ``proximity`` filter. Pure functions, no ORM."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from knotenpunkt.analysis.tours import EARTH_RADIUS_KM, Place, haversine_km


@dataclass(frozen=True)
class Box:
    """A latitude/longitude rectangle that contains a circle: a cheap pre-filter for a query."""

    min_latitude: float
    max_latitude: float
    min_longitude: float
    max_longitude: float


def distance_metres(latitude: float, longitude: float, other: Place) -> float:
    """Great-circle distance in metres between a point and ``other``."""
    return haversine_km(Place(latitude, longitude), other) * 1000.0


def bounding_box(latitude: float, longitude: float, metres: float) -> Box:
    """A box around the circle of ``metres`` around the point (all longitudes near a pole).

    Boxes that would cross the antimeridian also take all longitudes: wider than needed, which
    only costs the exact check afterwards a few more candidates.
    """
    radians = metres / (EARTH_RADIUS_KM * 1000.0)
    # A little wider than exact, so that rounding never drops a point on the edge.
    angle = math.degrees(radians) * 1.001
    min_latitude, max_latitude = latitude - angle, latitude + angle
    ratio = math.sin(radians) / math.cos(math.radians(latitude))
    if min_latitude <= -90 or max_latitude >= 90 or ratio >= 1:
        return Box(max(min_latitude, -90.0), min(max_latitude, 90.0), -180.0, 180.0)
    # The widest longitude span of a circle on the sphere (not at its centre's latitude).
    spread = math.degrees(math.asin(ratio)) * 1.001
    if longitude - spread < -180 or longitude + spread > 180:
        return Box(min_latitude, max_latitude, -180.0, 180.0)
    return Box(min_latitude, max_latitude, longitude - spread, longitude + spread)


def within(
    latitude: float,
    longitude: float,
    metres: float,
    candidates: Iterable[tuple[int, float, float]],
) -> list[tuple[int, float]]:
    """``(key, distance)`` of the candidates ``(key, latitude, longitude)`` inside the circle,
    nearest first (ties by key, so that paging is stable)."""
    found = [
        (key, distance_metres(latitude, longitude, Place(lat, lon))) for key, lat, lon in candidates
    ]
    return sorted(
        ((key, distance) for key, distance in found if distance <= metres),
        key=lambda pair: (pair[1], pair[0]),
    )
