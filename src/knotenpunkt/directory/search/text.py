"""The text side of the search: normalising, a light German stemmer, synonyms, typing errors.

Pure functions, no ORM. Both database backends get the same prepared query from
:func:`prepare_query`, and both store the same normalised text (:func:`normalise`), so that what
matches and how it ranks is decided here, once, and not by each database's own linguistics.

Matching is by *substring* of a term's stem in the normalised text: "beratung" is a substring of
"schwangerschaftsberatung" (compound words), "hebamm" of "hebammen" (inflection). A trigram index
serves such substring tests on both databases (PostgreSQL ``pg_trgm``, SQLite FTS5 ``trigram``).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SYNONYMS_FILE = Path(__file__).resolve().parent.parent / "data" / "synonyms_de.csv"

#: Shortest piece of text that can be searched: the trigram indexes need three characters.
MIN_LENGTH = 3
#: Longest word and most words a query is taken with (the rest is ignored).
MAX_WORD = 60
MAX_TERMS = 8

_WORD = re.compile(r"[^\W_]+")

#: Words that carry no meaning for finding an offer ("Ich suche eine Hebamme in Salzwedel").
STOPWORDS = frozenset(
    [
        "aber",
        "alle",
        "am",
        "an",
        "auch",
        "auf",
        "aus",
        "bei",
        "bin",
        "bis",
        "brauche",
        "das",
        "dem",
        "den",
        "der",
        "des",
        "die",
        "ein",
        "eine",
        "einem",
        "einen",
        "einer",
        "es",
        "fur",
        "fuer",
        "gibt",
        "hat",
        "ich",
        "im",
        "in",
        "ist",
        "mein",
        "meine",
        "meinem",
        "meinen",
        "meiner",
        "mit",
        "nach",
        "oder",
        "suche",
        "suchen",
        "uber",
        "um",
        "und",
        "von",
        "vor",
        "wer",
        "wie",
        "wir",
        "wo",
        "zu",
        "zum",
        "zur",
    ]
)

_SUFFIXES_LONG = ("en", "er", "es", "em")
_SUFFIXES_SHORT = ("e", "s", "n")


def normalise(text: str) -> str:
    """Lower case, no accents or umlaut dots (ä → a, é → e), ß → ss, words split by single spaces.

    The result starts and ends with a space, so that ``" heb"`` marks the start of a word.
    """
    return " " + " ".join(words(text)) + " "


def words(text: str) -> list[str]:
    """The normalised words of ``text`` (letters and digits; everything else separates)."""
    folded = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _WORD.findall(plain)


def stem(word: str) -> str:
    """A light German stemmer that only ever cuts an ending off, so the stem is a prefix.

    "familien" → "famili", "beratungen" → "beratung", "kurse" → "kurs", "hebammen" → "hebamm".
    Being a prefix, the stem is found as a substring in every inflected form and in compounds.
    Words that are not plain Latin letters (Arabic, Cyrillic …) are left alone.
    """
    if not word.isascii() or not word.isalpha():
        return word
    if len(word) > 5 and word.endswith(_SUFFIXES_LONG):
        return word[:-2]
    if len(word) > 4 and word.endswith(_SUFFIXES_SHORT):
        return word[:-1]
    return word


def stem_phrase(phrase: str) -> str:
    """Stems the last word of a normalised phrase ("eltern kind gruppe" → "eltern kind grupp")."""
    parts = phrase.split()
    if not parts:
        return ""
    parts[-1] = stem(parts[-1])
    return " ".join(parts)


@cache
def synonym_groups(path: Path = SYNONYMS_FILE) -> dict[str, tuple[str, ...]]:
    """Maps the stem of every entry of the synonym list to the stems of all entries of its group.

    The CSV has one group per row, the entries in the columns (a header row ``synonyms,…``).
    An entry may have several words ("häusliche Gewalt"); the query looks such entries up by
    pairs of consecutive words.
    """
    groups: dict[str, set[str]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            entries = [" ".join(words(cell)) for cell in row if cell.strip()]
            if not entries or row[0].strip().lower() == "synonyms":
                continue
            stems = {stem_phrase(entry) for entry in entries if entry}
            for entry in entries:
                groups.setdefault(stem_phrase(entry), set()).update(stems)
    return {key: tuple(sorted(value)) for key, value in groups.items()}


@dataclass(frozen=True)
class Term:
    """One word of the query and what it may be found as.

    ``primary``: its stem (and corrections of a typing error); ``synonyms``: the stems of its
    synonyms. All are at least :data:`MIN_LENGTH` characters and contain only letters, digits
    and single spaces, so they are safe inside ``LIKE`` patterns and FTS5 phrases.
    """

    word: str
    primary: tuple[str, ...]
    synonyms: tuple[str, ...] = ()

    @property
    def alternatives(self) -> tuple[str, ...]:
        return self.primary + tuple(s for s in self.synonyms if s not in self.primary)

    def with_corrections(self, corrections: Iterable[str]) -> Term:
        extra = tuple(c for c in dict.fromkeys(stem(c) for c in corrections) if len(c) >= 3)
        primary = self.primary + tuple(c for c in extra if c not in self.primary)
        return Term(self.word, primary, self.synonyms)


def prepare_query(query: str, *, language: str = "de") -> list[Term]:
    """Splits a query into terms with their stems and synonyms; stopwords and short bits go."""
    terms: list[Term] = []
    seen: set[str] = set()
    groups = synonym_groups() if language == "de" else {}
    given = [w[:MAX_WORD] for w in words(query[:1000]) if w not in STOPWORDS]
    index = 0
    while index < len(given):
        word = given[index]
        index += 1
        if index < len(given):
            pair = stem_phrase(f"{word} {given[index]}")
            if pair in groups:
                index += 1
                synonyms = tuple(s for s in groups[pair] if s != pair and len(s) >= MIN_LENGTH)
                terms.append(Term(pair, (pair,), synonyms))
                continue
        if word in seen:
            continue
        seen.add(word)
        stemmed = stem(word) if language == "de" else word
        if len(stemmed) < MIN_LENGTH:
            stemmed = word
        if len(stemmed) < MIN_LENGTH:
            continue
        synonyms = tuple(s for s in groups.get(stemmed, ()) if len(s) >= MIN_LENGTH)
        terms.append(Term(word, (stemmed,), tuple(s for s in synonyms if s != stemmed)))
    return terms[:MAX_TERMS]


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau–Levenshtein distance (adjacent swaps count once), or ``limit + 1`` if above it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)


def allowed_errors(word: str) -> int:
    """How many typing errors a word may have: none below 5 letters, 1 up to 7, then 2."""
    if len(word) < 5:
        return 0
    return 1 if len(word) <= 7 else 2


def corrections(word: str, vocabulary: Sequence[str]) -> list[str]:
    """Words of the index the (mistyped) ``word`` may mean.

    A vocabulary word counts when it is within :func:`allowed_errors` of ``word``, or when its
    ending of the same length is ("beratnug" → the "beratung" of "schwangerschaftsberatung");
    then that ending is returned. Sorted, so that both databases get the same list.
    """
    limit = allowed_errors(word)
    if not limit:
        return []
    found: set[str] = set()
    for candidate in vocabulary:
        if candidate == word:
            continue
        if edit_distance(word, candidate, limit) <= limit:
            found.add(candidate)
        elif len(candidate) > len(word) + limit:
            ending = candidate[-len(word) :]
            if edit_distance(word, ending, limit) <= limit:
                found.add(ending)
    return sorted(found)
