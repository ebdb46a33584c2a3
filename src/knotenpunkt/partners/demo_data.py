"""The demo's partner register: fictional organisations and professionals at real places.

Every organisation, person, address, phone number and e-mail address here is invented: names
carry "(Demo)" where they could be mistaken for a real institution, streets are "Musterstraße",
phone numbers lie in the range +49 30 123456xx and e-mail addresses end in example.org.
Everything is deterministic: the same demo every time.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q

from knotenpunkt.core.models import Area, LocalAuthority, Role, User
from knotenpunkt.partners.models import (
    Affiliation,
    Consent,
    LocationSource,
    Organisation,
    Person,
    Profession,
    Sector,
    Unit,
)

ALTMARK_SLUG = "altmarkkreis-salzwedel-demo"
MUSTERSTADT_SLUG = "musterstadt-demo"
PARTNER_EMAIL = "partnerin@altmark-demo.example.org"
COORDINATOR_EMAILS = {
    ALTMARK_SLUG: "koordination@altmark-demo.example.org",
    MUSTERSTADT_SLUG: "koordination@musterstadt-demo.example.org",
}

POSTCODES = {
    "Salzwedel": "29410",
    "Pretzier": "29410",
    "Gardelegen": "39638",
    "Letzlingen": "39638",
    "Mieste": "39649",
    "Klötze": "38486",
    "Kusey": "38486",
    "Arendsee (Altmark)": "39619",
    "Kalbe (Milde)": "39624",
    "Beetzendorf": "38489",
    "Jübar": "38489",
    "Dähre": "29413",
    "Kuhfelde": "29416",
}

PUBLIC = Organisation.LegalForm.PUBLIC_BODY
ASSOCIATION = Organisation.LegalForm.ASSOCIATION
PRACTICE = Organisation.LegalForm.PRACTICE
NONPROFIT = Organisation.LegalForm.NONPROFIT_COMPANY


@dataclass(frozen=True)
class OrgSpec:
    name: str
    place: str
    sectors: tuple[str, ...]  # sector codes
    legal_form: str
    staff: tuple[str, ...]  # professions of the people working there
    units: tuple[str, ...] = ()
    serves_county: bool = False


ALTMARK_ORGANISATIONS = [
    OrgSpec(
        "Jugendamt Altmarkkreis (Demo)",
        "Salzwedel",
        ("SGB VIII",),
        PUBLIC,
        (
            "Netzwerkkoordinator:in",
            "Sozialpädagog:in / Sozialarbeiter:in",
            "Familienhebamme",
            "Sozialpädagog:in / Sozialarbeiter:in",
            "Verwaltungsfachkraft",
            "Familien-Gesundheits- und Kinderkrankenpfleger:in (FGKiKP)",
        ),
        ("Allgemeiner Sozialer Dienst (ASD)", "Frühe Hilfen", "Jugendhilfeplanung"),
        True,
    ),
    OrgSpec(
        "Gesundheitsamt Altmarkkreis (Demo)",
        "Salzwedel",
        ("SGB V",),
        PUBLIC,
        ("Mitarbeiter:in Gesundheitsamt", "Kinderärzt:in", "Mitarbeiter:in Gesundheitsamt"),
        ("Kinder- und Jugendärztlicher Dienst", "Sozialpsychiatrischer Dienst"),
        True,
    ),
    OrgSpec(
        "Jobcenter Altmark (Demo)",
        "Salzwedel",
        ("SGB II",),
        PUBLIC,
        ("Jobcenter-Fachkraft", "Jobcenter-Fachkraft"),
        ("Team Alleinerziehende", "Team U25"),
        True,
    ),
    OrgSpec(
        "Jobcenter Altmark, Geschäftsstelle Gardelegen (Demo)",
        "Gardelegen",
        ("SGB II",),
        PUBLIC,
        ("Jobcenter-Fachkraft",),
    ),
    OrgSpec(
        "Sozialamt Altmarkkreis (Demo)",
        "Salzwedel",
        ("SGB XII", "SGB IX"),
        PUBLIC,
        ("Verwaltungsfachkraft", "Sozialpädagog:in / Sozialarbeiter:in"),
        ("Eingliederungshilfe", "Hilfe zum Lebensunterhalt"),
        True,
    ),
    OrgSpec(
        "Kita Sonnenschein (Demo)",
        "Salzwedel",
        ("Kita",),
        ASSOCIATION,
        ("Kita-Leitung", "Erzieher:in"),
    ),
    OrgSpec(
        "Kita Pusteblume (Demo)",
        "Gardelegen",
        ("Kita",),
        ASSOCIATION,
        ("Kita-Leitung", "Erzieher:in"),
    ),
    OrgSpec(
        "Kita Regenbogen (Demo)", "Klötze", ("Kita",), NONPROFIT, ("Kita-Leitung", "Erzieher:in")
    ),
    OrgSpec(
        "Kita Kleine Strolche (Demo)",
        "Arendsee (Altmark)",
        ("Kita",),
        ASSOCIATION,
        ("Kita-Leitung", "Erzieher:in"),
    ),
    OrgSpec(
        "Kita Wiesenzwerge (Demo)",
        "Kalbe (Milde)",
        ("Kita",),
        NONPROFIT,
        ("Kita-Leitung", "Erzieher:in"),
    ),
    OrgSpec(
        "Kita Lindenblatt (Demo)",
        "Beetzendorf",
        ("Kita",),
        ASSOCIATION,
        ("Kita-Leitung", "Erzieher:in"),
    ),
    OrgSpec(
        "Familienzentrum Salzwedel (Demo)",
        "Salzwedel",
        ("SGB VIII", "Quartier"),
        ASSOCIATION,
        ("Sozialpädagog:in / Sozialarbeiter:in", "Erzieher:in"),
        ("Elterncafé", "Beratung"),
    ),
    OrgSpec(
        "Familienzentrum Gardelegen (Demo)",
        "Gardelegen",
        ("SGB VIII",),
        ASSOCIATION,
        ("Sozialpädagog:in / Sozialarbeiter:in", "Erzieher:in"),
    ),
    OrgSpec(
        "Schwangerschaftsberatungsstelle Salzwedel (Demo)",
        "Salzwedel",
        ("SchKG",),
        ASSOCIATION,
        ("Schwangerschaftsberater:in", "Schwangerschaftsberater:in"),
        serves_county=True,
    ),
    OrgSpec(
        "Schwangerschaftsberatung Gardelegen (Demo)",
        "Gardelegen",
        ("SchKG",),
        ASSOCIATION,
        ("Schwangerschaftsberater:in",),
    ),
    OrgSpec(
        "Kinderarztpraxis Dr. Beispielmann (Demo)",
        "Salzwedel",
        ("SGB V",),
        PRACTICE,
        ("Kinderärzt:in",),
    ),
    OrgSpec(
        "Kinderarztpraxis Am Markt (Demo)", "Gardelegen", ("SGB V",), PRACTICE, ("Kinderärzt:in",)
    ),
    OrgSpec("Kinderarztpraxis Klötze (Demo)", "Klötze", ("SGB V",), PRACTICE, ("Kinderärzt:in",)),
    OrgSpec(
        "Frauenarztpraxis Musterfrau (Demo)", "Salzwedel", ("SGB V",), PRACTICE, ("Frauenärzt:in",)
    ),
    OrgSpec(
        "Hebammenpraxis Storchennest (Demo)",
        "Salzwedel",
        ("SGB V", "SGB VIII"),
        PRACTICE,
        ("Hebamme", "Familien-Gesundheits- und Kinderkrankenpfleger:in (FGKiKP)"),
    ),
    OrgSpec(
        "Hebammenpraxis Gardelegen (Demo)",
        "Gardelegen",
        ("SGB V",),
        PRACTICE,
        ("Hebamme", "Familienhebamme"),
    ),
    OrgSpec(
        "Erziehungsberatungsstelle Altmark (Demo)",
        "Salzwedel",
        ("SGB VIII",),
        ASSOCIATION,
        ("Erziehungsberater:in", "Psycholog:in"),
        ("Außensprechstunde Klötze",),
        True,
    ),
    OrgSpec(
        "Frühförderstelle Altmark (Demo)",
        "Gardelegen",
        ("Frühförderung", "SGB IX"),
        NONPROFIT,
        ("Heilpädagog:in", "Heilpädagog:in"),
        serves_county=True,
    ),
    OrgSpec(
        "Grundschule Salzwedel-Nord (Demo)",
        "Salzwedel",
        ("Schule",),
        PUBLIC,
        ("Lehrkraft", "Schulsozialarbeiter:in"),
    ),
    OrgSpec(
        "Grundschule Gardelegen (Demo)",
        "Gardelegen",
        ("Schule",),
        PUBLIC,
        ("Lehrkraft", "Schulsozialarbeiter:in"),
    ),
    OrgSpec(
        "Grundschule Klötze (Demo)",
        "Klötze",
        ("Schule",),
        PUBLIC,
        ("Lehrkraft", "Schulsozialarbeiter:in"),
    ),
    OrgSpec(
        "Grundschule Kalbe (Demo)", "Kalbe (Milde)", ("Schule",), PUBLIC, ("Lehrkraft", "Lehrkraft")
    ),
    OrgSpec(
        "Ehrenamtsbörse Altmark (Demo)",
        "Salzwedel",
        ("Ehrenamt",),
        ASSOCIATION,
        ("Ehrenamtliche:r", "Ehrenamtliche:r"),
        serves_county=True,
    ),
    OrgSpec(
        "Mehrgenerationenhaus Klötze (Demo)",
        "Klötze",
        ("Quartier", "Ehrenamt"),
        ASSOCIATION,
        ("Sozialpädagog:in / Sozialarbeiter:in",),
    ),
    OrgSpec(
        "Migrationsberatung Altmark (Demo)",
        "Salzwedel",
        ("Migration",),
        ASSOCIATION,
        ("Sozialpädagog:in / Sozialarbeiter:in",),
    ),
    OrgSpec(
        "Kinder- und Jugendhaus Arendsee (Demo)",
        "Arendsee (Altmark)",
        ("SGB VIII",),
        ASSOCIATION,
        ("Sozialpädagog:in / Sozialarbeiter:in",),
    ),
    OrgSpec(
        "Polizeirevier Salzwedel, Prävention (Demo)",
        "Salzwedel",
        ("Polizei/Justiz",),
        PUBLIC,
        ("Verwaltungsfachkraft",),
    ),
]

MUSTERSTADT_ORGANISATIONS = [
    OrgSpec(
        "Jugendamt Musterstadt (Demo)",
        "Altstadt",
        ("SGB VIII",),
        PUBLIC,
        ("Netzwerkkoordinator:in", "Sozialpädagog:in / Sozialarbeiter:in"),
        ("Frühe Hilfen", "Bezirkssozialdienst"),
        True,
    ),
    OrgSpec(
        "Gesundheitsamt Musterstadt (Demo)",
        "Altstadt",
        ("SGB V",),
        PUBLIC,
        ("Mitarbeiter:in Gesundheitsamt",),
        serves_county=True,
    ),
    OrgSpec(
        "Jobcenter Musterstadt (Demo)",
        "Nordstadt",
        ("SGB II",),
        PUBLIC,
        ("Jobcenter-Fachkraft",),
        serves_county=True,
    ),
    OrgSpec(
        "Familienzentrum Hafenviertel (Demo)",
        "Hafenviertel",
        ("SGB VIII", "Quartier"),
        ASSOCIATION,
        ("Sozialpädagog:in / Sozialarbeiter:in",),
    ),
    OrgSpec("Kita Gartenstadt (Demo)", "Gartenstadt", ("Kita",), NONPROFIT, ("Kita-Leitung",)),
    OrgSpec(
        "Kinderarztpraxis Lindenhof (Demo)", "Lindenhof", ("SGB V",), PRACTICE, ("Kinderärzt:in",)
    ),
    OrgSpec(
        "Schwangerschaftsberatung Südpark (Demo)",
        "Südpark",
        ("SchKG",),
        ASSOCIATION,
        ("Schwangerschaftsberater:in",),
    ),
    OrgSpec(
        "Grundschule Nordstadt (Demo)",
        "Nordstadt",
        ("Schule",),
        PUBLIC,
        ("Lehrkraft", "Schulsozialarbeiter:in"),
    ),
]

#: Invented but plausible names, combined deterministically.
FIRST_NAMES = [
    "Anja",
    "Bernd",
    "Carola",
    "Dirk",
    "Elke",
    "Frank",
    "Gabriele",
    "Heiko",
    "Ines",
    "Jens",
    "Katrin",
    "Lars",
    "Manuela",
    "Nico",
    "Olga",
    "Peter",
    "Ramona",
    "Sven",
    "Tanja",
    "Uwe",
    "Vanessa",
    "Wolfgang",
    "Yvonne",
    "Zoe",
    "Jana",
    "Marco",
    "Silke",
    "Tobias",
    "Doreen",
    "Kai",
]
LAST_NAMES = [
    "Ackerwinde",
    "Birkenfeld",
    "Dornbusch",
    "Eichental",
    "Fliederweg",
    "Gänseblum",
    "Hasenkamp",
    "Immergrün",
    "Kleeberg",
    "Lindenau",
    "Mohnfeld",
    "Nesselgrund",
    "Quellbach",
    "Rabenhorst",
    "Sonnental",
    "Tannhügel",
    "Ulmenhof",
    "Wiesenkraut",
    "Zaunkönig",
    "Heckenrose",
    "Kornblum",
    "Moorbach",
    "Schilfrohr",
    "Weidenau",
]

DEMO_CONSENT_SCOPE = "Kontaktdaten im Partnerregister und im Verteiler des Netzwerks (Demo)"


def _ascii(text: str) -> str:
    """A name as it would appear in an e-mail address: lower case, umlauts spelled out."""
    text = text.lower()
    for old, new in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(old, new)
    return "".join(ch if ch.isalnum() else "-" for ch in text).strip("-")


def _phone(number: int) -> str:
    return f"+49 30 123456{number % 100:02d}"


def _offset(index: int) -> tuple[float, float]:
    """A small deterministic offset (a few hundred metres) from an area's centre."""
    return ((index * 37 % 11) - 5) * 0.0012, ((index * 53 % 13) - 6) * 0.0018


def _build(
    tenant: LocalAuthority,
    specs: list[OrgSpec],
    *,
    domain: str,
    postcodes: dict[str, str],
    default_postcode: str,
) -> list[Person]:
    areas = {area.name: area for area in Area.objects.filter(local_authority=tenant)}
    top = [area for area in areas.values() if area.parent_id is None]
    sectors = {s.code: s for s in Sector.objects.filter(local_authority=tenant)}
    professions = {p.name: p for p in Profession.objects.filter(local_authority=tenant)}
    coordinator = User.objects.filter(email=COORDINATOR_EMAILS.get(tenant.slug, "")).first()
    people: list[Person] = []
    person_number = 0
    for index, spec in enumerate(specs):
        area: Area | None = areas.get(spec.place)
        lat = lon = None
        if area is not None and area.has_centre:
            d_lat, d_lon = _offset(index)
            lat = round(area.latitude + d_lat, 5)  # type: ignore[operator]
            lon = round(area.longitude + d_lon, 5)  # type: ignore[operator]
        slug = _ascii(spec.name.split(" (")[0])
        org = Organisation.objects.create(
            local_authority=tenant,
            name=spec.name,
            legal_form=spec.legal_form,
            street=f"Musterstraße {index + 1}",
            postcode=postcodes.get(spec.place, default_postcode),
            city=spec.place.split(" (")[0]
            if spec.place in postcodes
            else tenant.name.split(" (")[0],
            area=area,
            latitude=lat,
            longitude=lon,
            location_source=LocationSource.RECORD if lat is not None else LocationSource.NONE,
            phone=_phone(index),
            email=f"kontakt@{slug}.{domain}",
            website=f"https://{slug}.{domain}/",
        )
        org.sectors.set([sectors[code] for code in spec.sectors if code in sectors])
        org.areas_served.set(top if spec.serves_county else ([area] if area else []))
        units = {
            name: Unit.objects.create(
                local_authority=tenant,
                organisation=org,
                name=name,
                kind=Unit.Kind.SERVICE if spec.legal_form == PUBLIC else Unit.Kind.TEAM,
            )
            for name in spec.units
        }
        if "Frühe Hilfen" in units:
            Unit.objects.create(
                local_authority=tenant,
                organisation=org,
                parent=units["Frühe Hilfen"],
                name="Netzwerkkoordination Frühe Hilfen",
                kind=Unit.Kind.TEAM,
            )
        unit_list = list(units.values())
        for position, profession in enumerate(spec.staff):
            first = FIRST_NAMES[(person_number * 7) % len(FIRST_NAMES)]
            last = LAST_NAMES[
                (person_number * 5 + person_number // len(LAST_NAMES)) % len(LAST_NAMES)
            ]
            person = Person.objects.create(
                local_authority=tenant,
                title="Dr." if profession in {"Kinderärzt:in", "Frauenärzt:in"} else "",
                first_name=first,
                last_name=last,
                profession=professions.get(profession),
                functions="Leitung" if position == 0 and len(spec.staff) > 1 else "",
                phone=_phone(40 + person_number),
                email=f"{_ascii(first)}.{_ascii(last)}@{domain}",
                legal_basis=(
                    Person.LegalBasis.CONSENT
                    if person_number % 3 == 0
                    else Person.LegalBasis.PUBLIC_TASK
                ),
            )
            Affiliation.objects.create(
                local_authority=tenant,
                person=person,
                organisation=org,
                unit=unit_list[position % len(unit_list)] if unit_list else None,
                position="Leitung" if position == 0 and len(spec.staff) > 1 else "",
                start=datetime.date(2015 + person_number % 9, 1 + person_number % 12, 1),
            )
            if person_number % 3 == 0:
                Consent.objects.create(
                    local_authority=tenant,
                    person=person,
                    given_on=datetime.date(2024, 1 + person_number % 12, 1 + person_number % 28),
                    method=[Consent.Method.EMAIL, Consent.Method.WRITTEN, Consent.Method.FORM][
                        person_number // 3 % 3
                    ],
                    scope=DEMO_CONSENT_SCOPE,
                    recorded_by=coordinator,
                )
            people.append(person)
            person_number += 1
    return people


def _link_partner(tenant: LocalAuthority) -> None:
    """The demo partner's login becomes a family midwife at the Hebammenpraxis Storchennest."""
    user = User.objects.filter(email=PARTNER_EMAIL).first()
    if user is None or not Role.objects.filter(local_authority=tenant, user=user).exists():
        return
    org = Organisation.objects.get(
        local_authority=tenant, name="Hebammenpraxis Storchennest (Demo)"
    )
    person = Person.objects.create(
        local_authority=tenant,
        first_name="Petra",
        last_name="Partnerin",
        profession=Profession.objects.filter(
            local_authority=tenant, name="Familienhebamme"
        ).first(),
        functions="Familienhebamme im Netzwerk Frühe Hilfen",
        phone=_phone(99),
        email=PARTNER_EMAIL,
        user=user,
        legal_basis=Person.LegalBasis.CONSENT,
    )
    Affiliation.objects.create(
        local_authority=tenant,
        person=person,
        organisation=org,
        position="Familienhebamme",
        start=datetime.date(2021, 4, 1),
    )
    Consent.objects.create(
        local_authority=tenant,
        person=person,
        given_on=datetime.date(2024, 3, 1),
        method=Consent.Method.FORM,
        scope=DEMO_CONSENT_SCOPE,
        recorded_by=User.objects.filter(email=COORDINATOR_EMAILS[ALTMARK_SLUG]).first(),
    )


def _add_former_colleague(tenant: LocalAuthority) -> None:
    """Someone who left years ago: the data protection page suggests checking their record."""
    org = Organisation.objects.get(local_authority=tenant, name="Familienzentrum Salzwedel (Demo)")
    long_ago = datetime.datetime(2020, 6, 30, 12, 0, tzinfo=datetime.UTC)
    person = Person.objects.create(
        local_authority=tenant,
        first_name="Renate",
        last_name="Ruhestand",
        profession=Profession.objects.filter(local_authority=tenant, name="Erzieher:in").first(),
        email="renate.ruhestand@altmark-demo.example.org",
        created_at=long_ago,
        updated_at=long_ago,
    )
    Affiliation.objects.create(
        local_authority=tenant,
        person=person,
        organisation=org,
        start=datetime.date(2009, 8, 1),
        end=datetime.date(2020, 6, 30),
    )


def build_demo(tenant: LocalAuthority) -> None:
    """Fills a demo tenant's partner register (runs once, inside the tenant's scope)."""
    if Organisation.objects.filter(Q(local_authority=tenant)).exists():
        return
    if tenant.slug == ALTMARK_SLUG:
        _build(
            tenant,
            ALTMARK_ORGANISATIONS,
            domain="altmark-demo.example.org",
            postcodes=POSTCODES,
            default_postcode="29410",
        )
        _link_partner(tenant)
        _add_former_colleague(tenant)
    elif tenant.slug == MUSTERSTADT_SLUG:
        _build(
            tenant,
            MUSTERSTADT_ORGANISATIONS,
            domain="musterstadt-demo.example.org",
            postcodes={},
            default_postcode="12345",
        )
