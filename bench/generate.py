"""Benchmark of the synthetic data generator on a fresh SQLite database.

Run from the project root::

    .venv/bin/python bench/generate.py [--scale county|state|national] [--seed N]

Prints one row per generation step and ends with a single ``RESULT ...`` line for scripts.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


def main() -> int:
    """Sets up Django on a temporary database, generates, and prints the timings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["county", "state", "national"], default="state")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="knotenpunkt-bench-") as temp_dir:
        # Before django.setup(): settings read these once. DATA_DIR keeps the development secret
        # key out of the project's var/ directory.
        os.environ["DJANGO_SETTINGS_MODULE"] = "knotenpunkt.config.settings"
        os.environ["DATA_DIR"] = temp_dir
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(temp_dir) / 'bench.sqlite3'}"
        sys.path.insert(0, str(PROJECT_DIR / "src"))

        import django
        from django.core.management import call_command
        from django.db import connections

        django.setup()
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        migrate_seconds = time.perf_counter() - started

        from knotenpunkt.core.synthetic import generate

        report = generate(scale=args.scale, seed=args.seed)
        connections.close_all()

    print(f"Synthetic data, scale {report.scale}, seed {report.seed} (SQLite, fresh database)")
    print(f"(migrate took {migrate_seconds:.2f} s, not counted)")
    print()
    print(f"{'step':<32} {'seconds':>9} {'rows':>10} {'rows/s':>10}")
    print(f"{'-' * 32} {'-' * 9} {'-' * 10} {'-' * 10}")
    for step in report.steps:
        rate = step.rows / step.seconds if step.seconds else 0
        print(f"{step.name:<32} {step.seconds:>9.2f} {step.rows:>10,} {rate:>10,.0f}")
    print(f"{'-' * 32} {'-' * 9} {'-' * 10} {'-' * 10}")
    total_rate = report.rows / report.seconds if report.seconds else 0
    print(f"{'total':<32} {report.seconds:>9.2f} {report.rows:>10,} {total_rate:>10,.0f}")
    print()
    print(
        f"RESULT scale={report.scale} tenants={report.tenants} areas={report.areas} "
        f"figures={report.figures} services={report.counts.get('services', 0)} "
        f"seconds={report.seconds:.2f} "
        f"rows_per_second={total_rate:.0f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
