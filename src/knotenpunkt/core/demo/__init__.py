"""The demo: a rural county with real places and a fictional city, with users for every role.

The places of the Altmarkkreis Salzwedel and their coordinates are real (GeoNames, CC BY 4.0, see
``altmark_places.csv``); every figure, person and e-mail address is invented and labelled so.
The city "Musterstadt" is fictional altogether. The two tenants never see each other's data.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django_scopes import scopes_disabled

from knotenpunkt.core.hooks import build_demo_data, install_tenant_defaults
from knotenpunkt.core.models import Area, AreaFigure, Indicator, LocalAuthority, Role, User

PLACES_FILE = Path(__file__).with_name("altmark_places.csv")

#: Printed by ``manage.py demo``; demo accounts are for a local demo only.
DEMO_PASSWORD = "knotenpunkt-demo"  # noqa: S105
DEMO_SOURCE = "Demo-Zahlen (fiktiv; Kreissummen nach öffentlichen Angaben gerundet)"
YEARS = (2022, 2023, 2024)

ALTMARK_SLUG = "altmarkkreis-salzwedel-demo"
MUSTERSTADT_SLUG = "musterstadt-demo"

#: Demo inhabitants of each place including its sub-places (invented, plausible sizes).
ALTMARK_POPULATION = {
    "Salzwedel": 23_400,
    "Pretzier": 620,
    "Gardelegen": 21_900,
    "Letzlingen": 1_480,
    "Mieste": 1_690,
    "Javenitz": 210,
    "Klötze": 9_800,
    "Kusey": 640,
    "Arendsee (Altmark)": 6_600,
    "Kalbe (Milde)": 7_400,
    "Beetzendorf": 1_350,
    "Dähre": 1_420,
    "Jübar": 1_130,
    "Kuhfelde": 1_210,
    "Rohrberg": 720,
    "Wallstawe": 610,
}
#: Public figures of the whole county, rounded: about 83,000 inhabitants and about 900 single
#: parents in households on basic income support (SGB II).
ALTMARK_TOTAL_POPULATION = 83_000
ALTMARK_SINGLE_PARENTS_SGB2 = 900

#: Shares of the population used to derive the demo age bands (typical of rural eastern Germany).
SHARES = {
    Indicator.CHILDREN_0_3: 0.023,
    Indicator.CHILDREN_3_6: 0.025,
    Indicator.CHILDREN_6_10: 0.035,
    Indicator.CHILDREN_10_18: 0.070,
    Indicator.YOUNG_ADULTS_18_27: 0.070,
    Indicator.BIRTHS: 0.0075,
    Indicator.SINGLE_PARENTS_SGB2: ALTMARK_SINGLE_PARENTS_SGB2 / ALTMARK_TOTAL_POPULATION,
    Indicator.HOUSEHOLDS_SGB2_WITH_CHILDREN: 0.021,
}

MUSTERSTADT_DISTRICTS = [
    # name, lat, lon, inhabitants — all fictional
    ("Altstadt", 51.5140, 7.4650, 18_200),
    ("Nordstadt", 51.5290, 7.4580, 31_500),
    ("Hafenviertel", 51.5230, 7.4310, 12_800),
    ("Gartenstadt", 51.5020, 7.4980, 22_400),
    ("Lindenhof", 51.4960, 7.4420, 15_900),
    ("Südpark", 51.4880, 7.4710, 26_300),
]


@dataclass(frozen=True)
class DemoLogin:
    email: str
    name: str
    description: str


DEMO_USERS: list[tuple[str, str, str, list[tuple[str, str]]]] = [
    # e-mail, name, description, [(tenant slug, role)]
    (
        "koordination@altmark-demo.example.org",
        "Konrad Koordinator (Demo)",
        "Netzwerkkoordination Altmarkkreis",
        [(ALTMARK_SLUG, Role.Kind.COORDINATOR)],
    ),
    (
        "partnerin@altmark-demo.example.org",
        "Petra Partnerin (Demo)",
        "Netzwerkpartnerin (Familienhebamme) im Altmarkkreis",
        [(ALTMARK_SLUG, Role.Kind.PARTNER)],
    ),
    (
        "steuerung@altmark-demo.example.org",
        "Stefan Steuerung (Demo)",
        "Steuerungsgruppe Altmarkkreis",
        [(ALTMARK_SLUG, Role.Kind.STEERING)],
    ),
    (
        "ehrenamt@altmark-demo.example.org",
        "Vera Ehrenamt (Demo)",
        "Ehrenamtliche für Willkommensbesuche",
        [(ALTMARK_SLUG, Role.Kind.VOLUNTEER)],
    ),
    (
        "koordination@musterstadt-demo.example.org",
        "Mara Muster (Demo)",
        "Netzwerkkoordination Musterstadt",
        [(MUSTERSTADT_SLUG, Role.Kind.COORDINATOR)],
    ),
    (
        "verbund@example.org",
        "Mira Mehrfach (Demo)",
        "Rollen in beiden Demo-Kommunen (Wechsel oben rechts)",
        [(ALTMARK_SLUG, Role.Kind.STEERING), (MUSTERSTADT_SLUG, Role.Kind.COORDINATOR)],
    ),
]
ADMIN_EMAIL = "admin@example.org"


def read_places() -> list[dict[str, str]]:
    """The Altmark places from the project's fixture (comment lines skipped)."""
    with PLACES_FILE.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines))


def demo_figures(population: int, year: int) -> dict[str, int]:
    """Plausible figures for a place of ``population`` (its 2024 level); earlier years are a little
    higher, as the rural county shrinks by about 0.8 % a year."""
    scaled = round(population * (1 + 0.008 * (YEARS[-1] - year)))
    figures = {Indicator.POPULATION.value: scaled}
    for indicator, share in SHARES.items():
        figures[indicator.value] = round(scaled * share)
    return figures


def _add_figures(tenant: LocalAuthority, area: Area, population: int) -> list[AreaFigure]:
    return [
        AreaFigure(
            local_authority=tenant,
            area=area,
            year=year,
            indicator=indicator,
            value=value,
            source=DEMO_SOURCE,
        )
        for year in YEARS
        for indicator, value in demo_figures(population, year).items()
    ]


def _build_altmark() -> LocalAuthority:
    tenant = LocalAuthority.objects.create(
        slug=ALTMARK_SLUG,
        name="Altmarkkreis Salzwedel (Demo)",
        kind=LocalAuthority.Kind.LANDKREIS,
        office_name="Koordinierungsstelle Frühe Hilfen (Demo)",
        office_email="fruehe-hilfen@altmark-demo.example.org",
        office_phone="+49 3901 000000",
        office_address="Musterstraße 1\n29410 Salzwedel",
        guide_name="Familienwegweiser Altmark (Demo)",
        brand_colour="#2f6b3a",
        is_demo=True,
    )
    places = read_places()
    lats = [float(p["lat"]) for p in places]
    lons = [float(p["lon"]) for p in places]
    county = Area.objects.create(
        local_authority=tenant,
        name="Altmarkkreis Salzwedel",
        kind=Area.Kind.COUNTY,
        official_key="15081",
        latitude=round(sum(lats) / len(lats), 5),
        longitude=round(sum(lons) / len(lons), 5),
    )
    figures = _add_figures(tenant, county, ALTMARK_TOTAL_POPULATION)
    areas: dict[str, Area] = {}
    # Towns first, so that their Ortsteile find their parent.
    for place in sorted(places, key=lambda p: bool(p["parent"])):
        central = place["central_town"] == "yes"
        parent = areas[place["parent"]] if place["parent"] else county
        if place["parent"]:
            kind = Area.Kind.DISTRICT
        elif central or place["name"] in {"Arendsee (Altmark)", "Kalbe (Milde)"}:
            kind = Area.Kind.TOWN
        else:
            kind = Area.Kind.MUNICIPALITY
        area = Area.objects.create(
            local_authority=tenant,
            parent=parent,
            name=place["name"],
            kind=kind,
            is_central_place=central,
            latitude=float(place["lat"]),
            longitude=float(place["lon"]),
        )
        areas[place["name"]] = area
        figures += _add_figures(tenant, area, ALTMARK_POPULATION[place["name"]])
    AreaFigure.objects.bulk_create(figures)
    return tenant


def _build_musterstadt() -> LocalAuthority:
    tenant = LocalAuthority.objects.create(
        slug=MUSTERSTADT_SLUG,
        name="Musterstadt (Demo)",
        kind=LocalAuthority.Kind.KREISFREIE_STADT,
        office_name="Präventionskette Musterstadt (Demo)",
        office_email="praeventionskette@musterstadt-demo.example.org",
        guide_name="Wegweiser für Familien in Musterstadt (Demo)",
        brand_colour="#7a2e6b",
        is_demo=True,
    )
    city = Area.objects.create(
        local_authority=tenant,
        name="Musterstadt",
        kind=Area.Kind.CITY,
        is_central_place=True,
        latitude=51.51,
        longitude=7.465,
    )
    total = sum(district[3] for district in MUSTERSTADT_DISTRICTS)
    figures = _add_figures(tenant, city, total)
    for name, lat, lon, population in MUSTERSTADT_DISTRICTS:
        district = Area.objects.create(
            local_authority=tenant,
            parent=city,
            name=name,
            kind=Area.Kind.SOCIAL_SPACE,
            latitude=lat,
            longitude=lon,
        )
        figures += _add_figures(tenant, district, population)
    AreaFigure.objects.bulk_create(figures)
    return tenant


def demo_exists() -> bool:
    return LocalAuthority.objects.filter(slug__in=[ALTMARK_SLUG, MUSTERSTADT_SLUG]).exists()


@transaction.atomic
def load_demo(*, reset: bool = False) -> list[DemoLogin]:
    """Creates both demo tenants and the demo users; with ``reset``, replaces earlier demo data.

    Without ``reset`` an existing demo is left as it is (the logins are returned all the same).
    """
    with scopes_disabled():
        if reset:
            LocalAuthority.objects.filter(slug__in=[ALTMARK_SLUG, MUSTERSTADT_SLUG]).delete()
            User.objects.filter(
                email__in=[email for email, *_rest in DEMO_USERS] + [ADMIN_EMAIL]
            ).delete()
        if not demo_exists():
            tenants = {ALTMARK_SLUG: _build_altmark(), MUSTERSTADT_SLUG: _build_musterstadt()}
            users = []
            for email, name, _description, _roles in DEMO_USERS:
                user = User(email=email, full_name=name)
                user.set_password(DEMO_PASSWORD)
                users.append(user)
            admin = User(
                email=ADMIN_EMAIL, full_name="Ada Admin (Demo)", is_staff=True, is_superuser=True
            )
            admin.set_password(DEMO_PASSWORD)
            by_email = {u.email: u for u in User.objects.bulk_create([*users, admin])}
            Role.objects.bulk_create(
                Role(local_authority=tenants[slug], user=by_email[email], kind=kind)
                for email, _name, _description, roles in DEMO_USERS
                for slug, kind in roles
            )
            for tenant in tenants.values():
                install_tenant_defaults(tenant)
                build_demo_data(tenant)
    logins = [DemoLogin(email, name, description) for email, name, description, _r in DEMO_USERS]
    logins.append(DemoLogin(ADMIN_EMAIL, "Ada Admin (Demo)", "Instanz-Administration (/admin/)"))
    return logins
