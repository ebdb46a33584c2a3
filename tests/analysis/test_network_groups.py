"""E–I index, group mixing, degree centralisation and communities beside the official grouping."""

from __future__ import annotations

import networkx as nx
import pytest

from knotenpunkt.analysis.network import (
    Network,
    Node,
    Tie,
    communities,
    degree_centralisation,
    ei_index,
    group_mixing,
)


def two_groups() -> Network:
    groups = {1: "A", 2: "A", 3: "A", 4: "B", 5: "B", 6: None}
    ties = [(1, 2), (2, 3), (3, 4), (4, 5), (1, 5), (6, 1)]
    return Network([Node(n, sector=g) for n, g in groups.items()], [Tie(s, t) for s, t in ties])


def test_it_computes_the_ei_index_by_hand() -> None:
    # Internal 1-2, 2-3, 4-5; external 3-4, 1-5; the tie of ungrouped 6 does not count.
    result = ei_index(two_groups())
    assert result.network == pytest.approx(-0.2)
    assert result.per_group == {"A": pytest.approx(0.0), "B": pytest.approx(1 / 3)}
    assert result.per_node == {
        1: pytest.approx(0.0),
        2: pytest.approx(-1.0),
        3: pytest.approx(0.0),
        4: pytest.approx(0.0),
        5: pytest.approx(0.0),
        6: None,
    }
    # Group sizes 3 and 2: 8 of 20 ordered pairs inside a group.
    assert result.expected == pytest.approx(0.2)


def test_it_shares_each_groups_ties_by_group() -> None:
    result = group_mixing(two_groups())
    assert result.groups == ("A", "B")
    assert result.counts == ((4, 2), (2, 2))
    assert result.shares == (
        (pytest.approx(2 / 3), pytest.approx(1 / 3)),
        (pytest.approx(0.5), pytest.approx(0.5)),
    )


def test_it_counts_directed_ties_from_the_sender() -> None:
    network = Network(
        [Node("a", sector="A"), Node("b", sector="B")], [Tie("a", "b")], directed=True
    )
    assert group_mixing(network).counts == ((0, 1), (0, 0))
    assert group_mixing(network).shares[1] == (0.0, 0.0)


def test_it_centralises_a_star_fully_and_a_clique_not_at_all() -> None:
    star = Network([Node(i) for i in range(5)], [Tie(0, i) for i in range(1, 5)])
    assert degree_centralisation(star).total == pytest.approx(1.0)
    clique = Network(
        [Node(i) for i in range(5)], [Tie(i, j) for i in range(5) for j in range(i + 1, 5)]
    )
    assert degree_centralisation(clique).total == pytest.approx(0.0)
    directed = Network([Node(i) for i in range(4)], [Tie(0, i) for i in range(1, 4)], directed=True)
    result = degree_centralisation(directed)
    assert result.out == pytest.approx(1.0)
    assert result.in_ == pytest.approx(1 / 9)  # in-degrees 0, 1, 1, 1: (1 − 0) / 3²


def test_it_finds_the_karate_split_and_compares_it_with_the_clubs() -> None:
    graph = nx.karate_club_graph()
    network = Network(
        [Node(n, group=graph.nodes[n]["club"]) for n in graph],
        [Tie(u, v, d["weight"]) for u, v, d in graph.edges(data=True)],
    )
    first = communities(network, by="group", seed=7)
    again = communities(network, by="group", seed=7)
    assert first == again
    assert 3 <= len(first.members) <= 6
    assert first.modularity > 0.35
    assert 0.3 < first.nmi <= 1.0
    assert 0.2 < first.adjusted_rand <= 1.0
    assert sorted(n for m in first.members for n in m) == sorted(graph)


def test_it_agrees_perfectly_when_communities_are_the_groups() -> None:
    nodes = [Node(i, sector="A" if i < 4 else "B") for i in range(8)]
    ties = [Tie(i, j) for i in range(4) for j in range(i + 1, 4)]
    ties += [Tie(i, j) for i in range(4, 8) for j in range(i + 1, 8)]
    result = communities(Network(nodes, [*ties, Tie(0, 4)]))
    assert result.nmi == pytest.approx(1.0)
    assert result.adjusted_rand == pytest.approx(1.0)
