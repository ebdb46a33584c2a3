"""The directory's defaults for a new tenant: its settings and the German early-help topics.

The topics ("Themen der Frühen Hilfen und Präventionskette") are the tenant's topic taxonomy
(:attr:`~knotenpunkt.directory.models.Taxonomy.is_topics`): about forty HSDS taxonomy terms in two
levels, each with the life phases it usually concerns and an English translation. They are kept
in ``data/topics_de.csv`` so that they can be reviewed without reading code. Coordinators may
edit them afterwards; :func:`install_defaults` only adds the terms a tenant lacks, by code.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from knotenpunkt.core.models import LifePhase, LocalAuthority
from knotenpunkt.directory.models import (
    DirectorySettings,
    Taxonomy,
    TaxonomyTerm,
    TaxonomyTermTranslation,
)

TOPICS_FILE = Path(__file__).with_name("data") / "topics_de.csv"

TOPICS_NAME = "Themen der Frühen Hilfen und Präventionskette"
TOPICS_DESCRIPTION = (
    "Die Themen, nach denen Familien und Fachkräfte Angebote finden: von der Schwangerschaft "
    "bis zum Übergang in den Beruf. Voreinstellung von Knotenpunkt; jede Kommune kann sie anpassen."
)
#: Identifies the shipped default taxonomy in HSDS exports (``taxonomy.uri``); a term's
#: ``term_uri`` is this with ``#<code>``. Bump the version when the defaults change meaning.
TOPICS_URI = "https://knotenpunkt.example.org/hsds/taxonomies/themen-fruehe-hilfen/v1"
TOPICS_VERSION = "1"
#: Language of the terms' own text; other languages are TaxonomyTermTranslations.
SOURCE_LANGUAGE = "de"


@dataclass(frozen=True)
class TopicSpec:
    """One row of ``topics_de.csv``."""

    position: int
    code: str
    parent_code: str
    name: str
    description: str
    life_phases: tuple[str, ...]
    name_en: str
    description_en: str

    @property
    def term_uri(self) -> str:
        return f"{TOPICS_URI}#{self.code}"


@cache
def default_topics() -> tuple[TopicSpec, ...]:
    """The default topics in file order: parents come before their children."""
    with TOPICS_FILE.open(encoding="utf-8", newline="") as handle:
        return tuple(
            TopicSpec(
                position=position,
                code=row["code"],
                parent_code=row["parent_code"],
                name=row["name"],
                description=row["description"],
                life_phases=tuple(code for code in row["life_phases"].split("|") if code),
                name_en=row["name_en"],
                description_en=row["description_en"],
            )
            for position, row in enumerate(csv.DictReader(handle))
        )


def new_topic_taxonomy(tenant: LocalAuthority) -> Taxonomy:
    """An unsaved topic taxonomy for ``tenant`` (also used by the synthetic generator)."""
    return Taxonomy(
        local_authority=tenant,
        name=TOPICS_NAME,
        description=TOPICS_DESCRIPTION,
        uri=TOPICS_URI,
        version=TOPICS_VERSION,
        is_topics=True,
    )


def new_term(taxonomy: Taxonomy, spec: TopicSpec) -> TaxonomyTerm:
    """An unsaved term for ``spec`` in ``taxonomy``, without its parent (set once saved)."""
    return TaxonomyTerm(
        local_authority_id=taxonomy.local_authority_id,
        taxonomy=taxonomy,
        code=spec.code,
        name=spec.name,
        description=spec.description,
        language=SOURCE_LANGUAGE,
        term_uri=spec.term_uri,
        position=spec.position,
    )


def install_defaults(tenant: LocalAuthority) -> None:
    """Gives ``tenant`` its directory settings and the default topics it lacks (idempotent).

    A topic counts as present when the tenant's topic taxonomy has a term with its code; a
    renamed topic is therefore not added again, a deleted one is. Translations and life phases
    come only with newly added topics: what a tenant has edited stays as it is. A fixed number
    of queries (about ten), however many topics are added.
    """
    DirectorySettings.objects.get_or_create(local_authority=tenant)
    taxonomy = Taxonomy.objects.filter(local_authority=tenant, is_topics=True).first()
    if taxonomy is None:
        taxonomy = new_topic_taxonomy(tenant)
        taxonomy.save()
    existing = set(
        TaxonomyTerm.objects.filter(local_authority=tenant, taxonomy=taxonomy)
        .exclude(code="")
        .values_list("code", flat=True)
    )
    missing = [spec for spec in default_topics() if spec.code not in existing]
    if not missing:
        return
    terms = TaxonomyTerm.objects.bulk_create([new_term(taxonomy, spec) for spec in missing])
    ids = dict(
        TaxonomyTerm.objects.filter(local_authority=tenant, taxonomy=taxonomy)
        .exclude(code="")
        .values_list("code", "pk")
    )
    with_parent = []
    for term, spec in zip(terms, missing, strict=True):
        if spec.parent_code and spec.parent_code in ids:
            term.parent_id = ids[spec.parent_code]
            with_parent.append(term)
    if with_parent:
        TaxonomyTerm.objects.bulk_update(with_parent, ["parent"])
    phases = dict(LifePhase.objects.values_list("code", "pk"))
    through = TaxonomyTerm.life_phases.through
    through.objects.bulk_create(
        through(taxonomyterm_id=term.pk, lifephase_id=phases[code])
        for term, spec in zip(terms, missing, strict=True)
        for code in spec.life_phases
        if code in phases
    )
    TaxonomyTermTranslation.objects.bulk_create(
        TaxonomyTermTranslation(
            local_authority=tenant,
            term=term,
            language="en",
            name=spec.name_en,
            description=spec.description_en,
        )
        for term, spec in zip(terms, missing, strict=True)
    )
