"""Factories and sample sheets for the import tests."""

from __future__ import annotations

import io

import factory
from factory.django import DjangoModelFactory
from openpyxl import Workbook

from knotenpunkt.bodies.models import Body, BodyKind
from knotenpunkt.partners.models import Affiliation, Organisation, Person, Profession, Sector
from tests.factories import LocalAuthorityFactory


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    name = factory.Sequence(lambda n: f"Einrichtung {n}")


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    first_name = "Anna"
    last_name = factory.Sequence(lambda n: f"Beispiel{n}")


class AffiliationFactory(DjangoModelFactory):
    class Meta:
        model = Affiliation

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    local_authority = factory.SelfAttribute("person.local_authority")


class ProfessionFactory(DjangoModelFactory):
    class Meta:
        model = Profession

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    name = factory.Sequence(lambda n: f"Beruf {n}")


class SectorFactory(DjangoModelFactory):
    class Meta:
        model = Sector

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    name = factory.Sequence(lambda n: f"Sektor {n}")


class BodyKindFactory(DjangoModelFactory):
    class Meta:
        model = BodyKind

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    name = factory.Sequence(lambda n: f"Art {n}")


class BodyFactory(DjangoModelFactory):
    class Meta:
        model = Body

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    name = factory.Sequence(lambda n: f"Gremium {n}")
    kind = factory.SubFactory(
        BodyKindFactory, local_authority=factory.SelfAttribute("..local_authority")
    )
    level = Body.Level.OPERATIVE


MESSY_HEADER = [
    "Träger / Einrichtung",
    "Ansprechpartner:in",
    "Beruf",
    "Telefon",
    "E-Mail",
    "Straße",
    "PLZ",
    "Ort",
    "Arbeitskreis",
    "Bemerkung",
]


def messy_workbook() -> bytes:
    """A coordinator's list: title rows, merged organisation cells, umlauts, a duplicate,
    an invalid e-mail and a formula."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Partner 2024"
    sheet.append(["Netzwerk Frühe Hilfen – Partnerliste (Stand: März 2024)"])
    sheet.merge_cells("A1:J1")
    sheet.append([])
    sheet.append(MESSY_HEADER)
    rows = [
        [
            "Gesundheitsamt Altmarkkreis",
            "Dr. Jürgen Köhler",
            "Kinderärzt:in",
            "03901 840-100",
            "j.koehler@altmarkkreis.de",
            "Karl-Marx-Straße 32",
            6108,
            "Salzwedel",
            "AK Frühe Hilfen",
            "",
        ],
        [
            None,
            "Müller, Änne",
            "Familienhebamme",
            "03901 840-101",
            "aenne.mueller@example.org",
            None,
            None,
            None,
            "AK Frühe Hilfen",
            "=1+1",
        ],
        [
            "Kita Sonnenschein",
            "Sabine Weiß",
            "Erzieher:in",
            "+49 3909 12345",
            "not-an-email",
            "Schulstraße 5",
            "29410",
            "Salzwedel",
            "",
            "",
        ],
        [
            "Gesundheitsamt Altmarkkreis",
            "Dr. Jürgen Köhler",
            "Kinderärzt:in",
            "03901 840-100",
            "j.koehler@altmarkkreis.de",
            "Karl-Marx-Straße 32",
            6108,
            "Salzwedel",
            "",
            "doppelt",
        ],
        [
            "Beratungsstelle Löwenzahn e.V.",
            "Frau Petra Groß",
            "Sozialpädagog:in",
            "03901 555",
            "p.gross@loewenzahn.de",
            "Bahnhofstr. 1",
            "39638",
            "Gardelegen",
            "Unbekannter AK",
            "",
        ],
    ]
    for row in rows:
        sheet.append(row)
    # The organisation of rows 4 and 5 (sheet rows) is merged down, as coordinators do.
    sheet.merge_cells("A4:A5")
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def windows_csv() -> bytes:
    """The same kind of list, saved by an old Excel: Windows-1252, semicolons, a title line."""
    text = (
        "Partnerliste Landkreis;;;;\r\n"
        "Einrichtung;Vorname;Nachname;Tel.;Mail;PLZ;Ort\r\n"
        "Jugendamt Salzwedel;Björn;Schäfer;03901 840 200;b.schaefer@example.org;29410;Salzwedel\r\n"
        "Jugendamt Salzwedel;Käthe;Weiß;03901 840 201;k.weiss@example.org;29410;Salzwedel\r\n"
        "Praxis Dr. Öztürk;Ayşe;Öztürk;;praxis@example.org;2941;Salzwedel\r\n"
    )
    return text.replace("ş", "s").encode("cp1252")
