"""The pure text side of the search: normalising, stemming, synonyms, typing errors."""

from __future__ import annotations

import csv

from hypothesis import given
from hypothesis import strategies as st

from knotenpunkt.directory.search.text import (
    SYNONYMS_FILE,
    corrections,
    edit_distance,
    normalise,
    prepare_query,
    stem,
    synonym_groups,
    words,
)


def test_it_folds_case_umlauts_accents_and_punctuation() -> None:
    assert normalise("Stillcafé für Mütter – Eltern-Kind-Gruppe, Straße") == (
        " stillcafe fur mutter eltern kind gruppe strasse "
    )
    assert words("snake_case 3-Jährige") == ["snake", "case", "3", "jahrige"]


def test_the_stemmer_cuts_german_endings() -> None:
    assert [stem(w) for w in ("familien", "beratungen", "kurse", "hebammen", "babys")] == [
        "famili",
        "beratung",
        "kurs",
        "hebamm",
        "baby",
    ]
    assert stem("kind") == "kind"
    assert stem("القابلة") == "القابلة"


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=20))
def test_a_stem_is_a_prefix_of_its_word_so_substrings_find_every_form(word: str) -> None:
    assert word.startswith(stem(word))
    assert len(stem(word)) >= min(len(word), 4)


def _levenshtein_with_swaps(a: str, b: str) -> int:
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        for j in range(len(b) + 1):
            if not i or not j:
                table[i][j] = i or j
                continue
            table[i][j] = min(
                table[i - 1][j] + 1,
                table[i][j - 1] + 1,
                table[i - 1][j - 1] + (a[i - 1] != b[j - 1]),
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
    return table[-1][-1]


@given(st.text(alphabet="abcde", max_size=9), st.text(alphabet="abcde", max_size=9))
def test_the_edit_distance_is_exact_up_to_its_limit(a: str, b: str) -> None:
    assert edit_distance(a, b, 2) == min(_levenshtein_with_swaps(a, b), 3)


def test_it_corrects_typing_errors_against_the_words_of_the_index() -> None:
    vocabulary = ["hebamme", "schwangerschaftsberatung", "stillcafe", "stellen"]
    assert corrections("hebame", vocabulary) == ["hebamme"]
    assert corrections("beratnug", vocabulary) == ["beratung"]  # the end of a compound
    assert corrections("stilcafe", vocabulary) == ["stillcafe"]
    assert corrections("kurs", vocabulary) == []  # short words are taken as typed


def test_a_query_drops_stopwords_and_knows_synonyms() -> None:
    terms = prepare_query("Ich suche eine Stillgruppe in der Nähe")
    assert [t.word for t in terms] == ["stillgruppe", "nahe"]
    assert "stillcaf" in terms[0].synonyms
    pair = prepare_query("häusliche Gewalt")
    assert [t.primary for t in pair] == [("hausliche gewalt",)]
    assert "frauenhau" in pair[0].synonyms  # stems are prefixes: "Frauenhäuser" too
    assert prepare_query("ab c") == []


def test_only_german_queries_are_stemmed_and_expanded() -> None:
    (term,) = prepare_query("Beratungen", language="en")
    assert term.primary == ("beratungen",)
    assert term.synonyms == ()


def test_the_synonym_list_is_well_formed() -> None:
    with SYNONYMS_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][0] == "synonyms"
    for row in rows[1:]:
        assert len([cell for cell in row if cell.strip()]) >= 2, row
    groups = synonym_groups()
    assert "eltern kind grupp" in groups["krabbelgrupp"]
    assert all(len(s) >= 3 for group in groups.values() for s in group)
