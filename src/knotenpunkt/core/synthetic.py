"""Deterministic synthetic data: fictional tenants with places, figures and accounts.

``generate(scale=..., seed=...)`` fills the database with German-looking but invented counties,
cities and regions, for demos, load tests and benchmarks. The same scale and seed always give the
same names, coordinates and figures; only ids, uuids and timestamps differ.

Other apps add their own objects by registering steps in a ``synthetic`` module of their own::

    # knotenpunkt/partners/synthetic.py
    from knotenpunkt.core.synthetic import GenerationContext, generator_step

    @generator_step(order=100)
    def create_organisations(ctx: GenerationContext) -> None:
        ...
        ctx.counts["organisations"] += len(objs)

Steps run in ``order`` (core uses 10 to 40), inside one transaction and with scopes disabled. Each
step gets its own ``ctx.rng``, seeded from the generator seed and the step's name, so that adding or
changing one app's step never changes the data of another.
"""

from __future__ import annotations

import math
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from django.db import transaction
from django.db.models import QuerySet
from django.utils.module_loading import autodiscover_modules
from django.utils.text import slugify
from django_scopes import scopes_disabled

from knotenpunkt.core.models import Area, AreaFigure, Indicator, LocalAuthority, Role, User

BATCH_SIZE = 1000
SLUG_PREFIX = "syn-"
EMAIL_DOMAIN = "example.org"

# Germany's bounding box; every synthetic place lies inside it.
LAT_RANGE = (47.3, 55.0)
LON_RANGE = (5.9, 15.0)
KM_PER_DEGREE_LAT = 111.32


# --- Scales -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    """How much to generate. Ranges are inclusive ``(min, max)`` and drawn per parent."""

    name: str
    tenants: int
    cities: int  # how many of the tenants are kreisfreie Städte
    regions: int  # how many are Regionen; the rest are Landkreise
    municipalities: tuple[int, int]  # Gemeinden per Landkreis or Region
    districts: tuple[int, int]  # Ortsteile per Gemeinde, the Kernort included
    city_districts: tuple[int, int]  # Stadtbezirke per city
    social_spaces: tuple[int, int]  # Sozialräume per Stadtbezirk
    years: tuple[int, ...] = (2022, 2023, 2024)

    @property
    def counties(self) -> int:
        """Tenants that are Landkreise."""
        return self.tenants - self.cities - self.regions

    @property
    def expected_areas(self) -> int:
        """The number of areas to expect on average (the real count varies with the seed)."""
        municipal = 1 + _mean(self.municipalities) * (1 + _mean(self.districts))
        urban = 1 + _mean(self.city_districts) * (1 + _mean(self.social_spaces))
        return round((self.counties + self.regions) * municipal + self.cities * urban)

    @property
    def expected_figures(self) -> int:
        """Figures to expect: one per area, year and indicator."""
        return self.expected_areas * len(self.years) * len(Indicator)


def _mean(bounds: tuple[int, int]) -> float:
    return (bounds[0] + bounds[1]) / 2


SCALES: dict[str, Scale] = {
    # One rural Landkreis, as in the Frühe Hilfen network the project started from.
    "county": Scale(
        name="county",
        tenants=1,
        cities=0,
        regions=0,
        municipalities=(10, 10),
        districts=(3, 8),
        city_districts=(4, 8),
        social_spaces=(2, 5),
    ),
    # A state's coordinators meeting: about 14 youth welfare offices.
    "state": Scale(
        name="state",
        tenants=14,
        cities=3,
        regions=1,
        municipalities=(8, 12),
        districts=(3, 5),
        city_districts=(6, 10),
        social_spaces=(3, 6),
    ),
    # Roughly Germany's 294 Landkreise and 106 kreisfreie Städte, with fewer places per tenant.
    "national": Scale(
        name="national",
        tenants=400,
        cities=106,
        regions=3,
        municipalities=(4, 8),
        districts=(2, 4),
        city_districts=(3, 7),
        social_spaces=(3, 5),
    ),
}


def get_scale(name: str) -> Scale:
    """The scale called ``name``; raises ValueError naming the known ones otherwise."""
    try:
        return SCALES[name]
    except KeyError:
        known = ", ".join(SCALES)
        raise ValueError(f"Unknown scale {name!r}; use one of: {known}.") from None


# --- Names ------------------------------------------------------------------------------------

_STEMS = (
    "Linden", "Eichen", "Birken", "Tannen", "Rosen", "Mühl", "Stein", "Kirch", "Falken", "Hasel",
    "Wolfs", "Fried", "Hein", "Buchen", "Erlen", "Marien", "Sonnen", "Wiesen", "Brunn", "Schön",
    "Elster", "Gold", "Hirsch", "Lauter", "Kalten", "Rot", "Weißen", "Schwarz", "Grün", "Hart",
    "Klar", "Bern", "Dorn", "Eisen", "Fisch", "Gänse", "Hag", "Ilsen", "Kron", "Oster", "Wester",
    "Sunder", "Rein", "Sand", "Tiefen", "Wald", "Wend", "Hammer", "Kupfer", "Salz", "Mittel",
    "Holz", "Reh", "Lerchen", "Kranich", "Otter", "Biber", "Ahorn", "Espen", "Fuchs", "Hasen",
    "Raben", "Storch", "Adler", "Quell", "Frei", "Burg", "Ross", "Heide", "Moor", "Bruch", "Horn",
    "Lauen", "Ebers", "Diet", "Gerhards", "Otten", "Wilhelms", "Friedrichs", "Karls", "Ludwigs",
    "Georgen", "Petri", "Albers", "Arns", "Bischofs", "Mönchs", "Königs", "Grafen", "Herzogen",
)  # fmt: skip
_SUFFIXES = (
    "dorf", "feld", "hausen", "heim", "au", "stedt", "burg", "berg", "bach", "ingen", "rode",
    "hagen", "walde", "born", "furt", "leben", "ow", "itz", "werder", "brück", "hof", "kirchen",
    "tal", "beck", "horst", "wedel", "büttel", "ried", "weiler", "hain", "stadt", "brunn", "see",
)  # fmt: skip
_GLUED_PREFIXES = ("Neu", "Alt", "Groß", "Klein", "Ober", "Nieder", "Hohen", "Unter")
_WORD_PREFIXES = ("Neu", "Alt", "Groß", "Klein", "Wendisch", "Deutsch")
_FEMININE_RIVERS = (
    "Elbe", "Saale", "Oder", "Havel", "Mulde", "Lahn", "Fulda", "Werra", "Aller", "Leine", "Ilm",
    "Weser", "Ems", "Mosel", "Nahe", "Jagst", "Tauber", "Donau", "Isar", "Spree", "Ohre", "Ruhr",
)  # fmt: skip
_MASCULINE_RIVERS = ("Main", "Rhein", "Neckar", "Lech", "Inn", "Regen")
_CITY_DISTRICTS = (
    "Mitte", "Altstadt", "Neustadt", "Nordstadt", "Südstadt", "Oststadt", "Weststadt", "Nordost",
    "Nordwest", "Südost", "Südwest", "Hafen", "Bahnhofsviertel", "Gartenstadt", "Hochfeld",
    "Universitätsviertel", "Am Stadtpark", "Vorstadt",
)  # fmt: skip
_QUARTER_SUFFIXES = ("viertel", "siedlung", "park", "kamp", "grund", "höhe")
_FIRST_NAMES = (
    "Anna", "Lena", "Marie", "Sophie", "Emma", "Jana", "Katrin", "Sabine", "Petra", "Miriam",
    "Jonas", "Lukas", "Felix", "Paul", "Tobias", "Jan", "Stefan", "Thomas", "Deniz", "Kim",
)  # fmt: skip
# Surnames nobody mistakes for a real person's.
_FICTIONAL_SURNAMES = (
    "Mustermann", "Musterfrau", "Beispiel", "Platzhalter", "Erfunden", "Ausgedacht", "Fiktiv",
    "Probestück", "Testhausen", "Exempel",
)  # fmt: skip


def place_name(rng: random.Random) -> str:
    """An invented but German-looking place name, e.g. "Lindenhagen" or "Bad Rosenau an der Ilm"."""
    stem, suffix = rng.choice(_STEMS), rng.choice(_SUFFIXES)
    name = stem + suffix
    roll = rng.random()
    if roll < 0.15:
        name = rng.choice(_GLUED_PREFIXES) + name.lower()
    elif roll < 0.22:
        name = f"{rng.choice(_WORD_PREFIXES)} {name}"
    elif roll < 0.27:
        name = f"Bad {name}"
    roll = rng.random()
    if roll < 0.05:
        name = f"{name} an der {rng.choice(_FEMININE_RIVERS)}"
    elif roll < 0.07:
        name = f"{name} am {rng.choice(_MASCULINE_RIVERS)}"
    elif roll < 0.08:
        name = f"{name} am See"
    return name


def _unique(rng: random.Random, taken: set[str], make: Callable[[random.Random], str]) -> str:
    """A name from ``make`` not in ``taken`` yet (it joins it): names are unique per parent."""
    for _attempt in range(50):
        name = make(rng)
        if name not in taken:
            taken.add(name)
            return name
    # Practically unreachable with thousands of combinations; a number keeps the name unique.
    name = f"{make(rng)} {len(taken) + 1}"
    taken.add(name)
    return name


def _quarter_name(rng: random.Random) -> str:
    """A Sozialraum in a city: an incorporated village or a quarter like "Birkenviertel"."""
    if rng.random() < 0.5:
        return place_name(rng)
    return rng.choice(_STEMS) + rng.choice(_QUARTER_SUFFIXES)


def tenant_slug(place: str) -> str:
    """``syn-`` and an ASCII slug of the place; German letters are transliterated, not dropped."""
    return SLUG_PREFIX + slugify(place.translate(_TRANSLITERATION))


_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
)


# --- Coordinates ------------------------------------------------------------------------------


def _scatter(rng: random.Random, lat: float, lon: float, radius_km: float) -> tuple[float, float]:
    """A point uniformly within ``radius_km`` of (lat, lon), kept inside Germany's bounding box."""
    distance = radius_km * math.sqrt(rng.random())
    angle = rng.uniform(0, 2 * math.pi)
    new_lat = lat + distance * math.cos(angle) / KM_PER_DEGREE_LAT
    new_lon = lon + distance * math.sin(angle) / (KM_PER_DEGREE_LAT * math.cos(math.radians(lat)))
    return (
        round(min(max(new_lat, LAT_RANGE[0]), LAT_RANGE[1]), 5),
        round(min(max(new_lon, LON_RANGE[0]), LON_RANGE[1]), 5),
    )


# --- Planning (pure, no database) -------------------------------------------------------------


@dataclass
class AreaPlan:
    """An area still to be written: the tree as plain data."""

    name: str
    kind: str
    latitude: float
    longitude: float
    is_central_place: bool = False
    children: list[AreaPlan] = field(default_factory=list)

    def count(self) -> int:
        """This area and all below it."""
        return 1 + sum(child.count() for child in self.children)


@dataclass
class TenantPlan:
    """A tenant still to be written, with its area tree."""

    place: str
    name: str
    slug: str
    kind: str
    latitude: float
    longitude: float
    root: AreaPlan


def plan(*, scale: str, seed: int) -> list[TenantPlan]:
    """The tenants and area trees that ``generate`` would write, without touching the database.

    Cheap enough to call for the national scale, which makes it the dry run for tests and docs.
    """
    return plan_tenants(get_scale(scale), random.Random(f"{seed}:plan"))


def plan_tenants(scale: Scale, rng: random.Random) -> list[TenantPlan]:
    """Plans ``scale.tenants`` tenants with unique places, in a deterministic order."""
    kinds = (
        [LocalAuthority.Kind.KREISFREIE_STADT] * scale.cities
        + [LocalAuthority.Kind.REGION] * scale.regions
        + [LocalAuthority.Kind.LANDKREIS] * scale.counties
    )
    rng.shuffle(kinds)
    places: set[str] = set()
    slugs: set[str] = set()
    plans = []
    for kind in kinds:
        place = _unique(rng, places, place_name)
        slug = tenant_slug(place)
        while slug in slugs:  # two places may slugify alike ("Groß X" and "Gross X")
            place = _unique(rng, places, place_name)
            slug = tenant_slug(place)
        slugs.add(slug)
        lat = round(rng.uniform(*LAT_RANGE), 5)
        lon = round(rng.uniform(*LON_RANGE), 5)
        if kind == LocalAuthority.Kind.KREISFREIE_STADT:
            name = f"Stadt {place}"
            root = _plan_city(rng, scale, place, lat, lon)
        else:
            label = "Region" if kind == LocalAuthority.Kind.REGION else "Landkreis"
            name = f"{label} {place}"
            root_kind = Area.Kind.REGION if kind == LocalAuthority.Kind.REGION else Area.Kind.COUNTY
            root = _plan_municipalities(rng, scale, name, root_kind, lat, lon)
        plans.append(TenantPlan(place, name, slug, kind, lat, lon, root))
    return plans


def _plan_municipalities(
    rng: random.Random, scale: Scale, name: str, kind: str, lat: float, lon: float
) -> AreaPlan:
    """A Landkreis or Region: Gemeinden within ~25 km, each with its Ortsteile."""
    root = AreaPlan(name, kind, lat, lon)
    count = rng.randint(*scale.municipalities)
    # A few towns hold the offices and most services, as in a rural county.
    central_towns = min(3, max(1, round(count / 4)))
    names: set[str] = set()
    for index in range(count):
        central = index < central_towns
        municipality_name = _unique(rng, names, place_name)
        m_lat, m_lon = _scatter(rng, lat, lon, 25)
        municipality = AreaPlan(
            municipality_name,
            Area.Kind.TOWN if central else Area.Kind.MUNICIPALITY,
            m_lat,
            m_lon,
            is_central_place=central,
        )
        # The Kernort carries the municipality's name, as Ortsteile in Germany usually do.
        district_names = {municipality_name}
        municipality.children.append(
            AreaPlan(
                municipality_name, Area.Kind.DISTRICT, *_scatter(rng, m_lat, m_lon, 1), central
            )
        )
        for _district in range(rng.randint(*scale.districts) - 1):
            municipality.children.append(
                AreaPlan(
                    _unique(rng, district_names, place_name),
                    Area.Kind.DISTRICT,
                    *_scatter(rng, m_lat, m_lon, 5),
                )
            )
        root.children.append(municipality)
    return root


def _plan_city(rng: random.Random, scale: Scale, place: str, lat: float, lon: float) -> AreaPlan:
    """A kreisfreie Stadt: Stadtbezirke within ~8 km, each with its Sozialräume."""
    root = AreaPlan(place, Area.Kind.CITY, lat, lon, is_central_place=True)
    count = rng.randint(*scale.city_districts)
    district_names = ["Mitte", *rng.sample(_CITY_DISTRICTS[1:], count - 1)]
    for index, district_name in enumerate(district_names):
        d_lat, d_lon = (lat, lon) if index == 0 else _scatter(rng, lat, lon, 8)
        district = AreaPlan(district_name, Area.Kind.DISTRICT, d_lat, d_lon, index == 0)
        names: set[str] = set()
        for _space in range(rng.randint(*scale.social_spaces)):
            district.children.append(
                AreaPlan(
                    _unique(rng, names, _quarter_name),
                    Area.Kind.SOCIAL_SPACE,
                    *_scatter(rng, d_lat, d_lon, 2),
                )
            )
        root.children.append(district)
    return root


class Writer(Protocol):
    """Where progress goes: a file, ``sys.stdout`` or a management command's ``self.stdout``."""

    def write(self, message: str, /) -> object: ...


# --- Registry ---------------------------------------------------------------------------------


@dataclass
class GenerationContext:
    """What steps share: the scale, a random source, what earlier steps created, and counts."""

    scale: Scale
    seed: int
    rng: random.Random
    stdout: Writer | None = None
    plans: list[TenantPlan] = field(default_factory=list)
    tenants: list[LocalAuthority] = field(default_factory=list)
    # Parents before children (level by level), so a reversed walk sees children first.
    areas: list[Area] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def source(self) -> str:
        """The source label for figures and other data the generator invents."""
        return f"Synthetische Daten (Seed {self.seed})"

    def areas_of(self, tenant: LocalAuthority) -> list[Area]:
        """The created areas of one tenant, parents first."""
        return [area for area in self.areas if area.local_authority_id == tenant.pk]

    def log(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message + "\n")


StepFunction = Callable[[GenerationContext], None]


@dataclass(frozen=True)
class GeneratorStep:
    order: int
    name: str
    function: StepFunction


_REGISTRY: dict[str, GeneratorStep] = {}


def generator_step(
    *, order: int, name: str | None = None
) -> Callable[[StepFunction], StepFunction]:
    """Registers ``function(ctx)`` as a generation step, run in ascending ``order``.

    ``name`` (default: ``<app>.<function>``) also seeds the step's random source, so renaming a
    step changes its data.
    """

    def register(function: StepFunction) -> StepFunction:
        module = function.__module__.removeprefix("knotenpunkt.").removesuffix(".synthetic")
        step_name = name or f"{module}.{function.__name__}"
        _REGISTRY[step_name] = GeneratorStep(order, step_name, function)
        return function

    return register


def registered_steps() -> list[GeneratorStep]:
    """All steps, other apps' ``synthetic`` modules included, in the order they run."""
    autodiscover_modules("synthetic")
    return sorted(_REGISTRY.values(), key=lambda step: (step.order, step.name))


# --- Running ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepTiming:
    name: str
    seconds: float
    rows: int


@dataclass(frozen=True)
class GenerationReport:
    """What ``generate`` wrote and how long each step took."""

    scale: str
    seed: int
    counts: dict[str, int]
    steps: tuple[StepTiming, ...]
    seconds: float
    replaced_tenants: int = 0

    @property
    def tenants(self) -> int:
        return self.counts.get("tenants", 0)

    @property
    def areas(self) -> int:
        return self.counts.get("areas", 0)

    @property
    def figures(self) -> int:
        return self.counts.get("figures", 0)

    @property
    def users(self) -> int:
        return self.counts.get("users", 0)

    @property
    def rows(self) -> int:
        """All rows written, by every step."""
        return sum(self.counts.values())


def synthetic_data_exists() -> bool:
    """Whether an earlier run left synthetic tenants or accounts behind."""
    with scopes_disabled():
        return (
            LocalAuthority.objects.filter(is_synthetic=True).exists() or _synthetic_users().exists()
        )


def _synthetic_users() -> QuerySet[User]:
    return User.objects.filter(
        email__contains=f"@{SLUG_PREFIX}", email__endswith=f".{EMAIL_DOMAIN}"
    )


def delete_synthetic_data() -> int:
    """Deletes all synthetic tenants with everything they own, and their accounts.

    Returns the number of tenants deleted. Area.parent protects parents from deletion, so the
    tree is cut first; everything else tenant-owned cascades from the tenant.
    """
    with scopes_disabled(), transaction.atomic():
        tenants = LocalAuthority.objects.filter(is_synthetic=True)
        # Figures are many and depend on nothing: one DELETE instead of loading them.
        AreaFigure.objects.filter(local_authority__in=tenants).delete()
        Area.objects.filter(local_authority__in=tenants).update(parent=None)
        count = tenants.count()
        tenants.delete()
        _synthetic_users().delete()
    return count


def generate(
    *, scale: str, seed: int, stdout: Writer | None = None, replace: bool = False
) -> GenerationReport:
    """Writes synthetic tenants, areas, figures and accounts (and other apps' objects).

    All or nothing, in one transaction. Raises ValueError for an unknown scale, or when synthetic
    data exists and ``replace`` is false; with ``replace`` the earlier synthetic data goes first.
    """
    chosen = get_scale(scale)
    started = time.perf_counter()
    timings = []
    ctx = GenerationContext(scale=chosen, seed=seed, rng=random.Random(seed), stdout=stdout)
    with scopes_disabled(), transaction.atomic():
        replaced = 0
        if synthetic_data_exists():
            if not replace:
                raise ValueError(
                    "Synthetic data exists already. Use replace to delete it and generate anew."
                )
            replaced = delete_synthetic_data()
            ctx.log(f"deleted {replaced} earlier synthetic tenants")
        for step in registered_steps():
            ctx.rng = random.Random(f"{seed}:{step.name}")
            rows_before = sum(ctx.counts.values())
            step_started = time.perf_counter()
            step.function(ctx)
            timing = StepTiming(
                step.name,
                time.perf_counter() - step_started,
                sum(ctx.counts.values()) - rows_before,
            )
            timings.append(timing)
            ctx.log(f"{timing.name}: {timing.rows} rows in {timing.seconds:.2f} s")
    return GenerationReport(
        scale=chosen.name,
        seed=seed,
        counts=dict(ctx.counts),
        steps=tuple(timings),
        seconds=time.perf_counter() - started,
        replaced_tenants=replaced,
    )


# --- Core's steps -----------------------------------------------------------------------------


@generator_step(order=10)
def create_tenants(ctx: GenerationContext) -> None:
    """Tenants from the plan, marked synthetic, each with a fictional coordination office."""
    ctx.plans = plan(scale=ctx.scale.name, seed=ctx.seed)
    tenants = [
        LocalAuthority(
            slug=item.slug,
            name=item.name,
            kind=item.kind,
            office_name=f"Koordinierungsstelle Frühe Hilfen {item.name}",
            office_email=f"fruehe-hilfen@{item.slug}.{EMAIL_DOMAIN}",
            guide_name=f"Familienwegweiser {item.place}",
            is_synthetic=True,
        )
        for item in ctx.plans
    ]
    ctx.tenants = LocalAuthority.objects.bulk_create(tenants, batch_size=BATCH_SIZE)
    ctx.counts["tenants"] += len(tenants)


@generator_step(order=20)
def create_areas(ctx: GenerationContext) -> None:
    """The area trees, one level at a time so that each level's parents have ids."""
    level: list[tuple[LocalAuthority, Area | None, AreaPlan]] = [
        (tenant, None, item.root) for tenant, item in zip(ctx.tenants, ctx.plans, strict=True)
    ]
    while level:
        areas = [
            Area(
                local_authority=tenant,
                parent=parent,
                name=node.name,
                kind=node.kind,
                is_central_place=node.is_central_place,
                latitude=node.latitude,
                longitude=node.longitude,
            )
            for tenant, parent, node in level
        ]
        Area.objects.bulk_create(areas, batch_size=BATCH_SIZE)
        ctx.areas.extend(areas)
        ctx.counts["areas"] += len(areas)
        level = [
            (tenant, area, child)
            for (tenant, _parent, node), area in zip(level, areas, strict=True)
            for child in node.children
        ]


# Shares of the population, after German averages (Destatis, BA statistics), rounded.
INDICATOR_SHARES: dict[str, float] = {
    Indicator.CHILDREN_0_3: 0.026,
    Indicator.CHILDREN_3_6: 0.028,
    Indicator.CHILDREN_6_10: 0.037,
    Indicator.CHILDREN_10_18: 0.075,
    Indicator.YOUNG_ADULTS_18_27: 0.085,
    Indicator.BIRTHS: 0.0085,
    Indicator.SINGLE_PARENTS_SGB2: 0.011,
    Indicator.HOUSEHOLDS_SGB2_WITH_CHILDREN: 0.02,
}
_SGB2 = {Indicator.SINGLE_PARENTS_SGB2, Indicator.HOUSEHOLDS_SGB2_WITH_CHILDREN}
FIGURE_INDICATORS: tuple[str, ...] = (Indicator.POPULATION, *INDICATOR_SHARES)


def _population_range(area: Area) -> tuple[int, int]:
    if area.kind == Area.Kind.SOCIAL_SPACE:
        return (3_000, 25_000)
    if area.is_central_place:
        return (4_000, 30_000)
    return (300, 3_000)


def leaf_figures(rng: random.Random, area: Area, years: Sequence[int]) -> list[int]:
    """Values for a leaf area: for each year, one per indicator in ``FIGURE_INDICATORS`` order.

    Population is log-uniform (many small villages, few towns) and drifts a little per year;
    each indicator keeps an area-specific deviation from the average share, and SGB II figures
    share a deprivation factor, higher in cities, as they do in reality.
    """
    low, high = _population_range(area)
    latest = math.exp(rng.uniform(math.log(low), math.log(high)))
    growth = rng.uniform(-0.012, 0.006)
    deprivation = rng.lognormvariate(0, 0.35) * (1.3 if area.kind == Area.Kind.SOCIAL_SPACE else 1)
    factors = {
        indicator: rng.uniform(0.85, 1.15) * (deprivation if indicator in _SGB2 else 1)
        for indicator in INDICATOR_SHARES
    }
    values = []
    for year in years:
        population = latest * (1 + growth) ** (year - years[-1])
        values.append(round(population))
        values.extend(
            round(population * share * factors[indicator] * rng.uniform(0.97, 1.03))
            for indicator, share in INDICATOR_SHARES.items()
        )
    return values


@generator_step(order=30)
def create_figures(ctx: GenerationContext) -> None:
    """Figures for every leaf area and year; parents get the sums of their children."""
    years = ctx.scale.years
    children: defaultdict[int, list[Area]] = defaultdict(list)
    for area in ctx.areas:
        if area.parent_id is not None:
            children[area.parent_id].append(area)
    values: dict[int, list[int]] = {}
    for area in ctx.areas:
        if area.pk not in children:
            values[area.pk] = leaf_figures(ctx.rng, area, years)
    for area in reversed(ctx.areas):
        if area.pk in children:
            values[area.pk] = [
                sum(column)
                for column in zip(*(values[c.pk] for c in children[area.pk]), strict=True)
            ]
    source = ctx.source
    per_year = len(FIGURE_INDICATORS)
    figures = [
        AreaFigure(
            local_authority_id=area.local_authority_id,
            area_id=area.pk,
            year=year,
            indicator=indicator,
            value=values[area.pk][y * per_year + i],
            source=source,
        )
        for area in ctx.areas
        for y, year in enumerate(years)
        for i, indicator in enumerate(FIGURE_INDICATORS)
    ]
    AreaFigure.objects.bulk_create(figures, batch_size=BATCH_SIZE)
    ctx.counts["figures"] += len(figures)


@generator_step(order=40)
def create_users(ctx: GenerationContext) -> None:
    """A coordinator and a partner per tenant, with fictional names and no usable password."""
    users: list[User] = []
    roles: list[tuple[LocalAuthority, str]] = []
    for tenant in ctx.tenants:
        for kind, mailbox in (
            (Role.Kind.COORDINATOR, "koordination"),
            (Role.Kind.PARTNER, "partner"),
        ):
            user = User(
                email=f"{mailbox}@{tenant.slug}.{EMAIL_DOMAIN}",
                full_name=f"{ctx.rng.choice(_FIRST_NAMES)} {ctx.rng.choice(_FICTIONAL_SURNAMES)}",
            )
            # No hashing: an unusable password is a random marker, so this costs nothing.
            user.set_unusable_password()
            users.append(user)
            roles.append((tenant, kind))
    User.objects.bulk_create(users, batch_size=BATCH_SIZE)
    Role.objects.bulk_create(
        [
            Role(local_authority=tenant, user=user, kind=kind)
            for user, (tenant, kind) in zip(users, roles, strict=True)
        ],
        batch_size=BATCH_SIZE,
    )
    ctx.counts["users"] += len(users)
    ctx.counts["roles"] += len(roles)
