"""Benchmark of the HSDS exports: the tabular data package and a page of the JSON export.

Run from the project root::

    .venv/bin/python bench/directory.py [--scale county|state|national] [--seed 1]

Builds one tenant on a fresh SQLite database whose directory has as many offers as the scale
says (county 250, state 10,000, national 100,000 — the national figure of issue 5 in a single
export, the hardest case), each offer with a location, an address, phones, opening hours,
languages, a catchment area, topics and life phases, some with translations, prices, contacts
and documents; about 5 % of the locations are confidential. The data is written with
``bulk_create`` (the synthetic generator spreads its 100,000 offers over 400 tenants, 250 each,
and a per-tenant export of 250 offers would not test the figure).

Then, each in a fresh child process so that its memory is its own:

- the tabular export (all offers, DE profile columns) into a zip file: wall-clock and CPU
  seconds, and peak memory as the maximum resident set size of that process (getrusage
  ``ru_maxrss``: Django and every app included), with its growth during the export;
- the public subset of the same;
- the check of the package against the official ``datapackage.json``
  (:func:`knotenpunkt.directory.hsds.schemas.validate_datapackage` on the core view);
- the JSON export of a page (50 and 500 offers as ``service_full``, prefetched): median of 5.

Prints a table and ends with one ``RESULT ...`` line. Targets (issue 5): export of 100,000
offers ≤ 60 s with ≤ 1 GB peak memory.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parent.parent
SCALES = {"county": 250, "state": 10_000, "national": 100_000}
BATCH = 2000


def _setup(database: Path, data_dir: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "knotenpunkt.config.settings"
    os.environ["DATA_DIR"] = str(data_dir)
    # --database-url (an empty PostgreSQL database) wins over the fresh SQLite file.
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{database}"
    sys.path.insert(0, str(PROJECT_DIR / "src"))
    import django

    django.setup()


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(services: int, seed: int) -> dict[str, int]:
    """Writes the bench tenant's directory; returns the number of rows per table."""
    import datetime
    from decimal import Decimal

    from django.utils import timezone
    from django_scopes import scopes_disabled

    from knotenpunkt.core.models import Area, LifePhase, LocalAuthority
    from knotenpunkt.directory.models import (
        Accessibility,
        Address,
        CostOption,
        DirectoryContact,
        DirectorySettings,
        Funding,
        Language,
        Location,
        OrganizationIdentifier,
        Phone,
        Program,
        RequiredDocument,
        Schedule,
        Service,
        ServiceArea,
        ServiceAtLocation,
        ServiceTranslation,
        Taxonomy,
        TaxonomyTerm,
    )
    from knotenpunkt.directory.synthetic import templates
    from knotenpunkt.partners.models import Organisation

    rng = random.Random(seed)
    now = timezone.now()
    counts: dict[str, int] = {}
    kinds = templates()

    def save(objects: list[Any]) -> list[Any]:
        if objects:
            type(objects[0]).objects.bulk_create(objects, batch_size=BATCH)
            name = type(objects[0]).__name__
            counts[name] = counts.get(name, 0) + len(objects)
        return objects

    with scopes_disabled():
        tenant = LocalAuthority.objects.create(slug="bench", name="Bench", kind="landkreis")
        DirectorySettings.objects.create(local_authority=tenant)
        county = Area.objects.create(
            local_authority=tenant, name="Kreis", kind="county", official_key="15081"
        )
        areas = save(
            [
                Area(
                    local_authority=tenant,
                    parent=county,
                    name=f"Gemeinde {i}",
                    kind="municipality",
                    official_key=f"15081{i:03d}",
                    latitude=52 + i / 100,
                    longitude=11 + i / 100,
                )
                for i in range(60)
            ]
        )
        topics = Taxonomy.objects.create(
            local_authority=tenant, name="Themen", description="Themen", is_topics=True
        )
        terms = save(
            [
                TaxonomyTerm(
                    local_authority=tenant,
                    taxonomy=topics,
                    code=f"t{i}",
                    name=f"Thema {i}",
                    position=i,
                )
                for i in range(40)
            ]
        )
        phases = list(LifePhase.objects.all())

        organisations = save(
            [
                Organisation(
                    local_authority=tenant,
                    name=f"Träger {i}",
                    description="Ein Träger der Frühen Hilfen",
                    email=f"info{i}@example.org",
                    website=f"https://traeger{i}.example.org",
                )
                for i in range(max(5, services // 50))
            ]
        )
        programs = save(
            [
                Program(local_authority=tenant, organisation=org, name="Frühe Hilfen")
                for org in organisations[::2]
            ]
        )
        program_of = {p.organisation_id: p for p in programs}
        save(
            [
                OrganizationIdentifier(
                    local_authority=tenant,
                    organisation=org,
                    identifier_type="Vereinsregister",
                    identifier=f"VR {i}",
                )
                for i, org in enumerate(organisations[::3])
            ]
        )
        save(
            [
                Funding(local_authority=tenant, organisation=org, source="Landkreis")
                for org in organisations[::4]
            ]
        )
        locations = save(
            [
                Location(
                    local_authority=tenant,
                    organisation=organisations[i % len(organisations)],
                    name=f"Standort {i}",
                    latitude=52 + rng.random(),
                    longitude=11 + rng.random(),
                    area=rng.choice(areas),
                    confidential=rng.random() < 0.05,
                    barrier_free=rng.random() < 0.5,
                    transportation="Bus 100",
                )
                for i in range(max(5, services // 5))
            ]
        )
        save(
            [
                Address(
                    local_authority=tenant,
                    location=location,
                    address_1=f"Hauptstraße {i % 90 + 1}",
                    city="Salzwedel",
                    state_province="Sachsen-Anhalt",
                    postal_code="29410",
                )
                for i, location in enumerate(locations)
            ]
        )
        save(
            [
                Accessibility(local_authority=tenant, location=location, description="Rampe")
                for location in locations[::3]
            ]
        )
        save(
            [
                Phone(local_authority=tenant, location=location, number=f"03901 {i}")
                for i, location in enumerate(locations)
            ]
        )
        save(
            [
                Schedule(
                    local_authority=tenant,
                    location=location,
                    freq="WEEKLY",
                    byday="MO,TU,WE,TH,FR",
                    opens_at=datetime.time(8),
                    closes_at=datetime.time(16),
                )
                for location in locations
            ]
        )
        by_org: dict[int, list[Any]] = {}
        for location in locations:
            by_org.setdefault(location.organisation_id, []).append(location)

        for start in range(0, services, BATCH):
            chunk = []
            for i in range(start, min(services, start + BATCH)):
                kind = kinds[i % len(kinds)]
                org = organisations[i % len(organisations)]
                days = rng.randint(1, 400)
                chunk.append(
                    Service(
                        local_authority=tenant,
                        organisation=org,
                        program=program_of.get(org.pk),
                        name=f"{kind.label} {i}",
                        description=kind.description,
                        application_process=kind.application_process,
                        fees_description=kind.fees_description,
                        min_age_months=kind.min_age,
                        max_age_months=kind.max_age,
                        cost_type=kind.cost_type,
                        email=f"angebot{i}@example.org",
                        url=f"https://traeger.example.org/angebot/{i}",
                        visibility="professionals" if i % 25 == 0 else "public",
                        last_verified_at=now - datetime.timedelta(days=days),
                        created_at=now - datetime.timedelta(days=days + 30),
                        updated_at=now - datetime.timedelta(days=days),
                    )
                )
            save(chunk)
            sals = save(
                [
                    ServiceAtLocation(
                        local_authority=tenant,
                        service=s,
                        location=rng.choice(by_org.get(s.organisation_id) or locations),
                    )
                    for s in chunk
                ]
            )
            save(
                [
                    Schedule(
                        local_authority=tenant,
                        service_at_location=sal,
                        freq="WEEKLY",
                        byday=rng.choice(["MO", "TU", "WE", "TH", "FR"]),
                        opens_at=datetime.time(9),
                        closes_at=datetime.time(11, 30),
                    )
                    for sal in sals
                ]
            )
            phones = save(
                [Phone(local_authority=tenant, service=s, number=f"0170 {s.pk}") for s in chunk]
            )
            save(
                [
                    Language(local_authority=tenant, phone=p, code="ar", name="Arabisch")
                    for p in phones[::4]
                ]
            )
            save(
                [
                    Language(local_authority=tenant, service=s, code="de", name="Deutsch")
                    for s in chunk
                ]
            )
            save(
                [
                    ServiceArea(
                        local_authority=tenant, service=s, area=rng.choice(areas), name="Gemeinde"
                    )
                    for s in chunk
                ]
            )
            contacts = save(
                [
                    DirectoryContact(
                        local_authority=tenant, service=s, name="Beratung", email="b@example.org"
                    )
                    for s in chunk[::2]
                ]
            )
            save(
                [
                    Phone(local_authority=tenant, contact=c, number="03901 999")
                    for c in contacts[::2]
                ]
            )
            save(
                [
                    CostOption(
                        local_authority=tenant,
                        service=s,
                        amount=Decimal("12.50"),
                        currency="EUR",
                        option="Kurs",
                    )
                    for s in chunk[::3]
                ]
            )
            save(
                [
                    RequiredDocument(local_authority=tenant, service=s, document="Mutterpass")
                    for s in chunk[::5]
                ]
            )
            save(
                [
                    ServiceTranslation(
                        local_authority=tenant,
                        service=s,
                        language="en",
                        name=f"Offer {s.pk}",
                        description="An offer for families.",
                    )
                    for s in chunk[::3]
                ]
            )
            through_phases = Service.life_phases.through
            through_phases.objects.bulk_create(
                [
                    through_phases(service_id=s.pk, lifephase_id=phase.pk)
                    for s in chunk
                    for phase in rng.sample(phases, 2)
                ],
                batch_size=BATCH,
            )
            through_topics = Service.topics.through
            through_topics.objects.bulk_create(
                [
                    through_topics(service_id=s.pk, taxonomyterm_id=term.pk)
                    for s in chunk
                    for term in rng.sample(terms, 2)
                ],
                batch_size=BATCH,
            )
            counts["topic and life phase links"] = counts.get(
                "topic and life phase links", 0
            ) + 4 * len(chunk)
    return counts


def measure(database: Path, data_dir: Path, task: str, output: Path) -> dict[str, Any]:
    """One measurement in this (fresh) process; see the module's docstring."""
    _setup(database, data_dir)
    from django_scopes import scope

    from knotenpunkt.core.models import LocalAuthority
    from knotenpunkt.directory.hsds import schemas, serialize, tabular
    from knotenpunkt.directory.models import Service

    tenant = LocalAuthority.objects.get(slug="bench")
    with scope(local_authority=tenant):
        Service.objects.first()  # the connection and the app registry are warm
    result: dict[str, Any] = {}
    if task in {"export", "export-public"}:
        baseline = _maxrss_mb()
        started, cpu = time.perf_counter(), time.process_time()
        with output.open("wb") as out:
            size = tabular.export_datapackage(tenant, out, public=task == "export-public")
        result["seconds"] = time.perf_counter() - started
        result["cpu_seconds"] = time.process_time() - cpu
        result["growth_mb"] = _maxrss_mb() - baseline
        result["process_peak_mb"] = _maxrss_mb()
        result["bytes"] = size
        result["load"] = os.getloadavg()[0]
    elif task == "validate":
        import zipfile

        started, cpu = time.perf_counter(), time.process_time()
        with zipfile.ZipFile(output) as archive:
            files = {name: archive.read(name).decode("utf-8") for name in archive.namelist()}
        core = tabular.core_view(files)
        problems = schemas.validate_datapackage(core)
        result["seconds"] = time.perf_counter() - started
        result["cpu_seconds"] = time.process_time() - cpu
        result["problems"] = problems[:5]
        result["problem_count"] = len(problems)
        result["rows"] = sum(
            text.count("\n") - 1 for name, text in files.items() if name != "datapackage.json"
        )
        result["process_peak_mb"] = _maxrss_mb()
    elif task == "api-list":
        from django.test import Client

        client = Client(HTTP_HOST="localhost")
        term = _a_used_topic(tenant)
        base = "/api/hsds/bench/"
        queries = {
            "services, page 1": "services",
            "services, topic filter": f"services?taxonomy_term_id={term}",
            "services, page 20 of 100": "services?page=20&per_page=100",
            "service_at_locations, proximity": "service_at_locations?proximity=52.5,11.5,20000",
        }
        for label, query in queries.items():
            client.get(base + query)  # warm: the count cache and the connection
            timings = []
            for _ in range(21):
                started = time.perf_counter()
                response = client.get(base + query)
                timings.append(time.perf_counter() - started)
                if response.status_code != 200:
                    raise SystemExit(f"{query}: HTTP {response.status_code}")
            timings.sort()
            result[label] = {
                "median_ms": statistics.median(timings) * 1000,
                "p95_ms": timings[int(len(timings) * 0.95) - 1] * 1000,
            }
    elif task == "json-page":
        for size in (50, 500):
            timings = []
            for _ in range(5):
                started = time.perf_counter()
                with scope(local_authority=tenant):
                    page = serialize.prefetch_services(Service.objects.order_by("pk"))[:size]
                    text = json.dumps(
                        {"contents": [serialize.service_full(s, public=False) for s in page]}
                    )
                timings.append(time.perf_counter() - started)
            result[f"page_{size}_ms"] = statistics.median(timings) * 1000
            result[f"page_{size}_kb"] = len(text) / 1024
    return result


def _a_used_topic(tenant: Any) -> str:
    from django_scopes import scope

    from knotenpunkt.directory.models import Service

    with scope(local_authority=tenant):
        service = Service.objects.filter(topics__isnull=False).order_by("pk").first()
        term = service.topics.order_by("pk").first() if service else None
        if term is None:
            raise SystemExit("the bench data has no offer with a topic")
        return str(term.uuid)


def _child(database: Path, data_dir: Path, task: str, output: Path) -> dict[str, Any]:
    completed = subprocess.run(  # noqa: S603 - our own script with our own arguments
        [
            sys.executable,
            __file__,
            "--measure",
            task,
            "--database",
            str(database),
            "--data-dir",
            str(data_dir),
            "--output",
            str(output),
        ],
        check=False,
        capture_output=True,
        text=True,
    )
    if completed.returncode:
        raise SystemExit(f"{task} failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=list(SCALES), default="national")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--database-url",
        help="an EMPTY PostgreSQL database (postgres://…) instead of a fresh SQLite file",
    )
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        result = measure(Path(args.database), Path(args.data_dir), args.measure, Path(args.output))
        print(json.dumps(result))
        return 0

    services = SCALES[args.scale]
    if args.database_url:
        os.environ["BENCH_DATABASE_URL"] = args.database_url  # inherited by the child processes
    engine = "PostgreSQL" if args.database_url else "SQLite"
    with tempfile.TemporaryDirectory(prefix="knotenpunkt-bench-") as temp:
        temp_dir = Path(temp)
        database = temp_dir / "bench.sqlite3"
        _setup(database, temp_dir)
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0, interactive=False)
        started = time.perf_counter()
        counts = build(services, args.seed)
        build_seconds = time.perf_counter() - started
        connections.close_all()

        package = temp_dir / "directory.zip"
        export = _child(database, temp_dir, "export", package)
        validation = _child(database, temp_dir, "validate", package)
        public = _child(database, temp_dir, "export-public", temp_dir / "public.zip")
        page = _child(database, temp_dir, "json-page", temp_dir / "unused")
        api = _child(database, temp_dir, "api-list", temp_dir / "unused")

    print(
        f"HSDS exports of one tenant with {services:,} offers "
        f"({sum(counts.values()):,} rows, built in {build_seconds:.1f} s; {engine}, fresh database)"
    )
    print()
    print(f"{'step':<44} {'seconds':>9} {'CPU s':>7} {'peak MB':>8} {'MB out':>7}")
    print(f"{'-' * 44} {'-' * 9} {'-' * 7} {'-' * 8} {'-' * 7}")
    for label, run in (
        ("tabular export, all offers (zip)", export),
        ("tabular export, public subset (zip)", public),
    ):
        print(
            f"{label:<44} {run['seconds']:>9.2f} {run['cpu_seconds']:>7.2f} "
            f"{run['process_peak_mb']:>8.0f} {run['bytes'] / 2**20:>7.1f}"
        )
    label = f"validate_datapackage ({validation['rows']:,} rows)"
    print(f"{label:<44} {validation['seconds']:>9.2f} {validation['cpu_seconds']:>7.2f}")
    for size in (50, 500):
        label = f"JSON export, page of {size} service_full"
        print(
            f"{label:<44} {page[f'page_{size}_ms'] / 1000:>9.3f} {'':>7} {'':>8} "
            f"{page[f'page_{size}_kb'] / 1024:>7.1f}"
        )
    print()
    print(f"{'public HSDS API (server time per request)':<44} {'median ms':>9} {'p95 ms':>7}")
    for label, run in api.items():
        print(f"{label:<44} {run['median_ms']:>9.1f} {run['p95_ms']:>7.1f}")
    print()
    print(
        "peak MB: maximum resident set size of the export process (getrusage ru_maxrss), "
        "Django and all apps included; it grew by "
        f"{export['growth_mb']:.0f} MB during the export itself. CPU s: the process's own CPU "
        f"time. Load average during the export: {export['load']:.1f} "
        f"on {os.cpu_count()} CPUs (wall-clock times stretch on a busy machine)."
    )
    print(
        f"validation: {validation['problem_count']} problems"
        + (f" (first: {validation['problems'][0]})" if validation["problems"] else "")
    )
    print(
        "targets: export of 100,000 offers ≤ 60 s with ≤ 1,024 MB peak memory; "
        "API list ≤ 50 ms median on PostgreSQL"
    )
    api_median = max(run["median_ms"] for run in api.values())
    print()
    print(
        f"RESULT export_seconds={export['seconds']:.2f} "
        f"export_cpu_seconds={export['cpu_seconds']:.2f} "
        f"export_peak_mb={export['process_peak_mb']:.0f} "
        f"export_growth_mb={export['growth_mb']:.0f} services={services} "
        f"rows={validation['rows']} zip_mb={export['bytes'] / 2**20:.1f} "
        f"public_export_seconds={public['seconds']:.2f} "
        f"validate_seconds={validation['seconds']:.2f} "
        f"validate_problems={validation['problem_count']} "
        f"json_page50_ms={page['page_50_ms']:.0f} json_page500_ms={page['page_500_ms']:.0f} "
        f"api_list_median_ms_max={api_median:.1f} database={engine} "
        f"load={export['load']:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
