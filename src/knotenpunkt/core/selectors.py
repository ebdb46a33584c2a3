"""Reads for tenancy, places, figures and the audit log. Each runs a fixed number of queries."""

from __future__ import annotations

import math
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from knotenpunkt.core.models import Area, AreaFigure, AuditEntry, Indicator, LocalAuthority, Role

#: The figures shown beside each area in lists, in this order.
HEADLINE_INDICATORS = (
    Indicator.POPULATION,
    Indicator.CHILDREN_0_3,
    Indicator.CHILDREN_3_6,
    Indicator.SINGLE_PARENTS_SGB2,
)


@dataclass
class AreaNode:
    area: Area
    depth: int
    latest: dict[str, int] = field(default_factory=dict)
    latest_year: int | None = None
    children: list[AreaNode] = field(default_factory=list)


def latest_figures(
    areas: list[Area], indicators: tuple[str, ...] = HEADLINE_INDICATORS
) -> dict[int, tuple[int | None, dict[str, int]]]:
    """For each area id: the latest year with figures and that year's values, in one query."""
    rows = (
        AreaFigure.objects.filter(area__in=[a.pk for a in areas], indicator__in=indicators)
        .order_by("area_id", "year")
        .values_list("area_id", "year", "indicator", "value")
    )
    by_area: dict[int, dict[int, dict[str, int]]] = defaultdict(dict)
    for area_id, year, indicator, value in rows:
        by_area[area_id].setdefault(year, {})[indicator] = value
    result: dict[int, tuple[int | None, dict[str, int]]] = {}
    for area_id, years in by_area.items():
        year = max(years)
        result[area_id] = (year, years[year])
    return result


def area_tree(*, search: str = "") -> list[AreaNode]:
    """The current tenant's areas as a depth-first list of nodes (two queries).

    With ``search``, only matching areas and their ancestors are kept, so that every hit is
    shown in its place.
    """
    areas = list(Area.objects.order_by("name"))
    figures = latest_figures(areas)
    nodes = {area.pk: AreaNode(area=area, depth=0) for area in areas}
    roots: list[AreaNode] = []
    for node in nodes.values():
        year, values = figures.get(node.area.pk, (None, {}))
        node.latest_year, node.latest = year, values
        parent = nodes.get(node.area.parent_id) if node.area.parent_id else None
        (parent.children if parent else roots).append(node)

    keep: set[int] | None = None
    if search:
        needle = search.casefold()
        keep = set()
        for node in nodes.values():
            if needle in node.area.name.casefold() or needle == node.area.official_key:
                current: Area | None = node.area
                while current is not None and current.pk not in keep:
                    keep.add(current.pk)
                    current = nodes[current.parent_id].area if current.parent_id else None

    ordered: list[AreaNode] = []

    def walk(level: list[AreaNode], depth: int) -> None:
        for node in level:
            if keep is not None and node.area.pk not in keep:
                continue
            node.depth = depth
            ordered.append(node)
            walk(node.children, depth + 1)

    walk(roots, 0)
    return ordered


def area_ancestors(area: Area) -> list[Area]:
    """The chain of areas above ``area``, from the top down (one query for the tenant's areas)."""
    parents = dict(Area.objects.values_list("pk", "parent_id"))
    chain: list[int] = []
    current = area.parent_id
    while current is not None and current not in chain:
        chain.append(current)
        current = parents.get(current)
    by_id = Area.objects.in_bulk(chain)
    return [by_id[pk] for pk in reversed(chain)]


def area_figures_by_year(area: Area) -> tuple[list[int], list[tuple[str, list[int | None]]]]:
    """An area's figures as a table: the years, then one row per indicator."""
    figures = list(area.figures.all())
    years = sorted({figure.year for figure in figures}, reverse=True)
    values = {(figure.indicator, figure.year): figure.value for figure in figures}
    rows = [
        (str(indicator.label), [values.get((indicator.value, year)) for year in years])
        for indicator in Indicator
        if any((indicator.value, year) in values for year in years)
    ]
    return years, rows


def area_sources(area: Area) -> list[str]:
    return sorted(set(area.figures.values_list("source", flat=True)))


@dataclass(frozen=True)
class TenantOverview:
    area_count: int
    place_count: int
    central_places: int
    population: int | None
    children_under_6: int | None
    figures_year: int | None
    member_count: int


def tenant_overview(tenant: LocalAuthority) -> TenantOverview:
    """Headline numbers for the start page: places, people, and the latest population figures.

    Figures of an area include those of its sub-areas; totals are taken from the top areas.
    """
    areas = list(Area.objects.all())
    # An area's figures include its sub-areas, so the tenant's totals are its top areas' sums.
    figures = latest_figures([a for a in areas if a.parent_id is None])
    years = [year for year, _values in figures.values() if year is not None]
    population = children = None
    if years:
        year = max(years)
        current = [values for y, values in figures.values() if y == year]
        population = sum(v.get(Indicator.POPULATION, 0) for v in current)
        children = sum(
            v.get(Indicator.CHILDREN_0_3, 0) + v.get(Indicator.CHILDREN_3_6, 0) for v in current
        )
    return TenantOverview(
        area_count=len(areas),
        place_count=sum(1 for a in areas if a.parent_id is not None) or len(areas),
        central_places=sum(1 for a in areas if a.is_central_place),
        population=population,
        children_under_6=children,
        figures_year=max(years) if years else None,
        member_count=Role.objects.values("user").distinct().count(),
    )


@dataclass(frozen=True)
class MapPoint:
    area: Area
    x: float
    y: float
    label_x: float
    label_y: float
    label_anchor: str  # "start" (right of the dot) or "end" (left of it)


#: Rough size of a map label in SVG units: characters are about 7 units wide at 13px.
_CHAR_WIDTH = 7.2
_LABEL_HEIGHT = 14.0


def place_map(areas: list[Area], width: int = 640, height: int = 480) -> list[MapPoint]:
    """Projects the centres of all but the top areas into an SVG box and places their labels.

    Equirectangular, with longitude scaled by the cosine of the latitude: good enough for a county
    without map tiles or any third-party request. Labels go right of their dot, or left, above or
    below where that would overlap a label or dot placed before (larger places first).
    """
    # The top area (the county itself) is no place of its own on the map.
    located = [
        a
        for a in areas
        if a.latitude is not None and a.longitude is not None and a.parent_id is not None
    ]
    if not located:
        return []
    lats = [a.latitude for a in located if a.latitude is not None]
    lons = [a.longitude for a in located if a.longitude is not None]
    mid_lat = math.radians((min(lats) + max(lats)) / 2)
    xs = [lon * math.cos(mid_lat) for lon in lons]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(lats) - min(lats)) or 1.0
    margin = 40
    scale = min((width - 2 * margin) / span_x, (height - 2 * margin) / span_y)
    dots = []
    for area in located:
        assert area.latitude is not None and area.longitude is not None  # noqa: S101
        x = margin + (area.longitude * math.cos(mid_lat) - min(xs)) * scale
        y = margin + (max(lats) - area.latitude) * scale
        dots.append((area, round(x, 1), round(y, 1)))

    taken: list[tuple[float, float, float, float]] = [
        (x - 6, y - 6, x + 6, y + 6) for _, x, y in dots
    ]

    def free(box: tuple[float, float, float, float]) -> bool:
        left, top, right, bottom = box
        return all(
            right <= other[0] or left >= other[2] or bottom <= other[1] or top >= other[3]
            for other in taken
        )

    points = []
    for area, x, y in sorted(dots, key=lambda dot: (not dot[0].is_central_place, dot[0].name)):
        text_width = len(area.name) * _CHAR_WIDTH
        candidates = [
            (x + 11, y + 4, "start", (x + 10, y - 9, x + 12 + text_width, y + 5)),
            (x - 11, y + 4, "end", (x - 12 - text_width, y - 9, x - 10, y + 5)),
            (
                x - text_width / 2,
                y - 12,
                "start",
                (x - text_width / 2, y - 24, x + text_width / 2, y - 8),
            ),
            (
                x - text_width / 2,
                y + 22,
                "start",
                (x - text_width / 2, y + 9, x + text_width / 2, y + 25),
            ),
        ]
        label_x, label_y, anchor, box = next(
            (candidate for candidate in candidates if free(candidate[3])), candidates[0]
        )
        taken.append(box)
        points.append(MapPoint(area, x, y, round(label_x, 1), round(label_y, 1), anchor))
    return points


def audit_entries(
    *, object_type: str = "", actor: str = "", search: str = ""
) -> QuerySet[AuditEntry]:
    """The current tenant's audit log, newest first, optionally filtered."""
    entries = AuditEntry.objects.select_related("actor").order_by("-at", "-id")
    if object_type:
        entries = entries.filter(object_type=object_type)
    if actor:
        entries = entries.filter(actor__uuid=actor) if _is_uuid(actor) else entries.none()
    if search:
        entries = entries.filter(
            Q(object_label__icontains=search) | Q(actor_label__icontains=search)
        )
    return entries


def audit_object_types() -> list[str]:
    return list(AuditEntry.objects.values_list("object_type", flat=True).distinct().order_by())


def team_roles() -> QuerySet[Role]:
    return Role.objects.select_related("user").order_by("user__full_name", "kind")


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
