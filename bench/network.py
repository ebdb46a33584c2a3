"""Benchmark of the network metrics (issue 8) against python-igraph in the same run; no database.

Run from the project root::

    .venv/bin/python bench/network.py [--scale 1.0] [--seed 1] [--directed] [--repeat 1]

Generates a seeded synthetic network of ``5,000 × scale`` organisations and ``50,000 × scale``
ties: nine sectors, 40 areas, ties mostly within an area or a sector (weights 1-5), plus three
small islands and a few isolated organisations so that bridge suggestions have work to do.
Then it times

* :func:`knotenpunkt.analysis.network.analyse` — every metric, from the plain node and tie
  lists (validation and graph building included);
* the baseline: python-igraph computing the same heavy metrics directly on the same ties
  (graph building, degree and strength, density, betweenness, closeness, components,
  articulation points, bridges, multilevel communities, constraint) — target: ``analyse``
  within 1.5× of it;
* the demo size (300 organisations, 1,500 ties): median of five ``analyse`` runs (target
  ≤ 200 ms).

Peak memory is the process's maximum resident set size (``ru_maxrss`` from getrusage), read
after the first ``analyse`` and before the first baseline run, so it is the peak of generating
the data and analysing it. With ``--repeat`` the two sides alternate and the fastest run of
each counts.

Prints a table and ends with a single ``RESULT ...`` line for scripts.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR / "src"))

import igraph as ig  # noqa: E402

from knotenpunkt.analysis.network import Network, NetworkReport, Node, Tie, analyse  # noqa: E402

SECTORS = [
    "youth_welfare",
    "health",
    "basic_income",
    "integration_help",
    "social_assistance",
    "school",
    "kita",
    "volunteering",
    "urban_development",
]
ISLANDS = (20, 15, 10)
ISOLATED = 5


def synthetic(organisations: int, ties: int, seed: int, *, directed: bool) -> Network:
    """A seeded network with sector and area homophily, three small islands and isolates."""
    rng = random.Random(seed)
    areas = [f"Area {i:02d}" for i in range(max(2, organisations // 125))]
    nodes = [
        Node(
            f"org-{i}",
            label=f"Organisation {i}",
            sector=rng.choice(SECTORS),
            area=rng.choice(areas),
        )
        for i in range(organisations)
    ]
    main = organisations - sum(ISLANDS) - ISOLATED
    by_area: dict[str, list[int]] = {}
    by_sector: dict[str, list[int]] = {}
    for i in range(main):
        by_area.setdefault(nodes[i].area or "", []).append(i)
        by_sector.setdefault(nodes[i].sector or "", []).append(i)
    pairs: set[tuple[int, int]] = set()

    def add(a: int, b: int) -> None:
        if a != b:
            pairs.add((a, b) if directed or a < b else (b, a))

    start = main
    for size in ISLANDS:  # the islands: a ring with a few chords, no tie outside
        members = list(range(start, start + size))
        for k, a in enumerate(members):
            add(a, members[(k + 1) % size])
        for _ in range(size // 2):
            add(*rng.sample(members, 2))
        start += size
    while len(pairs) < ties:
        a = rng.randrange(main)
        roll = rng.random()
        if roll < 0.5:
            b = rng.choice(by_area[nodes[a].area or ""])
        elif roll < 0.75:
            b = rng.choice(by_sector[nodes[a].sector or ""])
        else:
            b = rng.randrange(main)
        add(a, b)
    tie_list = [
        Tie(nodes[a].id, nodes[b].id, float(rng.randint(1, 5)), "co_membership")
        for a, b in sorted(pairs)
    ]
    return Network(nodes, tie_list, directed=directed)


def baseline(network: Network) -> float:
    """python-igraph alone on the same ties: the same heavy metrics, straight from the lists."""
    started = time.perf_counter()
    index = {node.id: i for i, node in enumerate(network.nodes)}
    graph = ig.Graph(
        n=len(index),
        edges=[(index[t.source], index[t.target]) for t in network.ties],
        directed=network.directed,
    )
    graph.es["weight"] = [t.weight for t in network.ties]
    graph.degree()
    graph.strength(weights="weight")
    graph.density()
    if network.directed:
        graph.reciprocity()
    graph.betweenness(directed=network.directed)
    graph.closeness(mode="in")
    undirected = (
        graph.as_undirected(mode="collapse", combine_edges="sum") if network.directed else graph
    )
    undirected.connected_components()
    undirected.articulation_points()
    undirected.bridges()
    random.seed(1)
    undirected.community_multilevel(weights="weight")
    undirected.constraint(weights="weight")
    return time.perf_counter() - started


def timed_analyse(network: Network) -> tuple[float, NetworkReport]:
    # A fresh Network, so that the cached prepared graph of an earlier run is not reused.
    started = time.perf_counter()
    fresh = Network(network.nodes, network.ties, directed=network.directed)
    report = analyse(fresh)
    return time.perf_counter() - started, report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--directed", action="store_true")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    organisations = max(100, round(5_000 * args.scale))
    tie_count = round(50_000 * args.scale)

    started = time.perf_counter()
    network = synthetic(organisations, tie_count, args.seed, directed=args.directed)
    generate_seconds = time.perf_counter() - started

    # Interleaved (ours, igraph, ours, igraph …) so that a busy machine slows both alike.
    ours_runs: list[float] = []
    igraph_runs: list[float] = []
    report = None
    maxrss_mb = 0.0
    for _ in range(max(1, args.repeat)):
        seconds, report = timed_analyse(network)
        ours_runs.append(seconds)
        if not maxrss_mb:
            maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        igraph_runs.append(baseline(network))
    if report is None:
        raise SystemExit("--repeat must be at least 1")
    ours, theirs = min(ours_runs), min(igraph_runs)
    ratio = ours / theirs

    demo = synthetic(300, 1_500, args.seed, directed=args.directed)
    demo_runs = [timed_analyse(demo)[0] for _ in range(5)]
    demo_ms = statistics.median(demo_runs) * 1000

    kind = "directed" if args.directed else "undirected"
    print(
        f"Network metrics: {organisations:,} organisations, {len(network.ties):,} {kind} ties "
        f"(generated in {generate_seconds:.1f} s)"
    )
    print()
    print(f"{'run':<44} {'seconds':>9} {'target':>12}")
    print(f"{'-' * 44} {'-' * 9} {'-' * 12}")
    print(f"{'analyse() — all metrics':<44} {ours:>9.2f}")
    print(f"{'python-igraph, same heavy metrics':<44} {theirs:>9.2f}")
    print(f"{'ratio analyse / igraph':<44} {ratio:>9.2f} {'≤ 1.5':>12}")
    print(
        f"{'demo (300 / 1,500): median of 5 analyse()':<44} {demo_ms / 1000:>9.3f} {'≤ 0.200':>12}"
    )
    print()
    print(
        f"result: {len(report.islands)} islands, {len(report.bridge_suggestions)} bridge "
        f"suggestions, {len(report.articulation_points)} articulation points, "
        f"{len(report.communities.members)} communities (NMI with sectors "
        f"{report.communities.nmi:.2f}), E–I index {report.ei_index.network:+.2f}"
    )
    print(f"peak memory (process max RSS after analyse, getrusage): {maxrss_mb:.0f} MB")
    print()
    print(
        f"RESULT organisations={organisations} ties={len(network.ties)} directed={args.directed} "
        f"analyse_seconds={ours:.2f} igraph_seconds={theirs:.2f} ratio={ratio:.2f} "
        f"demo_ms={demo_ms:.0f} max_rss_mb={maxrss_mb:.0f} islands={len(report.islands)} "
        f"suggestions={len(report.bridge_suggestions)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
