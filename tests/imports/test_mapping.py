"""Suggesting, correcting and remembering which column holds what."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.imports.mapping import extract, normalise, split_name, suggest_mapping
from tests.imports.helpers import confirm_mapping, latest_batch, upload


def test_it_suggests_from_german_and_english_headers() -> None:
    headers = [
        "Träger",
        "Fachdienst",
        "Vorname",
        "Name",
        "Tel.",
        "Handy",
        "Mail",
        "Str.",
        "PLZ",
        "Gemeinde",
        "Rechtskreis",
        "Gremium",
        "Notizen",
        "Homepage",
        "Funktion",
        "Titel",
        "Berufsgruppe",
        "Irgendwas",
    ]
    assert suggest_mapping(headers) == [
        "organisation",
        "unit",
        "first_name",
        "last_name",
        "phone",
        "mobile",
        "email",
        "street",
        "postcode",
        "city",
        "sector",
        "body",
        "notes",
        "website",
        "functions",
        "title",
        "profession",
        "",
    ]
    assert suggest_mapping(["Organization", "Contact person", "E-mail address", "Zip"]) == [
        "organisation",
        "full_name",
        "email",
        "postcode",
    ]
    assert suggest_mapping(["Einrichtungen", "Ansprechpartnerin", "Telefonnr."]) == [
        "organisation",
        "full_name",
        "phone",
    ]


@pytest.mark.parametrize(
    ("full", "expected"),
    [
        ("Dr. Anna Müller", ("Dr.", "Anna", "Müller")),
        ("Müller, Anna", ("", "Anna", "Müller")),
        ("Frau Anna Maria von der Heide", ("", "Anna Maria", "von der Heide")),
        ("Schmidt", ("", "", "Schmidt")),
    ],
)
def test_it_splits_full_names(full: str, expected: tuple[str, str, str]) -> None:
    assert split_name(full) == expected


def test_it_checks_values_and_keeps_the_problem_next_to_the_field() -> None:
    record = extract(
        ["Kita", "a@b", "12", "1234567", "kita-a.de"],
        ["organisation", "email", "phone", "postcode", "website"],
    )
    assert set(record.problems) == {"email", "phone", "postcode"}
    assert record.values["website"] == "https://kita-a.de"
    assert extract(["", ""], ["organisation", "last_name"]).problems


@given(st.text(max_size=40))
def test_normalise_and_suggest_never_crash(text: str) -> None:
    normalise(text)
    assert len(suggest_mapping([text, text])) == 2
    split_name(text or "x")


@pytest.mark.django_db
def test_the_chosen_mapping_is_offered_next_time(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    data = b"Einrichtung;Kontakt;Xyz\nKita A;Anna Meier;1\n"
    upload(coordinator_client, tenant, data, "a.csv")
    batch = latest_batch()
    assert batch.mapping == ["organisation", "full_name", ""]
    batch.mapping = ["organisation", "full_name", "notes"]
    confirm_mapping(coordinator_client, tenant, batch)
    upload(coordinator_client, tenant, b"Einrichtung;Kontakt;Xyz\nKita B;Bo Berg;2\n", "b.csv")
    assert latest_batch().mapping == ["organisation", "full_name", "notes"]
