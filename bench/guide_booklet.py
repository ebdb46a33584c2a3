"""Benchmark of the printed guide (PDF booklet) on the Altmark demo, on a fresh SQLite database.

Run from the project root::

    .venv/bin/python bench/guide_booklet.py [--area "Altmarkkreis Salzwedel"] [--language de]
                                            [--repeat 3] [--pdf out.pdf]

Builds the demo's partner register and directory (about 150 offers) into a temporary database,
then times the steps of one edition: reading the offers into plain data (with the number of
queries), HTML with the QR codes, layout and the PDF — median of ``--repeat`` runs. The
default area is the whole county (every offer); ``--area Salzwedel`` gives the town's guide.

Prints a table and ends with one ``RESULT ...`` line. Target (issue 6): the guide for one area
with about 150 offers in ≤ 10 s. The CPU seconds of the process are printed too: on a busy
machine the wall-clock time says more about the neighbours than about the booklet.
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--area", default="Altmarkkreis Salzwedel")
    parser.add_argument("--language", default="de")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pdf", type=Path, help="write the last PDF here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="knotenpunkt-bench-") as temp_dir:
        os.environ["DJANGO_SETTINGS_MODULE"] = "knotenpunkt.config.settings"
        os.environ["DATA_DIR"] = temp_dir
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(temp_dir) / 'bench.sqlite3'}"
        sys.path.insert(0, str(PROJECT_DIR / "src"))

        import django
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        django.setup()
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        call_command("migrate", verbosity=0, interactive=False)

        from django_scopes import scope

        from knotenpunkt.core import demo as core_demo
        from knotenpunkt.core.models import Area, LocalAuthority
        from knotenpunkt.directory import demo_data
        from knotenpunkt.directory.booklet import rendering, selection
        from knotenpunkt.partners import demo_data as partners_demo

        def build(tenant: LocalAuthority) -> None:
            # The partner register and the directory only: the other apps' demo data does not
            # change the booklet and would only make the set-up slower.
            with scope(local_authority=tenant):
                partners_demo.build_demo(tenant)
                demo_data.build_demo(tenant)

        started = time.perf_counter()
        core_demo.build_demo_data = build  # type: ignore[assignment]
        core_demo.load_demo()
        setup_seconds = time.perf_counter() - started
        tenant = LocalAuthority.objects.get(slug=core_demo.ALTMARK_SLUG)

        timings: dict[str, list[float]] = {
            "data": [],
            "html": [],
            "pdf": [],
            "total": [],
            "cpu": [],
        }
        pages = offers = queries = size = 0
        with scope(local_authority=tenant):
            area = Area.objects.get(name=args.area)
            for _run in range(args.repeat):
                begin = time.perf_counter()
                cpu_begin = time.process_time()
                with CaptureQueriesContext(connection) as captured:
                    booklet = selection.booklet_for(
                        tenant, area=area, life_phase=None, language=args.language, edition="2026/1"
                    )
                queries = len(captured.captured_queries)
                after_data = time.perf_counter()
                cpu_data = time.process_time() - cpu_begin
                rendering.booklet_html(booklet)
                after_html = time.perf_counter()
                cpu_pdf = time.process_time()
                rendered = rendering.booklet_pdf(booklet)
                end = time.perf_counter()
                timings["cpu"].append(cpu_data + time.process_time() - cpu_pdf)
                timings["data"].append(after_data - begin)
                timings["html"].append(after_html - after_data)
                # booklet_pdf builds the HTML again; the PDF step is the rest.
                timings["pdf"].append(end - after_html - (after_html - after_data))
                timings["total"].append((after_data - begin) + (end - after_html))
                pages, offers, size = rendered.page_count, booklet.offer_count, len(rendered.pdf)
            if args.pdf:
                args.pdf.write_bytes(rendered.pdf)

    print(f"Printed guide for {args.area!r} in {args.language!r}, median of {args.repeat} runs")
    print(f"{'step':<34}{'seconds':>10}")
    print(f"{'set-up: demo (not timed below)':<34}{setup_seconds:>10.2f}")
    rows = [
        ("offers into plain data", "data"),
        ("HTML with QR codes", "html"),
        ("layout and PDF (WeasyPrint)", "pdf"),
        ("edition in total", "total"),
        ("edition in total, CPU seconds", "cpu"),
    ]
    for label, key in rows:
        print(f"{label:<34}{statistics.median(timings[key]):>10.2f}")
    print(f"{'offers':<34}{offers:>10}")
    print(f"{'pages (A5)':<34}{pages:>10}")
    print(f"{'queries to read the offers':<34}{queries:>10}")
    print(f"{'PDF size (KiB)':<34}{size / 1024:>10.0f}")
    total = statistics.median(timings["total"])
    cpu = statistics.median(timings["cpu"])
    print(
        f"RESULT booklet_seconds={total:.2f} booklet_cpu_seconds={cpu:.2f} pages={pages} "
        f"offers={offers} target_seconds=10"
    )
    return 0 if total <= 10 else 1


if __name__ == "__main__":
    raise SystemExit(main())
