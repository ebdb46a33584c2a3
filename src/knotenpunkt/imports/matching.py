"""Finding each imported row among the existing register and among the rows above it.

Pure: plain data in, plain results out. Existing records are indexed once by *blocking keys*
(postcode, the first letters of the name, rarer name words; for people, the first letters of the
last name and the e-mail address); each row is then compared with rapidfuzz against the few
candidates of its blocks only, never against the whole register. ``bench/partners.py`` compares
this with the naive comparison against everything.

Rules (tuned to coordinators' lists, where the same partner appears with small spelling changes):

* an organisation matches when the names are nearly equal (token-sorted similarity ≥ 92), or
  similar (≥ 85) at the same postcode or street; two sites of one provider with different
  postcodes stay different organisations;
* a person matches by the same e-mail address, or by nearly equal last name and a compatible first
  name (equal, similar, or only an initial given) at the same organisation (or where either side
  has none);
* a row repeats an earlier one when the organisation and the person's name, or the person's
  e-mail, are the same (for rows without a person: organisation name and postcode).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from knotenpunkt.imports.mapping import Record, normalise

NEW = "new"
MATCH = "match"
DUPLICATE = "duplicate"
INVALID = "invalid"

ORGANISATION_NEAR = 92.0
ORGANISATION_SIMILAR = 85.0
LAST_NAME_NEAR = 90.0
FIRST_NAME_SIMILAR = 85.0
#: A name word shared by more organisations than this ("kita", "praxis") is no use as a block.
COMMON_WORD = 300

_STOP_WORDS = frozenset(
    [
        "e",
        "v",
        "ev",
        "ggmbh",
        "gmbh",
        "ag",
        "mbh",
        "gug",
        "der",
        "die",
        "das",
        "des",
        "und",
        "fuer",
        "für",
        "im",
        "in",
        "am",
        "an",
        "zu",
        "zum",
        "zur",
        "von",
    ]
)


@dataclass(frozen=True)
class ExistingOrganisation:
    id: int
    name: str
    postcode: str = ""
    street: str = ""
    email: str = ""


@dataclass(frozen=True)
class ExistingPerson:
    id: int
    first_name: str
    last_name: str
    email: str = ""
    organisation_ids: frozenset[int] = frozenset()


@dataclass
class RowMatch:
    """The outcome for one row: its status and what it matched or repeats."""

    status: str
    organisation_id: int | None = None
    person_id: int | None = None
    score: float = 0.0
    duplicate_of: int | None = None
    reasons: list[str] = field(default_factory=list)


def name_key(name: str) -> str:
    """An organisation's name for comparison: normalised, legal-form words dropped."""
    words = [word for word in normalise(name).split() if word not in _STOP_WORDS]
    return " ".join(words)


def organisation_key(values: dict[str, str]) -> tuple[str, str]:
    """What makes two rows name the same organisation: its name key and postcode."""
    return name_key(values.get("organisation", "")), values.get("postcode", "")


def _street_key(street: str) -> str:
    return normalise(street).replace("strasse", "str")


class OrganisationIndex:
    """Existing organisations, blocked by postcode, name prefix, rarer name words and e-mail."""

    def __init__(self, organisations: Sequence[ExistingOrganisation]) -> None:
        self.items = list(organisations)
        self.keys = [name_key(item.name) for item in self.items]
        self.by_prefix: dict[str, list[int]] = defaultdict(list)
        self.by_word: dict[str, list[int]] = defaultdict(list)
        self.by_email: dict[str, int] = {}
        for index, (item, key) in enumerate(zip(self.items, self.keys, strict=True)):
            self.by_prefix[key[:8]].append(index)
            for word in set(key.split()):
                if len(word) >= 3 or word.isdigit():
                    self.by_word[word].append(index)
            if item.email:
                self.by_email.setdefault(item.email.lower(), index)

    def candidates(self, key: str, postcode: str) -> set[int]:
        """Organisations sharing a rarer name word; failing that, the name's first letters.

        The postcode is no block: a county has few postcodes, so its blocks are huge; it only
        confirms or rules out a candidate.
        """
        found: set[int] = set()
        for word in set(key.split()):
            block = self.by_word.get(word, ())
            if len(block) <= COMMON_WORD:
                found.update(block)
        if not found:
            found.update(self.by_prefix.get(key[:8], ())[: COMMON_WORD * 2])
        return found

    def find(self, values: dict[str, str], *, use_email: bool) -> tuple[int | None, float]:
        """The matching organisation's id and the similarity, or ``(None, 0)``."""
        email = values.get("email", "")
        if use_email and email and email in self.by_email:
            return self.items[self.by_email[email]].id, 100.0
        name = values.get("organisation", "")
        if not name:
            return None, 0.0
        key = name_key(name)
        postcode = values.get("postcode", "")
        street = _street_key(values.get("street", ""))
        candidates = self.candidates(key, postcode)
        if not candidates:
            return None, 0.0
        choices = {index: self.keys[index] for index in candidates}
        best: tuple[int | None, float] = (None, 0.0)
        for _choice, score, index in process.extract(
            key, choices, scorer=fuzz.token_sort_ratio, limit=5, score_cutoff=ORGANISATION_SIMILAR
        ):
            item = self.items[index]
            if postcode and item.postcode and postcode != item.postcode:
                continue
            same_place = bool(postcode and postcode == item.postcode) or bool(
                street and street == _street_key(item.street)
            )
            if score >= ORGANISATION_NEAR or same_place:
                adjusted = min(100.0, score + (5 if same_place else 0))
                if adjusted > best[1]:
                    best = (item.id, adjusted)
        return best


class PersonIndex:
    """Existing people, blocked by the first letters of the last name and by e-mail."""

    def __init__(self, persons: Sequence[ExistingPerson]) -> None:
        self.items = list(persons)
        self.last = [normalise(item.last_name) for item in self.items]
        self.first = [normalise(item.first_name) for item in self.items]
        self.by_prefix: dict[str, list[int]] = defaultdict(list)
        self.by_email: dict[str, int] = {}
        for index, (item, last) in enumerate(zip(self.items, self.last, strict=True)):
            self.by_prefix[last[:3]].append(index)
            if item.email:
                self.by_email.setdefault(item.email.lower(), index)

    def find(self, values: dict[str, str], organisation_id: int | None) -> tuple[int | None, float]:
        email = values.get("email", "")
        if email and email in self.by_email:
            return self.items[self.by_email[email]].id, 100.0
        last = normalise(values.get("last_name", ""))
        if not last:
            return None, 0.0
        first = normalise(values.get("first_name", ""))
        block = self.by_prefix.get(last[:3], ())
        if not block:
            return None, 0.0
        choices = {index: self.last[index] for index in block}
        best: tuple[int | None, float] = (None, 0.0)
        for _choice, score, index in process.extract(
            last, choices, scorer=fuzz.ratio, limit=None, score_cutoff=LAST_NAME_NEAR
        ):
            item = self.items[index]
            if not _first_names_agree(first, self.first[index]):
                continue
            has_orgs = bool(item.organisation_ids)
            if (
                organisation_id is not None
                and has_orgs
                and organisation_id not in item.organisation_ids
            ):
                continue
            if organisation_id is None and has_orgs and values.get("organisation"):
                # The row names an organisation we do not know; the person works elsewhere.
                continue
            if score > best[1]:
                best = (item.id, float(score))
        return best


def _first_names_agree(row: str, existing: str) -> bool:
    if not row or not existing:
        return True
    if len(row) == 1 or len(existing) == 1:
        return row[0] == existing[0]
    return fuzz.ratio(row, existing) >= FIRST_NAME_SIMILAR


def _duplicate_keys(record: Record) -> list[tuple[str, ...]]:
    values = record.values
    org_key, postcode = organisation_key(values)
    if record.has_person:
        keys: list[tuple[str, ...]] = [
            (
                "person",
                org_key,
                normalise(values.get("last_name", "")),
                normalise(values.get("first_name", "")),
            )
        ]
        if values.get("email"):
            keys.append(("email", values["email"]))
        return keys
    return [("organisation", org_key, postcode)]


def match_rows(
    records: Sequence[Record],
    organisations: Sequence[ExistingOrganisation],
    persons: Sequence[ExistingPerson],
    *,
    progress: Callable[[int, int], None] | None = None,
    every: int = 500,
) -> list[RowMatch]:
    """One :class:`RowMatch` per record, in order (see the module's rules)."""
    organisation_index = OrganisationIndex(organisations)
    person_index = PersonIndex(persons)
    seen: dict[tuple[str, ...], int] = {}
    results: list[RowMatch] = []
    total = len(records)
    for position, record in enumerate(records):
        if progress is not None and position % every == 0:
            progress(position, total)
        if record.problems:
            results.append(RowMatch(status=INVALID))
            continue
        keys = _duplicate_keys(record)
        earlier = next((seen[key] for key in keys if key in seen), None)
        organisation_id, org_score = organisation_index.find(
            record.values, use_email=not record.has_person
        )
        if earlier is not None:
            results.append(
                RowMatch(status=DUPLICATE, organisation_id=organisation_id, duplicate_of=earlier)
            )
            continue
        for key in keys:
            seen[key] = position
        if record.has_person:
            person_id, score = person_index.find(record.values, organisation_id)
            status = MATCH if person_id is not None else NEW
            results.append(
                RowMatch(
                    status=status, organisation_id=organisation_id, person_id=person_id, score=score
                )
            )
        else:
            status = MATCH if organisation_id is not None else NEW
            results.append(
                RowMatch(status=status, organisation_id=organisation_id, score=org_score)
            )
    if progress is not None:
        progress(total, total)
    return results


def match_rows_naively(
    records: Sequence[Record], organisations: Sequence[ExistingOrganisation]
) -> list[int | None]:
    """The baseline for the benchmark: every row against every organisation, no blocking."""
    keys = [name_key(item.name) for item in organisations]
    found: list[int | None] = []
    for record in records:
        hit = process.extractOne(
            name_key(record.organisation_name),
            keys,
            scorer=fuzz.token_sort_ratio,
            score_cutoff=ORGANISATION_NEAR,
        )
        found.append(organisations[hit[2]].id if hit else None)
    return found
