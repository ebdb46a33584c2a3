"""Bridge suggestions join the islands with the fewest ties and choose fitting partners."""

from __future__ import annotations

import random

from knotenpunkt.analysis.network import Network, Node, Tie, islands, suggest_bridges


def joined(network: Network, suggestions: list) -> Network:
    extra = [Tie(s.source, s.target, kind="suggested") for s in suggestions]
    return Network(network.nodes, [*network.ties, *extra], directed=network.directed)


def three_islands(seed: int = 1) -> Network:
    """A generated network: a large main island and two smaller ones (random trees plus chords)."""
    rng = random.Random(seed)
    sectors = ["youth_welfare", "health", "job_centre", "school", "kita"]
    areas = ["Salzwedel", "Gardelegen", "Klötze"]
    nodes, ties = [], []
    start = 0
    for size in (30, 12, 6):
        members = list(range(start, start + size))
        for i in members:
            nodes.append(
                Node(i, label=f"Org {i}", sector=rng.choice(sectors), area=rng.choice(areas))
            )
        for k, i in enumerate(members[1:], start=1):
            ties.append(Tie(members[rng.randrange(k)], i))
        for _ in range(size // 2):
            a, b = rng.sample(members, 2)
            ties.append(Tie(a, b))
        start += size
    return Network(nodes, ties)


def test_it_joins_three_islands_with_exactly_two_ties() -> None:
    network = three_islands()
    assert len(islands(network)) == 3
    suggestions = suggest_bridges(network)
    assert len(suggestions) == 2
    main = set(islands(network)[0].members)
    assert all(s.target in main and s.source not in main for s in suggestions)
    assert len(islands(joined(network, suggestions))) == 1
    for suggestion in suggestions:
        assert suggestion.explanation.endswith(".")
        assert suggestion.reason in {"same_area_cross_sector", "same_area_same_sector"}


def test_it_suggests_nothing_for_a_connected_network() -> None:
    network = Network([Node(1), Node(2)], [Tie(1, 2)])
    assert suggest_bridges(network) == []


def test_it_prefers_a_partner_of_another_sector_in_the_same_area() -> None:
    nodes = [
        Node("jugendamt", sector="youth_welfare", area="Salzwedel"),
        Node("kita_main", sector="kita", area="Salzwedel"),
        Node("midwife", label="Hebamme Koch", sector="health", area="Salzwedel"),
        Node("doctor", sector="health", area="Gardelegen"),
        Node("kita_a", label="Kita Sonnenschein", sector="kita", area="Salzwedel"),
        Node("kita_b", sector="kita", area="Salzwedel"),
        Node("kita_c", sector="kita", area="Salzwedel"),
    ]
    ties = [
        Tie("jugendamt", "kita_main"),
        Tie("jugendamt", "midwife"),
        Tie("jugendamt", "doctor"),
        Tie("kita_a", "kita_b"),
        Tie("kita_a", "kita_c"),
    ]
    (suggestion,) = suggest_bridges(Network(nodes, ties))
    # kita_a has the most ties on the Kita island; the Jugendamt is the best-connected partner
    # of another sector in Salzwedel.
    assert (suggestion.source, suggestion.target) == ("kita_a", "jugendamt")
    assert suggestion.reason == "same_area_cross_sector"
    assert suggestion.details["area"] == "Salzwedel"
    assert suggestion.details["island_size"] == "3"
    assert "Kita Sonnenschein (kita)" in suggestion.explanation


def test_it_falls_back_to_other_sectors_and_then_to_the_best_connected() -> None:
    nodes = [
        Node("hub", sector="health", area="Nord"),
        Node("leaf", sector="health", area="Nord"),
        Node("school", sector="school", area="Süd"),
        Node("unknown"),
    ]
    network = Network(nodes, [Tie("hub", "leaf")])
    by_source = {s.source: s for s in suggest_bridges(network)}
    assert by_source["school"].reason == "cross_sector"
    assert by_source["school"].target == "hub"
    assert by_source["unknown"].reason == "best_connected"
    assert by_source["unknown"].target == "hub"
    assert [s.island for s in suggest_bridges(network)] == [1, 2]


def test_it_joins_directed_islands_too() -> None:
    network = Network(
        [Node(i, sector="a") for i in range(6)],
        [Tie(0, 1), Tie(2, 1), Tie(3, 4)],
        directed=True,
    )
    suggestions = suggest_bridges(network)
    assert len(suggestions) == 2
    assert len(islands(joined(network, suggestions))) == 1
