"""Bad input to the network analysis gets a clear error; parallel ties merge; kinds filter."""

from __future__ import annotations

import pytest

from knotenpunkt.analysis.network import Network, Node, Tie, analyse, degrees, density


def test_it_rejects_a_repeated_node() -> None:
    with pytest.raises(ValueError, match="given twice"):
        Network([Node(1), Node(1)])


def test_it_rejects_ties_to_unknown_nodes_and_to_itself() -> None:
    with pytest.raises(ValueError, match="unknown node 3"):
        Network([Node(1), Node(2)], [Tie(1, 3)])
    with pytest.raises(ValueError, match="itself"):
        Network([Node(1)], [Tie(1, 1)])


@pytest.mark.parametrize("weight", [0.0, -1.0, float("nan"), float("inf")])
def test_it_rejects_weights_that_are_not_positive(weight: float) -> None:
    with pytest.raises(ValueError, match="weight"):
        Network([Node(1), Node(2)], [Tie(1, 2, weight)])


def test_it_merges_parallel_ties_and_keeps_the_chosen_kinds() -> None:
    network = Network(
        [Node("a"), Node("b"), Node("c")],
        [
            Tie("a", "b", 1, "referral"),
            Tie("b", "a", 2, "co_membership"),
            Tie("b", "c", 1, "survey"),
        ],
    )
    assert degrees(network)["b"].strength == 4
    assert degrees(network)["b"].total == 2
    assert density(network) == pytest.approx(2 / 3)
    only = network.with_kinds({"referral", "survey"})
    assert degrees(only)["b"].strength == 2
    assert degrees(only)["a"].strength == 1


def test_it_analyses_empty_and_tiny_networks() -> None:
    for network in (Network([]), Network([Node(1)]), Network([Node(1), Node(2)], directed=True)):
        report = analyse(network)
        assert report.density == 0.0
        assert len(report.bridge_suggestions) == max(len(report.islands) - 1, 0)
        assert all(n.constraint is None for n in report.nodes)
