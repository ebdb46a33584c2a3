"""Benchmark of tour planning (issue 4) on synthetic rural instances; no database needed.

Run from the project root::

    .venv/bin/python bench/tours.py [--seed 1] [--instances 20] [--quick]

Builds seeded instances in a county of about 60 × 50 km around an office, with opening hours
for every stop (mornings, afternoons or the whole day) and 20-45 minute visits; the 40-stop
instances are short stops (5-15 minutes) within about 12 × 10 km on a long day (6:00-23:00),
since 40 ordinary visits do not fit into one day. Then it reports:

* 40 stops with time windows: planning time of :func:`plan_tour` (target ≤ 5 s) with
  ``--limit`` (4.5 s, which covers building the model as well as the search);
* 9 stops: the travel time against the exact optimum of :func:`brute_force_tour`
  (target within 1 %, mean and maximum gap over ``--instances`` instances);
* 40 stops: the travel time against a 60-second OR-Tools run (target within 3 %;
  ``--quick`` shortens the reference run to 10 s). The reference is :func:`plan_tour` itself —
  the same routing model in whole seconds, the same first solutions and guided local search —
  given 60 s instead of ``--limit``.

Prints a table and ends with a single ``RESULT ...`` line for scripts.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR / "src"))

from knotenpunkt.analysis.tours import (  # noqa: E402
    FIRST_SOLUTION_STRATEGIES,
    Place,
    Stop,
    TourPlan,
    brute_force_tour,
    plan_tour,
)

OFFICE = Place(52.6, 11.85)  # Stendal-ish
DAY_START = 7 * 60
DAY_END = 19 * 60


def instance(
    rng: random.Random,
    size: int,
    *,
    spread: float = 1.0,
    service: tuple[int, ...] = (20, 30, 30, 45),
    long_hours: bool = False,
) -> list[Stop]:
    """``size`` stops scattered over the county (``spread`` scales it), each with opening hours."""
    stops = []
    for i in range(size):
        kind = rng.random()
        if long_hours:
            # A long day of short stops: most are open all day, some mornings or afternoons.
            if kind < 0.2:
                opens, closes = 8 * 60, 12 * 60 + 30
            elif kind < 0.35:
                opens, closes = 13 * 60, 18 * 60
            else:
                opens, closes = 7 * 60, 20 * 60
        elif kind < 0.3:
            opens, closes = 8 * 60, 12 * 60 + 30
        elif kind < 0.5:
            opens, closes = 13 * 60, 17 * 60
        else:
            opens, closes = 8 * 60, 16 * 60 + 30
        stops.append(
            Stop(
                key=f"s{i}",
                latitude=OFFICE.latitude + rng.uniform(-0.25, 0.25) * spread,
                longitude=OFFICE.longitude + rng.uniform(-0.45, 0.45) * spread,
                service_minutes=rng.choice(service),
                opens=opens,
                closes=closes,
            )
        )
    return stops


def gap(found: TourPlan, best: TourPlan) -> float:
    """Relative extra travel of ``found`` over ``best``; visiting fewer stops counts as 100 %."""
    if len(found.stops) < len(best.stops):
        return 1.0
    if best.travel_minutes == 0:
        return 0.0
    return found.travel_minutes / best.travel_minutes - 1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--instances", type=int, default=20, help="9-stop instances")
    parser.add_argument("--large", type=int, default=3, help="40-stop instances")
    parser.add_argument("--limit", type=float, default=4.5, help="40-stop planning time limit, s")
    parser.add_argument("--quick", action="store_true", help="10 s reference instead of 60 s")
    args = parser.parse_args()
    reference_limit = 10.0 if args.quick else 60.0
    rng = random.Random(args.seed)

    small_gaps: list[float] = []
    small_seconds: list[float] = []
    brute_seconds: list[float] = []
    for _ in range(args.instances):
        stops = instance(rng, 9)
        started = time.perf_counter()
        exact = brute_force_tour(stops, start=OFFICE, day_start=DAY_START, day_end=DAY_END)
        brute_seconds.append(time.perf_counter() - started)
        started = time.perf_counter()
        planned = plan_tour(
            stops,
            start=OFFICE,
            day_start=DAY_START,
            day_end=DAY_END,
            time_limit_seconds=min(args.limit, 1.0),
        )
        small_seconds.append(time.perf_counter() - started)
        small_gaps.append(gap(planned, exact))

    large_seconds: list[float] = []
    large_gaps: list[float] = []
    large_visited: list[int] = []
    for _ in range(args.large):
        # 40 stops fit into one day only when they are short and close together (say, handing
        # out the new guide in one town and its villages), and the day is long.
        stops = instance(rng, 40, spread=0.2, service=(5, 10, 10, 15), long_hours=True)
        long_end = 23 * 60
        started = time.perf_counter()
        planned = plan_tour(
            stops,
            start=OFFICE,
            day_start=6 * 60,
            day_end=long_end,
            time_limit_seconds=args.limit,
        )
        large_seconds.append(time.perf_counter() - started)
        reference = plan_tour(
            stops,
            start=OFFICE,
            day_start=6 * 60,
            day_end=long_end,
            time_limit_seconds=reference_limit,
        )
        large_gaps.append(gap(planned, reference))
        large_visited.append(len(planned.stops))

    print(
        "Tour planning (OR-Tools: first solutions by "
        f"{', '.join(FIRST_SOLUTION_STRATEGIES)}; GUIDED_LOCAL_SEARCH)"
    )
    print(f"{'case':<36}{'n':>4}{'mean':>10}{'max':>10}  target")
    print(
        f"{'9 stops: gap to brute force':<36}{len(small_gaps):>4}"
        f"{statistics.mean(small_gaps) * 100:>9.2f}%{max(small_gaps) * 100:>9.2f}%  ≤ 1 %"
    )
    print(
        f"{'9 stops: planning time (s)':<36}{len(small_seconds):>4}"
        f"{statistics.mean(small_seconds):>10.2f}{max(small_seconds):>10.2f}"
    )
    print(
        f"{'9 stops: brute force time (s)':<36}{len(brute_seconds):>4}"
        f"{statistics.mean(brute_seconds):>10.2f}{max(brute_seconds):>10.2f}"
    )
    print(
        f"{'40 stops: planning time (s)':<36}{len(large_seconds):>4}"
        f"{statistics.mean(large_seconds):>10.2f}{max(large_seconds):>10.2f}  ≤ 5 s"
    )
    print(
        f"{f'40 stops: gap to {reference_limit:.0f} s run':<36}{len(large_gaps):>4}"
        f"{statistics.mean(large_gaps) * 100:>9.2f}%{max(large_gaps) * 100:>9.2f}%  ≤ 3 %"
    )
    print(f"40 stops: stops fitted in {large_visited}")
    print()
    print(
        f"RESULT small_instances={len(small_gaps)} "
        f"small_gap_mean_pct={statistics.mean(small_gaps) * 100:.2f} "
        f"small_gap_max_pct={max(small_gaps) * 100:.2f} "
        f"large_instances={len(large_seconds)} "
        f"large_plan_seconds_max={max(large_seconds):.2f} "
        f"large_gap_mean_pct={statistics.mean(large_gaps) * 100:.2f} "
        f"large_gap_max_pct={max(large_gaps) * 100:.2f} "
        f"reference_seconds={reference_limit:.0f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
