"""Synthetic directories: the default topics and 250 offers for every synthetic tenant.

The national scale (400 tenants) thus has 100,000 offers, the figure the directory's benchmarks
are stated for. Each offer is made from one of the demo's offers (``data/demo_offers.csv``): its
description, topics, ages, life phases, costs, languages and opening hours, renamed after the
place it is at. Each has one location with an address, one offer-at-location, a phone, its
opening hours, a catchment area and, for some, an English translation and a price. How long ago
offers were verified is spread so that fresh, due, overdue and hidden offers all occur.

Runs after the partner register (100), the structure (200) and the contacts (300). The topics go
in with ``bulk_create``; the offers and everything hanging off them, about 1.4 million rows at the
national scale, as plain ``INSERT``\\ s with ``executemany`` (:class:`_Table`) into ids reserved
beforehand (:func:`reserve_ids`), in batches of tenants, because model instances would cost
minutes. The number of queries grows with the number of batches, never with the number of rows.
"""

from __future__ import annotations

import datetime
import random
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any, cast

from django.db import connection
from django.db.models import DateTimeField, DecimalField, Field, Model, TimeField, UUIDField
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone

from knotenpunkt.core.models import Area, LifePhase, LocalAuthority
from knotenpunkt.core.synthetic import BATCH_SIZE, GenerationContext, generator_step
from knotenpunkt.directory.demo_data import (
    LANGUAGE_NAMES,
    STATE,
    ScheduleSpec,
    offer_rows,
    parse_schedule,
    phases_for_ages,
    translation_rows,
)
from knotenpunkt.directory.models import (
    Address,
    CostOption,
    DirectorySettings,
    Language,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceTranslation,
    Taxonomy,
    TaxonomyTerm,
    TaxonomyTermTranslation,
)
from knotenpunkt.directory.tenant_defaults import default_topics, new_term, new_topic_taxonomy
from knotenpunkt.partners.models import Affiliation, Organisation

#: Offers per synthetic tenant: 400 tenants at the national scale give 100,000.
SERVICES_PER_TENANT = 250
#: Tenants written per batch: bounds the memory the national scale needs.
TENANTS_PER_BATCH = 20
#: (German label, English label, key of the demo offer it is modelled on).
TEMPLATES: tuple[tuple[str, str, str], ...] = (
    ("Stillcafé", "Breastfeeding café", "hs-stillcafe"),
    ("Stillgruppe", "Breastfeeding group", "hg-stillgruppe"),
    ("Hebammensprechstunde", "Midwife consultation", "hs-sprechstunde"),
    ("Familienhebamme", "Family midwife", "hs-familienhebamme"),
    ("Geburtsvorbereitungskurs", "Antenatal class", "hs-geburtsvorbereitung"),
    ("Rückbildungskurs mit Baby", "Postnatal class with baby", "hs-rueckbildung"),
    ("Schwangerschaftsberatung", "Pregnancy counselling", "sbs-beratung"),
    ("Krabbelgruppe", "Baby and toddler group", "fzs-krabbelgruppe"),
    ("Eltern-Kind-Gruppe", "Parent-and-child group", "fzg-zwergentreff"),
    ("PEKiP-Kurs", "PEKiP course", "fzs-pekip"),
    ("Babymassage", "Baby massage", "fzs-babymassage"),
    ("Elterncafé", "Parents' café", "fzs-elterncafe"),
    ("Familiencafé", "Family café", "fzg-familiencafe"),
    ("Elternkurs „Starke Eltern – starke Kinder®“", "Parenting course", "fzs-starke-eltern"),
    ("Erziehungs- und Familienberatung", "Parenting and family counselling", "eb-beratung"),
    ("Schreibaby-Sprechstunde", "Consultation for crying babies", "eb-schreibaby"),
    ("Beratung bei Trennung und Scheidung", "Separation counselling", "eb-trennung"),
    ("Frühförderung", "Early intervention", "ff-fruehfoerderung"),
    ("Kinderärztliche Sprechstunde", "Paediatric consultation", "ka-markt"),
    ("Kita: Anmeldung und Elternsprechstunde", "Day care: enrolment", "kita-pusteblume"),
    ("Vorschulgruppe", "Preschool group", "kita-pusteblume-vorschule"),
    ("Schulsozialarbeit", "School social work", "gs-gl-ssa"),
    ("Hausaufgabenhilfe", "Homework help", "mgh-hausaufgaben"),
    ("Lesepaten", "Reading buddies", "gs-gl-lesepaten"),
    ("Beratung für Alleinerziehende", "Advice for single parents", "jc-alleinerziehende"),
    ("Bildung und Teilhabe: Beratung", "Education and participation", "jc-but"),
    ("Jugendberufsagentur", "Youth employment agency", "jba-beratung"),
    ("Schuldnerberatung", "Debt advice", "di-schuldnerberatung"),
    ("Suchtberatung", "Addiction counselling", "ca-suchtberatung"),
    ("Migrationsberatung", "Migration counselling", "mb-mbe"),
    ("Sprachcafé", "Language café", "fzs-sprachcafe"),
    ("Jugendclub", "Youth club", "kjr-gardelegen"),
    ("Ferienspiele", "Holiday play scheme", "fzs-ferienspiele"),
    ("Eltern-Kind-Turnen", "Parent-and-child gym", "ksb-turnen-sw"),
    ("Babyschwimmen", "Baby swimming", "ksb-babyschwimmen"),
    ("Elternabend Medien", "Parents' evening on media", "fzg-medien"),
    ("Familienpatenschaften", "Family mentoring", "eh-familienpaten"),
    ("Begleiteter Umgang", "Supervised contact", "awo-umgang"),
    ("Beratung bei häuslicher Gewalt", "Domestic violence counselling", "fh-interventionsstelle"),
    ("Familienentlastender Dienst", "Family relief service", "lh-fed"),
)
STREETS: tuple[str, ...] = (
    "Hauptstraße", "Schulstraße", "Bahnhofstraße", "Gartenstraße", "Dorfstraße", "Lindenstraße",
    "Kirchstraße", "Bergstraße", "Waldstraße", "Ringstraße", "Am Markt", "Mühlenweg",
    "Friedensstraße", "Goethestraße", "Schillerstraße", "Rosenweg", "Birkenweg", "Feldstraße",
)  # fmt: skip
#: (stage, share, days since verification): fresh ~60 %, due or overdue ~20 %, hidden ~12 %,
#: the rest never verified (created at some point in the last two and a half years).
FRESHNESS_MIX: tuple[tuple[str, float, tuple[int, int]], ...] = (
    ("fresh", 0.60, (1, 178)),
    ("due or overdue", 0.20, (188, 268)),
    ("hidden", 0.12, (282, 720)),
    ("never", 0.08, (1, 900)),
)


@dataclass(frozen=True)
class Template:
    """What one demo offer lends to its synthetic copies, parsed once."""

    label: str
    label_en: str
    description: str
    description_en: str
    application_process: str
    fees_description: str
    topics: tuple[str, ...]
    phases: tuple[str, ...]  # empty: derived from the ages
    min_age: int | None
    max_age: int | None
    cost_type: str
    amount: Decimal | None
    cost_option: str
    languages: tuple[str, ...]
    schedule: tuple[ScheduleSpec, ...]


@cache
def templates() -> tuple[Template, ...]:
    """The offer templates, read from the demo's data files."""
    rows = {row["key"]: row for row in offer_rows()}
    english = {
        row["key"]: row["description"] for row in translation_rows() if row["language"] == "en"
    }
    result = []
    for label, label_en, key in TEMPLATES:
        row = rows[key]
        first_place = row["schedule"].split(";")[0]
        result.append(
            Template(
                label=label,
                label_en=label_en,
                description=row["description"],
                description_en=english.get(key, ""),
                application_process=row["application_process"],
                fees_description=row["fees_description"],
                topics=tuple(code for code in row["topics"].split("|") if code),
                phases=tuple(code for code in row["life_phases"].split("|") if code),
                min_age=int(row["min_age_months"]) if row["min_age_months"] else None,
                max_age=int(row["max_age_months"]) if row["max_age_months"] else None,
                cost_type=row["cost_type"],
                amount=Decimal(row["amount"]) if row["amount"] else None,
                cost_option=row["cost_option"],
                languages=tuple(code for code in row["languages"].split("|") if code),
                # At most two rows of opening hours: enough to be realistic, cheap to write.
                schedule=tuple(parse_schedule(first_place)[:2]) if first_place else (),
            )
        )
    return tuple(result)


@dataclass(frozen=True)
class _Org:
    pk: int
    tenant_id: int
    area_id: int | None
    postcode: str
    email: str


@generator_step(order=400)
def create_directories(ctx: GenerationContext) -> None:
    """Settings, topics and ``SERVICES_PER_TENANT`` offers for every tenant."""
    now = timezone.now()
    phases = list(LifePhase.objects.order_by("position"))
    topic_ids = _create_topics(ctx, phases)
    orgs: defaultdict[int, list[_Org]] = defaultdict(list)
    tenant_ids = [tenant.pk for tenant in ctx.tenants]
    for pk, tenant_id, area_id, postcode, email in (
        Organisation.objects.filter(local_authority_id__in=tenant_ids)
        .order_by("pk")
        .values_list("pk", "local_authority_id", "area_id", "postcode", "email")
    ):
        orgs[tenant_id].append(_Org(pk, tenant_id, area_id, postcode, email))
    people: dict[int, int] = {}
    for org_id, person_id in (
        Affiliation.objects.filter(local_authority_id__in=tenant_ids)
        .order_by("pk")
        .values_list("organisation_id", "person_id")
    ):
        people.setdefault(org_id, person_id)
    areas_of: defaultdict[int, list[Area]] = defaultdict(list)
    for area in ctx.areas:
        areas_of[area.local_authority_id].append(area)
    for start in range(0, len(ctx.tenants), TENANTS_PER_BATCH):
        batch = ctx.tenants[start : start + TENANTS_PER_BATCH]
        _create_services(ctx, batch, orgs, people, areas_of, topic_ids, phases, now)


def _create_topics(
    ctx: GenerationContext, phases: Sequence[LifePhase]
) -> dict[int, dict[str, int]]:
    """Directory settings and the default topic taxonomy of every tenant.

    Returns the term ids by tenant id and code. Parents are written before children, so that no
    term needs a second write for its parent.
    """
    DirectorySettings.objects.bulk_create(
        (DirectorySettings(local_authority=tenant) for tenant in ctx.tenants),
        batch_size=BATCH_SIZE,
    )
    taxonomies = [new_topic_taxonomy(tenant) for tenant in ctx.tenants]
    Taxonomy.objects.bulk_create(taxonomies, batch_size=BATCH_SIZE)
    specs = default_topics()
    ids: dict[int, dict[str, int]] = {tenant.pk: {} for tenant in ctx.tenants}
    terms: list[tuple[TaxonomyTerm, int]] = []  # with the index of its spec
    for level in (False, True):
        created = []
        for taxonomy in taxonomies:
            for index, spec in enumerate(specs):
                if bool(spec.parent_code) != level:
                    continue
                term = new_term(taxonomy, spec)
                if spec.parent_code:
                    term.parent_id = ids[taxonomy.local_authority_id][spec.parent_code]
                created.append((term, index))
        TaxonomyTerm.objects.bulk_create([term for term, _ in created], batch_size=BATCH_SIZE)
        for term, index in created:
            ids[term.local_authority_id][specs[index].code] = term.pk
        terms.extend(created)
    phase_ids = {phase.code: phase.pk for phase in phases}
    through = TaxonomyTerm.life_phases.through
    through.objects.bulk_create(
        (
            through(taxonomyterm_id=term.pk, lifephase_id=phase_ids[code])
            for term, index in terms
            for code in specs[index].life_phases
        ),
        batch_size=BATCH_SIZE,
    )
    TaxonomyTermTranslation.objects.bulk_create(
        (
            TaxonomyTermTranslation(
                local_authority_id=term.local_authority_id,
                term_id=term.pk,
                language="en",
                name=specs[index].name_en,
                description=specs[index].description_en,
            )
            for term, index in terms
        ),
        batch_size=BATCH_SIZE,
    )
    ctx.counts["directory_settings"] += len(ctx.tenants)
    ctx.counts["taxonomies"] += len(taxonomies)
    ctx.counts["taxonomy_terms"] += len(terms)
    return ids


def _verified(rng: random.Random, now: datetime.datetime) -> tuple[datetime.datetime | None, int]:
    """(last verified or None, days since creation), drawn from ``FRESHNESS_MIX``."""
    roll = rng.random()
    for stage, share, (low, high) in FRESHNESS_MIX:
        if roll < share or stage == "never":
            days = rng.randint(low, high)
            if stage == "never":
                return None, days
            return now - datetime.timedelta(days=days), days + rng.randint(30, 1500)
        roll -= share
    return None, 1  # pragma: no cover (the last stage always matches)


# --- Fast inserts ---------------------------------------------------------------------------------


class _Table:
    """Plain ``INSERT``\\ s of many rows into one model's table, without model instances.

    ``bulk_create`` spends about a millisecond per offer building and preparing model instances;
    a million rows would take minutes. Rows here are tuples of the ``given`` fields' values in
    that order; every other column gets its default, evaluated once (a fresh ``uuid4`` per row
    for UUID fields). Values are adapted to the database as Django would (datetimes, times,
    decimals, UUIDs), and ``executemany`` sends them in chunks: one query per chunk.
    """

    CHUNK = 20_000

    def __init__(self, model: type[Model], given: Sequence[str]) -> None:
        self.model = model
        fields = [cast("Field[Any, Any]", model._meta.get_field(name)) for name in given]
        given_set = {field.attname for field in fields}
        others = [
            field
            for field in model._meta.concrete_fields
            if field.attname not in given_set and not isinstance(field, AutoFieldMixin)
        ]
        self.uuid_count = sum(isinstance(field, UUIDField) for field in others)
        others.sort(key=lambda field: not isinstance(field, UUIDField))  # UUIDs first
        self.constants = tuple(
            field.get_db_prep_save(field.get_default(), connection)
            for field in others[self.uuid_count :]
        )
        columns = [field.column for field in (*fields, *others)]
        quote = connection.ops.quote_name
        # Names from the model's own metadata, quoted; the values go as parameters.
        table = quote(model._meta.db_table)
        names = ", ".join(quote(column) for column in columns)
        marks = ", ".join(["%s"] * len(columns))
        self.sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
        self.adapters: list[tuple[int, Callable[[Any], Any]]] = []
        for index, field in enumerate(fields):
            adapter = _adapter(field)
            if adapter is not None:
                self.adapters.append((index, adapter))
        self.rows: list[tuple[Any, ...]] = []

    def add(self, *values: Any) -> None:
        self.rows.append(values)

    def flush(self) -> int:
        """Writes the rows added so far; returns how many."""
        native = connection.features.has_native_uuid_field
        adapters = self.adapters
        tail = self.constants
        params = []
        for row in self.rows:
            values = list(row)
            for index, adapt in adapters:
                if values[index] is not None:
                    values[index] = adapt(values[index])
            for _ in range(self.uuid_count):
                fresh = uuid.uuid4()
                values.append(fresh if native else fresh.hex)
            params.append((*values, *tail))
        with connection.cursor() as cursor:
            for start in range(0, len(params), self.CHUNK):
                cursor.executemany(self.sql, params[start : start + self.CHUNK])
        written = len(self.rows)
        self.rows = []
        return written


def _adapter(field: Field[Any, Any]) -> Callable[[Any], Any] | None:
    """How a value of ``field`` goes to the database, where it is more than the value itself."""
    ops = connection.ops
    if isinstance(field, DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, TimeField):
        return ops.adapt_timefield_value
    if isinstance(field, DecimalField):
        digits, places = field.max_digits, field.decimal_places
        return lambda value: ops.adapt_decimalfield_value(value, digits, places)
    if isinstance(field, UUIDField):
        return lambda value: field.get_db_prep_value(value, connection)
    return None


def reserve_ids(model: type[Model], count: int) -> list[int]:
    """``count`` primary keys for ``model`` that no other row has or will get.

    On PostgreSQL they come from the table's sequence; on SQLite, whose writers are serialised
    (the generator runs in one transaction), they follow the highest id ever handed out.
    """
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, model._meta.pk.column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        highest = cursor.fetchone()[0]
        if connection.vendor == "sqlite":
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            sequence = cursor.fetchone()
            highest = max(highest, sequence[0] if sequence else 0)
    return list(range(highest + 1, highest + 1 + count))


# --- Offers -------------------------------------------------------------------------------------


def _create_services(
    ctx: GenerationContext,
    tenants: Sequence[LocalAuthority],
    orgs: dict[int, list[_Org]],
    people: dict[int, int],
    areas_of: dict[int, list[Area]],
    topic_ids: dict[int, dict[str, int]],
    phases: Sequence[LifePhase],
    now: datetime.datetime,
) -> None:
    """The offers of a batch of tenants with everything that hangs off them."""
    rng = ctx.rng
    kinds = templates()
    phase_ids = {phase.code: phase.pk for phase in phases}
    derived = {
        index: [phase.pk for phase in phases_for_ages(phases, template.min_age, template.max_age)]
        for index, template in enumerate(kinds)
    }
    planned = []
    for tenant in tenants:
        providers = orgs.get(tenant.pk)
        if not providers:
            continue
        areas = areas_of[tenant.pk]
        by_id = {area.pk: area for area in areas}
        root = next(area for area in areas if area.parent_id is None)
        parents = {area.parent_id for area in areas}
        leaves = [area for area in areas if area.pk not in parents] or areas
        for _ in range(SERVICES_PER_TENANT):
            org = rng.choice(providers)
            index = rng.randrange(len(kinds))
            # Most offers are where their provider is; some are outreach in other places.
            home = by_id.get(org.area_id) if org.area_id else None
            place = home if home is not None and rng.random() < 0.85 else rng.choice(leaves)
            parent = by_id.get(place.parent_id) if place.parent_id else None
            catchment = root if parent is None or rng.random() < 0.2 else parent
            planned.append((tenant.pk, org, index, place, catchment))
    service_ids = reserve_ids(Service, len(planned))
    location_ids = reserve_ids(Location, len(planned))
    tables = _tables()
    for number, ((tenant_id, org, index, place, catchment), service_id, location_id) in enumerate(
        zip(planned, service_ids, location_ids, strict=True)
    ):
        template = kinds[index]
        name = f"{template.label} {place.name}"
        verified, age_days = _verified(rng, now)
        created = now - datetime.timedelta(days=age_days)
        tables["service"].add(
            service_id,
            tenant_id,
            org.pk,
            name,
            template.description,
            template.application_process,
            template.fees_description,
            org.email,
            template.min_age,
            template.max_age,
            template.cost_type,
            verified,
            people.get(org.pk) if rng.random() < 0.7 else None,
            created,
            verified or created,
        )
        lat = lon = None
        if place.latitude is not None and place.longitude is not None:
            lat = round(place.latitude + rng.uniform(-0.008, 0.008), 5)
            lon = round(place.longitude + rng.uniform(-0.012, 0.012), 5)
        tables["location"].add(
            location_id, tenant_id, org.pk, name, lat, lon, place.pk, rng.random() < 0.4
        )
        tables["service_at_location"].add(tenant_id, service_id, location_id)
        tables["address"].add(
            tenant_id,
            location_id,
            f"{rng.choice(STREETS)} {rng.randint(1, 60)}",
            place.name,
            STATE,
            org.postcode
            if org.postcode and place.pk == org.area_id
            else f"{rng.randint(1067, 99998):05d}",
        )
        tables["phone"].add(tenant_id, service_id, f"+49 30 23125 {number % 1000:03d}", "voice")
        for spec in template.schedule:
            tables["schedule"].add(
                tenant_id,
                service_id,
                spec.freq,
                spec.byday,
                spec.opens_at,
                spec.closes_at,
                spec.description,
            )
        for code in ("de", *template.languages[: rng.randint(0, 2)]):
            tables["language"].add(tenant_id, service_id, code, LANGUAGE_NAMES.get(code, code))
        if template.amount is not None:
            tables["cost_option"].add(
                tenant_id, service_id, template.cost_option, "EUR", template.amount
            )
        tables["service_area"].add(tenant_id, service_id, catchment.pk, catchment.name)
        if template.description_en and rng.random() < 0.25:
            tables["translation"].add(
                tenant_id,
                service_id,
                "en",
                f"{template.label_en} {place.name}",
                template.description_en,
            )
        codes = topic_ids[tenant_id]
        for code in template.topics[:3]:
            tables["topics"].add(service_id, codes[code])
        for phase_id in [phase_ids[code] for code in template.phases] or derived[index]:
            tables["life_phases"].add(service_id, phase_id)
    # Parents before children: the foreign keys are checked row by row on PostgreSQL.
    written = {name: table.flush() for name, table in tables.items()}
    ctx.counts["services"] += written.pop("service")
    ctx.counts["locations"] += written.pop("location")
    ctx.counts["service_rows"] += sum(written.values())


def _tables() -> dict[str, _Table]:
    """The tables one batch writes to, in the order they must be written."""
    return {
        "service": _Table(
            Service,
            (
                "id",
                "local_authority",
                "organisation",
                "name",
                "description",
                "application_process",
                "fees_description",
                "email",
                "min_age_months",
                "max_age_months",
                "cost_type",
                "last_verified_at",
                "responsible",
                "created_at",
                "updated_at",
            ),
        ),
        "location": _Table(
            Location,
            (
                "id",
                "local_authority",
                "organisation",
                "name",
                "latitude",
                "longitude",
                "area",
                "barrier_free",
            ),
        ),
        "service_at_location": _Table(
            ServiceAtLocation, ("local_authority", "service", "location")
        ),
        "address": _Table(
            Address,
            ("local_authority", "location", "address_1", "city", "state_province", "postal_code"),
        ),
        "phone": _Table(Phone, ("local_authority", "service", "number", "type")),
        "schedule": _Table(
            Schedule,
            (
                "local_authority",
                "service",
                "freq",
                "byday",
                "opens_at",
                "closes_at",
                "description",
            ),
        ),
        "language": _Table(Language, ("local_authority", "service", "code", "name")),
        "cost_option": _Table(
            CostOption, ("local_authority", "service", "option", "currency", "amount")
        ),
        "service_area": _Table(ServiceArea, ("local_authority", "service", "area", "name")),
        "translation": _Table(
            ServiceTranslation, ("local_authority", "service", "language", "name", "description")
        ),
        "topics": _Table(Service.topics.through, ("service", "taxonomyterm")),
        "life_phases": _Table(Service.life_phases.through, ("service", "lifephase")),
    }
