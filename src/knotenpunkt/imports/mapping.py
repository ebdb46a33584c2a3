"""Which column of a coordinator's sheet holds what: suggestions, names and row extraction.

Pure: no ORM. A *mapping* is a list with one entry per column of the sheet: the key of a
:data:`TARGETS` field, or ``""`` for a column that is not imported. One row of the sheet describes
a person with their organisation (the usual coordinator's list) or, when no person column is
mapped, an organisation alone.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rapidfuzz import fuzz, process


@dataclass(frozen=True)
class Target:
    key: str
    label: Promise
    synonyms: tuple[str, ...]
    max_length: int = 200


TARGETS: tuple[Target, ...] = (
    Target(
        "organisation",
        gettext_lazy("Organisation: name"),
        (
            "träger",
            "einrichtung",
            "organisation",
            "institution",
            "organization",
            "name der einrichtung",
            "einrichtungsname",
            "träger einrichtung",
            "netzwerkpartner",
            "partner",
            "firma",
            "dienststelle",
            "praxis",
            "provider",
            "company",
        ),
    ),
    Target(
        "unit",
        gettext_lazy("Organisation: unit"),
        ("fachdienst", "abteilung", "team", "fachbereich", "bereich intern", "unit", "department"),
    ),
    Target(
        "full_name",
        gettext_lazy("Person: full name"),
        (
            "ansprechpartner",
            "ansprechperson",
            "kontaktperson",
            "name",
            "vollständiger name",
            "person",
            "fachkraft",
            "contact person",
            "contact",
            "full name",
        ),
        100,
    ),
    Target(
        "first_name",
        gettext_lazy("Person: first name"),
        ("vorname", "first name", "given name"),
        100,
    ),
    Target(
        "last_name",
        gettext_lazy("Person: last name"),
        ("nachname", "familienname", "zuname", "last name", "surname", "family name"),
        100,
    ),
    Target(
        "title", gettext_lazy("Person: title"), ("titel", "akad titel", "title", "anrede titel"), 40
    ),
    Target(
        "profession",
        gettext_lazy("Person: profession"),
        ("beruf", "profession", "berufsgruppe", "berufsbezeichnung", "occupation", "qualifikation"),
    ),
    Target(
        "functions",
        gettext_lazy("Person: function"),
        ("funktion", "funktionen", "position", "stelle", "function", "role", "rolle"),
    ),
    Target(
        "phone",
        gettext_lazy("Phone"),
        (
            "telefon",
            "tel",
            "telefonnummer",
            "tel nr",
            "festnetz",
            "phone",
            "telephone",
            "rufnummer",
        ),
        50,
    ),
    Target(
        "mobile",
        gettext_lazy("Mobile"),
        ("mobil", "handy", "mobiltelefon", "mobile", "cell phone"),
        50,
    ),
    Target(
        "email",
        gettext_lazy("E-mail"),
        ("e mail", "email", "mail", "e mail adresse", "mailadresse", "email address"),
        254,
    ),
    Target(
        "street",
        gettext_lazy("Organisation: street and number"),
        (
            "straße",
            "str",
            "strasse",
            "straße und hausnummer",
            "anschrift",
            "adresse",
            "street",
            "address",
        ),
    ),
    Target(
        "postcode",
        gettext_lazy("Organisation: postcode"),
        ("plz", "postleitzahl", "postcode", "zip", "postal code"),
        5,
    ),
    Target(
        "city",
        gettext_lazy("Organisation: town"),
        ("ort", "stadt", "gemeinde", "wohnort", "town", "city", "place"),
        120,
    ),
    Target(
        "sector",
        gettext_lazy("Organisation: sector"),
        ("rechtskreis", "bereich", "sektor", "arbeitsfeld", "handlungsfeld", "sector", "field"),
    ),
    Target(
        "body",
        gettext_lazy("Body (membership)"),
        (
            "arbeitskreis",
            "ag",
            "gremium",
            "gremien",
            "arbeitsgruppe",
            "netzwerk",
            "body",
            "working group",
        ),
    ),
    Target(
        "notes",
        gettext_lazy("Notes"),
        (
            "bemerkung",
            "bemerkungen",
            "notizen",
            "notiz",
            "anmerkung",
            "kommentar",
            "notes",
            "comment",
        ),
        10_000,
    ),
    Target(
        "website",
        gettext_lazy("Organisation: website"),
        ("website", "webseite", "homepage", "internet", "url", "web"),
        200,
    ),
)
TARGET_KEYS = tuple(target.key for target in TARGETS)
TARGETS_BY_KEY = {target.key: target for target in TARGETS}
PERSON_KEYS = frozenset({"full_name", "first_name", "last_name"})
FUZZY_CUTOFF = 86.0

_GENDER_SUFFIX = re.compile(r"(?:[:*_/]in(?:nen)?|\(in\)|innen)\b")


def normalise(text: str) -> str:
    """Lower case, umlauts spelled out, gender marks (":in", "*innen") and punctuation removed."""
    text = text.strip().lower()
    text = _GENDER_SUFFIX.sub("", text)
    text = text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


_SYNONYMS: dict[str, str] = {}
for _target in TARGETS:
    for _synonym in (*_target.synonyms, _target.key.replace("_", " ")):
        _SYNONYMS.setdefault(normalise(_synonym), _target.key)
_SYNONYM_CHOICES = list(_SYNONYMS)


def guess_target(header: str) -> tuple[str, float]:
    """The target a header most likely names and the confidence (0–100); ``("", 0)`` if none."""
    key = normalise(header)
    if not key:
        return "", 0.0
    if key in _SYNONYMS:
        return _SYNONYMS[key], 100.0
    found = process.extractOne(key, _SYNONYM_CHOICES, scorer=fuzz.WRatio, score_cutoff=FUZZY_CUTOFF)
    if found is None or len(key) < 3:
        return "", 0.0
    return _SYNONYMS[found[0]], float(found[1])


def is_header_word(text: str) -> bool:
    """Whether a cell reads like a column header we know (for finding the header row)."""
    return guess_target(text)[1] >= 90.0


def suggest_mapping(headers: Sequence[str]) -> list[str]:
    """One target key (or ``""``) per header; each target is used at most once, best first.

    "Name" next to a "Vorname" column means the last name, not the full name.
    """
    guesses = [guess_target(header) for header in headers]
    order = sorted(range(len(headers)), key=lambda index: -guesses[index][1])
    mapping = [""] * len(headers)
    used: set[str] = set()
    for index in order:
        target, _score = guesses[index]
        if target and target not in used:
            mapping[index] = target
            used.add(target)
    if "full_name" in used and "first_name" in used and "last_name" not in used:
        mapping = ["last_name" if key == "full_name" else key for key in mapping]
    return mapping


def header_signature(headers: Sequence[str]) -> str:
    """A stable fingerprint of a sheet's headers, to recognise the same layout next time."""
    joined = "\x1f".join(normalise(header) for header in headers)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


# --- values -----------------------------------------------------------------------------------

_TITLES = (
    "prof. dr. med.",
    "prof. dr.",
    "dr. med. vet.",
    "dr. med.",
    "dr. phil.",
    "dr. rer. nat.",
    "prof.",
    "dr.",
    "dipl.-päd.",
    "dipl.-psych.",
    "dipl.-soz.päd.",
    "dipl.-ing.",
)
_SALUTATIONS = ("frau ", "herr ", "hr. ", "fr. ", "mr. ", "mrs. ", "ms. ")


def split_name(full: str) -> tuple[str, str, str]:
    """``(title, first name, last name)`` from "Dr. Anna Müller" or "Müller, Anna"."""
    text = " ".join(full.split())
    lowered = text.lower()
    for salutation in _SALUTATIONS:
        if lowered.startswith(salutation):
            text = text[len(salutation) :]
            lowered = text.lower()
            break
    title = ""
    for candidate in _TITLES:
        if lowered.startswith(candidate + " "):
            title = text[: len(candidate)]
            text = text[len(candidate) :].strip()
            break
    if "," in text:
        last, _sep, first = text.partition(",")
        return title, first.strip(), last.strip()
    parts = text.split(" ")
    if len(parts) == 1:
        return title, "", parts[0]
    # Name particles belong to the last name: "Anna von der Heide".
    for index, part in enumerate(parts[1:-1], start=1):
        if part.lower() in {"von", "van", "de", "zu", "vom", "zur", "der", "den", "di", "da"}:
            return title, " ".join(parts[:index]), " ".join(parts[index:])
    return title, " ".join(parts[:-1]), parts[-1]


_email_validator = EmailValidator()
_url_validator = URLValidator(schemes=["http", "https"])


def clean_email(value: str) -> str:
    value = value.strip().removeprefix("mailto:").strip()
    _email_validator(value)
    return value.lower()


def clean_phone(value: str) -> str:
    """The number in E.164 form (``+4939018400``), read as German if it has no country code."""
    try:
        number = phonenumbers.parse(value, "DE")
    except phonenumbers.NumberParseException as error:
        raise ValidationError(_("This is not a phone number.")) from error
    if not phonenumbers.is_possible_number(number) or len(str(number.national_number)) < 5:
        raise ValidationError(_("This phone number has too few or too many digits."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def clean_postcode(value: str) -> str:
    digits = value.strip().removeprefix("D-").removeprefix("D ").strip()
    # Excel drops the leading zero of postcodes in Saxony, Saxony-Anhalt and Thuringia.
    if re.fullmatch(r"\d{4}", digits):
        digits = "0" + digits
    if not re.fullmatch(r"\d{5}", digits):
        raise ValidationError(_("A German postcode has five digits."))
    return digits


def clean_website(value: str) -> str:
    value = value.strip()
    if not re.match(r"^https?://", value, re.IGNORECASE):
        value = "https://" + value
    _url_validator(value)
    return value


_CLEANERS = {
    "email": clean_email,
    "phone": clean_phone,
    "mobile": clean_phone,
    "postcode": clean_postcode,
    "website": clean_website,
}


@dataclass
class Record:
    """What one row says, cleaned: organisation and person fields, and what is wrong with it."""

    values: dict[str, str] = field(default_factory=dict)
    #: target key → message, for values that cannot be imported (the row is invalid).
    problems: dict[str, str] = field(default_factory=dict)

    @property
    def has_person(self) -> bool:
        return bool(self.values.get("last_name"))

    @property
    def organisation_name(self) -> str:
        return self.values.get("organisation", "")

    def as_json(self) -> dict[str, Any]:
        return {"values": self.values, "problems": self.problems}


def extract(row: Sequence[str], mapping: Sequence[str]) -> Record:
    """Cleans one row according to ``mapping``; every problem is kept next to its field."""
    record = Record()
    for value, key in zip(row, mapping, strict=False):
        value = value.strip()
        if not key or not value:
            continue
        if key in record.values:
            # Two columns mapped to one field (should not happen): keep both, separated.
            record.values[key] += " " + value
            continue
        cleaner = _CLEANERS.get(key)
        if cleaner is not None:
            try:
                value = cleaner(value)
            except ValidationError as error:
                record.values[key] = value
                record.problems[key] = " ".join(str(message) for message in error.messages)
                continue
        limit = TARGETS_BY_KEY[key].max_length
        if len(value) > limit:
            record.problems[key] = _("Longer than %(max)s characters.") % {"max": limit}
        record.values[key] = value
    full = record.values.pop("full_name", "")
    if full and not record.values.get("last_name"):
        title, first, last = split_name(full)
        record.values["last_name"] = last
        if first and not record.values.get("first_name"):
            record.values["first_name"] = first
        if title and not record.values.get("title"):
            record.values["title"] = title
        if "full_name" in record.problems:
            record.problems["last_name"] = record.problems.pop("full_name")
    if not record.values.get("organisation") and not record.values.get("last_name"):
        record.problems["organisation"] = _("Neither an organisation nor a person's name is given.")
    return record
