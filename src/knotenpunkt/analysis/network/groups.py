"""Do ties cross groups? Krackhardt's E–I index, the mixing matrix, and communities found in the
ties compared with the official grouping (sector, area or department)."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

import igraph as ig  # type: ignore[import-untyped]  # igraph ships no type hints

from .model import GroupBy, Network, NodeId, Prepared


@dataclass(frozen=True, slots=True)
class EIIndex:
    """Krackhardt's E–I index ``(E − I) / (E + I)``: −1 all ties inside groups, +1 all across.

    ``network`` counts every tie once; ``per_group[g]`` counts the ties with at least one end
    in ``g`` (``E``: one end outside, ``I``: both inside); ``per_node[v]`` the ties of ``v``.
    ``expected`` is the network value if ties fell at random between the grouped nodes,
    ``1 − 2 Σ_g n_g (n_g − 1) / (N (N − 1))``: group sizes alone pull the index up, so compare
    with it. ``None`` where there are no ties to count (or fewer than two grouped nodes).
    """

    by: GroupBy
    network: float | None
    expected: float | None
    per_group: dict[str, float | None]
    per_node: dict[NodeId, float | None]


@dataclass(frozen=True, slots=True)
class GroupMixing:
    """Counts and shares of each group's ties going to each group (rows sum to 1).

    ``counts[i][j]`` counts tie ends: an undirected tie between groups ``g`` and ``h`` adds one
    to ``g → h`` and one to ``h → g`` (a tie inside ``g`` adds two to ``g → g``); a directed tie
    ``a → b`` adds one to ``group(a) → group(b)`` (the sender's view, as a survey answer).
    """

    by: GroupBy
    groups: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]
    shares: tuple[tuple[float, ...], ...]


@dataclass(frozen=True, slots=True)
class Communities:
    """Communities found in the ties by Louvain, beside the official grouping ``by``.

    ``members`` lists each community's nodes, largest first; ``membership[v]`` is the index of
    ``v``'s community. ``modularity`` is Newman's weighted Q of the partition. ``nmi``
    (normalised mutual information, 0–1) and ``adjusted_rand`` (≈0 random, 1 identical) say how
    far the communities agree with the official grouping; nodes without a value for ``by``
    count as groups of their own there. With fewer than two nodes both are 1, without ties
    ``modularity`` is 0.
    """

    by: GroupBy
    members: tuple[tuple[NodeId, ...], ...]
    membership: dict[NodeId, int]
    modularity: float
    nmi: float
    adjusted_rand: float


def _ei(external: int, internal: int) -> float | None:
    total = external + internal
    return (external - internal) / total if total else None


def ei_index(network: Network, *, by: GroupBy = "sector") -> EIIndex:
    """Krackhardt's E–I index for the network, per group and per node; see :class:`EIIndex`.

    Ties are counted (not weighted); ties of nodes without a value for ``by`` do not count.
    Krackhardt & Stern (1988), "Informal networks and organizational crises", *Social
    Psychology Quarterly* 51(2), 123–140.
    """
    return _ei_index(network.prepared, by)


def _ei_index(p: Prepared, by: GroupBy) -> EIIndex:
    groups = p.groups(by)
    ext_node = [0] * p.n
    int_node = [0] * p.n
    ext_group: Counter[str] = Counter()
    int_group: Counter[str] = Counter()
    external = internal = 0
    for s, t, _ in p.arcs:
        gs, gt = groups[s], groups[t]
        if gs is None or gt is None:
            continue
        if gs == gt:
            internal += 1
            int_node[s] += 1
            int_node[t] += 1
            int_group[gs] += 1
        else:
            external += 1
            ext_node[s] += 1
            ext_node[t] += 1
            ext_group[gs] += 1
            ext_group[gt] += 1
    sizes = Counter(g for g in groups if g is not None)
    grouped = sum(sizes.values())
    expected = None
    if grouped >= 2:
        inside = sum(k * (k - 1) for k in sizes.values()) / (grouped * (grouped - 1))
        expected = 1 - 2 * inside
    nodes = p.network.nodes
    return EIIndex(
        by=by,
        network=_ei(external, internal),
        expected=expected,
        per_group={g: _ei(ext_group[g], int_group[g]) for g in sorted(sizes)},
        per_node={
            nodes[i].id: (None if groups[i] is None else _ei(ext_node[i], int_node[i]))
            for i in range(p.n)
        },
    )


def group_mixing(network: Network, *, by: GroupBy = "sector") -> GroupMixing:
    """The share of each group's ties to each group; see :class:`GroupMixing`.

    Groups are sorted by name; ties of nodes without a value for ``by`` do not count; a group
    without ties has a row of zeros.
    """
    return _group_mixing(network.prepared, by)


def _group_mixing(p: Prepared, by: GroupBy) -> GroupMixing:
    groups = p.groups(by)
    names = tuple(sorted({g for g in groups if g is not None}))
    position = {g: i for i, g in enumerate(names)}
    k = len(names)
    counts = [[0] * k for _ in range(k)]
    for s, t, _ in p.arcs:
        gs, gt = groups[s], groups[t]
        if gs is None or gt is None:
            continue
        counts[position[gs]][position[gt]] += 1
        if not p.directed:
            counts[position[gt]][position[gs]] += 1
    shares = []
    for row in counts:
        total = sum(row)
        shares.append(tuple(c / total if total else 0.0 for c in row))
    return GroupMixing(by, names, tuple(tuple(r) for r in counts), tuple(shares))


def communities(network: Network, *, by: GroupBy = "sector", seed: int = 1) -> Communities:
    """Louvain communities of the ties (direction ignored, mutual weights) and their agreement with
    the official grouping ``by``; see :class:`Communities`.

    igraph's ``community_multilevel`` visits nodes in random order; the run uses its own
    ``random.Random(seed)``, so the same network and seed give the same communities.
    (igraph's random generator is process-wide: do not run this in parallel threads.)
    Blondel et al. (2008), "Fast unfolding of communities in large networks", *J. Stat. Mech.*
    P10008; NMI: Danon et al. (2005); adjusted Rand: Hubert & Arabie (1985).
    """
    return _communities(network.prepared, by, seed)


def _communities(p: Prepared, by: GroupBy, seed: int) -> Communities:
    graph = p.undirected
    weights = graph.es["weight"] if graph.ecount() else None
    # A seeded generator for reproducible communities, not for secrets.
    ig.set_random_number_generator(random.Random(seed))  # noqa: S311
    try:
        clustering = graph.community_multilevel(weights=weights)
    finally:
        ig.set_random_number_generator(random)
    found: dict[int, list[int]] = {}
    for i, c in enumerate(clustering.membership):
        found.setdefault(c, []).append(i)
    ordered = sorted(found.values(), key=lambda m: (-len(m), m[0]))
    membership = [0] * p.n
    for c, members in enumerate(ordered):
        for i in members:
            membership[i] = c
    official: list[int] = []
    labels: dict[str, int] = {}
    for i, g in enumerate(p.groups(by)):
        official.append(labels.setdefault(g, len(labels)) if g is not None else -1 - i)
    # compare_communities wants labels 0..k-1: renumber the singletons of ungrouped nodes.
    renumber: dict[int, int] = {}
    official = [renumber.setdefault(x, len(renumber)) for x in official]
    if p.n >= 2:
        nmi = float(ig.compare_communities(membership, official, method="nmi"))
        ari = float(ig.compare_communities(membership, official, method="adjusted_rand"))
    else:
        nmi = ari = 1.0  # one node or none: both partitions are trivially the same
    # Without ties modularity is undefined (igraph: NaN); 0 says "no community structure".
    modularity = float(graph.modularity(membership, weights=weights)) if weights else 0.0
    nodes = p.network.nodes
    return Communities(
        by=by,
        members=tuple(p.ids(m) for m in ordered),
        membership={nodes[i].id: membership[i] for i in range(p.n)},
        modularity=modularity,
        nmi=nmi,
        adjusted_rand=ari,
    )
