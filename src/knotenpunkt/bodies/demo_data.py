"""The demo structure: the Altmark's Frühe Hilfen network and a smaller prevention chain for the
fictional Musterstadt, with one inter-municipal working group that spans both demo tenants.

Members are taken from the partner register that ``partners/demo_data.py`` built before (apps run
in the order of ``INSTALLED_APPS``), picked deterministically by name; with few or no partners the
structure is built all the same, with fewer members.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TypeVar

from knotenpunkt.bodies.models import Body, BodyKind, BodyRelation, Goal, Membership, Programme
from knotenpunkt.bodies.tenant_defaults import install_defaults
from knotenpunkt.core.demo import ALTMARK_SLUG, MUSTERSTADT_SLUG
from knotenpunkt.core.models import Area, LifePhase, LocalAuthority
from knotenpunkt.partners.models import Organisation, Person

T = TypeVar("T")

START = datetime.date(2023, 1, 1)
OPERATIVE_RHYTHM = "alle sechs Wochen, drei Stunden"


@dataclass(frozen=True)
class BodyPlan:
    key: str
    name: str
    kind: str
    level: str
    parent: str | None = None
    rhythm: str = ""
    weeks: int | None = None
    life_phases: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    description: str = ""
    persons: int = 4
    organisations: int = 2


@dataclass(frozen=True)
class DemoPlan:
    bodies: list[BodyPlan]
    relations: list[tuple[str, str, str]]  # source key, kind, target key
    programmes: list[tuple[str, str, tuple[str, ...], tuple[str, ...]]]  # name, funder, kinds, keys
    mission: tuple[str, str]
    goals: list[tuple[str, str]]
    partner_authority_slugs: dict[str, list[str]] = field(default_factory=dict)


STRAT, OPER = Body.Level.STRATEGIC, Body.Level.OPERATIVE

ALTMARK = DemoPlan(
    bodies=[
        BodyPlan(
            "network",
            "Netzwerk Frühe Hilfen Altmarkkreis (Demo)",
            "Netzwerk",
            STRAT,
            rhythm="Netzwerkkonferenz zweimal im Jahr",
            weeks=26,
            life_phases=("pregnancy", "birth", "age_0_1", "age_1_3", "kita_entry"),
            description="Alle Partner der Frühen Hilfen im Kreis (Demo).",
            persons=8,
            organisations=12,
        ),
        BodyPlan(
            "steering",
            "Steuerungsgruppe Frühe Hilfen (Demo)",
            "Steuerungsgruppe",
            STRAT,
            "network",
            rhythm="alle drei Monate",
            weeks=13,
            description="Jugendamt, Gesundheitsamt, Jobcenter und freie Träger (Demo).",
            persons=3,
            organisations=5,
        ),
        BodyPlan(
            "ag03",
            "AG 0–3 Jahre",
            "Arbeitsgruppe",
            OPER,
            "network",
            OPERATIVE_RHYTHM,
            6,
            ("age_0_1", "age_1_3"),
        ),
        BodyPlan(
            "agkita",
            "AG Übergang Kita–Schule",
            "Arbeitsgruppe",
            OPER,
            "network",
            OPERATIVE_RHYTHM,
            6,
            ("age_3_6", "kita_school"),
        ),
        BodyPlan(
            "qz",
            "Qualitätszirkel Hebammen und Kinderärzt:innen",
            "Qualitätszirkel",
            OPER,
            "network",
            OPERATIVE_RHYTHM,
            6,
            ("pregnancy", "birth", "age_0_1"),
            organisations=0,
        ),
        BodyPlan(
            "srt_gardelegen",
            "Sozialraumteam Gardelegen",
            "Sozialraumteam",
            OPER,
            "network",
            OPERATIVE_RHYTHM,
            6,
            areas=("Gardelegen",),
        ),
        BodyPlan(
            "srt_salzwedel",
            "Sozialraumteam Salzwedel",
            "Sozialraumteam",
            OPER,
            "network",
            OPERATIVE_RHYTHM,
            6,
            areas=("Salzwedel",),
        ),
    ],
    relations=[
        ("ag03", BodyRelation.Kind.REPORTS_TO, "steering"),
        ("agkita", BodyRelation.Kind.REPORTS_TO, "steering"),
        ("qz", BodyRelation.Kind.FEEDS_INTO, "ag03"),
        ("srt_gardelegen", BodyRelation.Kind.FEEDS_INTO, "agkita"),
        ("srt_salzwedel", BodyRelation.Kind.FEEDS_INTO, "agkita"),
    ],
    programmes=[
        (
            "Bundesstiftung Frühe Hilfen (Demo)",
            "Bund (BMFSFJ), über das Land Sachsen-Anhalt",
            ("Netzwerk", "Steuerungsgruppe"),
            ("network", "steering"),
        ),
        (
            "Landesprogramm Präventionsketten (Demo)",
            "Land Sachsen-Anhalt",
            ("Steuerungsgruppe", "Arbeitsgruppe", "Sozialraumteam"),
            ("steering", "ag03", "agkita", "srt_gardelegen", "srt_salzwedel"),
        ),
    ],
    mission=(
        "Leitbild des Netzwerks (Demo)",
        "Alle Familien im Altmarkkreis finden von der Schwangerschaft bis zum Schulstart "
        "früh, wohnortnah und ohne Hürden die Unterstützung, die sie brauchen. Die Partner "
        "kennen einander, arbeiten über Rechtskreise hinweg zusammen und sprechen mit den "
        "Familien statt über sie.",
    ),
    goals=[
        (
            "Angebote bekannt machen",
            "Jede Familie erhält beim Willkommensbesuch den Familienwegweiser.",
        ),
        (
            "Lücken gemeinsam erkennen",
            "Einmal im Jahr bewerten die Sozialraumteams die Angebote in ihrem Gebiet.",
        ),
        (
            "Übergänge sichern",
            "Der Übergang von der Kita in die Grundschule ist in jeder Gemeinde verabredet.",
        ),
        (
            "Wege verkürzen",
            "Der Weg von der Hebamme oder Kinderärztin zur passenden Hilfe ist kurz und klar.",
        ),
    ],
)

MUSTERSTADT = DemoPlan(
    bodies=[
        BodyPlan(
            "network",
            "Präventionskette Musterstadt (Demo)",
            "Netzwerk",
            STRAT,
            rhythm="einmal im Jahr",
            weeks=52,
            persons=5,
            organisations=6,
        ),
        BodyPlan(
            "steering",
            "Lenkungsgruppe Präventionskette (Demo)",
            "Lenkungsgruppe",
            STRAT,
            "network",
            "alle drei Monate",
            13,
            persons=2,
            organisations=3,
        ),
        BodyPlan(
            "info",
            "Informationsnetzwerk Familienbildung",
            "Informationsnetzwerk",
            OPER,
            "network",
            "zweimal im Jahr",
            26,
        ),
        BodyPlan(
            "production",
            "Produktionsnetzwerk Übergang Kita–Schule",
            "Produktionsnetzwerk",
            OPER,
            "network",
            OPERATIVE_RHYTHM,
            6,
            ("kita_school",),
        ),
        BodyPlan(
            "intermunicipal",
            "Interkommunale AG Frühe Hilfen (Demo)",
            "Arbeitsgruppe",
            OPER,
            "network",
            "vierteljährlich, abwechselnd vor Ort",
            13,
            ("pregnancy", "age_0_1"),
            description="Vier Jugendämter und zwei Gesundheitsämter aus zwei Kreisen (Demo).",
            persons=2,
            organisations=1,
        ),
    ],
    relations=[
        ("info", BodyRelation.Kind.REPORTS_TO, "steering"),
        ("production", BodyRelation.Kind.REPORTS_TO, "steering"),
        ("intermunicipal", BodyRelation.Kind.FEEDS_INTO, "production"),
    ],
    programmes=[
        (
            "kinderstark – NRW schafft Chancen (Demo)",
            "Land Nordrhein-Westfalen",
            ("Netzwerk", "Lenkungsgruppe", "Sozialraumteam"),
            ("network", "steering"),
        ),
    ],
    mission=(
        "Leitbild der Präventionskette (Demo)",
        "Kein Kind wird zurückgelassen: Angebote entlang des Lebenslaufs, gut verbunden.",
    ),
    goals=[
        ("Übergänge gestalten", "Jeder Übergang hat eine verabredete Übergabe."),
        ("Gemeinsam planen", "Jugendhilfe-, Schul- und Sozialplanung arbeiten zusammen."),
        ("Familien beteiligen", "Eltern wirken in jedem Stadtteil mit."),
    ],
    partner_authority_slugs={"intermunicipal": [ALTMARK_SLUG]},
)

PLANS = {ALTMARK_SLUG: ALTMARK, MUSTERSTADT_SLUG: MUSTERSTADT}


def build_demo(tenant: LocalAuthority) -> None:
    """Builds the demo structure for the two demo tenants; other tenants get nothing."""
    plan = PLANS.get(tenant.slug)
    if plan is None or Body.objects.filter(local_authority=tenant).exists():
        return
    install_defaults(tenant)
    kinds = {kind.name: kind for kind in BodyKind.objects.filter(local_authority=tenant)}
    phases = {phase.code: phase for phase in LifePhase.objects.all()}
    areas = {area.name: area for area in Area.objects.filter(local_authority=tenant)}
    bodies: dict[str, Body] = {}
    for item in plan.bodies:  # parents are listed before their children
        body = Body.objects.create(
            local_authority=tenant,
            name=item.name,
            kind=kinds[item.kind],
            level=item.level,
            parent=bodies[item.parent] if item.parent else None,
            description=item.description,
            meeting_rhythm=item.rhythm,
            rhythm_weeks=item.weeks,
        )
        body.life_phases.set([phases[code] for code in item.life_phases if code in phases])
        body.areas.set([areas[name] for name in item.areas if name in areas])
        slugs = plan.partner_authority_slugs.get(item.key, [])
        body.partner_authorities.set(LocalAuthority.objects.filter(slug__in=slugs))
        bodies[item.key] = body
    BodyRelation.objects.bulk_create(
        BodyRelation(local_authority=tenant, source=bodies[s], target=bodies[t], kind=kind)
        for s, kind, t in plan.relations
    )
    for name, funder, required, serving in plan.programmes:
        programme = Programme.objects.create(
            local_authority=tenant, name=name, funder=funder, start=START
        )
        programme.required_kinds.set([kinds[kind] for kind in required])
        programme.bodies.set([bodies[key] for key in serving])
    title, text = plan.mission
    Goal.objects.create(
        local_authority=tenant, kind=Goal.Kind.MISSION, title=title, text=text, position=1
    )
    Goal.objects.bulk_create(
        Goal(local_authority=tenant, kind=Goal.Kind.GOAL, title=t, text=x, position=i)
        for i, (t, x) in enumerate(plan.goals, start=1)
    )
    _add_members(tenant, plan, bodies)


def _add_members(tenant: LocalAuthority, plan: DemoPlan, bodies: dict[str, Body]) -> None:
    """Spreads the register's people and organisations over the bodies, the same way each time."""
    persons = list(
        Person.objects.filter(local_authority=tenant, erased_at__isnull=True).order_by(
            "last_name", "first_name", "pk"
        )
    )
    organisations = list(Organisation.objects.filter(local_authority=tenant).order_by("name", "pk"))
    memberships: list[Membership] = []
    for index, item in enumerate(plan.bodies):
        body = bodies[item.key]
        chosen_persons = _cycle(persons, start=index * 3, count=item.persons)
        chosen_organisations = _cycle(organisations, start=index * 2, count=item.organisations)
        for position, person in enumerate(chosen_persons):
            memberships.append(
                Membership(
                    local_authority=tenant,
                    body=body,
                    person=person,
                    role=_role(item, position),
                    start=START,
                )
            )
        memberships.extend(
            Membership(
                local_authority=tenant,
                body=body,
                organisation=organisation,
                role=Membership.Role.MEMBER,
                start=START,
            )
            for organisation in chosen_organisations
        )
    Membership.objects.bulk_create(memberships)


def _role(item: BodyPlan, position: int) -> str:
    if position == 0:
        return Membership.Role.COORDINATION if item.key == "network" else Membership.Role.CHAIR
    if position == 1:
        return Membership.Role.DEPUTY
    return Membership.Role.MEMBER


def _cycle(items: list[T], *, start: int, count: int) -> list[T]:
    """``count`` distinct items from ``start`` on, wrapping around (fewer if there are fewer)."""
    if not items:
        return []
    return [items[(start + offset) % len(items)] for offset in range(min(count, len(items)))]
