"""Our directory models as HSDS 3.0 JSON, exactly in the shapes the HSDS API returns.

Full objects (``/services/{id}``, ``/organizations/{id}``, ``/service_at_locations/{id}``) follow
``examples/service_full.json`` and its siblings: a service with its organisation (with that
organisation's locations, programmes, …), programme, phones, schedules, service areas, services at
locations (each with its location and the location's addresses, phones, accessibility, …),
languages, funding, cost options, required documents, contacts, attributes and metadata. List
items (``contents[]`` of the list endpoints) follow ``schema/compiled/*_list.json``: the direct
properties and the inlined organisation, programme, location or service.

The German profile's extension fields are added where the profile defines them (``docs/
hsds-de-profile.md``): ages in months, life phases, cost type, visibility, translations and
topics on services; confidential, barrier-free and the official key on locations; the area on
service areas; translations on taxonomy terms. Topics are also published the canonical HSDS way:
one attribute per topic with ``link_type`` "topic" and ``link_entity`` "service", whose id is
derived from the service's and the term's ids (:func:`topic_attribute_id`) so that it is stable.

Optional values that are empty are left out rather than published as ``""`` or ``null`` (HSDS
formats such as ``uri`` and ``email`` reject empty strings); arrays of child objects are always
present, so that a re-import knows the full set. Dates are ISO strings, times ``HH:MM``,
decimals numbers.

``public=True`` is for every public output: a confidential location (a women's shelter) keeps only
its name, contacts, phones and languages, never its address, position or physical details; a
professional-only or hidden offer is never published (:class:`NotPublicError`); the verifier's
e-mail address and the change metadata (which may hold earlier values) are left out.

Serialising a page costs a fixed number of queries when the queryset went through
:func:`prefetch_services` (or :func:`prefetch_organizations`,
:func:`prefetch_service_at_locations`) — with ``full=False`` for list items. The helpers also load
the generic attributes and metadata (linked by id, not by foreign key) of the whole page at once;
without them each full object loads its own.
"""

from __future__ import annotations

from knotenpunkt.directory.hsds.serialize.objects import (
    OPTIONAL_ORGANIZATION_FIELDS,
    OPTIONAL_SERVICE_FIELDS,
    PREFETCHED,
    TOPIC_ATTRIBUTE_NAMESPACE,
    TOPIC_LINK_TYPE,
    JsonDict,
    NotPublicError,
    is_public,
    iso_date,
    iso_datetime,
    iso_time,
    number,
    organization_full,
    organization_list_item,
    service_at_location_full,
    service_at_location_list_item,
    service_full,
    service_list_item,
    taxonomy,
    taxonomy_term,
    topic_attribute_id,
)
from knotenpunkt.directory.hsds.serialize.prefetch import (
    JSON_EXPORT_CHUNK,
    prefetch_organizations,
    prefetch_service_at_locations,
    prefetch_services,
    stream_services_json,
)

__all__ = [
    "JSON_EXPORT_CHUNK",
    "OPTIONAL_ORGANIZATION_FIELDS",
    "OPTIONAL_SERVICE_FIELDS",
    "PREFETCHED",
    "TOPIC_ATTRIBUTE_NAMESPACE",
    "TOPIC_LINK_TYPE",
    "JsonDict",
    "NotPublicError",
    "is_public",
    "iso_date",
    "iso_datetime",
    "iso_time",
    "number",
    "organization_full",
    "organization_list_item",
    "prefetch_organizations",
    "prefetch_service_at_locations",
    "prefetch_services",
    "service_at_location_full",
    "service_at_location_list_item",
    "service_full",
    "service_list_item",
    "stream_services_json",
    "taxonomy",
    "taxonomy_term",
    "topic_attribute_id",
]
