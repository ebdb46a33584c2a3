"""The search index: one row of normalised text per offer, plus each tenant's vocabulary.

Two tables, created by migration ``0004_search_index`` (not Django models; only this module and
:mod:`.query` touch them):

- ``directory_search_document``: per offer the normalised text of its names (``name_text``), its
  topics (``topic_text``) and everything else that describes it (``body_text``). On PostgreSQL a
  plain table keyed by ``service_id`` with a ``pg_trgm`` GIN index over the three columns; on
  SQLite an FTS5 table with the ``trigram`` tokenizer whose ``rowid`` is the offer's id.
- ``directory_search_word``: the distinct words per tenant, for correcting typing errors.

The index is kept current by :func:`search_index_refresh`, which the directory's write services
call with the ids of the offers they changed; :func:`search_index_rebuild` rebuilds a tenant's
(or every) index, after imports and the synthetic generator.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from django.db import connection, transaction
from django.db.models import Prefetch
from django_scopes import scopes_disabled

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.directory.models import Service, ServiceAtLocation, TaxonomyTerm
from knotenpunkt.directory.search.text import normalise, words

DOCUMENT_TABLE = "directory_search_document"
WORD_TABLE = "directory_search_word"
BATCH = 500


def id_column() -> str:
    """The column that holds the offer's id: FTS5 tables have their ``rowid``."""
    return "rowid" if connection.vendor == "sqlite" else "service_id"


@cache
def _sqlite_has_fts(alias: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [DOCUMENT_TABLE])
        row = cursor.fetchone()
    return bool(row and "fts5" in str(row[0]).lower())


def uses_fts5() -> bool:
    """Whether this SQLite database has the FTS5 table (else a plain table searched by LIKE)."""
    return connection.vendor == "sqlite" and _sqlite_has_fts(connection.alias)


@dataclass(frozen=True)
class Document:
    service_id: int
    local_authority_id: int
    name_text: str
    topic_text: str
    body_text: str


def _services(ids: list[int]) -> Iterator[Service]:
    terms = TaxonomyTerm.objects.prefetch_related("translations")
    places = ServiceAtLocation.objects.select_related("location").prefetch_related(
        "location__addresses"
    )
    yield from (
        Service.objects.filter(pk__in=ids)
        .select_related("organisation")
        .prefetch_related(
            "translations",
            Prefetch("topics", queryset=terms),
            Prefetch("service_at_locations", queryset=places),
        )
        .order_by("pk")
    )


def build_document(service: Service) -> Document:
    """The normalised texts of one offer (its relations prefetched as in :func:`_services`)."""
    translations = list(service.translations.all())
    names = [service.name, service.alternate_name]
    names += [t.name for t in translations] + [t.alternate_name for t in translations]
    topics: list[str] = []
    for term in service.topics.all():
        topics.append(term.name)
        topics += [t.name for t in term.translations.all()]
    organisation = service.organisation
    body = [
        service.description,
        service.eligibility_description,
        organisation.name,
        getattr(organisation, "alternate_name", ""),
    ]
    body += [t.description for t in translations]
    body += [t.eligibility_description for t in translations]
    for place in service.service_at_locations.all():
        location = place.location
        if location.confidential:  # never reveal where a shelter is, not even its town
            continue
        body.append(location.name)
        body += [f"{a.city} {a.postal_code}" for a in location.addresses.all()]
    return Document(
        service_id=service.pk,
        local_authority_id=service.local_authority_id,
        name_text=normalise(" ".join(filter(None, names))),
        topic_text=normalise(" ".join(filter(None, topics))),
        body_text=normalise(" ".join(filter(None, body))),
    )


def _write(documents: list[Document], removed: list[int]) -> None:
    column = id_column()
    with connection.cursor() as cursor:
        gone = removed + [d.service_id for d in documents]
        for start in range(0, len(gone), BATCH):
            chunk = gone[start : start + BATCH]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {DOCUMENT_TABLE} WHERE {column} IN ({marks})", chunk)  # noqa: S608
        if documents:
            cursor.executemany(
                f"INSERT INTO {DOCUMENT_TABLE} "  # noqa: S608
                f"({column}, local_authority_id, name_text, topic_text, body_text) "
                "VALUES (%s, %s, %s, %s, %s)",
                [
                    (d.service_id, d.local_authority_id, d.name_text, d.topic_text, d.body_text)
                    for d in documents
                ],
            )
            vocabulary = sorted(
                {
                    (d.local_authority_id, word)
                    for d in documents
                    for text in (d.name_text, d.topic_text, d.body_text)
                    for word in words(text)
                    if 3 <= len(word) <= 100
                }
            )
            cursor.executemany(
                f"INSERT INTO {WORD_TABLE} (local_authority_id, word) VALUES (%s, %s) "  # noqa: S608
                "ON CONFLICT DO NOTHING",
                vocabulary,
            )


def search_index_refresh(service_ids: Iterable[int]) -> int:
    """Brings the index rows of these offers up to date; offers that no longer exist lose theirs.

    Call it (inside the write's transaction, or ``transaction.on_commit``) with the ids of every
    offer whose name, description, translations, topics, provider name or places changed.
    Costs a fixed number of queries per 500 offers. Returns the number of documents written.
    """
    ids = sorted(set(service_ids))
    written = 0
    with scopes_disabled(), transaction.atomic():
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            documents = [build_document(s) for s in _services(chunk)]
            found = {d.service_id for d in documents}
            _write(documents, [i for i in chunk if i not in found])
            written += len(documents)
    return written


def search_index_rebuild(tenant: LocalAuthority | None = None) -> int:
    """Rebuilds the index of one tenant, or of all tenants; returns the number of documents."""
    with scopes_disabled(), transaction.atomic():
        with connection.cursor() as cursor:
            services = Service.objects.all()
            where, params = "", []
            if tenant is not None:
                services = services.filter(local_authority=tenant)
                where, params = " WHERE local_authority_id = %s", [tenant.pk]
            for table in (DOCUMENT_TABLE, WORD_TABLE):
                cursor.execute(f"DELETE FROM {table}{where}", params)  # noqa: S608
            ids = list(services.values_list("pk", flat=True))
        return search_index_refresh(ids)


def services_of_organisation(organisation_id: int) -> list[int]:
    """The ids of an organisation's offers (to refresh after its name changed)."""
    with scopes_disabled():
        return list(
            Service.objects.filter(organisation_id=organisation_id).values_list("pk", flat=True)
        )


def services_of_topic(term_id: int) -> list[int]:
    """The ids of the offers with this topic (to refresh after the topic was renamed)."""
    with scopes_disabled():
        return list(Service.objects.filter(topics=term_id).values_list("pk", flat=True))
