"""Reads of the public HSDS API: which objects a list shows, in which order, page by page.

Only what the public may see: services from :func:`knotenpunkt.directory.selectors.public_services`
(active, public, not hidden for staleness) and what hangs off them; organisations only while they
provide such a service. Confidential locations never match a postcode or distance filter, so that
nobody can narrow down where a women's shelter is by asking for ever smaller circles.

A list is counted with one query and then fetched one page at a time: first the page's primary
keys (an index-friendly ``ORDER BY … LIMIT``), then the page's rows with everything serialisation
needs (a fixed number of queries, see :mod:`knotenpunkt.directory.hsds.serialize`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, cast

from django.core.cache import cache
from django.db import models
from django.db.models import Avg, Exists, OuterRef, Q, QuerySet

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.core.text_search import words_match
from knotenpunkt.directory import selectors as directory_selectors
from knotenpunkt.directory.api import geo
from knotenpunkt.directory.api.params import Paging, Proximity
from knotenpunkt.directory.models import (
    Address,
    Attribute,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from knotenpunkt.partners.models import Organisation

ModelT = TypeVar("ModelT", bound=models.Model)

#: ``Attribute.link_entity`` of attributes attached to a service (HSDS table name).
SERVICE_LINK_ENTITY = "service"

#: Rows fetched at a time when a whole list is streamed (``format=ndjson``).
STREAM_CHUNK = 500
#: Lists at least this long keep their count this many seconds (see :meth:`Matches.count`).
COUNT_CACHE_FROM = 1000
COUNT_CACHE_SECONDS = 60


class UnknownPostcode(Exception):
    """No public location with a position is known at the postcode; it has no centre."""


@dataclass(frozen=True)
class ServiceFilters:
    """The HSDS filters of ``/services`` and ``/service_at_locations``; all must hold (AND)."""

    search: str = ""
    taxonomy_term: uuid.UUID | None = None
    taxonomy: uuid.UUID | None = None
    organization: uuid.UUID | None = None
    modified_after: dt.datetime | None = None


@dataclass
class Matches(Generic[ModelT]):
    """The objects a list request matches, in order: a query, or primary keys sorted elsewhere
    (by distance)."""

    queryset: QuerySet[ModelT]
    ordered_ids: list[int] | None = None
    #: Metres from the searched point, by primary key, when sorted by distance.
    distances: dict[int, float] = field(default_factory=dict)
    #: Names this list (tenant, endpoint, filters) so that a long list's count can be reused.
    count_key: str | None = None

    def count(self) -> int:
        """How many match. A long list's count is kept for :data:`COUNT_CACHE_SECONDS`.

        Counting a long list is the costly part of paging through it, and a client that pages
        reads the same count again and again; the answers may be cached as long anyway
        (``Cache-Control``). Short lists are always counted afresh.
        """
        if self.ordered_ids is not None:
            return len(self.ordered_ids)
        key = f"hsds-api-count:{self.count_key}" if self.count_key else None
        if key is not None:
            cached = cache.get(key)
            if isinstance(cached, int):
                return cached
        total = self.queryset.order_by().count()
        if key is not None and total >= COUNT_CACHE_FROM:
            cache.set(key, total, COUNT_CACHE_SECONDS)
        return total

    def ids(self, offset: int, limit: int) -> list[int]:
        if self.ordered_ids is not None:
            return self.ordered_ids[offset : offset + limit]
        return list(self.queryset.values_list("pk", flat=True)[offset : offset + limit])


@dataclass(frozen=True)
class Page(Generic[ModelT]):
    """One page of a list and the size of the whole list."""

    items: list[ModelT]
    total: int
    paging: Paging

    @property
    def total_pages(self) -> int:
        return -(-self.total // self.paging.per_page)


def fetch(ids: list[int], prepare: Callable[[list[int]], QuerySet[ModelT]]) -> list[ModelT]:
    """The rows with ``ids``, prepared for serialisation, in the order of ``ids``."""
    if not ids:
        return []
    rows = {row.pk: row for row in prepare(ids)}
    return [rows[pk] for pk in ids if pk in rows]


def page_of(
    matches: Matches[ModelT], paging: Paging, prepare: Callable[[list[int]], QuerySet[ModelT]]
) -> Page[ModelT]:
    """One page of ``matches``: the page's keys, a count, then its rows (fixed query count).

    The count is skipped when the page itself shows where the list ends (a page with fewer rows
    than asked for, or an empty first page): counting is the costly part of a long list.
    """
    ids = matches.ids(paging.offset, paging.per_page)
    if 0 < len(ids) < paging.per_page or (not ids and paging.offset == 0):
        total = paging.offset + len(ids)
    else:
        total = matches.count()
    return Page(items=fetch(ids, prepare), total=total, paging=paging)


def stream_of(
    matches: Matches[ModelT], prepare: Callable[[list[int]], QuerySet[ModelT]]
) -> Iterator[ModelT]:
    """Every match, fetched :data:`STREAM_CHUNK` at a time (for ``format=ndjson``)."""
    ids = (
        matches.ordered_ids
        if matches.ordered_ids is not None
        else list(matches.queryset.values_list("pk", flat=True))
    )
    for start in range(0, len(ids), STREAM_CHUNK):
        yield from fetch(ids[start : start + STREAM_CHUNK], prepare)


# --- Services ---------------------------------------------------------------------------------


def _with_terms(terms: QuerySet[TaxonomyTerm]) -> Q:
    """Services tagged with one of ``terms``: as a topic or through an HSDS attribute.

    The terms are looked up first, and the attribute link only joins the condition when such
    attributes exist (imported data): a plain ``IN`` over the topic links is what PostgreSQL
    plans best (a semi-join), while an ``OR`` of two subqueries is not.
    """
    term_ids = list(terms.values_list("pk", flat=True))
    if not term_ids:
        return Q(pk__in=[])
    through: Any = Service.topics.through
    condition = Q(pk__in=through.objects.filter(taxonomyterm_id__in=term_ids).values("service_id"))
    attributes = Attribute.objects.filter(
        link_entity=SERVICE_LINK_ENTITY, taxonomy_term_id__in=term_ids
    )
    if attributes.exists():
        condition |= Q(uuid__in=attributes.values("link_id"))
    return condition


def public_services(tenant: LocalAuthority, filters: ServiceFilters) -> QuerySet[Service]:
    """The tenant's public services that pass every filter, by name."""
    services = directory_selectors.public_services(tenant)
    if filters.search:
        services = services.filter(words_match(filters.search, ["name", "description"]))
    if filters.organization is not None:
        services = services.filter(organisation__uuid=filters.organization)
    if filters.taxonomy_term is not None:
        services = services.filter(
            _with_terms(TaxonomyTerm.objects.filter(uuid=filters.taxonomy_term))
        )
    if filters.taxonomy is not None:
        services = services.filter(
            _with_terms(TaxonomyTerm.objects.filter(taxonomy__uuid=filters.taxonomy))
        )
    if filters.modified_after is not None:
        services = services.filter(updated_at__gte=filters.modified_after)
    return services.order_by("name", "pk")


def service_matches(tenant: LocalAuthority, filters: ServiceFilters) -> Matches[Service]:
    return Matches(public_services(tenant, filters))


def public_service(tenant: LocalAuthority, service_id: uuid.UUID) -> Service | None:
    """One public service by its HSDS id, or None (missing, hidden or not public alike)."""
    return directory_selectors.public_services(tenant).filter(uuid=service_id).first()


# --- Services at locations --------------------------------------------------------------------


def postcode_centre(tenant: LocalAuthority, postcode: str) -> geo.Place:
    """The mean position of the public, non-confidential locations at ``postcode``."""
    public = directory_selectors.public_services(tenant)
    centre = Address.objects.filter(
        postal_code__iexact=postcode,
        location__confidential=False,
        location__latitude__isnull=False,
        location__service_at_locations__service__in=public.values("pk"),
    ).aggregate(latitude=Avg("location__latitude"), longitude=Avg("location__longitude"))
    if centre["latitude"] is None or centre["longitude"] is None:
        raise UnknownPostcode(postcode)
    return geo.Place(centre["latitude"], centre["longitude"])


def _sal_base(tenant: LocalAuthority, filters: ServiceFilters) -> QuerySet[ServiceAtLocation]:
    services = public_services(tenant, filters).order_by()
    # In the order they were made: paging by the primary key needs no join and no sort.
    return ServiceAtLocation.objects.filter(service__in=services.values("pk")).order_by("pk")


def service_at_location_matches(
    tenant: LocalAuthority,
    filters: ServiceFilters,
    *,
    postcode: str = "",
    proximity: Proximity | None = None,
) -> Matches[ServiceAtLocation]:
    """Services at locations of public services passing ``filters``, near a place if asked.

    ``postcode`` alone keeps locations with an address at that postcode. ``proximity`` keeps
    locations within its distance of its point, or of the postcode's centre when it has none,
    nearest first. Raises :class:`UnknownPostcode` when a postcode's centre is needed but unknown.
    """
    matches = _sal_base(tenant, filters)
    hidden_location = Q(location__confidential=True)
    if postcode and (proximity is None or proximity.has_point):
        matches = matches.exclude(hidden_location).filter(
            Exists(
                Address.objects.filter(
                    location_id=OuterRef("location_id"), postal_code__iexact=postcode
                )
            )
        )
    if proximity is None:
        return Matches(matches)
    if proximity.latitude is not None and proximity.longitude is not None:
        centre = geo.Place(proximity.latitude, proximity.longitude)
    else:
        centre = postcode_centre(tenant, postcode)
    box = geo.bounding_box(centre.latitude, centre.longitude, proximity.metres)
    candidates = (
        matches.exclude(hidden_location)
        .filter(
            location__latitude__range=(box.min_latitude, box.max_latitude),
            location__longitude__range=(box.min_longitude, box.max_longitude),
        )
        .values_list("pk", "location__latitude", "location__longitude")
    )
    # The range filter leaves only rows with a position.
    positions = cast(QuerySet[Any, tuple[int, float, float]], candidates)
    nearest = geo.within(centre.latitude, centre.longitude, proximity.metres, positions)
    return Matches(
        matches,
        ordered_ids=[pk for pk, _ in nearest],
        distances=dict(nearest),
    )


def public_service_at_location(
    tenant: LocalAuthority, service_at_location_id: uuid.UUID
) -> ServiceAtLocation | None:
    """One service at a location of a public service, by its HSDS id, or None."""
    services = directory_selectors.public_services(tenant).order_by()
    return ServiceAtLocation.objects.filter(
        uuid=service_at_location_id, service__in=services.values("pk")
    ).first()


# --- Organisations ----------------------------------------------------------------------------


def public_organisations(tenant: LocalAuthority, *, search: str = "") -> QuerySet[Organisation]:
    """Organisations that provide at least one public service, by name.

    The partner register holds more organisations than the guide shows; one without a public
    offer is none of the public's business.
    """
    offers = (
        directory_selectors.public_services(tenant).order_by().filter(organisation=OuterRef("pk"))
    )
    organisations = Organisation.objects.filter(Exists(offers))
    if search:
        organisations = organisations.filter(
            words_match(search, ["name", "alternate_name", "description"])
        )
    return organisations.order_by("name", "pk")


def organisation_matches(tenant: LocalAuthority, *, search: str = "") -> Matches[Organisation]:
    return Matches(public_organisations(tenant, search=search))


def public_organisation(tenant: LocalAuthority, organisation_id: uuid.UUID) -> Organisation | None:
    return public_organisations(tenant).filter(uuid=organisation_id).first()


# --- Taxonomies -------------------------------------------------------------------------------


def taxonomy_matches(*, search: str = "") -> Matches[Taxonomy]:
    """The current tenant's taxonomies (all are public), by name."""
    taxonomies = Taxonomy.objects.all()
    if search:
        taxonomies = taxonomies.filter(words_match(search, ["name", "description"]))
    return Matches(taxonomies.order_by("name", "pk"))


def taxonomy_term_matches(
    *,
    search: str = "",
    taxonomy: uuid.UUID | None = None,
    parent: uuid.UUID | None = None,
    top_only: bool = False,
) -> Matches[TaxonomyTerm]:
    """The current tenant's taxonomy terms passing every filter, in the taxonomy's order.

    ``top_only`` keeps the terms at the top of their tree (without a parent term).
    """
    terms = TaxonomyTerm.objects.all()
    if search:
        terms = terms.filter(words_match(search, ["name", "code", "description"]))
    if taxonomy is not None:
        terms = terms.filter(taxonomy__uuid=taxonomy)
    if parent is not None:
        terms = terms.filter(parent__uuid=parent)
    if top_only:
        terms = terms.filter(parent__isnull=True)
    return Matches(terms.order_by("taxonomy_id", "position", "name", "pk"))
