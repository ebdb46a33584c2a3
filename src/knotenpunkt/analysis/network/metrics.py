"""Whole-network and node metrics: density, degree, centralisation, reciprocity, islands,
cut points, betweenness and closeness.

The heavy parts (shortest paths, components, bridges) run in igraph's C core; the rest is a
pass over the merged ties. Results follow NetworkX's definitions, which the tests check on
NetworkX's classic data sets to 1e-9.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import igraph as ig  # type: ignore[import-untyped]  # igraph ships no type hints

from .model import Network, NodeId, Prepared


@dataclass(frozen=True, slots=True)
class Degree:
    """Ties of a node (after merging parallel ties) and their summed weights (strength).

    ``total`` is ``in_ + out`` in a directed network and the number of neighbours in an
    undirected one (where ``in_ == out == total``); the same holds for the strengths.
    """

    in_: int
    out: int
    total: int
    in_strength: float
    out_strength: float
    strength: float


@dataclass(frozen=True, slots=True)
class Island:
    """A connected component (ignoring the direction of ties), largest first."""

    index: int
    members: tuple[NodeId, ...]

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass(frozen=True, slots=True)
class Centralisation:
    """Freeman's degree centralisation, from 0 (all equal) to 1 (a star).

    ``total`` uses the number of neighbours (direction ignored); ``in_`` and ``out`` are only
    set for directed networks. ``None`` where the network has fewer than three nodes.
    """

    total: float | None
    in_: float | None = None
    out: float | None = None


def density(network: Network) -> float:
    """Share of possible ties that exist.

    ``m / (n (n − 1))`` for directed and ``2m / (n (n − 1))`` for undirected networks, where
    ``m`` counts merged ties; 0 for fewer than two nodes (as ``networkx.density``).
    Wasserman & Faust (1994), *Social Network Analysis*, §4.2.
    """
    return _density(network.prepared)


def _density(p: Prepared) -> float:
    n, m = p.n, len(p.arcs)
    if n < 2:
        return 0.0
    possible = n * (n - 1) if p.directed else n * (n - 1) / 2
    return m / possible


def degrees(network: Network) -> dict[NodeId, Degree]:
    """Degree and strength (weighted degree) of every node; see :class:`Degree`."""
    p = network.prepared
    return dict(zip(p.ids(range(p.n)), _degrees(p), strict=True))


def _degrees(p: Prepared) -> list[Degree]:
    cached = p._cache.get("degrees")
    if cached is not None:
        return cached  # type: ignore[return-value]
    n = p.n
    in_s = [0.0] * n
    out_s = [0.0] * n
    for s, t, w in p.arcs:
        out_s[s] += w
        in_s[t] += w
    result = []
    for i in range(n):
        if p.directed:
            ins, outs = len(p.predecessors[i]), len(p.successors[i])
            result.append(Degree(ins, outs, ins + outs, in_s[i], out_s[i], in_s[i] + out_s[i]))
        else:
            d = len(p.neighbours[i])
            strength = in_s[i] + out_s[i]
            result.append(Degree(d, d, d, strength, strength, strength))
    p._cache["degrees"] = result
    return result


def degree_centralisation(network: Network) -> Centralisation:
    """Freeman's degree centralisation ``Σ (d* − d_i) / max``.

    ``d*`` is the highest degree. For ``total`` (neighbours, direction ignored) the maximum of
    the sum is ``(n − 1)(n − 2)``, reached by a star; for in- and out-degree of a directed
    network it is ``(n − 1)²``. Freeman (1979), "Centrality in social networks: conceptual
    clarification", *Social Networks* 1, 215–239.
    """
    return _centralisation(network.prepared)


def _freeman(values: list[int], maximum: int) -> float | None:
    if not values or maximum <= 0:
        return None
    top = max(values)
    return sum(top - v for v in values) / maximum


def _centralisation(p: Prepared) -> Centralisation:
    n = p.n
    total = _freeman([len(nb) for nb in p.neighbours], (n - 1) * (n - 2))
    if not p.directed or n < 3:
        return Centralisation(total)
    square = (n - 1) ** 2
    return Centralisation(
        total,
        in_=_freeman([len(x) for x in p.predecessors], square),
        out=_freeman([len(x) for x in p.successors], square),
    )


def reciprocity(network: Network) -> float | None:
    """Share of directed ties that are returned: ``|{(a, b) : a→b and b→a}| / m``.

    ``None`` for undirected networks (every tie is mutual there) and networks without ties.
    As ``networkx.reciprocity``; Wasserman & Faust (1994), §13.2.
    """
    return _reciprocity(network.prepared)


def _reciprocity(p: Prepared) -> float | None:
    if not p.directed or not p.arcs:
        return None
    mutual = sum(1 for s, t, _ in p.arcs if s in p.successors[t])
    return mutual / len(p.arcs)


def islands(network: Network) -> list[Island]:
    """The connected components ("islands"), ignoring direction; largest first, ties by order."""
    return _islands(network.prepared)


def _islands(p: Prepared) -> list[Island]:
    cached = p._cache.get("islands")
    if cached is not None:
        return cached  # type: ignore[return-value]
    components = [sorted(c) for c in p.undirected.connected_components()]
    components.sort(key=lambda c: (-len(c), c[0]))
    result = [Island(i, p.ids(c)) for i, c in enumerate(components)]
    p._cache["islands"] = result
    p._cache["island_index"] = _membership(p.n, components)
    return result


def _island_index(p: Prepared) -> list[int]:
    _islands(p)
    return p._cache["island_index"]  # type: ignore[return-value]


def _membership(n: int, groups: list[list[int]]) -> list[int]:
    membership = [0] * n
    for g, members in enumerate(groups):
        for i in members:
            membership[i] = g
    return membership


def bridges(network: Network) -> list[tuple[NodeId, NodeId]]:
    """Ties whose removal splits an island (direction ignored), in input order of the pair.

    Tarjan (1974), "A note on finding the bridges of a graph", *IPL* 2(6); as
    ``networkx.bridges``.
    """
    return _bridges(network.prepared)


def _bridges(p: Prepared) -> list[tuple[NodeId, NodeId]]:
    nodes = p.network.nodes
    pairs = p.undirected_pairs
    return [(nodes[pairs[e][0]].id, nodes[pairs[e][1]].id) for e in sorted(p.undirected.bridges())]


def articulation_points(network: Network) -> list[NodeId]:
    """Nodes whose leaving splits their island ("if this organisation leaves, the network splits").

    Hopcroft & Tarjan (1973), *CACM* 16(6); as ``networkx.articulation_points``.
    """
    return _articulation_points(network.prepared)


def _articulation_points(p: Prepared) -> list[NodeId]:
    return list(p.ids(sorted(p.undirected.articulation_points())))


def betweenness(network: Network) -> dict[NodeId, float]:
    """Normalised betweenness: the share of shortest paths between other pairs through a node.

    ``b(v) = Σ_{s≠v≠t} σ_st(v) / σ_st``, divided by ``(n − 1)(n − 2)`` (directed) or
    ``(n − 1)(n − 2) / 2`` (undirected); ties count as length 1 (weights are strengths, not
    distances). Brandes (2001), *J. Math. Sociol.* 25(2); as
    ``networkx.betweenness_centrality(normalized=True)``.
    """
    p = network.prepared
    return dict(zip(p.ids(range(p.n)), _betweenness(p), strict=True))


def _betweenness(p: Prepared) -> list[float]:
    n = p.n
    if n <= 2:
        return [0.0] * n
    raw = p.graph.betweenness(directed=p.directed)
    # igraph counts each unordered pair once in undirected graphs, as NetworkX's normalisation.
    scale = 1 / ((n - 1) * (n - 2)) if p.directed else 2 / ((n - 1) * (n - 2))
    return [b * scale for b in raw]


def closeness(network: Network) -> dict[NodeId, float]:
    """Closeness with Wasserman and Faust's correction for networks in several islands.

    ``C(u) = (r − 1) / Σ_v d(v, u) · (r − 1) / (n − 1)``, where ``r`` counts the nodes that reach
    ``u`` (``u`` included) and the sum runs over them; in directed networks distances are
    *incoming* (how easily others reach ``u``), as ``networkx.closeness_centrality``. 0 for
    nodes nobody reaches. Wasserman & Faust (1994), §5.3.
    """
    p = network.prepared
    return dict(zip(p.ids(range(p.n)), _closeness(p), strict=True))


def _closeness(p: Prepared) -> list[float]:
    n = p.n
    if n < 2:
        return [0.0] * n
    raw = p.graph.closeness(mode="in", normalized=False)
    reach = _reach_counts(p)
    result = []
    for c, r in zip(raw, reach, strict=True):
        if r <= 1 or c is None or math.isnan(c) or c == 0:
            result.append(0.0)
        else:
            result.append(c * (r - 1) * (r - 1) / (n - 1))
    return result


def _reach_counts(p: Prepared) -> list[int]:
    """How many nodes reach each node (itself included).

    Undirected: the island's size. Directed: one pass over the condensation (strong components
    in topological order), carrying the set of reaching nodes as a bit set in a Python int.
    """
    n = p.n
    if not p.directed:
        sizes = [0] * n
        index = _island_index(p)
        counts: dict[int, int] = {}
        for g in index:
            counts[g] = counts.get(g, 0) + 1
        for i, g in enumerate(index):
            sizes[i] = counts[g]
        return sizes
    strong = p.graph.connected_components(mode="strong")
    component = strong.membership
    k = len(strong)
    bits = [0] * k
    for i, c in enumerate(component):
        bits[c] |= 1 << i
    dag_edges = {(component[s], component[t]) for s, t, _ in p.arcs if component[s] != component[t]}
    dag = ig.Graph(n=k, edges=sorted(dag_edges), directed=True)
    preds: list[list[int]] = [[] for _ in range(k)]
    for a, b in dag_edges:
        preds[b].append(a)
    for c in dag.topological_sorting(mode="out"):
        for a in preds[c]:
            bits[c] |= bits[a]
    reach = [bits[c].bit_count() for c in range(k)]
    return [reach[component[i]] for i in range(n)]
