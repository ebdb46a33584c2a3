"""Bridge suggestions: the fewest new ties that join the islands into one network.

``k`` islands need ``k − 1`` new ties, and that many suffice: each smaller island gets one tie
to the main (largest) island. What is left to choose is *which* pair of nodes, and the choice
must be explainable in one sentence to a coordinator. Each candidate pair falls into one
category, best first:

1. ``same_area_cross_sector`` — same area, different sectors (local partners who complement
   each other: the classic bridge between functional islands);
2. ``same_area_same_sector`` — same area, same sector (peers who should know each other);
3. ``same_area`` — same area, a sector unknown;
4. ``cross_sector`` — different or unknown areas, different sectors;
5. ``best_connected`` — nothing fits: the best-connected node of the main island.

Within a category the pair with the most ties on the island's side wins (a well-connected node
carries the new tie into its island), then the most ties on the main island's side, then input
order. Each island costs ``O(size × sectors)``: the main island's nodes are indexed by area and
sector once.
"""

from __future__ import annotations

from dataclasses import dataclass

from .metrics import _islands
from .model import Network, NodeId, Prepared

REASONS = (
    "best_connected",
    "cross_sector",
    "same_area",
    "same_area_same_sector",
    "same_area_cross_sector",
)


@dataclass(frozen=True, slots=True)
class BridgeSuggestion:
    """A suggested new tie between ``source`` (on island ``island``) and ``target`` (main island).

    ``reason`` is one of :data:`REASONS` and ``details`` holds the values of the sentence
    (labels, sectors, area, island size), so the UI can build its own translated text;
    ``explanation`` is that sentence in English.
    """

    island: int
    source: NodeId
    target: NodeId
    reason: str
    explanation: str
    details: dict[str, str]


def suggest_bridges(network: Network) -> list[BridgeSuggestion]:
    """The fewest new ties that join all islands, one per smaller island; see the module text."""
    return _suggest_bridges(network.prepared)


class _MainIndex:
    """The main island's nodes ranked by (more ties, earlier in input) per area, sector and both."""

    def __init__(self, p: Prepared, members: list[int], degree: list[int]) -> None:
        nodes = p.network.nodes
        ranked = sorted(members, key=lambda i: (-degree[i], i))
        self.best = ranked[0]
        self.by_area_sector: dict[tuple[str, str], int] = {}
        self.by_area: dict[str, int] = {}
        # Per area (and overall): the best node of each known sector, best first.
        self.area_sectors: dict[str, list[int]] = {}
        self.sectors: list[int] = []
        seen_sectors: set[str] = set()
        for i in ranked:
            area, sector = nodes[i].area, nodes[i].sector
            if area is not None:
                self.by_area.setdefault(area, i)
                if sector is not None and (area, sector) not in self.by_area_sector:
                    self.by_area_sector[(area, sector)] = i
                    self.area_sectors.setdefault(area, []).append(i)
            if sector is not None and sector not in seen_sectors:
                seen_sectors.add(sector)
                self.sectors.append(i)

    def partner(self, p: Prepared, a: int) -> tuple[int, int]:
        """The best partner for ``a`` and the category's rank (higher is better)."""
        nodes = p.network.nodes
        area, sector = nodes[a].area, nodes[a].sector
        if area is not None:
            if sector is not None:
                for b in self.area_sectors.get(area, ()):
                    if nodes[b].sector != sector:
                        return b, 4
                same = self.by_area_sector.get((area, sector))
                if same is not None:
                    return same, 3
            if area in self.by_area:
                return self.by_area[area], 2
        if sector is not None:
            for b in self.sectors:
                if nodes[b].sector != sector:
                    return b, 1
        return self.best, 0


def _suggest_bridges(p: Prepared) -> list[BridgeSuggestion]:
    islands = _islands(p)
    if len(islands) < 2:
        return []
    degree = [len(nb) for nb in p.neighbours]
    index = p.index
    main = _MainIndex(p, [index[m] for m in islands[0].members], degree)
    suggestions = []
    for island in islands[1:]:
        candidates = []
        for m in island.members:
            a = index[m]
            b, rank = main.partner(p, a)
            candidates.append((rank, degree[a], degree[b], -a, -b))
        rank, _, _, a, b = max(candidates)
        suggestions.append(_explain(p, island.index, island.size, -a, -b, REASONS[rank]))
    return suggestions


def _explain(p: Prepared, island: int, size: int, a: int, b: int, reason: str) -> BridgeSuggestion:
    nodes = p.network.nodes
    source, target = nodes[a], nodes[b]
    details = {
        "source": source.name,
        "target": target.name,
        "source_sector": source.sector or "",
        "target_sector": target.sector or "",
        "area": source.area or "",
        "island_size": str(size),
    }
    joins = (
        f"a tie between them joins island {island} ({size} member{'s' if size != 1 else ''}) "
        "to the main network"
    )
    if reason == "same_area_cross_sector":
        text = (
            f"{source.name} ({source.sector}) and {target.name} ({target.sector}) both work in "
            f"{source.area} and complement each other; {joins}."
        )
    elif reason == "same_area_same_sector":
        text = (
            f"{source.name} and {target.name} are both {source.sector} in {source.area}; {joins}."
        )
    elif reason == "same_area":
        text = f"{source.name} and {target.name} both work in {source.area}; {joins}."
    elif reason == "cross_sector":
        text = (
            f"{source.name} ({source.sector}) and {target.name} ({target.sector}) come from "
            f"different sectors; no fitting partner works in the same area, and {joins}."
        )
    else:
        text = (
            f"{target.name} is the best-connected member of the main network; "
            f"a tie with {source.name} joins island {island} to it."
        )
    return BridgeSuggestion(island, source.id, target.id, reason, text, details)
