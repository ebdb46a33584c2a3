"""Gould–Fernandez brokerage roles on a hand-worked example and on undirected ties."""

from __future__ import annotations

from knotenpunkt.analysis.network import Brokerage, Network, Node, Tie, brokerage, role

GROUPS = {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B", "c1": "C"}


def hand_worked() -> Network:
    ties = [
        ("a1", "a2"),
        ("a2", "a3"),
        ("a1", "b1"),
        ("b1", "a3"),
        ("a2", "b2"),
        ("a2", "b1"),
        ("b1", "b2"),
        ("a3", "b2"),
        ("b2", "c1"),
    ]
    return Network(
        [Node(n, sector=g) for n, g in GROUPS.items()],
        [Tie(s, t) for s, t in ties],
        directed=True,
    )


def test_it_names_the_five_roles() -> None:
    assert role("A", "A", "A") == "coordinator"
    assert role("A", "B", "A") == "itinerant"
    assert role("A", "B", "B") == "gatekeeper"
    assert role("A", "A", "B") == "representative"
    assert role("A", "B", "C") == "liaison"


def test_it_counts_roles_on_a_hand_worked_example() -> None:
    # a2: a1→a2→a3 coordinator, a1→a2→b2 representative (a1→a2→b1 is closed by a1→b1).
    # b1: a1→b1→a3 itinerant, a1→b1→b2 gatekeeper (from a2 both paths are closed).
    # a3: both two-paths into b2 are closed. b2: a2→b2→c1 and a3→b2→c1 liaison,
    # b1→b2→c1 representative.
    result = brokerage(hand_worked())
    assert result["a2"] == Brokerage(coordinator=1, representative=1)
    assert result["b1"] == Brokerage(itinerant=1, gatekeeper=1)
    assert result["a3"] == Brokerage()
    assert result["b2"] == Brokerage(liaison=2, representative=1)
    assert result["a1"] == result["c1"] == Brokerage()
    assert result["b2"].total == 3


def test_it_counts_each_undirected_two_path_both_ways() -> None:
    network = Network(
        [
            Node("v", sector="X"),
            Node("a", sector="A"),
            Node("b", sector="A"),
            Node("c", sector="C"),
        ],
        [Tie("v", "a"), Tie("v", "b"), Tie("v", "c")],
    )
    result = brokerage(network)["v"]
    # a–v–b: itinerant twice; a–v–c and b–v–c: liaison twice each.
    assert result == Brokerage(itinerant=2, liaison=4)


def test_it_leaves_out_nodes_without_a_group() -> None:
    network = Network(
        [Node("a", sector="A"), Node("v", sector="A"), Node("x"), Node("c", sector="A")],
        [Tie("a", "v"), Tie("x", "v"), Tie("v", "c"), Tie("v", "x")],
        directed=True,
    )
    result = brokerage(network)
    assert result["v"] == Brokerage(coordinator=1)
    assert result["x"] == Brokerage()


def test_it_groups_by_the_chosen_attribute() -> None:
    network = Network(
        [Node("a", area="N", sector="S"), Node("v", area="M", sector="S"), Node("c", area="N")],
        [Tie("a", "v"), Tie("v", "c")],
        directed=True,
    )
    assert brokerage(network, by="area")["v"] == Brokerage(itinerant=1)
    assert brokerage(network, by="sector")["v"] == Brokerage()
