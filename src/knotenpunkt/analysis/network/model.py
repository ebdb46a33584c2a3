"""The input of the network analysis: nodes with attributes, weighted ties, and the prepared graph.

A selector builds a :class:`Network` from the database (organisations, units or persons as nodes;
co-memberships, referrals or survey answers as ties). Everything else in this package reads the
:class:`Prepared` form, which is built once per network and cached on it, so that
:func:`~knotenpunkt.analysis.network.analyse` and the single metric functions share it.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

import igraph as ig  # type: ignore[import-untyped]  # igraph ships no type hints

NodeId = Hashable
#: The node attribute that forms the official grouping (brokerage roles, E–I index, mixing).
GroupBy = Literal["sector", "area", "group"]


@dataclass(frozen=True, slots=True)
class Node:
    """An actor of the network (organisation, unit or person) with the attributes used for grouping.

    ``group`` is the department or any other grouping a coordinator chooses (e.g. the
    Fachdienst of a Jugendamt's team). ``None`` means "unknown": such nodes take part in every
    metric except those that compare groups (see the functions that take ``by``).
    """

    id: NodeId
    label: str = ""
    sector: str | None = None
    area: str | None = None
    group: str | None = None

    def attribute(self, by: GroupBy) -> str | None:
        """The value of the grouping attribute ``by``."""
        if by == "sector":
            return self.sector
        if by == "area":
            return self.area
        return self.group

    @property
    def name(self) -> str:
        """The label, or the id where there is none."""
        return self.label or str(self.id)


@dataclass(frozen=True, slots=True)
class Tie:
    """A tie from ``source`` to ``target`` (a direction only counts in a directed network).

    ``weight`` is the strength of the tie (shared bodies, frequency of contact …), positive.
    ``kind`` says where the tie comes from (``"co_membership"``, ``"referral"``, ``"survey"`` …).
    """

    source: NodeId
    target: NodeId
    weight: float = 1.0
    kind: str = ""


@dataclass(frozen=True)
class Network:
    """Nodes and ties; ``directed`` says whether ties have a direction.

    Several ties between the same pair (of different kinds, or repeated) are merged into one
    with the summed weight; in an undirected network ``a–b`` and ``b–a`` are the same pair.
    To put an undirected tie into a directed network, give it in both directions.

    Raises :class:`ValueError` for repeated node ids, ties to unknown nodes, ties of a node
    with itself and weights that are not positive finite numbers.
    """

    nodes: tuple[Node, ...]
    ties: tuple[Tie, ...] = ()
    directed: bool = False

    def __init__(
        self, nodes: Iterable[Node], ties: Iterable[Tie] = (), *, directed: bool = False
    ) -> None:
        object.__setattr__(self, "nodes", tuple(nodes))
        object.__setattr__(self, "ties", tuple(ties))
        object.__setattr__(self, "directed", directed)
        self._validate()

    def _validate(self) -> None:
        seen: set[NodeId] = set()
        for node in self.nodes:
            if node.id in seen:
                raise ValueError(f"Node {node.id!r} is given twice.")
            seen.add(node.id)
        for tie in self.ties:
            for end in (tie.source, tie.target):
                if end not in seen:
                    raise ValueError(f"Tie {tie.source!r}–{tie.target!r}: unknown node {end!r}.")
            if tie.source == tie.target:
                raise ValueError(f"Tie of node {tie.source!r} with itself.")
            if not (math.isfinite(tie.weight) and tie.weight > 0):
                raise ValueError(
                    f"Tie {tie.source!r}–{tie.target!r}: "
                    f"weight must be positive, not {tie.weight!r}."
                )

    def with_kinds(self, kinds: Collection[str]) -> Network:
        """The same nodes with only the ties of the given kinds (the user picks which count)."""
        wanted = set(kinds)
        return Network(
            self.nodes, (t for t in self.ties if t.kind in wanted), directed=self.directed
        )

    @cached_property
    def prepared(self) -> Prepared:
        """The graph in index form, built once and shared by all metrics."""
        return Prepared.build(self)


@dataclass
class Prepared:
    """The network in index form (node ``i`` is ``network.nodes[i]``) with the igraph graphs.

    ``arcs`` are the merged ties as ``(source, target, weight)`` with ``source < target`` in an
    undirected network. ``neighbours[i]`` maps each neighbour of ``i`` (ignoring direction) to
    the *mutual weight*, the sum of the weights of the ties in both directions (Burt's
    ``a_ij + a_ji``); ``successors``/``predecessors`` are the directed adjacency (both equal to
    the neighbours in an undirected network).
    """

    network: Network
    index: dict[NodeId, int]
    arcs: list[tuple[int, int, float]]
    neighbours: list[dict[int, float]]
    successors: list[set[int]]
    predecessors: list[set[int]]
    graph: ig.Graph
    undirected: ig.Graph
    undirected_pairs: list[tuple[int, int]]
    _cache: dict[str, object] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.network.nodes)

    @property
    def directed(self) -> bool:
        return self.network.directed

    @classmethod
    def build(cls, network: Network) -> Prepared:
        index = {node.id: i for i, node in enumerate(network.nodes)}
        n = len(index)
        merged: dict[tuple[int, int], float] = {}
        for tie in network.ties:
            s, t = index[tie.source], index[tie.target]
            if not network.directed and s > t:
                s, t = t, s
            merged[(s, t)] = merged.get((s, t), 0.0) + tie.weight
        arcs = [(s, t, w) for (s, t), w in merged.items()]
        neighbours: list[dict[int, float]] = [{} for _ in range(n)]
        for s, t, w in arcs:
            neighbours[s][t] = neighbours[s].get(t, 0.0) + w
            neighbours[t][s] = neighbours[t].get(s, 0.0) + w
        if network.directed:
            successors: list[set[int]] = [set() for _ in range(n)]
            predecessors: list[set[int]] = [set() for _ in range(n)]
            for s, t, _ in arcs:
                successors[s].add(t)
                predecessors[t].add(s)
        else:
            # Read-only from here on, so both directions can share the same sets.
            successors = predecessors = [set(nb) for nb in neighbours]
        graph = ig.Graph(n=n, edges=[(s, t) for s, t, _ in arcs], directed=network.directed)
        graph.es["weight"] = [w for _, _, w in arcs]
        if network.directed:
            pairs = [(s, t) for s in range(n) for t in neighbours[s] if s < t]
            undirected = ig.Graph(n=n, edges=pairs, directed=False)
            undirected.es["weight"] = [neighbours[s][t] for s, t in pairs]
        else:
            pairs = [(s, t) for s, t, _ in arcs]
            undirected = graph
        return cls(
            network=network,
            index=index,
            arcs=arcs,
            neighbours=neighbours,
            successors=successors,
            predecessors=predecessors,
            graph=graph,
            undirected=undirected,
            undirected_pairs=pairs,
        )

    def groups(self, by: GroupBy) -> list[str | None]:
        """The grouping attribute of every node, by index."""
        return [node.attribute(by) for node in self.network.nodes]

    def ids(self, indices: Iterable[int]) -> tuple[NodeId, ...]:
        nodes = self.network.nodes
        return tuple(nodes[i].id for i in indices)
