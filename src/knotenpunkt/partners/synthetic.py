"""Synthetic partner registers: vocabularies, organisations and professionals for every tenant.

One step, written with ``bulk_create`` throughout, so that the national scale stays fast.
"""

from __future__ import annotations

from collections import defaultdict

from knotenpunkt.core.models import Area
from knotenpunkt.core.synthetic import BATCH_SIZE, EMAIL_DOMAIN, GenerationContext, generator_step
from knotenpunkt.partners.demo_data import FIRST_NAMES, LAST_NAMES
from knotenpunkt.partners.models import (
    Affiliation,
    LocationSource,
    Organisation,
    Person,
    Profession,
    Sector,
)
from knotenpunkt.partners.tenant_defaults import DEFAULT_PROFESSIONS, DEFAULT_SECTORS

#: Kind of organisation: (name prefix, sector names, professions of its staff, legal form)
KINDS: list[tuple[str, tuple[str, ...], tuple[str, ...], str]] = [
    ("Kita", ("Kindertagesbetreuung",), ("Kita-Leitung", "Erzieher:in"), "association"),
    (
        "Familienzentrum",
        ("Kinder- und Jugendhilfe",),
        ("Sozialpädagog:in / Sozialarbeiter:in", "Erzieher:in"),
        "association",
    ),
    ("Kinderarztpraxis", ("Gesundheitswesen",), ("Kinderärzt:in",), "practice"),
    ("Hebammenpraxis", ("Gesundheitswesen",), ("Hebamme", "Familienhebamme"), "practice"),
    ("Grundschule", ("Schule",), ("Lehrkraft", "Schulsozialarbeiter:in"), "public_body"),
    (
        "Schwangerschaftsberatung",
        ("Schwangerschaftsberatung",),
        ("Schwangerschaftsberater:in",),
        "association",
    ),
    ("Erziehungsberatung", ("Kinder- und Jugendhilfe",), ("Erziehungsberater:in",), "association"),
    ("Frühförderstelle", ("Frühförderung",), ("Heilpädagog:in",), "nonprofit_company"),
    (
        "Jobcenter-Standort",
        ("Grundsicherung für Arbeitsuchende",),
        ("Jobcenter-Fachkraft",),
        "public_body",
    ),
    ("Ehrenamtsbörse", ("Ehrenamt",), ("Ehrenamtliche:r",), "association"),
]


def organisations_for(area_count: int) -> int:
    """How many organisations a tenant with ``area_count`` areas gets: one per two, at least 5."""
    return max(5, area_count // 2)


@generator_step(order=100)
def create_organisations(ctx: GenerationContext) -> None:
    """Default vocabularies, then organisations at the tenant's places and ~2 people each."""
    rng = ctx.rng
    sectors = [
        Sector(local_authority=tenant, name=name, code=code)
        for tenant in ctx.tenants
        for name, code in DEFAULT_SECTORS
    ]
    Sector.objects.bulk_create(sectors, batch_size=BATCH_SIZE)
    sector_of = {(s.local_authority_id, s.name): s for s in sectors}
    professions = [
        Profession(
            local_authority=tenant,
            name=name,
            sector=sector_of[(tenant.pk, sector)],
        )
        for tenant in ctx.tenants
        for name, sector in DEFAULT_PROFESSIONS
    ]
    Profession.objects.bulk_create(professions, batch_size=BATCH_SIZE)
    profession_of = {(p.local_authority_id, p.name): p for p in professions}
    ctx.counts["sectors"] += len(sectors)
    ctx.counts["professions"] += len(professions)

    by_tenant: defaultdict[int, list[Area]] = defaultdict(list)
    for area in ctx.areas:
        by_tenant[area.local_authority_id].append(area)

    orgs: list[Organisation] = []
    org_kinds: list[int] = []
    for tenant in ctx.tenants:
        areas = by_tenant[tenant.pk]
        parents = {a.parent_id for a in areas}
        places = [a for a in areas if a.pk not in parents] or areas
        # Central places get more: offices and most services sit in the towns.
        weighted = [a for a in places for _ in range(3 if a.is_central_place else 1)]
        for number in range(organisations_for(len(areas))):
            area = rng.choice(weighted)
            kind = rng.randrange(len(KINDS))
            prefix, _sectors, _staff, legal_form = KINDS[kind]
            lat = lon = None
            if area.latitude is not None and area.longitude is not None:
                lat = round(area.latitude + rng.uniform(-0.01, 0.01), 5)
                lon = round(area.longitude + rng.uniform(-0.015, 0.015), 5)
            orgs.append(
                Organisation(
                    local_authority=tenant,
                    name=f"{prefix} {area.name} {number + 1}",
                    legal_form=legal_form,
                    street=f"Musterstraße {rng.randint(1, 99)}",
                    postcode=f"{rng.randint(1067, 99998):05d}",
                    city=area.name,
                    area=area,
                    latitude=lat,
                    longitude=lon,
                    location_source=LocationSource.RECORD
                    if lat is not None
                    else LocationSource.NONE,
                    phone=f"+493012345{rng.randint(600, 699)}",
                    email=f"kontakt{number + 1}@{tenant.slug}.{EMAIL_DOMAIN}",
                )
            )
            org_kinds.append(kind)
    Organisation.objects.bulk_create(orgs, batch_size=BATCH_SIZE)
    ctx.counts["organisations"] += len(orgs)

    through = Organisation.sectors.through
    links = [
        through(organisation_id=org.pk, sector_id=sector_of[(org.local_authority_id, name)].pk)
        for org, kind in zip(orgs, org_kinds, strict=True)
        for name in KINDS[kind][1]
    ]
    through.objects.bulk_create(links, batch_size=BATCH_SIZE)

    people: list[Person] = []
    employers: list[Organisation] = []
    for org, kind in zip(orgs, org_kinds, strict=True):
        staff = KINDS[kind][2]
        for _ in range(rng.choice((1, 2, 2, 3))):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            people.append(
                Person(
                    local_authority_id=org.local_authority_id,
                    first_name=first,
                    last_name=last,
                    profession=profession_of[(org.local_authority_id, rng.choice(staff))],
                    email=f"{first.lower()}.{len(people)}@{EMAIL_DOMAIN}",
                )
            )
            employers.append(org)
    Person.objects.bulk_create(people, batch_size=BATCH_SIZE)
    Affiliation.objects.bulk_create(
        (
            Affiliation(local_authority_id=org.local_authority_id, person=person, organisation=org)
            for person, org in zip(people, employers, strict=True)
        ),
        batch_size=BATCH_SIZE,
    )
    ctx.counts["persons"] += len(people)
    ctx.counts["affiliations"] += len(people)
