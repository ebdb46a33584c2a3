"""Network metrics agree with NetworkX's reference implementations on its classic data sets."""

from __future__ import annotations

import math
import random

import networkx as nx
import pytest
from networkx.algorithms import bipartite

from knotenpunkt.analysis.network import (
    Network,
    Node,
    Tie,
    analyse,
    articulation_points,
    betweenness,
    bridges,
    closeness,
    constraint,
    density,
    effective_size,
    islands,
    reciprocity,
)

TOLERANCE = 1e-9


def to_network(graph: nx.Graph, weight: str | None = "weight") -> Network:
    return Network(
        [Node(n) for n in graph],
        [Tie(u, v, d.get(weight, 1.0) if weight else 1.0) for u, v, d in graph.edges(data=True)],
        directed=graph.is_directed(),
    )


def karate() -> nx.Graph:
    return nx.karate_club_graph()


def florentine() -> nx.Graph:
    return nx.florentine_families_graph()


def davis_women() -> nx.Graph:
    graph = nx.davis_southern_women_graph()
    women = [n for n, d in graph.nodes(data=True) if d["bipartite"] == 0]
    # Weighted by the number of events two women attended together.
    return bipartite.weighted_projected_graph(graph, women)


def random_directed(seed: int) -> nx.DiGraph:
    rng = random.Random(seed)
    graph = nx.gnp_random_graph(40, 0.08, seed=seed, directed=True)
    for u, v in graph.edges:
        graph[u][v]["weight"] = rng.choice([1.0, 2.0, 3.5])
    return graph


def random_islands(seed: int) -> nx.Graph:
    """Undirected, in several islands with isolated nodes."""
    graph = nx.gnp_random_graph(50, 0.04, seed=seed)
    for u, v in graph.edges:
        graph[u][v]["weight"] = 1.0 + (u + v) % 3
    return graph


GRAPHS = {
    "karate": karate,
    "florentine": florentine,
    "davis_women": davis_women,
    "random_directed": lambda: random_directed(3),
    "random_directed_2": lambda: random_directed(8),
    "random_islands": lambda: random_islands(5),
}


def assert_close(ours: dict, theirs: dict) -> None:
    assert ours.keys() == theirs.keys()
    for key, value in theirs.items():
        assert ours[key] == pytest.approx(value, abs=TOLERANCE), key


@pytest.fixture(params=sorted(GRAPHS))
def graph(request: pytest.FixtureRequest) -> nx.Graph:
    return GRAPHS[request.param]()


def test_it_matches_networkx_density_and_reciprocity(graph: nx.Graph) -> None:
    network = to_network(graph)
    assert density(network) == pytest.approx(nx.density(graph), abs=TOLERANCE)
    if graph.is_directed():
        assert reciprocity(network) == pytest.approx(nx.reciprocity(graph), abs=TOLERANCE)
    else:
        assert reciprocity(network) is None


def test_it_matches_networkx_betweenness(graph: nx.Graph) -> None:
    assert_close(betweenness(to_network(graph)), nx.betweenness_centrality(graph))


def test_it_matches_networkx_closeness(graph: nx.Graph) -> None:
    assert_close(closeness(to_network(graph)), nx.closeness_centrality(graph))


def test_it_matches_networkx_constraint_and_effective_size(graph: nx.Graph) -> None:
    network = to_network(graph)
    ours_c, ours_e = constraint(network), effective_size(network)
    theirs_c = nx.constraint(graph, weight="weight")
    theirs_e = nx.effective_size(graph, weight="weight")
    compared = 0
    for node in graph:
        if math.isnan(theirs_c[node]):
            # NetworkX also gives NaN to directed nodes without successors; isolates are None here.
            if graph.degree(node) == 0:
                assert ours_c[node] is None
            continue
        assert ours_c[node] == pytest.approx(theirs_c[node], abs=TOLERANCE), node
        assert ours_e[node] == pytest.approx(theirs_e[node], abs=TOLERANCE), node
        compared += 1
    assert compared >= len(graph) // 2


def test_it_matches_networkx_unweighted_effective_size_of_borgatti() -> None:
    graph = karate()
    ours = effective_size(to_network(graph, weight=None))
    assert_close(ours, nx.effective_size(graph))  # type: ignore[arg-type]


def test_it_matches_networkx_bridges_and_articulation_points(graph: nx.Graph) -> None:
    network = to_network(graph)
    simple = graph.to_undirected() if graph.is_directed() else graph
    ours = {frozenset(pair) for pair in bridges(network)}
    assert ours == {frozenset(pair) for pair in nx.bridges(simple)}
    assert set(articulation_points(network)) == set(nx.articulation_points(simple))


def test_it_matches_networkx_components(graph: nx.Graph) -> None:
    found = islands(to_network(graph))
    expected = sorted(
        (sorted(c) for c in nx.weakly_connected_components(graph))
        if graph.is_directed()
        else (sorted(c) for c in nx.connected_components(graph)),
        key=len,
        reverse=True,
    )
    assert [len(i.members) for i in found] == [len(c) for c in expected]
    assert {frozenset(i.members) for i in found} == {frozenset(c) for c in expected}


def test_analyse_agrees_with_the_single_functions(graph: nx.Graph) -> None:
    network = to_network(graph)
    report = analyse(network)
    between = nx.betweenness_centrality(graph)
    close = nx.closeness_centrality(graph)
    for node in report.nodes:
        assert node.betweenness == pytest.approx(between[node.id], abs=TOLERANCE)
        assert node.closeness == pytest.approx(close[node.id], abs=TOLERANCE)
        if graph.is_directed():
            assert node.in_degree == graph.in_degree(node.id)
            assert node.out_degree == graph.out_degree(node.id)
        else:
            assert node.degree == graph.degree(node.id)
            assert node.strength == pytest.approx(graph.degree(node.id, weight="weight"))
    assert report.tie_count == graph.number_of_edges()
    assert report.density == pytest.approx(nx.density(graph), abs=TOLERANCE)
