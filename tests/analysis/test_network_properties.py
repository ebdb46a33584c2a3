"""Properties of the network metrics on arbitrary small networks (hypothesis)."""

from __future__ import annotations

import itertools
from collections import Counter

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knotenpunkt.analysis.network import (
    Brokerage,
    Network,
    Node,
    Tie,
    analyse,
    brokerage,
    islands,
    role,
)

SECTORS = st.sampled_from(["youth_welfare", "health", "school", None])
AREAS = st.sampled_from(["Nord", "Süd", None])


@st.composite
def networks(draw: st.DrawFn, max_nodes: int = 14) -> Network:
    n = draw(st.integers(min_value=1, max_value=max_nodes))
    nodes = [Node(i, sector=draw(SECTORS), area=draw(AREAS)) for i in range(n)]
    pairs = [(a, b) for a in range(n) for b in range(n) if a != b]
    chosen = draw(st.lists(st.sampled_from(pairs), max_size=3 * n)) if pairs else []
    weights = st.sampled_from([1.0, 0.5, 2.0, 3.0])
    ties = [Tie(a, b, draw(weights)) for a, b in chosen]
    return Network(nodes, ties, directed=draw(st.booleans()))


def brute_force_brokerage(network: Network) -> dict[int, Brokerage]:
    groups = {node.id: node.sector for node in network.nodes}
    arcs = {(t.source, t.target) for t in network.ties}
    if not network.directed:
        arcs |= {(b, a) for a, b in arcs}
    counts: dict[int, Counter[str]] = {node.id: Counter() for node in network.nodes}
    for a, v, c in itertools.permutations(groups, 3):
        open_path = (a, v) in arcs and (v, c) in arcs and (a, c) not in arcs
        if open_path and None not in (groups[a], groups[v], groups[c]):
            counts[v][role(groups[a], groups[v], groups[c])] += 1  # type: ignore[arg-type]
    return {v: Brokerage(**c) for v, c in counts.items()}


def to_networkx(network: Network) -> nx.Graph:
    graph = nx.DiGraph() if network.directed else nx.Graph()
    graph.add_nodes_from(node.id for node in network.nodes)
    for tie in network.ties:
        graph.add_edge(tie.source, tie.target)
    return graph


@settings(max_examples=60, deadline=None)
@given(networks(max_nodes=8))
def test_brokerage_matches_enumerating_every_two_path(network: Network) -> None:
    assert brokerage(network) == brute_force_brokerage(network)


@settings(max_examples=60, deadline=None)
@given(networks())
def test_the_suggested_ties_always_join_the_network(network: Network) -> None:
    report = analyse(network)
    assert len(report.bridge_suggestions) == len(report.islands) - 1
    extra = [Tie(s.source, s.target) for s in report.bridge_suggestions]
    joined = Network(network.nodes, [*network.ties, *extra], directed=network.directed)
    assert len(islands(joined)) == 1


@settings(max_examples=60, deadline=None)
@given(networks())
def test_scores_stay_in_their_ranges(network: Network) -> None:
    report = analyse(network)
    for node in report.nodes:
        if node.degree == 0:
            assert node.constraint is None and node.effective_size is None
            continue
        # Each term (p_vj + Σ p_vq p_qj) is at most 1 and they sum to at most 2.
        assert node.constraint is not None and 0 < node.constraint <= 2 + 1e-9
        neighbours = len({t.target for t in network.ties if t.source == node.id}) + len(
            {t.source for t in network.ties if t.target == node.id}
            - {t.target for t in network.ties if t.source == node.id}
        )
        assert node.effective_size is not None
        assert 1 - 1e-9 <= node.effective_size <= neighbours + 1e-9
        assert 0 <= node.betweenness <= 1 + 1e-9
        assert 0 <= node.closeness <= 1 + 1e-9
    values = [report.ei_index.network, report.ei_index.expected]
    values += [*report.ei_index.per_group.values(), *report.ei_index.per_node.values()]
    assert all(-1 <= v <= 1 for v in values if v is not None)
    for row in report.mixing.shares:
        assert sum(row) == pytest.approx(1.0) or sum(row) == 0
    assert 0 <= report.density <= 1


@settings(max_examples=40, deadline=None)
@given(networks())
def test_centralities_match_networkx(network: Network) -> None:
    graph = to_networkx(network)
    report = analyse(network)
    between = nx.betweenness_centrality(graph)
    close = nx.closeness_centrality(graph)
    for node in report.nodes:
        assert node.betweenness == pytest.approx(between[node.id], abs=1e-9)
        assert node.closeness == pytest.approx(close[node.id], abs=1e-9)
    assert report.density == pytest.approx(nx.density(graph), abs=1e-9)
