"""The demo's directory of offers: about 150 offers for families in the Altmark demo tenant.

The offers belong to the organisations of the demo's partner register (one register, not two);
a dozen providers that every county has but the register's demo lacks (pregnancy counselling of
the welfare associations, a women's shelter, a youth employment agency …) are added here the same
way the register's demo builds its own. The text of every offer lives in ``data/``:

* ``demo_organisations.csv`` – the providers added to the partner register;
* ``demo_locations.csv`` – where offers take place (name, place, street, step-free, confidential);
* ``demo_offers.csv`` – one row per offer; ``locations`` names rows of the file above, separated
  by ``|``; ``schedule`` reads ``MO,WE 09:00-12:00 + TH 14:00-18:00`` (weekly) or
  ``1TU 10:00-11:30`` (monthly: first Tuesday), with `` ; `` between the schedules of several
  locations; ``life_phases`` left empty means the life phases the age range covers;
* ``demo_translations.csv`` – English for about thirty offers, and Arabic, Ukrainian, Russian and
  Turkish for some.

Everything is invented, at real places: streets are common German street names; the phone
numbers of the offers and of the providers added here lie in the range the Bundesnetzagentur keeps
free for films and books (030 23125 000–999); e-mail addresses end in example.org. The only real
numbers are the national helpline for women (116 016) and the police emergency number.

How fresh the offers are is decided by a seeded random source, relative to the day the demo is
built: about 60 % verified within six months, about 20 % due or overdue (six to nine months),
about 12 % hidden (over nine months) and a few never verified. Some offers are always fresh, so
that the public journeys of the demo (an Arabic-speaking breastfeeding group near the villages)
always work. The demo partner (a family midwife) has proposed three changes that wait for the
coordinator, and the public has reported two errors.
"""

from __future__ import annotations

import csv
import datetime
import random
import zlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.utils import timezone

from knotenpunkt.core.models import Area, LifePhase, LocalAuthority, User
from knotenpunkt.directory import revisions
from knotenpunkt.directory.models import (
    Accessibility,
    Address,
    CostOption,
    DirectoryContact,
    DirectorySettings,
    ErrorReport,
    Language,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceRevision,
    ServiceTranslation,
    TaxonomyTerm,
)
from knotenpunkt.directory.search.index import search_index_rebuild
from knotenpunkt.partners.demo_data import (
    ALTMARK_SLUG,
    COORDINATOR_EMAILS,
    FIRST_NAMES,
    LAST_NAMES,
    PARTNER_EMAIL,
    POSTCODES,
)
from knotenpunkt.partners.models import (
    Affiliation,
    LocationSource,
    Organisation,
    Person,
    Profession,
    Sector,
)

DATA_DIR = Path(__file__).with_name("data")
SEED = 20240501
DOMAIN = "altmark-demo.example.org"
STATE = "Sachsen-Anhalt"
#: Postcodes of the places the register's demo does not list.
EXTRA_POSTCODES = {"Javenitz": "39638", "Rohrberg": "38489", "Wallstawe": "29413"}
#: German names of the languages offers are given in (HSDS ``language.name``).
LANGUAGE_NAMES = {
    "de": "Deutsch",
    "en": "Englisch",
    "ar": "Arabisch",
    "uk": "Ukrainisch",
    "ru": "Russisch",
    "tr": "Türkisch",
    "fa": "Persisch (Farsi)",
}
WEEKDAY_NAMES = {
    "MO": "Montag",
    "TU": "Dienstag",
    "WE": "Mittwoch",
    "TH": "Donnerstag",
    "FR": "Freitag",
    "SA": "Samstag",
    "SU": "Sonntag",
}
ORDINALS = {"1": "ersten", "2": "zweiten", "3": "dritten", "4": "vierten", "-1": "letzten"}
#: The freshness mix, as (stage, number of offers); the rest is fresh. Ranges of days since the
#: last verification keep clear of the month boundaries of :mod:`knotenpunkt.directory.freshness`
#: (6 months are at most 184 days, 7 months 212 to 215, 9 months 273 to 276).
STALE_MIX: tuple[tuple[str, int], ...] = (
    ("never_recent", 2),
    ("never_old", 3),
    ("due", 18),
    ("overdue", 16),
    ("hidden", 19),
)
DAYS_AGO: dict[str, tuple[int, int]] = {
    "fresh": (2, 170),
    "due": (187, 207),
    "overdue": (220, 268),
    "hidden": (282, 700),
    "never_recent": (10, 40),
    "never_old": (300, 900),
}
SHELTER_HELPLINE = "116 016"


# --- Reading the data files ---------------------------------------------------------------------


def _read(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass(frozen=True)
class NewOrganisation:
    """A provider the directory's demo adds to the partner register (``demo_organisations.csv``).

    The women's shelter's organisation has the address of its counselling office: the shelter's
    own address is only on its confidential location.
    """

    name: str  # without " (Demo)"
    place: str
    street: str
    sectors: tuple[str, ...]  # sector codes
    legal_form: str
    staff: tuple[str, ...]  # professions
    description: str
    serves_county: bool


@cache
def new_organisations() -> tuple[NewOrganisation, ...]:
    """The rows of ``demo_organisations.csv``."""
    return tuple(
        NewOrganisation(
            name=row["name"],
            place=row["place"],
            street=row["street"],
            sectors=tuple(_split(row["sectors"])),
            legal_form=row["legal_form"],
            staff=tuple(_split(row["staff"])),
            description=row["description"],
            serves_county=row["serves_county"] == "yes",
        )
        for row in _read("demo_organisations.csv")
    )


@cache
def offer_rows() -> tuple[dict[str, str], ...]:
    """The rows of ``demo_offers.csv``."""
    return tuple(_read("demo_offers.csv"))


@cache
def location_rows() -> tuple[dict[str, str], ...]:
    """The rows of ``demo_locations.csv``."""
    return tuple(_read("demo_locations.csv"))


@cache
def translation_rows() -> tuple[dict[str, str], ...]:
    """The rows of ``demo_translations.csv``."""
    return tuple(_read("demo_translations.csv"))


def _split(value: str, separator: str = "|") -> list[str]:
    return [part.strip() for part in value.split(separator) if part.strip()]


def _int_or_none(value: str) -> int | None:
    return int(value) if value.strip() else None


@dataclass(frozen=True)
class ScheduleSpec:
    """One HSDS schedule row: weekly on one day, or monthly on the n-th weekday."""

    byday: str
    opens_at: datetime.time
    closes_at: datetime.time

    @property
    def freq(self) -> str:
        return "MONTHLY" if self.byday[0].isdigit() or self.byday[0] == "-" else "WEEKLY"

    @property
    def description(self) -> str:
        if self.freq == "WEEKLY":
            return ""
        ordinal, day = self.byday[:-2], self.byday[-2:]
        return f"Jeden {ORDINALS[ordinal]} {WEEKDAY_NAMES[day]} im Monat"


def parse_schedule(text: str) -> list[ScheduleSpec]:
    """``"MO,WE 09:00-12:00 + 1TH 14:00-16:00"`` as one row per day (the editor's shape)."""
    specs: list[ScheduleSpec] = []
    for part in _split(text, "+"):
        days, hours = part.split()
        opens, closes = (datetime.time.fromisoformat(moment) for moment in hours.split("-"))
        specs.extend(ScheduleSpec(day, opens, closes) for day in days.split(","))
    return specs


def phases_for_ages(
    phases: Iterable[LifePhase], min_age: int | None, max_age: int | None
) -> list[LifePhase]:
    """The life phases (not transitions) that an age range touches; no range touches all.

    ``max_age`` is inclusive, a life phase's upper bound exclusive.
    """
    low = -9 if min_age is None else min_age
    return [
        phase
        for phase in phases
        if not phase.is_transition
        and phase.min_months <= (max_age if max_age is not None else 10_000)
        and phase.max_months > low
    ]


def _offset(name: str, spread: float = 0.004) -> tuple[float, float]:
    """A small deterministic offset (a few hundred metres) from a place's centre."""
    digest = zlib.crc32(name.encode("utf-8"))
    return (
        ((digest % 1000) / 1000 - 0.5) * spread,
        (((digest // 1000) % 1000) / 1000 - 0.5) * spread * 1.6,
    )


def _phone(number: int) -> str:
    """A number from the range kept free for fiction (030 23125 000–999)."""
    return f"+49 30 23125 {number % 1000:03d}"


def _ascii(text: str) -> str:
    text = text.lower()
    for old, new in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(old, new)
    return "-".join("".join(ch if ch.isalnum() else " " for ch in text).split())


def short_name(organisation: Organisation) -> str:
    return organisation.name.removesuffix(" (Demo)")


# --- Building --------------------------------------------------------------------------------


@dataclass
class _Built:
    """What the steps share while building (keyed by the names in the data files)."""

    tenant: LocalAuthority
    now: datetime.datetime
    areas: dict[str, Area] = field(default_factory=dict)
    county: Area | None = None
    organisations: dict[str, Organisation] = field(default_factory=dict)
    responsible: dict[int, Person] = field(default_factory=dict)
    locations: dict[str, Location] = field(default_factory=dict)
    services: dict[str, Service] = field(default_factory=dict)


def build_demo(tenant: LocalAuthority) -> None:
    """Fills the Altmark demo tenant's directory (runs once, inside the tenant's scope)."""
    if tenant.slug != ALTMARK_SLUG or Service.objects.filter(local_authority=tenant).exists():
        return
    built = _Built(tenant=tenant, now=timezone.now())
    built.areas = {area.name: area for area in Area.objects.filter(local_authority=tenant)}
    built.county = next(area for area in built.areas.values() if area.parent_id is None)
    _add_organisations(built)
    _find_responsible(built)
    _add_locations(built)
    _add_services(built)
    _add_proposals_and_reports(built)
    search_index_rebuild(tenant)


def _postcode(place: str) -> str:
    return POSTCODES.get(place) or EXTRA_POSTCODES.get(place) or "29410"


def _add_organisations(built: _Built) -> None:
    """The providers of ``demo_organisations.csv`` that the register lacks, with their staff."""
    tenant = built.tenant
    existing = {short_name(org): org for org in Organisation.objects.filter(local_authority=tenant)}
    sectors = {sector.code: sector for sector in Sector.objects.filter(local_authority=tenant)}
    professions = {p.name: p for p in Profession.objects.filter(local_authority=tenant)}
    top = [area for area in built.areas.values() if area.parent_id is None]
    specs = [spec for spec in new_organisations() if spec.name not in existing]
    orgs = []
    for index, spec in enumerate(specs):
        area = built.areas[spec.place]
        d_lat, d_lon = _offset(spec.name)
        slug = _ascii(spec.name)
        orgs.append(
            Organisation(
                local_authority=tenant,
                name=f"{spec.name} (Demo)",
                legal_form=spec.legal_form,
                street=spec.street,
                postcode=_postcode(spec.place),
                city=spec.place.split(" (")[0],
                area=area,
                latitude=round((area.latitude or 0) + d_lat, 5),
                longitude=round((area.longitude or 0) + d_lon, 5),
                location_source=LocationSource.RECORD,
                phone=_phone(10 + index),
                email=f"kontakt@{slug}.{DOMAIN}",
                website=f"https://{slug}.{DOMAIN}/",
                description=spec.description,
            )
        )
    Organisation.objects.bulk_create(orgs)
    sector_links = Organisation.sectors.through
    sector_links.objects.bulk_create(
        sector_links(organisation_id=org.pk, sector_id=sectors[code].pk)
        for org, spec in zip(orgs, specs, strict=True)
        for code in spec.sectors
        if code in sectors
    )
    served = Organisation.areas_served.through
    served.objects.bulk_create(
        served(organisation_id=org.pk, area_id=area.pk)
        for org, spec in zip(orgs, specs, strict=True)
        for area in (top if spec.serves_county else [built.areas[spec.place]])
    )
    people: list[Person] = []
    affiliations: list[Affiliation] = []
    for org, spec in zip(orgs, specs, strict=True):
        slug = _ascii(spec.name)
        for position, profession in enumerate(spec.staff):
            number = len(people)
            # Another walk through the name lists than the register's demo takes.
            first = FIRST_NAMES[(number * 11 + 5) % len(FIRST_NAMES)]
            last = LAST_NAMES[(number * 7 + 3) % len(LAST_NAMES)]
            person = Person(
                local_authority=tenant,
                first_name=first,
                last_name=last,
                profession=professions.get(profession),
                functions="Leitung" if position == 0 else "",
                phone=_phone(40 + number),
                email=f"{_ascii(first)}.{_ascii(last)}@{slug}.{DOMAIN}",
            )
            people.append(person)
            affiliations.append(
                Affiliation(
                    local_authority=tenant,
                    person=person,
                    organisation=org,
                    position="Leitung" if position == 0 else "",
                    start=datetime.date(2012 + number % 12, 1 + number % 12, 1),
                )
            )
    Person.objects.bulk_create(people)
    Affiliation.objects.bulk_create(affiliations)
    existing.update({short_name(org): org for org in orgs})
    built.organisations = existing


def _find_responsible(built: _Built) -> None:
    """Each organisation's responsible contact: its head, else its first current colleague.

    At the demo partner's practice it is the demo partner herself, so that the reminders for her
    practice's offers reach her.
    """
    colleagues: defaultdict[int, list[Affiliation]] = defaultdict(list)
    for affiliation in (
        Affiliation.objects.filter(
            local_authority=built.tenant, end__isnull=True, person__erased_at__isnull=True
        )
        .select_related("person__user", "person__profession")
        .order_by("pk")
    ):
        colleagues[affiliation.organisation_id].append(affiliation)

    def rank(affiliation: Affiliation) -> int:
        user = affiliation.person.user
        if user is not None and user.email == PARTNER_EMAIL:
            return 0
        return 1 if affiliation.position == "Leitung" else 2

    for organisation_id, affiliations in colleagues.items():
        built.responsible[organisation_id] = min(affiliations, key=rank).person


def _add_locations(built: _Built) -> None:
    """Locations with their address, step-free access and, for an office, its phone."""
    first_user: dict[str, str] = {}
    for row in offer_rows():
        for name in _split(row["locations"]):
            first_user.setdefault(name, row["organisation"])
    locations: list[Location] = []
    for row in location_rows():
        org = built.organisations[row["organisation"] or first_user[row["name"]]]
        area = built.areas.get(row["place"])
        lat = lon = None
        if row["name"] == short_name(org) and org.latitude is not None:
            lat, lon = org.latitude, org.longitude
        elif area is not None and area.latitude is not None and area.longitude is not None:
            d_lat, d_lon = _offset(row["name"])
            lat, lon = round(area.latitude + d_lat, 5), round(area.longitude + d_lon, 5)
        locations.append(
            Location(
                local_authority=built.tenant,
                organisation=org,
                location_type=row["location_type"],
                url=row["url"],
                name=row["name"],
                transportation=row["transportation"],
                latitude=lat,
                longitude=lon,
                area=area,
                confidential=row["confidential"] == "yes",
                barrier_free=row["barrier_free"] == "yes",
            )
        )
    Location.objects.bulk_create(locations)
    built.locations = {location.name: location for location in locations}
    rows = {row["name"]: row for row in location_rows()}
    Address.objects.bulk_create(
        Address(
            local_authority=built.tenant,
            location=location,
            address_1=rows[location.name]["street"],
            city=rows[location.name]["place"].split(" (")[0],
            state_province=STATE,
            postal_code=_postcode(rows[location.name]["place"]),
        )
        for location in locations
        if rows[location.name]["street"]
    )
    Accessibility.objects.bulk_create(
        Accessibility(
            local_authority=built.tenant,
            location=location,
            description="Stufenloser Zugang",
            details="Eingang und Räume ohne Stufen erreichbar; barrierefreies WC.",
        )
        for location in locations
        if location.barrier_free
    )
    Phone.objects.bulk_create(
        Phone(
            local_authority=built.tenant,
            location=location,
            number=location.organisation.phone.as_international,
            type="voice",
        )
        for location in locations
        if location.organisation is not None
        and location.name == short_name(location.organisation)
        and location.organisation.phone
        and not location.confidential
    )


def _freshness_plan(rng: random.Random) -> dict[str, str]:
    """Each offer's freshness stage: the forced ones fresh, the rest shuffled into the mix."""
    keys = [row["key"] for row in offer_rows()]
    forced = {row["key"] for row in offer_rows() if row["freshness"] == "fresh"}
    open_keys = [key for key in keys if key not in forced]
    rng.shuffle(open_keys)
    plan = dict.fromkeys(keys, "fresh")
    position = 0
    for stage, count in STALE_MIX:
        for key in open_keys[position : position + count]:
            plan[key] = stage
        position += count
    return plan


def _dates(
    rng: random.Random, stage: str, now: datetime.datetime
) -> tuple[datetime.datetime | None, datetime.datetime, datetime.datetime]:
    """(last verified, created, last edited) for an offer of ``stage``."""
    low, high = DAYS_AGO[stage]
    moment = now - datetime.timedelta(days=rng.randint(low, high), hours=rng.randint(0, 8))
    if stage.startswith("never"):
        return None, moment, moment
    created = moment - datetime.timedelta(days=rng.randint(20, 1200))
    edited = max(created, moment - datetime.timedelta(days=rng.randint(0, 90)))
    return moment, created, edited


def _add_services(built: _Built) -> None:
    tenant, now = built.tenant, built.now
    rng = random.Random(SEED)  # noqa: S311 (demo data)
    plan = _freshness_plan(rng)
    coordinator = User.objects.filter(email=COORDINATOR_EMAILS[ALTMARK_SLUG]).first()
    settings = DirectorySettings.objects.filter(local_authority=tenant).first()
    # The reminder went out when the offer became due (roughly: the month lengths do not matter).
    remind_after = datetime.timedelta(
        days=31 * (settings.verify_interval_months if settings else 6)
    )
    services: list[Service] = []
    for number, row in enumerate(offer_rows()):
        org = built.organisations[row["organisation"]]
        person = built.responsible.get(org.pk)
        verified, created, edited = _dates(rng, plan[row["key"]], now)
        reminder = None
        if verified is not None and now - verified > remind_after:
            reminder = verified + remind_after
        # Every third offer was confirmed by its responsible contact (the "still correct"
        # link), the others by the coordinator.
        verifier, assurer_email = None, ""
        if verified is not None and person is not None and number % 3 == 0:
            verifier, assurer_email = person.user, person.email
        elif verified is not None and coordinator is not None:
            verifier, assurer_email = coordinator, coordinator.email
        first_location = built.locations[_split(row["locations"])[0]]
        services.append(
            Service(
                local_authority=tenant,
                organisation=org,
                name=row["name"],
                alternate_name=row["alternate_name"],
                description=row["description"],
                url=first_location.url or org.website,
                email=org.email,
                status=row["status"],
                alert=row["alert"],
                application_process=row["application_process"],
                eligibility_description=row["eligibility_description"],
                fees_description=row["fees_description"],
                min_age_months=_int_or_none(row["min_age_months"]),
                max_age_months=_int_or_none(row["max_age_months"]),
                cost_type=row["cost_type"],
                visibility=row["visibility"],
                last_verified_at=verified,
                verified_by=verifier,
                assurer_email=assurer_email,
                responsible=person,
                reminder_sent_at=reminder,
                created_at=created,
                updated_at=edited,
            )
        )
    Service.objects.bulk_create(services)
    built.services = {
        row["key"]: service for row, service in zip(offer_rows(), services, strict=True)
    }
    _add_classification(built)
    _add_places_and_times(built)
    _add_contacts_languages_costs(built)
    _add_translations(built)


def _add_classification(built: _Built) -> None:
    """Topics and life phases through the M2M tables, in two inserts."""
    topics = dict(
        TaxonomyTerm.objects.filter(local_authority=built.tenant, taxonomy__is_topics=True)
        .exclude(code="")
        .values_list("code", "pk")
    )
    phases = list(LifePhase.objects.order_by("position"))
    by_code = {phase.code: phase for phase in phases}
    topic_links = Service.topics.through
    phase_links = Service.life_phases.through
    topic_rows: list[Any] = []
    phase_rows: list[Any] = []
    for row in offer_rows():
        service = built.services[row["key"]]
        topic_rows.extend(
            topic_links(service_id=service.pk, taxonomyterm_id=topics[code])
            for code in _split(row["topics"])
            if code in topics
        )
        chosen = [by_code[code] for code in _split(row["life_phases"])] or phases_for_ages(
            phases, service.min_age_months, service.max_age_months
        )
        phase_rows.extend(
            phase_links(service_id=service.pk, lifephase_id=phase.pk) for phase in chosen
        )
    topic_links.objects.bulk_create(topic_rows)
    phase_links.objects.bulk_create(phase_rows)


def _catchment(built: _Built, row: dict[str, str], locations: list[Location]) -> list[Area]:
    if row["catchment"] == "county":
        return [built.county] if built.county else []
    if row["catchment"]:
        return [built.areas[name] for name in _split(row["catchment"])]
    return [location.area for location in locations if location.area is not None]


def _add_places_and_times(built: _Built) -> None:
    """Offers at locations, opening hours and catchment areas."""
    tenant = built.tenant
    links: list[ServiceAtLocation] = []
    owners: list[tuple[Service, list[ServiceAtLocation], str]] = []
    areas: list[ServiceArea] = []
    for row in offer_rows():
        service = built.services[row["key"]]
        locations = [built.locations[name] for name in _split(row["locations"])]
        own = [
            ServiceAtLocation(local_authority=tenant, service=service, location=location)
            for location in locations
        ]
        links.extend(own)
        owners.append((service, own, row["schedule"]))
        areas.extend(
            ServiceArea(local_authority=tenant, service=service, area=area, name=area.name)
            for area in _catchment(built, row, locations)
        )
    ServiceAtLocation.objects.bulk_create(links)
    ServiceArea.objects.bulk_create(areas)
    schedules: list[Schedule] = []
    for service, own, text in owners:
        per_location = _split(text, ";")
        if len(own) > 1 and len(per_location) == len(own):
            # A mobile offer: each place has its own day.
            for link, part in zip(own, per_location, strict=True):
                schedules.extend(_schedules(tenant, part, service_at_location=link))
        elif text:
            schedules.extend(_schedules(tenant, text, service=service))
    Schedule.objects.bulk_create(schedules)


def _schedules(tenant: LocalAuthority, text: str, **owner: Any) -> list[Schedule]:
    return [
        Schedule(
            local_authority=tenant,
            freq=spec.freq,
            byday=spec.byday,
            opens_at=spec.opens_at,
            closes_at=spec.closes_at,
            description=spec.description,
            **owner,
        )
        for spec in parse_schedule(text)
    ]


def _add_contacts_languages_costs(built: _Built) -> None:
    tenant = built.tenant
    phones: list[Phone] = []
    contacts: list[DirectoryContact] = []
    languages: list[Language] = []
    costs: list[CostOption] = []
    for number, row in enumerate(offer_rows()):
        service = built.services[row["key"]]
        org = service.organisation
        phones.append(
            Phone(
                local_authority=tenant,
                service=service,
                number=_phone(100 + number),
                type="voice",
            )
        )
        if row["key"] == "fh-frauenhaus":
            phones.append(
                Phone(
                    local_authority=tenant,
                    service=service,
                    number=SHELTER_HELPLINE,
                    type="voice",
                    description=(
                        "Hilfetelefon „Gewalt gegen Frauen“: bundesweit, rund um die Uhr, "
                        "kostenlos und in 18 Sprachen"
                    ),
                )
            )
        person = service.responsible
        contacts.append(
            DirectoryContact(
                local_authority=tenant,
                service=service,
                person=person,
                name=person.full_name if person else "",
                title=str(person.profession) if person and person.profession_id else "",
                department=short_name(org),
                email=service.email,
            )
        )
        for code in ["de", *_split(row["languages"])]:
            languages.append(
                Language(
                    local_authority=tenant,
                    service=service,
                    code=code,
                    name=LANGUAGE_NAMES.get(code, code),
                )
            )
        if row["amount"]:
            costs.append(
                CostOption(
                    local_authority=tenant,
                    service=service,
                    option=row["cost_option"],
                    currency="EUR",
                    amount=Decimal(row["amount"]),
                )
            )
    Phone.objects.bulk_create(phones)
    DirectoryContact.objects.bulk_create(contacts)
    Language.objects.bulk_create(languages)
    CostOption.objects.bulk_create(costs)


def _add_translations(built: _Built) -> None:
    ServiceTranslation.objects.bulk_create(
        ServiceTranslation(
            local_authority=built.tenant,
            service=built.services[row["key"]],
            language=row["language"],
            name=row["name"],
            description=row["description"],
            application_process=row["application_process"],
        )
        for row in translation_rows()
    )


# --- Proposals and error reports -----------------------------------------------------------------


def _add_proposals_and_reports(built: _Built) -> None:
    """Three changes proposed by the demo partner, waiting for review; two open error reports."""
    tenant, now = built.tenant, built.now
    partner = User.objects.filter(email=PARTNER_EMAIL).first()
    proposals: list[ServiceRevision] = []
    if partner is not None and Person.objects.filter(user=partner).exists():
        proposals = _partner_proposals(built, partner)
    ServiceRevision.objects.bulk_create(proposals)
    ErrorReport.objects.bulk_create(
        [
            ErrorReport(
                local_authority=tenant,
                service=built.services["fzs-krabbelgruppe"],
                message=(
                    "Die Krabbelgruppe ist seit den Ferien mittwochs, nicht mehr dienstags. "
                    "Wir standen vor verschlossener Tür."
                ),
                created_at=now - datetime.timedelta(days=3, hours=2),
            ),
            ErrorReport(
                local_authority=tenant,
                service=built.services["ka-markt"],
                message="Unter der Telefonnummer meldet sich niemand, es kommt nur eine Ansage.",
                created_at=now - datetime.timedelta(days=9, hours=5),
            ),
        ]
    )


def _partner_proposals(built: _Built, partner: User) -> list[ServiceRevision]:
    """Petra Partnerin's pending changes: two edits of her practice's offers and one new offer."""
    now = built.now
    cafe = built.services["hs-stillcafe"]
    cafe_data = revisions.editable_snapshot(cafe)
    cafe_data["schedules"] = [
        {**entry, "weekday": "TH"} if entry["weekday"] == "WE" else entry
        for entry in cafe_data["schedules"]
    ]
    cafe_data["description"] += " Ab dem nächsten Monat treffen wir uns donnerstags."
    course = built.services["hs-rueckbildung"]
    course_data = revisions.editable_snapshot(course)
    course_data["schedules"] = [
        *course_data["schedules"],
        {"weekday": "TU", "opens": "19:00", "closes": "20:15", "description": "Abendkurs"},
    ]
    course_data["description"] += " Neu: auch als Abendkurs am Dienstag, für berufstätige Mütter."
    consultation = revisions.editable_snapshot(built.services["hs-sprechstunde"])
    carrying = TaxonomyTerm.objects.filter(
        local_authority=built.tenant, code__in=["hebammenhilfe", "eltern-kind-gruppen"]
    )
    new_offer = revisions.normalise(
        {
            **revisions.empty_snapshot(),
            "name": "Trageberatung: Babys sicher und bequem tragen",
            "description": (
                "In einer Trageberatung lernen Sie, Ihr Baby sicher im Tragetuch oder in einer "
                "Trage zu tragen. Sie können verschiedene Tragehilfen ausprobieren."
            ),
            "application_process": "Termin in der Hebammenpraxis vereinbaren.",
            "fees_description": "25 € pro Beratung (etwa 90 Minuten).",
            "cost_type": Service.CostType.FEE,
            "min_age_months": 0,
            "max_age_months": 18,
            "topics": [str(term.uuid) for term in carrying],
            "life_phases": ["birth", "age_0_1", "age_1_3"],
            "languages": ["de"],
            "locations": consultation["locations"],
            "schedules": [{"weekday": "FR", "opens": "14:00", "closes": "16:00"}],
            "phone": consultation["phone"],
            "contact_name": "Petra Partnerin",
            "contact_email": PARTNER_EMAIL,
            "responsible": consultation["responsible"],
        }
    )
    return [
        ServiceRevision(
            local_authority=built.tenant,
            service=service,
            organisation=organisation,
            data=revisions.normalise(data),
            base_version=service.version if service else None,
            proposed_by=partner,
            proposed_at=now - datetime.timedelta(days=days),
            comment=comment,
        )
        for service, organisation, data, days, comment in (
            (cafe, cafe.organisation, cafe_data, 2, "Das Stillcafé zieht auf Donnerstag um."),
            (
                course,
                course.organisation,
                course_data,
                5,
                "Wir bieten zusätzlich einen Abendkurs an.",
            ),
            (
                None,
                cafe.organisation,
                new_offer,
                1,
                "Neues Angebot unserer Praxis ab nächstem Monat.",
            ),
        )
    ]


def offers_by_key(tenant: LocalAuthority) -> dict[str, Service]:
    """The demo's offers by their key in ``demo_offers.csv`` (provider and name identify them)."""
    wanted = {(row["organisation"], row["name"]): row["key"] for row in offer_rows()}
    return {
        wanted[(short_name(service.organisation), service.name)]: service
        for service in Service.objects.filter(local_authority=tenant).select_related("organisation")
        if (short_name(service.organisation), service.name) in wanted
    }
