"""``search_services``: the one search interface over both databases.

The query is prepared in Python (:func:`~.text.prepare_query`); the database only answers
"which documents contain one of these substrings" (through its trigram index) and computes the
same ``CASE``/``LIKE`` score on both engines. Order: score (descending), then distance when a
place is given, then the offer's id — no collation, no engine-specific ranking function, so the
results are the same on PostgreSQL and SQLite.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import (
    Case,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.directory.models import (
    Language,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from knotenpunkt.directory.search.index import DOCUMENT_TABLE, WORD_TABLE, id_column, uses_fts5
from knotenpunkt.directory.search.text import Term, allowed_errors, corrections, prepare_query

KM_PER_DEGREE = 111.2
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

# Points of one term, by where it is found (the first that applies counts).
NAME_WORD_START = 8
NAME = 6
NAME_SYNONYM = 5
TOPIC = 3
BODY = 1


class SearchHit(NamedTuple):
    service_id: int
    rank: float


@dataclass(frozen=True)
class Near:
    """A place (latitude, longitude) and, optionally, how far from it offers may be."""

    latitude: float
    longitude: float
    radius_km: float | None = None


def _any_like(column: str, patterns: list[str]) -> tuple[str, list[str]]:
    sql = " OR ".join(f"d.{column} LIKE %s" for _ in patterns)
    return f"({sql})", patterns


def _term_score(term: Term) -> tuple[str, list[Any]]:
    everything = [f"%{a}%" for a in term.alternatives]
    cases: list[tuple[tuple[str, list[str]], int]] = [
        (_any_like("name_text", [f"% {p}%" for p in term.primary]), NAME_WORD_START),
        (_any_like("name_text", [f"%{p}%" for p in term.primary]), NAME),
    ]
    if term.synonyms:
        cases.append((_any_like("name_text", [f"%{s}%" for s in term.synonyms]), NAME_SYNONYM))
    cases += [
        (_any_like("topic_text", everything), TOPIC),
        (_any_like("body_text", everything), BODY),
    ]
    sql = "CASE " + " ".join(f"WHEN {cond} THEN {points}" for (cond, _), points in cases)
    params: list[Any] = [p for (_, ps), _ in cases for p in ps]
    return sql + " ELSE 0 END", params


def _score_sql(terms: list[Term]) -> tuple[str, list[Any]]:
    parts = [_term_score(t) for t in terms]
    sql = " + ".join(p for p, _ in parts)
    params = [x for _, ps in parts for x in ps]
    column = id_column()
    return (
        f'(SELECT {sql} FROM {DOCUMENT_TABLE} d WHERE d.{column} = "directory_service"."id")',  # noqa: S608
        params,
    )


def _match_sql(tenant: LocalAuthority, terms: list[Term]) -> tuple[str, list[Any]]:
    """``SELECT id FROM document WHERE`` every term is found through one of its alternatives."""
    column = id_column()
    if uses_fts5():
        expression = " AND ".join(
            "(" + " OR ".join(f'"{a}"' for a in t.alternatives) + ")" for t in terms
        )
        return (
            f"SELECT {column} FROM {DOCUMENT_TABLE} WHERE {DOCUMENT_TABLE} MATCH %s "  # noqa: S608
            "AND local_authority_id = %s",
            [expression, tenant.pk],
        )
    text = "(name_text || topic_text || body_text)"
    conditions = []
    params: list[Any] = []
    for term in terms:
        conditions.append("(" + " OR ".join(f"{text} LIKE %s" for _ in term.alternatives) + ")")
        params += [f"%{a}%" for a in term.alternatives]
    return (
        f"SELECT {column} FROM {DOCUMENT_TABLE} WHERE local_authority_id = %s AND "  # noqa: S608
        + " AND ".join(conditions),
        [tenant.pk, *params],
    )


def _term_found(tenant: LocalAuthority, term: Term) -> bool:
    sql, params = _match_sql(tenant, [term])
    with connection.cursor() as cursor:
        cursor.execute(sql + " LIMIT 1", params)
        return cursor.fetchone() is not None


def _vocabulary(tenant: LocalAuthority, shortest: int) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT word FROM {WORD_TABLE} WHERE local_authority_id = %s "  # noqa: S608
            "AND LENGTH(word) >= %s ORDER BY word",
            [tenant.pk, shortest],
        )
        return [row[0] for row in cursor.fetchall()]


def _correct(tenant: LocalAuthority, terms: list[Term]) -> list[Term]:
    """Adds the index's words that a term not found anywhere may have been meant as."""
    missing = [t for t in terms if allowed_errors(t.word) and not _term_found(tenant, t)]
    if not missing:
        return terms
    shortest = min(len(t.word) - allowed_errors(t.word) for t in missing)
    vocabulary = _vocabulary(tenant, shortest)
    fixed = {t.word: t.with_corrections(corrections(t.word, vocabulary)) for t in missing}
    return [fixed.get(t.word, t) for t in terms]


def _distance_squared(near: Near) -> ExpressionWrapper:
    """Squared distance in degrees of latitude (equirectangular; exact enough within a county).

    Confidential locations count by the centre of their area, never by their own position.
    """
    scale = math.cos(math.radians(near.latitude))
    latitude = Case(
        When(location__confidential=True, then=F("location__area__latitude")),
        default=F("location__latitude"),
    )
    longitude = Case(
        When(location__confidential=True, then=F("location__area__longitude")),
        default=F("location__longitude"),
    )
    dy = latitude - Value(near.latitude)
    dx = (longitude - Value(near.longitude)) * Value(scale)
    return ExpressionWrapper(dx * dx + dy * dy, output_field=FloatField())


def _filtered(
    tenant: LocalAuthority,
    *,
    age_months: int | None,
    life_phase: str | None,
    topic: TaxonomyTerm | None,
    language: str | None,
    free: bool,
    barrier_free: bool,
    weekday: int | None,
    near: Near | None,
) -> QuerySet[Service]:
    # Imported here: the write services (through revisions, which selectors imports) call
    # search_index_refresh, so this package must not import selectors when it is loaded.
    from knotenpunkt.directory.selectors import public_services

    services = public_services(tenant)
    if age_months is not None:
        services = services.filter(
            Q(min_age_months__isnull=True) | Q(min_age_months__lte=age_months),
            Q(max_age_months__isnull=True) | Q(max_age_months__gte=age_months),
        )
    if life_phase:
        services = services.filter(life_phases__code=life_phase)
    if topic is not None:
        services = services.filter(topics=topic)
    if language:
        services = services.filter(
            Exists(Language.objects.filter(service=OuterRef("pk"), code=language))
        )
    if free:
        services = services.filter(cost_type=Service.CostType.FREE)
    if barrier_free:
        services = services.filter(
            Exists(
                ServiceAtLocation.objects.filter(
                    service=OuterRef("pk"), location__barrier_free=True
                )
            )
        )
    if weekday is not None:
        code = WEEKDAYS[weekday]
        services = services.filter(
            Exists(Schedule.objects.filter(service=OuterRef("pk"), byday__contains=code))
            | Exists(
                Schedule.objects.filter(
                    service_at_location__service=OuterRef("pk"), byday__contains=code
                )
            )
        )
    if near is not None:
        places = (
            ServiceAtLocation.objects.filter(service=OuterRef("pk"))
            .annotate(d2=_distance_squared(near))
            .filter(d2__isnull=False)
            .order_by("d2")
            .values("d2")[:1]
        )
        services = services.annotate(distance2=Subquery(places, output_field=FloatField()))
        if near.radius_km is not None:
            services = services.filter(distance2__lte=(near.radius_km / KM_PER_DEGREE) ** 2)
    return services


def search_services(
    tenant: LocalAuthority,
    query: str,
    *,
    language: str = "de",
    limit: int = 50,
    age_months: int | None = None,
    life_phase: str | None = None,
    topic: TaxonomyTerm | None = None,
    offer_language: str | None = None,
    free: bool = False,
    barrier_free: bool = False,
    weekday: int | None = None,
    near: Near | None = None,
) -> list[SearchHit]:
    """The public offers of ``tenant`` that match ``query`` and the filters, best first.

    ``query``: free text, German by default (stemming, compounds, synonyms of
    ``data/synonyms_de.csv``, typing errors corrected against the tenant's words); an empty
    query lists every offer that passes the filters. ``language``: the language the query is
    written in (stemming and synonyms apply to German only; all translations are searched).
    Filters: ``age_months`` (the child's age, -9 … during pregnancy), ``life_phase`` (a
    LifePhase code), ``topic``, ``offer_language`` (ISO 639 code the offer is given in),
    ``free`` (free of charge), ``barrier_free``, ``weekday`` (0 = Monday, from the opening
    hours), ``near`` (a point, optionally with a radius in km; also orders equal scores by
    distance, offers without a known position last; with a radius only those inside it).
    Returns ``(service_id, rank)`` pairs; rank 0 when there is no query.

    One query when something is found; when nothing is, one more per term and one for the
    tenant's vocabulary to correct typing errors, then the search again.
    """
    with scope(local_authority=tenant):
        services = _filtered(
            tenant,
            age_months=age_months,
            life_phase=life_phase,
            topic=topic,
            language=offer_language,
            free=free,
            barrier_free=barrier_free,
            weekday=weekday,
            near=near,
        )
        terms = prepare_query(query, language=language)
        hits = _run(services, tenant, terms, limit=limit, near=near is not None)
        if not hits and terms:
            corrected = _correct(tenant, terms)
            if corrected != terms:
                hits = _run(services, tenant, corrected, limit=limit, near=near is not None)
        return hits


def _run(
    services: QuerySet[Service],
    tenant: LocalAuthority,
    terms: list[Term],
    *,
    limit: int,
    near: bool,
) -> list[SearchHit]:
    order: list[Any] = [F("distance2").asc(nulls_last=True), "pk"] if near else ["pk"]
    if not terms:
        rows = services.order_by(*order).values_list("pk", flat=True)[:limit]
        return [SearchHit(pk, 0.0) for pk in rows]
    match_sql, match_params = _match_sql(tenant, terms)
    score_sql, score_params = _score_sql(terms)
    ranked = (
        services.filter(pk__in=RawSQL(match_sql, match_params))  # noqa: S611
        .annotate(search_score=RawSQL(score_sql, score_params, output_field=FloatField()))  # noqa: S611
        .order_by(F("search_score").desc(), *order)
        .values_list("pk", "search_score")[:limit]
    )
    return [SearchHit(pk, float(score)) for pk, score in ranked]
