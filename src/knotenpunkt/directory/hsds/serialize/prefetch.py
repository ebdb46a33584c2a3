"""Prefetching: a page of objects serialised with a fixed number of queries; whole exports."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from functools import cache
from typing import Any

from django.db import models
from django.db.models import Prefetch, QuerySet
from django.db.models.query import ModelIterable
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.directory.hsds.serialize.objects import (
    PREFETCHED,
    ModelT,
    NotPublicError,
    _Context,
    _Links,
    _load_links,
    _organization,
    _service,
    _service_at_location,
    service_full,
)
from knotenpunkt.directory.models import (
    Location,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)
from knotenpunkt.partners.models import Organisation

# --- A whole directory ---------------------------------------------------------------------

#: Offers serialised per round of prefetch queries in :func:`stream_services_json`.
JSON_EXPORT_CHUNK = 200


def stream_services_json(tenant: LocalAuthority, *, public: bool) -> Iterator[bytes]:
    """All of ``tenant``'s offers (or the public ones) as one HSDS page of ``service_full``.

    The page has the shape of the HSDS API's ``/services`` answer (``total_items``, …,
    ``contents``), so that :mod:`~knotenpunkt.directory.hsds.importer` and other HSDS tools read
    it back. Written in pieces, a few hundred offers at a time with a fixed number of queries
    each; enters the tenant's scope itself (for streaming responses).
    """
    from knotenpunkt.directory.selectors import public_services

    with scope(local_authority=tenant):
        offers = public_services(tenant) if public else Service.objects.all()
        ids = list(offers.order_by("pk").values_list("pk", flat=True))
        head = {
            "total_items": len(ids),
            "total_pages": 1,
            "page_number": 1,
            "size": len(ids),
            "first_page": True,
            "last_page": True,
            "empty": not ids,
        }
        yield (json.dumps(head, ensure_ascii=False)[:-1] + ', "contents": [').encode()
        separator = ""
        for start in range(0, len(ids), JSON_EXPORT_CHUNK):
            chunk = ids[start : start + JSON_EXPORT_CHUNK]
            pieces = []
            for service in prefetch_services(Service.objects.filter(pk__in=chunk).order_by("pk")):
                try:
                    data = service_full(service, public=public)
                except NotPublicError:  # became hidden in the last few moments
                    continue
                pieces.append(json.dumps(data, ensure_ascii=False))
            if pieces:
                yield (separator + ", ".join(pieces)).encode()
                separator = ", "
        yield b"]}"


# --- Prefetching -----------------------------------------------------------------------------


def _term_queryset() -> QuerySet[TaxonomyTerm]:
    return TaxonomyTerm.objects.select_related("taxonomy", "parent")


#: What each relation's prefetch selects along (the querysets are built in the tenant's scope).
_QUERYSETS: dict[str, Callable[[], QuerySet[Any]]] = {
    "topics": _term_queryset,
    "service_areas": lambda: ServiceArea.objects.select_related("area"),
    "service_at_locations": lambda: ServiceAtLocation.objects.select_related("location__area"),
    "hsds_locations": lambda: Location.objects.select_related("area"),
    "services": lambda: Service.objects.select_related("program"),
}

#: The object trees: relation -> its own tree; a name ending in "/" is a foreign key (selected
#: along, not prefetched) whose tree continues.
Tree = dict[str, "Tree"]
_PHONE: Tree = {"languages": {}}
_CONTACT: Tree = {"phones": _PHONE}
_LOCATION: Tree = {
    "addresses": {},
    "accessibility": {},
    "languages": {},
    "schedules": {},
    "phones": _PHONE,
    "contacts": _CONTACT,
}
_ORGANIZATION: Tree = {
    "hsds_fundings": {},
    "hsds_contacts": _CONTACT,
    "hsds_phones": _PHONE,
    "hsds_locations": _LOCATION,
    "hsds_programs": {},
    "hsds_identifiers": {},
}
_SERVICE_LIST: Tree = {"life_phases": {}, "translations": {}, "topics": {"translations": {}}}
_SERVICE: Tree = {
    **_SERVICE_LIST,
    "phones": _PHONE,
    "schedules": {},
    "service_areas": {},
    "languages": {},
    "fundings": {},
    "cost_options": {},
    "required_documents": {},
    "contacts": _CONTACT,
}
_SAL: Tree = {"contacts": _CONTACT, "phones": _PHONE, "schedules": {}, "location/": _LOCATION}


def _prefetches(tree: Tree, prefix: str = "") -> list[Prefetch[Any]]:
    """``Prefetch(..., to_attr=...)`` for every relation of ``tree`` below ``prefix``."""
    lookups: list[Prefetch[Any]] = []
    for name, children in tree.items():
        if name.endswith("/"):
            lookups += _prefetches(children, f"{prefix}{name[:-1]}__")
            continue
        factory = _QUERYSETS.get(name)
        lookups.append(
            Prefetch(
                prefix + name,
                queryset=factory() if factory is not None else None,
                to_attr=name + PREFETCHED,
            )
        )
        lookups += _prefetches(children, f"{prefix}{name}{PREFETCHED}__")
    return lookups


@cache
def _with_links_class(base: type[QuerySet[Any]], full: bool) -> type[QuerySet[Any]]:
    """``base`` with a hook that gives everything it fetched one shared :class:`_Links`.

    With ``full`` the hook loads the attributes and metadata of all fetched trees at once;
    otherwise the shared object only caches the tenant's settings for the public check.
    """

    class LinksQuerySet(base):  # type: ignore[valid-type,misc]
        def _fetch_all(self) -> None:
            fresh = self._result_cache is None
            super()._fetch_all()
            if fresh and self._result_cache and self._iterable_class is ModelIterable:
                _preload_links(self._result_cache, full=full)

    LinksQuerySet.__name__ = f"Hsds{base.__name__}"
    return LinksQuerySet


def _with_links(qs: QuerySet[ModelT], *, full: bool) -> QuerySet[ModelT]:
    clone = qs._chain()  # type: ignore[attr-defined]
    clone.__class__ = _with_links_class(type(qs), full)
    return clone


def prefetch_services(qs: QuerySet[Service], *, full: bool = True) -> QuerySet[Service]:
    """``qs`` ready for :func:`service_full` (or, with ``full=False``, :func:`service_list_item`).

    Every related object is fetched with a fixed number of queries per page, whatever its size;
    with ``full`` the page's attributes and metadata are loaded together when it is evaluated.
    """
    qs = qs.select_related("organisation__parent", "program")
    if not full:
        return _with_links(qs.prefetch_related(*_prefetches(_SERVICE_LIST)), full=False)
    tree: Tree = {
        **_SERVICE,
        "service_at_locations": _SAL,
        "organisation/": _ORGANIZATION,
    }
    return _with_links(qs.prefetch_related(*_prefetches(tree)), full=True)


def prefetch_organizations(
    qs: QuerySet[Organisation], *, full: bool = True
) -> QuerySet[Organisation]:
    """``qs`` ready for :func:`organization_full` (``full=False``: for list items)."""
    qs = qs.select_related("parent")
    if not full:
        return _with_links(qs, full=False)
    tree: Tree = {**_ORGANIZATION, "services": {**_SERVICE, "service_at_locations": _SAL}}
    return _with_links(qs.prefetch_related(*_prefetches(tree)), full=True)


def prefetch_service_at_locations(
    qs: QuerySet[ServiceAtLocation], *, full: bool = True
) -> QuerySet[ServiceAtLocation]:
    """``qs`` ready for :func:`service_at_location_full` (``full=False``: for list items)."""
    qs = qs.select_related("location__area", "service__organisation__parent", "service__program")
    if not full:
        tree: Tree = {"service/": _SERVICE_LIST}
        return _with_links(qs.prefetch_related(*_prefetches(tree)), full=False)
    tree = {
        **_SAL,
        "service/": {**_SERVICE, "organisation/": _ORGANIZATION},
    }
    return _with_links(qs.prefetch_related(*_prefetches(tree)), full=True)


def _preload_links(objects: Sequence[models.Model], *, full: bool) -> None:
    """Loads the attributes and metadata of every object of the fetched trees in one go."""
    if not full:
        shared = _Links()
        for obj in objects:
            obj._hsds_links = shared  # type: ignore[attr-defined]
        return
    # The serialiser is the walk over the (prefetched, so query-free) trees; an organisation
    # that several offers share is walked once.
    ctx = _Context(public=False, links=_Links())
    organisations: dict[int, Organisation] = {}
    for obj in objects:
        if isinstance(obj, Service):
            _service(obj, ctx, organization=False, locations=True)
            organisations[obj.organisation_id] = obj.organisation
        elif isinstance(obj, Organisation):
            _organization(obj, ctx, services=True)
        elif isinstance(obj, ServiceAtLocation):
            _service_at_location(obj, ctx)
            _service(obj.service, ctx, organization=False, locations=False)
            organisations[obj.service.organisation_id] = obj.service.organisation
        else:  # pragma: no cover - only the three querysets above get the hook
            return
    for org in organisations.values():
        _organization(org, ctx, services=False)
    links = _load_links(object_id for _data, object_id in ctx.targets)
    for obj in objects:
        obj._hsds_links = links  # type: ignore[attr-defined]
