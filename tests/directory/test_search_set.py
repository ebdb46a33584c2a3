"""The shared search test set: German queries as families type them, over a fixed set of offers.

CI runs it on SQLite and on PostgreSQL; the expected hits are exact, so passing on both means
both backends give the same results.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

import pytest
from django_scopes import scopes_disabled

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.directory.models import Service, TaxonomyTerm
from knotenpunkt.directory.search import search_index_rebuild, search_services
from tests.directory.factories import (
    AddressFactory,
    LocationFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    ServiceTranslationFactory,
    TaxonomyFactory,
    TopicFactory,
)
from tests.partners.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

SALZWEDEL = (52.85, 11.15)
GARDELEGEN = (52.52, 11.39)
KLOETZE = (52.63, 11.16)

#: name, provider, topic, description, months from–to, costs, town
OFFERS = [
    (
        "Hebammensprechstunde",
        "Hebammenpraxis Altmark",
        "Schwangerschaft und Geburt",
        "Offene Sprechstunde für Schwangere und Mütter nach der Geburt.",
        (-9, 12),
        "free",
        "Salzwedel",
    ),
    (
        "Stillcafé",
        "Familienzentrum Gardelegen",
        "Stillförderung",
        "Treffen für stillende Mütter mit ihren Babys, begleitet von einer Stillberaterin.",
        (0, 12),
        "free",
        "Gardelegen",
    ),
    (
        "Schwangerschaftsberatung",
        "Diakonie Altmark",
        "Schwangerschaftsberatung",
        "Beratung in der Schwangerschaft, zu finanziellen Hilfen und Anträgen, auch anonym.",
        (-9, 36),
        "free",
        "Salzwedel",
    ),
    (
        "Eltern-Kind-Gruppe",
        "Familienzentrum Salzwedel",
        "Eltern-Kind-Angebote",
        "Spielen, singen und Austausch für Eltern mit Kindern von einem bis drei Jahren.",
        (12, 36),
        "free",
        "Salzwedel",
    ),
    (
        "Erziehungsberatung",
        "Caritas Altmark",
        "Erziehungsberatung",
        "Beratung für Eltern, Kinder und Jugendliche bei Fragen zur Erziehung und bei Konflikten.",
        (0, 216),
        "free",
        "Gardelegen",
    ),
    (
        "Schuldnerberatung",
        "Verbraucherhilfe Altmark",
        "Finanzielle Hilfen",
        "Hilfe bei Schulden, Haushaltsplan und Verhandlungen mit Gläubigern.",
        (None, None),
        "free",
        "Salzwedel",
    ),
    (
        "Frühförderung",
        "Lebenshilfe Altmark",
        "Entwicklungsförderung",
        "Förderung von Kindern mit Entwicklungsverzögerung oder Behinderung bis zur Schule.",
        (0, 72),
        "free",
        "Klötze",
    ),
    (
        "Geburtsvorbereitungskurs",
        "Hebammenpraxis Altmark",
        "Schwangerschaft und Geburt",
        "Kurs für werdende Eltern zur Vorbereitung auf die Entbindung.",
        (-9, 0),
        "fee",
        "Salzwedel",
    ),
    (
        "Babymassage",
        "Familienzentrum Gardelegen",
        "Eltern-Kind-Angebote",
        "Kurs für Eltern mit Babys von sechs Wochen bis sechs Monaten.",
        (1, 6),
        "reduced",
        "Gardelegen",
    ),
    (
        "Kinderarztpraxis Dr. Neumann",
        "Kinderarztpraxis Dr. Neumann",
        "Gesundheit",
        "Vorsorgeuntersuchungen und Impfungen für Kinder und Jugendliche.",
        (0, 216),
        "free",
        "Klötze",
    ),
    (
        "Elternkurs Starke Eltern – Starke Kinder",
        "Caritas Altmark",
        "Elternbildung",
        "Stärkt Mütter und Väter im Alltag mit ihren Kindern.",
        (24, 144),
        "reduced",
        "Gardelegen",
    ),
    (
        "Familienhebamme",
        "Gesundheitsamt Altmarkkreis",
        "Frühe Hilfen",
        "Aufsuchende Begleitung von Familien mit Säuglingen im ersten Lebensjahr.",
        (-3, 12),
        "free",
        "Gardelegen",
    ),
    (
        "Frauenhaus Altmark",
        "Frauen helfen Frauen e. V.",
        "Schutz bei Gewalt",
        "Schutz und Unterkunft für Frauen und ihre Kinder.",
        (None, None),
        "free",
        "Gardelegen",  # confidential: the town must not be found
    ),
]

TOWNS = {
    "Salzwedel": (SALZWEDEL, "29410"),
    "Gardelegen": (GARDELEGEN, "39638"),
    "Klötze": (KLOETZE, "38486"),
}


def build_offers(tenant: LocalAuthority, other_tenant: LocalAuthority) -> dict[str, int]:
    """Writes the test set's offers (and some that must never be found); returns name → id."""
    ids: dict[str, int] = {}
    with scopes_disabled():
        taxonomy = TaxonomyFactory(local_authority=tenant, is_topics=True)
        topics: dict[str, TaxonomyTerm] = {}
        providers: dict[str, object] = {}
        for name, provider, topic, description, (low, high), costs, town in OFFERS:
            if provider not in providers:
                providers[provider] = OrganisationFactory(local_authority=tenant, name=provider)
            if topic not in topics:
                topics[topic] = cast(TaxonomyTerm, TopicFactory(taxonomy=taxonomy, name=topic))
            service = cast(
                Service,
                ServiceFactory(
                    organisation=providers[provider],
                    name=name,
                    description=description,
                    min_age_months=low,
                    max_age_months=high,
                    cost_type=costs,
                ),
            )
            service.topics.set([topics[topic]])
            (lat, lon), postcode = TOWNS[town]
            location = LocationFactory(
                organisation=service.organisation,
                name="",
                latitude=lat,
                longitude=lon,
                confidential=name.startswith("Frauenhaus"),
            )
            AddressFactory(location=location, city=town, postal_code=postcode)
            ServiceAtLocationFactory(service=service, location=location)
            ids[name] = service.pk
        ServiceTranslationFactory(
            service_id=ids["Stillcafé"],
            language="en",
            name="Breastfeeding café",
            description="Meeting for breastfeeding mothers and their babies.",
        )
        ServiceTranslationFactory(
            service_id=ids["Hebammensprechstunde"],
            language="ar",
            name="استشارة القابلة",
            description="استشارة مفتوحة للحوامل والأمهات بعد الولادة.",
        )
        ServiceFactory(
            organisation=providers["Familienzentrum Salzwedel"],
            name="Krabbelgruppe für Fachkräfte",
            visibility=Service.Visibility.PROFESSIONALS,
        )
        ServiceFactory(
            organisation=providers["Hebammenpraxis Altmark"],
            name="Hebammensprechstunde (beendet)",
            status=Service.Status.DEFUNCT,
        )
        ServiceFactory(
            organisation=OrganisationFactory(local_authority=other_tenant),
            name="Hebammensprechstunde im Nachbarkreis",
        )
    search_index_rebuild()
    return ids


@dataclass(frozen=True)
class Case:
    query: str
    top: list[str]  # the first hits, in this order
    also: set[str] = field(default_factory=set)  # found as well, anywhere in the list
    language: str = "de"
    exact: bool = False  # nothing else is found

    def __str__(self) -> str:
        return self.query


CASES = [
    Case("Hebamme", ["Hebammensprechstunde", "Familienhebamme"], {"Geburtsvorbereitungskurs"}),
    Case("Hebammen", ["Hebammensprechstunde", "Familienhebamme"]),
    Case("Hebame", ["Hebammensprechstunde", "Familienhebamme"]),
    Case("ich suche eine Hebamme", ["Hebammensprechstunde", "Familienhebamme"]),
    Case("Hebamme Salzwedel", ["Hebammensprechstunde", "Geburtsvorbereitungskurs"], exact=True),
    Case("Beratung", ["Schwangerschaftsberatung", "Erziehungsberatung", "Schuldnerberatung"]),
    Case("Beratungen", ["Schwangerschaftsberatung", "Erziehungsberatung", "Schuldnerberatung"]),
    Case("Schwangerschaftsberatung", ["Schwangerschaftsberatung"]),
    Case("Schwangerschaftsberatnug", ["Schwangerschaftsberatung"]),
    Case("schwanger", ["Schwangerschaftsberatung", "Hebammensprechstunde"]),
    Case("Stillgruppe", ["Stillcafé"]),
    Case("Stillcafe", ["Stillcafé"], exact=True),
    Case("Stilcafe", ["Stillcafé"], exact=True),
    Case("Krabbelgruppe", ["Eltern-Kind-Gruppe"], exact=True),
    Case("Eltern-Kind-Gruppe", ["Eltern-Kind-Gruppe"]),
    Case("Erziehungsberatung", ["Erziehungsberatung"]),
    Case("Schulden", ["Schuldnerberatung"], exact=True),
    Case("Frühförderung", ["Frühförderung"], exact=True),
    Case("Fruehfoerderung", ["Frühförderung"], exact=True),
    Case("Frühfördrung", ["Frühförderung"], exact=True),
    Case("Geburtsvorbereitung", ["Geburtsvorbereitungskurs"], exact=True),
    Case("Kurse", ["Geburtsvorbereitungskurs", "Elternkurs Starke Eltern – Starke Kinder"]),
    Case("Babys", ["Babymassage", "Stillcafé"], {"Familienhebamme"}),
    Case("Kinderarzt", ["Kinderarztpraxis Dr. Neumann"], exact=True),
    Case("Säugling", ["Babymassage"], {"Familienhebamme"}),
    Case("Entwicklung", ["Frühförderung"], exact=True),
    Case("häusliche Gewalt", ["Frauenhaus Altmark"], exact=True),
    Case("Frauenhaus Gardelegen", [], exact=True),  # a shelter's town is never searchable
    Case("Zahnarzt", [], exact=True),
    Case("breastfeeding", ["Stillcafé"], language="en", exact=True),
    Case("القابلة", ["Hebammensprechstunde"], language="ar", exact=True),
]


def _check(case: Case, found: list[str], ranks: list[float]) -> str:
    if found[: len(case.top)] != case.top:
        return f"first hits {found[: len(case.top)]}, expected {case.top}"
    if not case.also <= set(found):
        return f"missing {sorted(case.also - set(found))}"
    if case.exact and found != case.top:
        return f"found {found}, expected only {case.top}"
    if ranks != sorted(ranks, reverse=True):
        return f"ranks out of order: {ranks}"
    return ""


def test_it_finds_what_families_look_for(
    tenant: LocalAuthority, other_tenant: LocalAuthority
) -> None:
    """All cases against one build of the set (building it per case would take 30 times as long)."""
    ids = build_offers(tenant, other_tenant)
    names = {pk: name for name, pk in ids.items()}
    failures = []
    for case in CASES:
        hits = search_services(tenant, case.query, language=case.language)
        found = [names.get(hit.service_id, f"unexpected #{hit.service_id}") for hit in hits]
        problem = _check(case, found, [hit.rank for hit in hits])
        if problem:
            failures.append(f"{case.query!r}: {problem}")
    assert not failures, "\n".join(failures)


def test_the_set_has_enough_cases() -> None:
    assert len(CASES) >= 25
