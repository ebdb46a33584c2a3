"""Everything at once: :func:`analyse` computes all metrics over one prepared graph."""

from __future__ import annotations

from dataclasses import dataclass

from .bridging import BridgeSuggestion, _suggest_bridges
from .groups import Communities, EIIndex, GroupMixing, _communities, _ei_index, _group_mixing
from .holes import Brokerage, _brokerage, _structural_holes
from .metrics import (
    Centralisation,
    Island,
    _articulation_points,
    _betweenness,
    _bridges,
    _centralisation,
    _closeness,
    _degrees,
    _density,
    _island_index,
    _islands,
    _reciprocity,
)
from .model import GroupBy, Network, NodeId


@dataclass(frozen=True, slots=True)
class NodeReport:
    """All node-level results of one node (see the single functions for the definitions)."""

    id: NodeId
    in_degree: int
    out_degree: int
    degree: int
    in_strength: float
    out_strength: float
    strength: float
    betweenness: float
    closeness: float
    constraint: float | None
    effective_size: float | None
    brokerage: Brokerage
    ei_index: float | None
    island: int
    community: int
    articulation_point: bool


@dataclass(frozen=True, slots=True)
class NetworkReport:
    """The results of :func:`analyse`; ``nodes`` in the order of ``network.nodes``."""

    by: GroupBy
    directed: bool
    node_count: int
    tie_count: int
    density: float
    reciprocity: float | None
    centralisation: Centralisation
    islands: tuple[Island, ...]
    bridges: tuple[tuple[NodeId, NodeId], ...]
    articulation_points: tuple[NodeId, ...]
    nodes: tuple[NodeReport, ...]
    communities: Communities
    ei_index: EIIndex
    mixing: GroupMixing
    bridge_suggestions: tuple[BridgeSuggestion, ...]

    def node(self, node_id: NodeId) -> NodeReport:
        """The results of one node (a linear search; build a dict for many look-ups)."""
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(node_id)


def analyse(network: Network, *, by: GroupBy = "sector", seed: int = 1) -> NetworkReport:
    """All metrics of ``network``, with brokerage, E–I index, mixing and the comparison of
    communities by the grouping ``by`` (Louvain seeded with ``seed``).

    ``tie_count`` counts merged ties (one per pair, or per direction in a directed network).
    """
    p = network.prepared
    degree = _degrees(p)
    between = _betweenness(p)
    close = _closeness(p)
    constraints, sizes = _structural_holes(p)
    brokers = _brokerage(p, by)
    ei = _ei_index(p, by)
    found = _communities(p, by, seed)
    island_of = _island_index(p)
    cut_points = _articulation_points(p)
    cut_set = set(cut_points)
    nodes = tuple(
        NodeReport(
            id=node.id,
            in_degree=d.in_,
            out_degree=d.out,
            degree=d.total,
            in_strength=d.in_strength,
            out_strength=d.out_strength,
            strength=d.strength,
            betweenness=between[i],
            closeness=close[i],
            constraint=constraints[i],
            effective_size=sizes[i],
            brokerage=brokers[i],
            ei_index=ei.per_node[node.id],
            island=island_of[i],
            community=found.membership[node.id],
            articulation_point=node.id in cut_set,
        )
        for i, (node, d) in enumerate(zip(network.nodes, degree, strict=True))
    )
    return NetworkReport(
        by=by,
        directed=network.directed,
        node_count=p.n,
        tie_count=len(p.arcs),
        density=_density(p),
        reciprocity=_reciprocity(p),
        centralisation=_centralisation(p),
        islands=tuple(_islands(p)),
        bridges=tuple(_bridges(p)),
        articulation_points=tuple(cut_points),
        nodes=nodes,
        communities=found,
        ei_index=ei,
        mixing=_group_mixing(p, by),
        bridge_suggestions=tuple(_suggest_bridges(p)),
    )
