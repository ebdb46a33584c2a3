"""Benchmark of the partner import (and the partner list page) on a fresh SQLite database.

Run from the project root::

    .venv/bin/python bench/partners.py [--existing 10000] [--rows 10000] [--seed 1]

Creates ``--existing`` organisations with one person each, builds a sheet of ``--rows`` rows
(about 30 % matching existing records, some repeated and some invalid rows), and times reading,
mapping and preview, then the apply; reports peak memory (the
process's maximum resident size, from getrusage), the list page's median server time when
the partners app has
one, and the blocked matching against a naive all-against-all baseline.

Prints a table and ends with a single ``RESULT ...`` line for scripts. Targets (issue 3): preview
≤ 15 s, apply ≤ 10 s, peak memory ≤ 500 MB, partner list ≤ 150 ms at the median.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent

FIRST = [
    "Anna",
    "Jürgen",
    "Käthe",
    "Björn",
    "Sabine",
    "Petra",
    "Ayşe",
    "Lukas",
    "Marie",
    "Jonas",
    "Fatma",
    "Uwe",
    "Heike",
    "Sven",
    "Lea",
    "Tobias",
    "Emine",
    "Karin",
    "Olaf",
    "Nina",
]
LAST = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Schäfer",
    "Koch",
    "Bauer",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
    "Hofmann",
    "Hartmann",
    "Lange",
]
KINDS = [
    "Kita",
    "Praxis",
    "Beratungsstelle",
    "Familienzentrum",
    "Grundschule",
    "Jugendamt",
    "Hebammenpraxis",
    "Gesundheitsamt",
    "Jobcenter",
    "Schwangerschaftsberatung",
]
NAMES = [
    "Sonnenschein",
    "Regenbogen",
    "Löwenzahn",
    "Pusteblume",
    "Am Markt",
    "Waldwichtel",
    "Kunterbunt",
    "Zwergenland",
    "Abendstern",
    "Lindenhof",
    "Storchennest",
    "Arche",
]
TOWNS = [
    ("29410", "Salzwedel"),
    ("39638", "Gardelegen"),
    ("38486", "Klötze"),
    ("29413", "Dähre"),
    ("39624", "Kalbe"),
    ("06108", "Halle"),
]


def _organisation_name(rng: random.Random, index: int) -> str:
    return f"{rng.choice(KINDS)} {rng.choice(NAMES)} {index}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--existing", type=int, default=10_000)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--list-organisations", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    with tempfile.TemporaryDirectory(prefix="knotenpunkt-bench-") as temp_dir:
        os.environ["DJANGO_SETTINGS_MODULE"] = "knotenpunkt.config.settings"
        os.environ["DATA_DIR"] = temp_dir
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(temp_dir) / 'bench.sqlite3'}"
        sys.path.insert(0, str(PROJECT_DIR / "src"))

        import django
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connections

        django.setup()
        settings.IMPORTS_RUN_INLINE = True
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        call_command("migrate", verbosity=0, interactive=False)

        from django_scopes import scope
        from openpyxl import Workbook

        from knotenpunkt.core.models import LocalAuthority, Role, User
        from knotenpunkt.imports import services
        from knotenpunkt.imports.mapping import extract
        from knotenpunkt.imports.matching import OrganisationIndex, match_rows_naively, name_key
        from knotenpunkt.imports.models import ImportBatch
        from knotenpunkt.partners.models import Affiliation, Organisation, Person

        tenant = LocalAuthority.objects.create(slug="bench", name="Bench", kind="landkreis")
        user = User.objects.create_user("bench@example.org", "bench-password-1", full_name="B")
        Role.objects.create(local_authority=tenant, user=user, kind=Role.Kind.COORDINATOR)
        steps: list[tuple[str, float, int]] = []

        with scope(local_authority=tenant):
            started = time.perf_counter()
            existing = []
            for index in range(args.existing):
                postcode, town = rng.choice(TOWNS)
                existing.append(
                    Organisation(
                        local_authority=tenant,
                        name=_organisation_name(rng, index),
                        postcode=postcode,
                        city=town,
                        street=f"Hauptstraße {index % 90 + 1}",
                    )
                )
            Organisation.objects.bulk_create(existing, batch_size=1000)
            people = [
                Person(
                    local_authority=tenant,
                    first_name=rng.choice(FIRST),
                    last_name=f"{rng.choice(LAST)}{index}",
                    email=f"p{index}@example.org",
                )
                for index in range(args.existing)
            ]
            Person.objects.bulk_create(people, batch_size=1000)
            Affiliation.objects.bulk_create(
                [
                    Affiliation(local_authority=tenant, person=p, organisation=o)
                    for p, o in zip(people, existing, strict=True)
                ],
                batch_size=1000,
            )
            steps.append(
                ("set-up: existing records", time.perf_counter() - started, args.existing * 3)
            )

            # The sheet: ~30 % rows for existing people, ~3 % repeats, ~2 % invalid.
            workbook = Workbook(write_only=True)
            sheet = workbook.create_sheet("Partner")
            sheet.append(["Partnerliste Frühe Hilfen"])
            sheet.append(
                ["Träger", "Vorname", "Nachname", "Telefon", "E-Mail", "Straße", "PLZ", "Ort"]
            )
            written: list[list[object]] = []
            for index in range(args.rows):
                roll = rng.random()
                if roll < 0.30:
                    k = rng.randrange(args.existing)
                    org, person = existing[k], people[k]
                    row: list[object] = [
                        org.name,
                        person.first_name,
                        person.last_name,
                        "03901 840-100",
                        "" if roll < 0.15 else person.email,
                        org.street,
                        org.postcode,
                        org.city,
                    ]
                elif roll < 0.33 and written:
                    row = list(rng.choice(written))
                elif roll < 0.35:
                    row = [
                        f"Kita Neu {index}",
                        "Ida",
                        f"Ungültig{index}",
                        "12",
                        "kein-mail",
                        "",
                        "123",
                        "Salzwedel",
                    ]
                else:
                    postcode, town = rng.choice(TOWNS)
                    row = [
                        f"{rng.choice(KINDS)} Neugründung {index // 3}",
                        rng.choice(FIRST),
                        f"{rng.choice(LAST)}-Neu{index}",
                        f"03901 {100000 + index}",
                        f"neu{index}@example.org",
                        f"Neue Straße {index % 50 + 1}",
                        postcode,
                        town,
                    ]
                written.append(row)
                sheet.append(row)
            buffer = io.BytesIO()
            workbook.save(buffer)
            data = buffer.getvalue()

            started = time.perf_counter()
            batch = services.batch_upload(
                actor=user, local_authority=tenant, file_name="partner.xlsx", data=data
            )
            read_seconds = time.perf_counter() - started
            started = time.perf_counter()
            services.batch_preview(actor=user, batch=batch, mapping=batch.mapping)
            preview_seconds = time.perf_counter() - started
            batch.refresh_from_db()
            if batch.status != ImportBatch.Status.PREVIEWED:
                raise SystemExit(f"preview failed: {batch.error}")
            steps.append(("read + map (upload)", read_seconds, args.rows))
            steps.append(("preview (match, store rows)", preview_seconds, args.rows))
            started = time.perf_counter()
            services.batch_apply(actor=user, batch=batch)
            apply_seconds = time.perf_counter() - started
            batch.refresh_from_db()
            if batch.status != ImportBatch.Status.APPLIED:
                raise SystemExit(f"apply failed: {batch.error}")
            steps.append(("apply", apply_seconds, batch.counts.get("rows_applied", 0)))
            maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

            # Blocked matching against the naive baseline, on 1,000 rows.
            sample = [
                extract(row, batch.mapping)
                for row in batch.rows.order_by("number").values_list("values", flat=True)[:0]
            ] or []
            from knotenpunkt.imports.mapping import Record

            sample = [
                Record(values={"organisation": str(r[0]), "postcode": str(r[6])})
                for r in written[:1000]
            ]
            from knotenpunkt.imports.services import existing_records

            organisations, _persons, _labels = existing_records()
            started = time.perf_counter()
            index = OrganisationIndex(organisations)
            for record in sample:
                index.find(record.values, use_email=False)
            blocked_seconds = time.perf_counter() - started
            started = time.perf_counter()
            match_rows_naively(sample, organisations)
            naive_seconds = time.perf_counter() - started
            del name_key

        # The list page on a tenant of its own with exactly --list-organisations organisations.
        list_tenant = LocalAuthority.objects.create(
            slug="bench-list", name="List", kind="landkreis"
        )
        Role.objects.create(local_authority=list_tenant, user=user, kind=Role.Kind.COORDINATOR)
        with scope(local_authority=list_tenant):
            Organisation.objects.bulk_create(
                [
                    Organisation(
                        local_authority=list_tenant,
                        name=_organisation_name(rng, i),
                        postcode=rng.choice(TOWNS)[0],
                        city="Salzwedel",
                    )
                    for i in range(args.list_organisations)
                ],
                batch_size=1000,
            )
        tenant = list_tenant
        list_median_ms: float | None = None
        list_note = "not measured (no partners:organisation_list view)"
        try:
            from django.urls import reverse

            url = reverse("partners:organisation_list", kwargs={"tenant": tenant.slug})
        except Exception:
            url = ""
        if url:
            from django.test import Client

            client = Client()
            client.force_login(user)
            with scope(local_authority=tenant):
                total = Organisation.objects.count()
            timings = []
            for _ in range(15):
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            list_median_ms = statistics.median(timings[3:])
            list_note = f"status {response.status_code}, {total:,} organisations in the tenant"
        connections.close_all()

    print(
        f"Partner import: {args.existing:,} existing organisations and people, "
        f"{args.rows:,}-row sheet (SQLite, fresh database)"
    )
    print()
    print(f"{'step':<32} {'seconds':>9} {'rows':>10} {'rows/s':>10}")
    print(f"{'-' * 32} {'-' * 9} {'-' * 10} {'-' * 10}")
    for name, seconds, rows in steps:
        rate = rows / seconds if seconds else 0
        print(f"{name:<32} {seconds:>9.2f} {rows:>10,} {rate:>10,.0f}")
    print()
    counts = batch.counts
    print(
        f"preview: {counts.get('new', 0)} new, {counts.get('match', 0)} matches, "
        f"{counts.get('duplicate', 0)} repeated, {counts.get('invalid', 0)} invalid"
    )
    print(
        f"preview incl. reading: {read_seconds + preview_seconds:.2f} s (target ≤ 15 s); "
        f"apply: {apply_seconds:.2f} s (target ≤ 10 s)"
    )
    print(f"peak memory (process max RSS, whole run): {maxrss_mb:.0f} MB (target ≤ 500 MB)")
    ratio = naive_seconds / blocked_seconds if blocked_seconds else 0
    print(
        f"organisation matching, 1,000 rows: blocked {blocked_seconds:.3f} s, "
        f"naive {naive_seconds:.3f} s ({ratio:.0f}× faster)"
    )
    if list_median_ms is not None:
        print(f"partner list page: median {list_median_ms:.1f} ms ({list_note})")
    else:
        print(f"partner list page: {list_note}")
    print()
    print(
        f"RESULT rows={args.rows} existing={args.existing} "
        f"preview_seconds={read_seconds + preview_seconds:.2f} apply_seconds={apply_seconds:.2f} "
        f"max_rss_mb={maxrss_mb:.0f} "
        f"matches={counts.get('match', 0)} duplicates={counts.get('duplicate', 0)} "
        f"invalid={counts.get('invalid', 0)} naive_speedup={ratio:.1f} "
        f"list_median_ms={f'{list_median_ms:.1f}' if list_median_ms is not None else 'n/a'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
