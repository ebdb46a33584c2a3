"""The demo's contacts: 18 months of visits, calls and network events in the Altmark.

Konrad Koordinator (Demo) visits the partners where they work and notes what support they need,
what moves them and what they expect of the coordination. Some follow-ups are open (one overdue),
and some organisations were never contacted, so that the "last contact" filter shows something.
Everything is invented. Dates count back from the day the demo is built; otherwise the demo is
the same every time.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.utils import timezone

from knotenpunkt.core.models import Area, LocalAuthority, User
from knotenpunkt.outreach import selectors, services
from knotenpunkt.outreach.models import Contact, WelcomeVisit
from knotenpunkt.partners.models import Affiliation, Organisation

ALTMARK_SLUG = "altmarkkreis-salzwedel-demo"
COORDINATOR_EMAIL = "koordination@altmark-demo.example.org"

VISIT = Contact.Kind.VISIT
CALL = Contact.Kind.CALL
EVENT = Contact.Kind.EVENT
EMAIL = Contact.Kind.EMAIL
VIDEO = Contact.Kind.VIDEO


@dataclass(frozen=True)
class ContactSpec:
    organisation: str  # name without " (Demo)"
    days_ago: int
    kind: str
    needs: str
    topics: str
    expectations: str
    tags: str = ""
    with_head: bool = False  # with the organisation's first person rather than the organisation
    follow_up_in: int | None = None  # days after the contact
    follow_up_note: str = ""
    done: bool = False
    companions: str = ""
    hour: int | None = None


SPECS = [
    ContactSpec(
        "Jugendamt Altmarkkreis",
        540,
        EVENT,
        "Klarheit, wer im ASD für Frühe Hilfen zuständig ist.",
        "Fachkräftemangel im ASD, lange Wartezeiten.",
        "Regelmäßige Fallbesprechungen ohne Namen.",
        "Kinderschutz",
        hour=9,
    ),
    ContactSpec(
        "Gesundheitsamt Altmarkkreis",
        510,
        VISIT,
        "Daten zu Schuleingangsuntersuchungen je Gemeinde.",
        "Sprachauffälligkeiten nehmen zu.",
        "Gemeinsamer Bericht an die Steuerungsgruppe.",
        "Sprachförderung, Kindergesundheit",
        with_head=True,
        follow_up_in=30,
        follow_up_note="Datenlieferung abstimmen",
        done=True,
        hour=10,
    ),
    ContactSpec(
        "Hebammenpraxis Storchennest",
        480,
        VISIT,
        "Vertretung im Urlaub, Räume für Kurse.",
        "Viele Familien ohne Hebamme nach der Geburt.",
        "Werbung für die Familienhebammen bei den Kinderärzten.",
        "Hebammenversorgung",
        with_head=True,
        hour=14,
    ),
    ContactSpec(
        "Kita Sonnenschein",
        450,
        VISIT,
        "Fortbildung zu Kinderschutz für das ganze Team.",
        "Eltern mit wenig Deutschkenntnissen.",
        "Dolmetscherpool des Landkreises nutzen können.",
        "Kinderschutz, Sprachförderung",
        with_head=True,
        follow_up_in=21,
        follow_up_note="Termin für Inhouse-Fortbildung",
        done=True,
        hour=13,
    ),
    ContactSpec(
        "Jobcenter Altmark, Geschäftsstelle Gardelegen",
        420,
        CALL,
        "Ansprechpartner für Alleinerziehende unter 25.",
        "Kinderbetreuung als Hürde bei Maßnahmen.",
        "Infos über Angebote der Familienbildung.",
        "Alleinerziehende",
    ),
    ContactSpec(
        "Familienzentrum Salzwedel",
        400,
        VISIT,
        "Honorarmittel für das Elterncafé.",
        "Einsamkeit junger Mütter auf dem Land.",
        "Hilfe beim Förderantrag.",
        "Familienbildung",
        with_head=True,
        follow_up_in=14,
        follow_up_note="Förderaufruf weiterleiten",
        done=True,
        hour=15,
    ),
    ContactSpec(
        "Kinderarztpraxis Dr. Beispielmann",
        380,
        VISIT,
        "Kurzer Draht zu den Familienhebammen.",
        "Vorsorgeuntersuchungen werden verpasst.",
        "Flyer der Frühen Hilfen im Wartezimmer.",
        "Kindergesundheit",
        hour=12,
    ),
    ContactSpec(
        "Schwangerschaftsberatungsstelle Salzwedel",
        360,
        VIDEO,
        "Mehr Beratungszeit in Gardelegen.",
        "Wohnungsnot werdender Eltern.",
        "Einladung in die AG Schwangerschaft und Geburt.",
        "Schwangerschaft",
    ),
    ContactSpec(
        "Kita Wiesenzwerge",
        330,
        VISIT,
        "Material zur Medienprävention für Eltern.",
        "Kinder mit Tablet schon im Krippenalter.",
        "Ein Elternabend mit Fachreferentin.",
        "Medienprävention",
        with_head=True,
        hour=9,
    ),
    ContactSpec(
        "Erziehungsberatungsstelle Altmark",
        300,
        EVENT,
        "Bekanntheit der offenen Sprechstunde.",
        "Trennungsfamilien, Schulangst.",
        "Vernetzung mit den Grundschulen.",
        "Trennung und Scheidung",
    ),
    ContactSpec(
        "Frühförderstelle Altmark",
        280,
        VISIT,
        "Kürzere Wege zur Diagnostik.",
        "Lange Wartezeit im SPZ.",
        "Gespräch mit dem Gesundheitsamt vermitteln.",
        "Eingliederungshilfe",
        follow_up_in=30,
        follow_up_note="Gespräch mit Gesundheitsamt",
        done=True,
        companions="Kollegin aus dem Gesundheitsamt",
        hour=10,
    ),
    ContactSpec(
        "Jugendamt Altmarkkreis",
        260,
        EMAIL,
        "Zahlen für den Jahresbericht.",
        "Neue Fachstelle Kinderschutz.",
        "Zuarbeit bis Monatsende.",
        "Berichtswesen",
    ),
    ContactSpec(
        "Grundschule Salzwedel-Nord",
        250,
        VISIT,
        "Ansprechpartnerin für den Übergang Kita–Schule.",
        "Kinder kommen ohne Vorschulerfahrung.",
        "Gemeinsamer Elternabend mit den Kitas.",
        "Übergang Kita–Schule",
        with_head=True,
        hour=11,
    ),
    ContactSpec(
        "Mehrgenerationenhaus Klötze",
        230,
        VISIT,
        "Ehrenamtliche für die Familienpatenschaften.",
        "Großeltern weit weg, Familien allein.",
        "Schulung für Ehrenamtliche.",
        "Ehrenamt, Familienpaten",
        hour=16,
    ),
    ContactSpec(
        "Hebammenpraxis Gardelegen",
        210,
        CALL,
        "Abrechnung der Familienhebammenleistungen.",
        "Zu wenig Nachwuchs im Beruf.",
        "Klare Absprachen zur Fallübergabe.",
        "Hebammenversorgung",
        with_head=True,
    ),
    ContactSpec(
        "Ehrenamtsbörse Altmark",
        200,
        EVENT,
        "Räume für Willkommensbesuch-Schulungen.",
        "Nachwuchs an Ehrenamtlichen.",
        "Den Familienwegweiser in neuer Auflage.",
        "Willkommensbesuche",
    ),
    ContactSpec(
        "Kita Pusteblume",
        190,
        VISIT,
        "Sprachkita-Fachkraft nach Ende der Förderung.",
        "Sprachförderung ohne Bundesmittel.",
        "Hinweis auf Landesprogramme.",
        "Sprachförderung",
        with_head=True,
        follow_up_in=60,
        follow_up_note="Landesprogramm prüfen",
        done=True,
        hour=8,
    ),
    ContactSpec(
        "Jobcenter Altmark",
        175,
        VISIT,
        "Kooperationsvereinbarung zu Alleinerziehenden.",
        "900 Alleinerziehende im Leistungsbezug.",
        "Ein gemeinsames Angebot mit dem Familienzentrum.",
        "Alleinerziehende",
        with_head=True,
        hour=10,
    ),
    ContactSpec(
        "Sozialamt Altmarkkreis",
        160,
        VIDEO,
        "Schnittstelle zur Eingliederungshilfe klären.",
        "Familien fallen zwischen die Zuständigkeiten.",
        "Eine Fallkonferenz ohne Namen im Quartal.",
        "Eingliederungshilfe",
    ),
    ContactSpec(
        "Familienzentrum Gardelegen",
        150,
        VISIT,
        "Fahrdienst für Familien aus den Dörfern.",
        "Busverbindungen am Nachmittag fehlen.",
        "Thema in die Steuerungsgruppe tragen.",
        "Mobilität",
        with_head=True,
        hour=14,
    ),
    ContactSpec(
        "Kita Regenbogen",
        140,
        CALL,
        "Beratung bei Verdacht auf Vernachlässigung.",
        "Unsicherheit im Team beim Kinderschutz.",
        "Kontakt zur insoweit erfahrenen Fachkraft.",
        "Kinderschutz",
    ),
    ContactSpec(
        "Kinderarztpraxis Am Markt",
        120,
        VISIT,
        "Übersicht der Angebote für Familien in Gardelegen.",
        "Familien kommen zu spät in die Praxis.",
        "Eine Kurzinfo für das Praxisteam.",
        "Kindergesundheit",
        hour=13,
    ),
    ContactSpec(
        "Gesundheitsamt Altmarkkreis",
        110,
        EVENT,
        "Beteiligung an der Gesundheitskonferenz.",
        "Impfquoten bei Kleinkindern.",
        "Ein gemeinsamer Stand beim Familienfest.",
        "Kindergesundheit",
    ),
    ContactSpec(
        "Kita Kleine Strolche",
        100,
        VISIT,
        "Elternkurse vor Ort statt in Salzwedel.",
        "Anfahrt von Arendsee ist weit.",
        "Das Familienzentrum soll in die Kita kommen.",
        "Familienbildung",
        with_head=True,
        follow_up_in=30,
        follow_up_note="Außensprechstunde anfragen",
        done=True,
        hour=9,
    ),
    ContactSpec(
        "Schwangerschaftsberatung Gardelegen",
        90,
        VISIT,
        "Mehr Informationen zu Babylotsen.",
        "Belastete Schwangere ohne Anbindung.",
        "Eine gemeinsame Fallbesprechung mit der Geburtsklinik.",
        "Schwangerschaft",
        with_head=True,
        hour=11,
    ),
    ContactSpec(
        "Grundschule Gardelegen",
        80,
        CALL,
        "Kontakt zur Schulsozialarbeit.",
        "Schulabsentismus schon in Klasse 2.",
        "Eine Sprechstunde der Erziehungsberatung in der Schule.",
        "Übergang Kita–Schule",
    ),
    ContactSpec(
        "Jugendamt Altmarkkreis",
        70,
        VISIT,
        "Abstimmung der Netzwerkkonferenz.",
        "Neue Kolleginnen im ASD.",
        "Vorstellung der Frühen Hilfen im Teamtreffen.",
        "Netzwerkkonferenz",
        with_head=True,
        follow_up_in=20,
        follow_up_note="Termin im ASD-Team",
        done=True,
        hour=10,
    ),
    ContactSpec(
        "Hebammenpraxis Storchennest",
        60,
        VISIT,
        "Räume für einen Rückbildungskurs in Pretzier.",
        "Familien ohne Auto.",
        "Hilfe bei der Suche nach Räumen.",
        "Hebammenversorgung, Mobilität",
        with_head=True,
        follow_up_in=30,
        follow_up_note="Gemeindehaus Pretzier anfragen",
        hour=15,
    ),
    ContactSpec(
        "Familienzentrum Salzwedel",
        50,
        EVENT,
        "Werbung für das Elterncafé.",
        "Gute Resonanz, aber wenig Väter.",
        "Ein Väterangebot im Netzwerk anregen.",
        "Familienbildung, Väter",
    ),
    ContactSpec(
        "Migrationsberatung Altmark",
        500,
        EMAIL,
        "Übersetzte Flyer der Frühen Hilfen.",
        "Familien aus der Ukraine und Syrien.",
        "Flyer in Ukrainisch und Arabisch.",
        "Mehrsprachigkeit",
    ),
    ContactSpec(
        "Kita Sonnenschein",
        45,
        CALL,
        "Termin für die Fortbildung Teil 2.",
        "Neue Kolleginnen im Team.",
        "Wiederholung der Kinderschutz-Schulung.",
        "Kinderschutz",
        with_head=True,
        follow_up_in=21,
        follow_up_note="Referentin anfragen",
    ),
    ContactSpec(
        "Frühförderstelle Altmark",
        40,
        VIDEO,
        "Plätze für Kinder unter drei.",
        "Wartezeit seit dem Frühjahr gestiegen.",
        "Das Thema in die AG 0–3 bringen.",
        "Eingliederungshilfe",
    ),
    ContactSpec(
        "Kinderarztpraxis Klötze",
        35,
        VISIT,
        "Kontakt zur Familienhebamme im Süden.",
        "Praxis voll, keine Zeit für Beratung.",
        "Eine Familienhebamme in der Praxis, einmal im Monat.",
        "Kindergesundheit, Hebammenversorgung",
        with_head=True,
        follow_up_in=14,
        follow_up_note="Sprechstunde der Familienhebamme klären",
        hour=12,
    ),
    ContactSpec(
        "Erziehungsberatungsstelle Altmark",
        30,
        VISIT,
        "Raum für Außensprechstunde in Kalbe.",
        "Familien in Kalbe finden nicht nach Salzwedel.",
        "Unterstützung bei der Raumsuche.",
        "Trennung und Scheidung, Mobilität",
        with_head=True,
        follow_up_in=28,
        follow_up_note="Bürgermeister Kalbe ansprechen",
        hour=10,
    ),
    ContactSpec(
        "Jobcenter Altmark",
        25,
        EVENT,
        "Teilnahme am Netzwerktreffen Alleinerziehende.",
        "Kinderbetreuung in Randzeiten.",
        "Gemeinsame Info-Veranstaltung.",
        "Alleinerziehende",
    ),
    ContactSpec(
        "Grundschule Salzwedel-Nord",
        20,
        VISIT,
        "Elternabend zum Schulstart planen.",
        "Eltern erreichen, die sonst nicht kommen.",
        "Die Kitas mit an den Tisch holen.",
        "Übergang Kita–Schule",
        with_head=True,
        follow_up_in=10,
        follow_up_note="Kitas einladen",
        hour=14,
    ),
    ContactSpec(
        "Gesundheitsamt Altmarkkreis",
        14,
        CALL,
        "Auswertung der Schuleingangsuntersuchungen.",
        "Übergewicht und Zahngesundheit.",
        "Daten für den Bericht je Gemeinde.",
        "Kindergesundheit",
        follow_up_in=30,
        follow_up_note="Zahlen in den Jahresbericht",
    ),
    ContactSpec(
        "Mehrgenerationenhaus Klötze",
        10,
        VISIT,
        "Fortsetzung der Familienpatenschaften.",
        "Förderung läuft aus.",
        "Hinweis auf Stiftungsmittel.",
        "Ehrenamt, Familienpaten",
        follow_up_in=21,
        follow_up_note="Stiftungen heraussuchen",
        companions="Vera Ehrenamt (Demo)",
        hour=16,
    ),
    ContactSpec(
        "Familienzentrum Gardelegen",
        6,
        EMAIL,
        "Termine für das zweite Halbjahr.",
        "Mobilität bleibt Thema.",
        "Rückmeldung zum Fahrdienst.",
        "Mobilität",
    ),
    ContactSpec(
        "Kita Pusteblume",
        3,
        VISIT,
        "Austausch zur Sprachförderung.",
        "Wie geht es ohne Sprachkita weiter?",
        "Einladung zur AG Sprachförderung.",
        "Sprachförderung",
        with_head=True,
        follow_up_in=14,
        follow_up_note="Einladung zur AG schicken",
        hour=9,
    ),
]


def _head_of(organisation: Organisation) -> Affiliation | None:
    return (
        Affiliation.objects.filter(organisation=organisation, end__isnull=True)
        .select_related("person")
        .order_by("pk")
        .first()
    )


def build_demo(tenant: LocalAuthority) -> None:
    """Fills the Altmark demo's contacts (runs once, inside the tenant's scope)."""
    if tenant.slug != ALTMARK_SLUG or Contact.objects.exists():
        return
    today = timezone.localdate()
    coordinator = User.objects.filter(email=COORDINATOR_EMAIL).first()
    organisations = {
        org.name.removesuffix(" (Demo)"): org for org in Organisation.objects.order_by("name")
    }
    contacts = []
    for spec in SPECS:
        org = organisations.get(spec.organisation)
        if org is None:
            continue
        day = today - datetime.timedelta(days=spec.days_ago)
        head = _head_of(org) if spec.with_head else None
        follow_up = (
            day + datetime.timedelta(days=spec.follow_up_in)
            if spec.follow_up_in is not None
            else None
        )
        contacts.append(
            Contact(
                local_authority=tenant,
                organisation=org,
                person=head.person if head is not None else None,
                kind=spec.kind,
                date=day,
                start_time=datetime.time(spec.hour) if spec.hour is not None else None,
                who=coordinator,
                companions=spec.companions,
                support_needed=spec.needs,
                topics_of_concern=spec.topics,
                expectations=spec.expectations,
                topic_tags=spec.tags,
                follow_up_on=follow_up,
                follow_up_note=spec.follow_up_note,
                follow_up_done=spec.done,
            )
        )
    Contact.objects.bulk_create(contacts)
    _build_tour(tenant, today, coordinator)
    _build_welcome_visits(tenant, today)


#: Opening hours of the demo tour's stops: a school and a practice close early.
TOUR_HOURS = [
    (datetime.time(8, 0), datetime.time(16, 0)),
    (datetime.time(8, 0), datetime.time(12, 0)),
    (datetime.time(9, 0), datetime.time(15, 0)),
    (datetime.time(13, 0), datetime.time(17, 0)),
    (datetime.time(8, 0), datetime.time(14, 0)),
    (datetime.time(8, 0), datetime.time(16, 0)),
]


def _build_tour(tenant: LocalAuthority, today: datetime.date, coordinator: User | None) -> None:
    """A planned tour next Tuesday to the six partners with coordinates not seen for longest."""
    tuesday = today + datetime.timedelta(days=(1 - today.weekday()) % 7 or 7)
    partners = list(
        selectors.with_last_contact(
            Organisation.objects.filter(latitude__isnull=False, longitude__isnull=False)
        ).order_by(selectors.last_contact_order(newest_first=False), "name")[:6]
    )
    tour = services.tour_create(
        actor=coordinator,
        local_authority=tenant,
        date=tuesday,
        day_start=datetime.time(8, 0),
        day_end=datetime.time(16, 30),
    )
    for organisation, (opens, closes) in zip(partners, TOUR_HOURS, strict=False):
        head = _head_of(organisation)
        services.stop_add(
            actor=coordinator,
            tour=tour,
            organisation=organisation,
            person=head.person if head is not None else None,
            service_minutes=45,
            opens=opens,
            closes=closes,
        )
    if tour.start_latitude is not None and partners:
        services.tour_plan(actor=coordinator, tour=tour, time_limit_seconds=0.5)


#: Languages of the demo's welcome visits, most frequent first.
WELCOME_LANGUAGES = ["Deutsch", "Deutsch", "Deutsch", "Arabisch", "Ukrainisch", "Russisch"]


def _build_welcome_visits(tenant: LocalAuthority, today: datetime.date) -> None:
    """Anonymous welcome visit counts for the last twelve months in the towns of the county."""
    rng = random.Random(4)  # noqa: S311 (demo data)
    towns = list(Area.objects.filter(kind=Area.Kind.TOWN).order_by("name")[:6])
    first = today.replace(day=1)
    cells: dict[tuple[int, datetime.date, str], int] = {}
    for back in range(12):
        month = selectors.months_before(first, back)
        for area in towns:
            for _ in range(rng.randint(1, 4)):
                key = (area.pk, month, rng.choice(WELCOME_LANGUAGES))
                cells[key] = cells.get(key, 0) + rng.randint(1, 5)
    WelcomeVisit.objects.bulk_create(
        WelcomeVisit(
            local_authority=tenant,
            area_id=area_id,
            month=month,
            language=language,
            guide_edition="Willkommensmappe 2026" if month.year >= 2026 else "",
            count=count,
        )
        for (area_id, month, language), count in cells.items()
    )
