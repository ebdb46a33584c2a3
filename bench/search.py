"""Benchmark of the offer search against the plain ``icontains`` query, in the same run.

Run from the project root::

    .venv/bin/python bench/search.py [--scale county|state|national] [--seed 1] [--rounds 20]

Generates the synthetic data (:func:`knotenpunkt.core.synthetic.generate`) on a fresh SQLite
database (or on the empty PostgreSQL database in ``BENCH_DATABASE_URL``), builds the search index
(timed), and picks the tenant with the most offers. Then, for a list of queries as families type
them (with typing errors, compounds and synonyms), each ``--rounds`` times:

- ``search_services(tenant, query, age_months=6, near=Near(centre, radius_km=30))``;
- the plain ORM query the same filters would give by default: ``icontains`` on name,
  description, provider and topic names, plus the same age and distance filter and order.

Reports median and p95 server time of each (ms), their ratio, and how many offers each found
(the plain query misses typing errors, synonyms and inflected forms). Ends with one ``RESULT``
line. Target (issue 6): ≤ 20 ms median at demo scale on SQLite.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent

QUERIES = [
    "Hebamme",
    "Hebame",
    "Beratung",
    "Schwangerschaftsberatung",
    "Stillgruppe",
    "Krabbelgruppe",
    "Frühförderung",
    "Erziehungsberatung",
    "Kurse",
    "Familienzentrum",
    "Babys",
    "Schulden",
]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--scale", choices=["county", "state", "national"], default="county")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="knotenpunkt-bench-") as temp_dir:
        os.environ["DJANGO_SETTINGS_MODULE"] = "knotenpunkt.config.settings"
        os.environ["DATA_DIR"] = temp_dir
        os.environ["DATABASE_URL"] = (
            os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{Path(temp_dir) / 'bench.sqlite3'}"
        )
        sys.path.insert(0, str(PROJECT_DIR / "src"))

        import django

        django.setup()

        from django.core.management import call_command
        from django.db import connection, connections
        from django.db.models import Count, F, Q
        from django_scopes import scope, scopes_disabled

        from knotenpunkt.core.models import LocalAuthority
        from knotenpunkt.core.synthetic import generate
        from knotenpunkt.directory.models import Location, Service
        from knotenpunkt.directory.search import Near, search_index_rebuild, search_services
        from knotenpunkt.directory.search.query import KM_PER_DEGREE, _filtered

        call_command("migrate", verbosity=0, interactive=False)
        started = time.perf_counter()
        generate(scale=args.scale, seed=args.seed)
        generate_seconds = time.perf_counter() - started
        started = time.perf_counter()
        documents = search_index_rebuild()
        index_seconds = time.perf_counter() - started

        with scopes_disabled():
            busiest = (
                Service.objects.values("local_authority")
                .annotate(n=Count("pk"))
                .order_by("-n", "local_authority")
                .first()
            )
            if busiest is None:
                raise SystemExit("no offers generated")
            tenant = LocalAuthority.objects.get(pk=busiest["local_authority"])
            services = busiest["n"]
            places = [
                (lat, lon)
                for lat, lon in Location.objects.filter(local_authority=tenant).values_list(
                    "latitude", "longitude"
                )
                if lat is not None and lon is not None
            ]
        centre = (
            statistics.fmean(p[0] for p in places),
            statistics.fmean(p[1] for p in places),
        )
        near = Near(centre[0], centre[1], radius_km=30)

        def plain(query: str) -> list[int]:
            with scope(local_authority=tenant):
                services = _filtered(
                    tenant,
                    age_months=6,
                    life_phase=None,
                    topic=None,
                    language=None,
                    free=False,
                    barrier_free=False,
                    weekday=None,
                    near=near,
                )
                found = services.filter(
                    Q(name__icontains=query)
                    | Q(description__icontains=query)
                    | Q(organisation__name__icontains=query)
                    | Q(topics__name__icontains=query)
                ).distinct()
                ordered = found.order_by(F("distance2").asc(nulls_last=True), "pk")
                return list(ordered.values_list("pk", flat=True)[:50])

        def searched(query: str) -> list[int]:
            hits = search_services(tenant, query, age_months=6, near=near)
            return [hit.service_id for hit in hits]

        timings: dict[str, list[float]] = {"search": [], "icontains": []}
        found: dict[str, dict[str, int]] = {"search": {}, "icontains": {}}
        for name, function in (("search", searched), ("icontains", plain)):
            for query in QUERIES:  # warm up (settings, statement caches)
                found[name][query] = len(function(query))
        for _ in range(args.rounds):
            for query in QUERIES:
                for name, function in (("search", searched), ("icontains", plain)):
                    started = time.perf_counter()
                    function(query)
                    timings[name].append((time.perf_counter() - started) * 1000)
        vendor = connection.vendor
        connections.close_all()

    print(f"Offer search, scale {args.scale}, seed {args.seed} ({vendor}, fresh database)")
    print(
        f"(generation {generate_seconds:.1f} s; index of {documents} offers {index_seconds:.2f} s)"
    )
    print(f"tenant {tenant.slug}: {services} offers; age 6 months, {near.radius_km:.0f} km")
    print(f"around {centre[0]:.3f}, {centre[1]:.3f} ({KM_PER_DEGREE} km per degree)")
    print()
    print(f"{'query':<26} {'found (search)':>15} {'found (icontains)':>18}")
    for query in QUERIES:
        print(f"{query:<26} {found['search'][query]:>15} {found['icontains'][query]:>18}")
    print()
    summary = {
        name: (statistics.median(values), _percentile(values, 0.95))
        for name, values in timings.items()
    }
    print(f"{'':<12} {'median ms':>10} {'p95 ms':>10}")
    for name, (median, p95) in summary.items():
        print(f"{name:<12} {median:>10.2f} {p95:>10.2f}")
    ratio = summary["search"][0] / summary["icontains"][0]
    print(f"ratio search / icontains (median): {ratio:.2f}")
    print()
    print(
        f"RESULT scale={args.scale} db={vendor} services={services} queries={len(QUERIES)} "
        f"rounds={args.rounds} search_median_ms={summary['search'][0]:.2f} "
        f"search_p95_ms={summary['search'][1]:.2f} "
        f"icontains_median_ms={summary['icontains'][0]:.2f} "
        f"icontains_p95_ms={summary['icontains'][1]:.2f} ratio_median={ratio:.2f} "
        f"index_seconds={index_seconds:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
