"""The HSDS objects: one function per shape, the values in HSDS form, the generic links.

See the package's docstring.
"""

from __future__ import annotations

import datetime
import decimal
import functools
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import models
from django.utils import timezone

from knotenpunkt.directory import freshness
from knotenpunkt.directory.models import (
    Accessibility,
    Address,
    Attribute,
    CostOption,
    DirectoryContact,
    DirectorySettings,
    Funding,
    Language,
    Location,
    Metadata,
    OrganizationIdentifier,
    Phone,
    Program,
    RequiredDocument,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from knotenpunkt.partners.models import Organisation

JsonDict = dict[str, Any]
ModelT = TypeVar("ModelT", bound=models.Model)

#: ``link_type`` of the attributes that publish a service's topics.
TOPIC_LINK_TYPE = "topic"

#: Namespace of the derived ids of topic attributes (uuid5 of service and term id).
TOPIC_ATTRIBUTE_NAMESPACE = uuid.UUID("6f1d3c52-7c55-4d0e-9a57-2f1b8f0e4c11")

#: Service fields that HSDS has and a later model version may add; published when present.
OPTIONAL_SERVICE_FIELDS = ("wait_time", "fees", "licenses")
#: Organisation fields that HSDS has and a later model version may add; published when present.
OPTIONAL_ORGANIZATION_FIELDS = ("tax_status", "tax_id")

# Slices of the generic link queries: SQLite allows 32,766 parameters per statement.
_LINK_CHUNK = 5000


class NotPublicError(ValueError):
    """A public output was asked for an offer the public must not see."""


def topic_attribute_id(service_id: uuid.UUID | str, term_id: uuid.UUID | str) -> uuid.UUID:
    """The id of the attribute that publishes topic ``term_id`` of service ``service_id``."""
    return uuid.uuid5(TOPIC_ATTRIBUTE_NAMESPACE, f"{service_id}/{term_id}")


# --- Values ----------------------------------------------------------------------------------


def number(value: decimal.Decimal | float | int) -> int | float:
    """A JSON number: integral values as ``int`` (``12``, not ``12.00``)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, decimal.Decimal):
        if value == value.to_integral_value():
            return int(value)
        return float(value)
    if value.is_integer():
        return int(value)
    return value


def iso_date(value: datetime.date | datetime.datetime) -> str:
    """``YYYY-MM-DD``; a moment becomes its date in the German time zone."""
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    return value.isoformat()


def iso_time(value: datetime.time, *, seconds: bool = False) -> str:
    """``HH:MM`` as HSDS asks (``HH:MM:SS`` when the seconds matter or ``seconds`` is set)."""
    if seconds or value.second:
        return value.strftime("%H:%M:%S")
    return value.strftime("%H:%M")


def iso_datetime(value: datetime.datetime) -> str:
    """RFC 3339 in UTC with milliseconds (``2023-03-15T10:30:45.123Z``), as HSDS suggests."""
    return value.astimezone(datetime.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _put(target: JsonDict, key: str, value: Any) -> None:
    """Sets ``key`` unless ``value`` is empty (``None`` or ``""``)."""
    if value is None or value == "":
        return
    if isinstance(value, decimal.Decimal | float) and not isinstance(value, bool):
        value = number(value)
    target[key] = value


@functools.cache
def _has_field(model: type[models.Model], name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


#: Suffix of the attributes that the prefetch helpers fill with plain lists.
PREFETCHED = "_hx"


def _rel(obj: models.Model, name: str) -> list[Any]:
    """The related objects ``name`` of ``obj``: the prefetched list, or else a query.

    The prefetch helpers use ``Prefetch(to_attr=...)``: Django then stores plain lists instead of
    building a (scoped, filtered) queryset per object, which costs more than the query itself.
    """
    prefetched = getattr(obj, name + PREFETCHED, None)
    if prefetched is not None:
        return prefetched
    return list(getattr(obj, name).all())


# --- Generic links: attributes and metadata ---------------------------------------------------


@dataclass
class _Links:
    """The attributes and metadata of a set of objects, by the id of the object they describe."""

    attributes: dict[uuid.UUID, list[Attribute]] = field(default_factory=dict)
    metadata: dict[uuid.UUID, list[Metadata]] = field(default_factory=dict)
    # False while only the settings are shared (list items): full objects load their own.
    loaded: bool = False
    settings: DirectorySettings | None = None


def _chunks(items: Sequence[uuid.UUID], size: int) -> Iterator[Sequence[uuid.UUID]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _load_links(ids: Iterable[uuid.UUID]) -> _Links:
    """Two queries per 5,000 ids: the attributes (with their terms) and the metadata."""
    wanted = sorted(set(ids))
    links = _Links()
    attributes: dict[uuid.UUID, list[Attribute]] = defaultdict(list)
    metadata: dict[uuid.UUID, list[Metadata]] = defaultdict(list)
    for chunk in _chunks(wanted, _LINK_CHUNK):
        for attribute in (
            Attribute.objects.filter(link_id__in=chunk)
            .select_related("taxonomy_term__taxonomy", "taxonomy_term__parent")
            .prefetch_related("taxonomy_term__translations")
            .order_by("id")
        ):
            attributes[attribute.link_id].append(attribute)
        for entry in Metadata.objects.filter(resource_id__in=chunk).order_by("id"):
            metadata[entry.resource_id].append(entry)
    links.attributes = dict(attributes)
    links.metadata = dict(metadata)
    links.loaded = True
    return links


def _settings_for(tenant_id: int) -> DirectorySettings:
    found = DirectorySettings.objects.filter(local_authority_id=tenant_id).first()
    return found if found is not None else DirectorySettings(local_authority_id=tenant_id)


def is_public(service: Service, settings: DirectorySettings, now: datetime.datetime) -> bool:
    """Whether the public may see ``service``: active, for everyone and not hidden as stale."""
    return (
        service.status == Service.Status.ACTIVE
        and service.visibility == Service.Visibility.PUBLIC
        and freshness.freshness_of(service, settings, now) != freshness.HIDDEN
    )


@dataclass
class _Context:
    """How to serialise one object tree: public or not, and where the generic links come from."""

    public: bool
    links: _Links | None = None
    # Objects whose attributes and metadata go in once the links are known: (dict, id).
    targets: list[tuple[JsonDict, uuid.UUID]] = field(default_factory=list)
    now: datetime.datetime = field(default_factory=timezone.now)

    def target(self, data: JsonDict, object_id: uuid.UUID) -> JsonDict:
        self.targets.append((data, object_id))
        return data

    def settings(self, tenant_id: int) -> DirectorySettings:
        if self.links is None:
            self.links = _Links()
        if self.links.settings is None:
            self.links.settings = _settings_for(tenant_id)
        return self.links.settings

    def finish(self, root: JsonDict, root_id: uuid.UUID) -> JsonDict:
        """Adds attributes and metadata: always on the root, on the others where there are any."""
        links = self.links
        if links is None or not links.loaded:
            # Not preloaded for the page: load for this tree alone.
            loaded = _load_links(object_id for _data, object_id in self.targets)
            if links is not None:
                loaded.settings = links.settings
            links = self.links = loaded
        for data, object_id in self.targets:
            attributes = [
                _attribute(attribute, self) for attribute in links.attributes.get(object_id, [])
            ]
            is_root = data is root and object_id == root_id
            if attributes or is_root:
                data["attributes"] = [*data.get("attributes", []), *attributes]
            if self.public:
                # Change logs may hold earlier values, e.g. a confidential address.
                continue
            metadata = [_metadata(entry) for entry in links.metadata.get(object_id, [])]
            if metadata or is_root:
                data["metadata"] = metadata
        return root


# --- Small objects ---------------------------------------------------------------------------


def _language(language: Language, ctx: _Context) -> JsonDict:
    data: JsonDict = {"id": str(language.uuid)}
    _put(data, "name", language.name)
    _put(data, "code", language.code)
    _put(data, "note", language.note)
    return ctx.target(data, language.uuid)


def _phone(phone: Phone, ctx: _Context) -> JsonDict:
    data: JsonDict = {"id": str(phone.uuid), "number": phone.number}
    _put(data, "extension", phone.extension)
    _put(data, "type", phone.type)
    _put(data, "description", phone.description)
    data["languages"] = [_language(language, ctx) for language in _rel(phone, "languages")]
    return ctx.target(data, phone.uuid)


def _schedule(schedule: Schedule, ctx: _Context) -> JsonDict:
    data: JsonDict = {"id": str(schedule.uuid)}
    for name in ("valid_from", "valid_to", "dtstart"):
        value = getattr(schedule, name)
        _put(data, name, iso_date(value) if value else None)
    _put(data, "timezone", schedule.timezone)
    _put(data, "until", iso_date(schedule.until) if schedule.until else None)
    _put(data, "count", schedule.count)
    _put(data, "wkst", schedule.wkst)
    _put(data, "freq", schedule.freq)
    _put(data, "interval", schedule.interval)
    for name in ("byday", "byweekno", "bymonthday", "byyearday", "description"):
        _put(data, name, getattr(schedule, name))
    _put(data, "opens_at", iso_time(schedule.opens_at) if schedule.opens_at else None)
    _put(data, "closes_at", iso_time(schedule.closes_at) if schedule.closes_at else None)
    _put(data, "schedule_link", schedule.schedule_link)
    _put(data, "attending_type", schedule.attending_type)
    _put(data, "notes", schedule.notes)
    return ctx.target(data, schedule.uuid)


def _service_area(area: ServiceArea, ctx: _Context) -> JsonDict:
    data: JsonDict = {"id": str(area.uuid)}
    for name in ("name", "description", "extent", "extent_type", "uri"):
        _put(data, name, getattr(area, name))
    if area.area is not None:
        _put(data, "area_official_key", _official_key(area.area.official_key))
        data["area_id"] = str(area.area.uuid)
    return ctx.target(data, area.uuid)


def _official_key(key: str) -> str | None:
    # The profile allows the levels of the AGS/ARS hierarchy only.
    return key if key.isdigit() and len(key) in {2, 3, 5, 8, 9, 12} else None


def _contact(contact: DirectoryContact, ctx: _Context) -> JsonDict:
    data: JsonDict = {"id": str(contact.uuid)}
    for name in ("name", "title", "department", "email"):
        _put(data, name, getattr(contact, name))
    data["phones"] = [_phone(phone, ctx) for phone in _rel(contact, "phones")]
    return ctx.target(data, contact.uuid)


def _address(address: Address, ctx: _Context) -> JsonDict:
    data: JsonDict = {"id": str(address.uuid)}
    _put(data, "attention", address.attention)
    data["address_1"] = address.address_1
    _put(data, "address_2", address.address_2)
    data["city"] = address.city
    _put(data, "region", address.region)
    data["state_province"] = address.state_province
    data["postal_code"] = address.postal_code
    data["country"] = address.country
    data["address_type"] = address.address_type
    return ctx.target(data, address.uuid)


def _accessibility(item: Accessibility, ctx: _Context) -> JsonDict:
    data: JsonDict = {"id": str(item.uuid)}
    for name in ("description", "details", "url"):
        _put(data, name, getattr(item, name))
    return ctx.target(data, item.uuid)


def _funding(funding: Funding, ctx: _Context) -> JsonDict:
    data: JsonDict = {"id": str(funding.uuid)}
    _put(data, "source", funding.source)
    return ctx.target(data, funding.uuid)


def _cost_option(option: CostOption, ctx: _Context) -> JsonDict:
    data: JsonDict = {"id": str(option.uuid)}
    _put(data, "valid_from", iso_date(option.valid_from) if option.valid_from else None)
    _put(data, "valid_to", iso_date(option.valid_to) if option.valid_to else None)
    for name in ("option", "currency", "amount", "amount_description"):
        _put(data, name, getattr(option, name))
    return ctx.target(data, option.uuid)


def _required_document(document: RequiredDocument, ctx: _Context) -> JsonDict:
    data: JsonDict = {"id": str(document.uuid)}
    _put(data, "document", document.document)
    _put(data, "uri", document.uri)
    return ctx.target(data, document.uuid)


def _identifier(identifier: OrganizationIdentifier, ctx: _Context) -> JsonDict:
    data: JsonDict = {"id": str(identifier.uuid)}
    _put(data, "identifier_scheme", identifier.identifier_scheme)
    data["identifier_type"] = identifier.identifier_type
    data["identifier"] = identifier.identifier
    return ctx.target(data, identifier.uuid)


def _program(program: Program, ctx: _Context | None = None) -> JsonDict:
    data: JsonDict = {"id": str(program.uuid), "name": program.name}
    _put(data, "alternate_name", program.alternate_name)
    data["description"] = program.description
    return ctx.target(data, program.uuid) if ctx is not None else data


def _metadata(entry: Metadata) -> JsonDict:
    return {
        "id": str(entry.uuid),
        "resource_type": entry.resource_type,
        "last_action_date": iso_date(entry.last_action_date),
        "last_action_type": entry.last_action_type,
        "field_name": entry.field_name,
        "previous_value": entry.previous_value,
        "replacement_value": entry.replacement_value,
        "updated_by": entry.updated_by,
    }


def _attribute(attribute: Attribute, ctx: _Context) -> JsonDict:
    data: JsonDict = {"id": str(attribute.uuid)}
    _put(data, "link_type", attribute.link_type)
    data["link_entity"] = attribute.link_entity
    _put(data, "value", attribute.value)
    data["taxonomy_term"] = taxonomy_term(attribute.taxonomy_term)
    return data


# --- Taxonomies ------------------------------------------------------------------------------


def taxonomy(obj: Taxonomy) -> JsonDict:
    """An HSDS ``taxonomy`` (``/taxonomies/{id}`` and the items of ``/taxonomies``)."""
    data: JsonDict = {"id": str(obj.uuid), "name": obj.name, "description": obj.description}
    _put(data, "uri", obj.uri)
    _put(data, "version", obj.version)
    return data


def taxonomy_term(term: TaxonomyTerm) -> JsonDict:
    """An HSDS ``taxonomy_term`` with its taxonomy inlined and the profile's translations.

    Needs ``taxonomy`` and ``parent`` (select_related) and ``translations`` (prefetched) to stay
    query-free.
    """
    data: JsonDict = {"id": str(term.uuid)}
    _put(data, "code", term.code)
    data["name"] = term.name
    data["description"] = term.description
    if term.parent_id is not None and term.parent is not None:
        data["parent_id"] = str(term.parent.uuid)
    if term.taxonomy_id is not None and term.taxonomy is not None:
        data["taxonomy"] = term.taxonomy.name
        data["taxonomy_detail"] = taxonomy(term.taxonomy)
    _put(data, "language", term.language)
    if term.taxonomy_id is not None and term.taxonomy is not None:
        data["taxonomy_id"] = str(term.taxonomy.uuid)
    _put(data, "term_uri", term.term_uri)
    data["translations"] = [
        _without_empty({"language": t.language, "name": t.name, "description": t.description})
        for t in sorted(_rel(term, "translations"), key=lambda t: t.language)
    ]
    return data


def _without_empty(data: JsonDict) -> JsonDict:
    return {key: value for key, value in data.items() if value not in (None, "")}


# --- Locations -------------------------------------------------------------------------------


def _location_direct(location: Location, ctx: _Context) -> JsonDict:
    """The location's own properties (list items); public confidential ones without details."""
    data: JsonDict = {"id": str(location.uuid), "location_type": location.location_type}
    hide = ctx.public and location.confidential
    if not hide:
        _put(data, "url", location.url)
    _put(data, "name", location.name)
    if not hide:
        _put(data, "alternate_name", location.alternate_name)
        _put(data, "description", location.description)
        _put(data, "transportation", location.transportation)
        if location.has_position:
            data["latitude"] = number(location.latitude)  # type: ignore[arg-type]
            data["longitude"] = number(location.longitude)  # type: ignore[arg-type]
        _put(data, "external_identifier", location.external_identifier)
        _put(data, "external_identifier_type", location.external_identifier_type)
    data["confidential"] = location.confidential
    if not hide:
        data["barrier_free"] = location.barrier_free
        if location.area_id is not None and location.area is not None:
            _put(data, "area_official_key", _official_key(location.area.official_key))
    return data


def _location(location: Location, ctx: _Context) -> JsonDict:
    data = _location_direct(location, ctx)
    hide = ctx.public and location.confidential
    data["languages"] = [_language(language, ctx) for language in _rel(location, "languages")]
    if not hide:
        data["addresses"] = [_address(address, ctx) for address in _rel(location, "addresses")]
    data["contacts"] = [_contact(contact, ctx) for contact in _rel(location, "contacts")]
    if not hide:
        data["accessibility"] = [
            _accessibility(item, ctx) for item in _rel(location, "accessibility")
        ]
    data["phones"] = [_phone(phone, ctx) for phone in _rel(location, "phones")]
    if hide:
        # Its attributes may describe the place (wheelchair access, …): left out too.
        return data
    data["schedules"] = [_schedule(schedule, ctx) for schedule in _rel(location, "schedules")]
    return ctx.target(data, location.uuid)


def _service_at_location(sal: ServiceAtLocation, ctx: _Context) -> JsonDict:
    data: JsonDict = {"id": str(sal.uuid)}
    _put(data, "description", sal.description)
    data["contacts"] = [_contact(contact, ctx) for contact in _rel(sal, "contacts")]
    data["phones"] = [_phone(phone, ctx) for phone in _rel(sal, "phones")]
    data["schedules"] = [_schedule(schedule, ctx) for schedule in _rel(sal, "schedules")]
    data["location"] = _location(sal.location, ctx)
    return ctx.target(data, sal.uuid)


# --- Organisations ---------------------------------------------------------------------------


def _organization_direct(org: Organisation) -> JsonDict:
    data: JsonDict = {"id": str(org.uuid), "name": org.name}
    _put(data, "alternate_name", org.alternate_name)
    data["description"] = org.description
    _put(data, "email", org.email)
    _put(data, "website", org.website)
    for name in OPTIONAL_ORGANIZATION_FIELDS:
        if _has_field(Organisation, name):
            _put(data, name, getattr(org, name))
    _put(data, "year_incorporated", org.year_incorporated)
    _put(data, "legal_status", org.legal_status)
    _put(data, "logo", org.logo_url)
    _put(data, "uri", org.uri)
    if org.parent_id is not None and org.parent is not None:
        data["parent_organization_id"] = str(org.parent.uuid)
    return data


def _organization(org: Organisation, ctx: _Context, *, services: bool) -> JsonDict:
    data = _organization_direct(org)
    data["funding"] = [_funding(funding, ctx) for funding in _rel(org, "hsds_fundings")]
    data["contacts"] = [_contact(contact, ctx) for contact in _rel(org, "hsds_contacts")]
    data["phones"] = [_phone(phone, ctx) for phone in _rel(org, "hsds_phones")]
    data["locations"] = [_location(location, ctx) for location in _rel(org, "hsds_locations")]
    data["programs"] = [_program(program, ctx) for program in _rel(org, "hsds_programs")]
    data["organization_identifiers"] = [
        _identifier(identifier, ctx) for identifier in _rel(org, "hsds_identifiers")
    ]
    if services:
        offers = list(_rel(org, "services"))
        if ctx.public:
            settings = ctx.settings(org.local_authority_id)
            offers = [offer for offer in offers if is_public(offer, settings, ctx.now)]
        data["services"] = [
            _service(offer, ctx, organization=False, locations=True) for offer in offers
        ]
    return ctx.target(data, org.uuid)


# --- Services --------------------------------------------------------------------------------


def _service_direct(service: Service, ctx: _Context) -> JsonDict:
    """A service's own properties with the DE profile's, as in every shape of a service."""
    data: JsonDict = {"id": str(service.uuid), "name": service.name}
    _put(data, "alternate_name", service.alternate_name)
    _put(data, "description", service.description)
    _put(data, "url", service.url)
    _put(data, "email", service.email)
    data["status"] = service.status
    for name in ("interpretation_services", "application_process", "fees_description"):
        _put(data, name, getattr(service, name))
    for name in OPTIONAL_SERVICE_FIELDS[:2]:
        if _has_field(Service, name):
            _put(data, name, getattr(service, name))
    _put(data, "accreditations", service.accreditations)
    _put(data, "eligibility_description", service.eligibility_description)
    _put(data, "minimum_age", service.minimum_age)
    _put(data, "maximum_age", service.maximum_age)
    if service.last_verified_at is not None:
        data["assured_date"] = iso_date(service.last_verified_at)
    if not ctx.public:
        _put(data, "assurer_email", service.assurer_email)
    if _has_field(Service, OPTIONAL_SERVICE_FIELDS[2]):
        _put(data, "licenses", getattr(service, OPTIONAL_SERVICE_FIELDS[2]))
    _put(data, "alert", service.alert)
    data["last_modified"] = iso_datetime(service.updated_at)
    # DE profile.
    _put(data, "minimum_age_months", service.min_age_months)
    _put(data, "maximum_age_months", service.max_age_months)
    data["life_phases"] = [phase.code for phase in _by_position(_rel(service, "life_phases"))]
    data["cost_type"] = service.cost_type
    data["visibility"] = service.visibility
    data["translations"] = [
        _without_empty({"language": t.language, **{name: getattr(t, name) for name in t.FIELDS}})
        for t in sorted(_rel(service, "translations"), key=lambda t: t.language)
    ]
    data["topics"] = [str(term.uuid) for term in _topics(service)]
    return data


def _by_position(phases: Iterable[Any]) -> list[Any]:
    return sorted(phases, key=lambda phase: phase.position)


def _topics(service: Service) -> list[TaxonomyTerm]:
    return sorted(_rel(service, "topics"), key=lambda term: (term.position, term.name, term.pk))


def _check_public(service: Service, ctx: _Context) -> None:
    if ctx.public and not is_public(service, ctx.settings(service.local_authority_id), ctx.now):
        raise NotPublicError(f"service {service.uuid} is not public")


def _service(service: Service, ctx: _Context, *, organization: bool, locations: bool) -> JsonDict:
    data = _service_direct(service, ctx)
    data["phones"] = [_phone(phone, ctx) for phone in _rel(service, "phones")]
    data["schedules"] = [_schedule(schedule, ctx) for schedule in _rel(service, "schedules")]
    data["service_areas"] = [_service_area(area, ctx) for area in _rel(service, "service_areas")]
    if locations:
        data["service_at_locations"] = [
            _service_at_location(sal, ctx) for sal in _rel(service, "service_at_locations")
        ]
    data["languages"] = [_language(language, ctx) for language in _rel(service, "languages")]
    if organization:
        data["organization"] = _organization(service.organisation, ctx, services=False)
    data["funding"] = [_funding(funding, ctx) for funding in _rel(service, "fundings")]
    data["cost_options"] = [_cost_option(option, ctx) for option in _rel(service, "cost_options")]
    if service.program_id is not None and service.program is not None:
        data["program"] = _program(service.program, ctx)
    data["required_documents"] = [
        _required_document(document, ctx) for document in _rel(service, "required_documents")
    ]
    data["contacts"] = [_contact(contact, ctx) for contact in _rel(service, "contacts")]
    data["attributes"] = [
        {
            "id": str(topic_attribute_id(service.uuid, term.uuid)),
            "link_type": TOPIC_LINK_TYPE,
            "link_entity": "service",
            "taxonomy_term": taxonomy_term(term),
        }
        for term in _topics(service)
    ]
    return ctx.target(data, service.uuid)


def _context(obj: models.Model, public: bool) -> _Context:
    return _Context(public=public, links=getattr(obj, "_hsds_links", None))


def service_full(service: Service, *, public: bool) -> JsonDict:
    """A service as ``/services/{id}`` returns it (``examples/service_full.json``).

    Raises :class:`NotPublicError` for ``public=True`` and an offer the public must not see.
    """
    ctx = _context(service, public)
    _check_public(service, ctx)
    data = _service(service, ctx, organization=True, locations=True)
    return ctx.finish(data, service.uuid)


def service_list_item(service: Service, *, public: bool) -> JsonDict:
    """A service as an item of ``/services`` (``schema/compiled/service_list.json``).

    Raises :class:`NotPublicError` for ``public=True`` and an offer the public must not see.
    """
    return _service_list_item(service, _context(service, public))


def _service_list_item(service: Service, ctx: _Context) -> JsonDict:
    _check_public(service, ctx)
    data = _service_direct(service, ctx)
    data["organization"] = _organization_direct(service.organisation)
    if service.program_id is not None and service.program is not None:
        program = _program(service.program)
        program["organization_id"] = str(service.organisation.uuid)
        data["program"] = program
    return data


def organization_full(org: Organisation, *, public: bool) -> JsonDict:
    """An organisation as ``/organizations/{id}`` returns it, with its (public) services."""
    ctx = _context(org, public)
    data = _organization(org, ctx, services=True)
    return ctx.finish(data, org.uuid)


def organization_list_item(org: Organisation, *, public: bool) -> JsonDict:
    """An organisation as an item of ``/organizations``: its direct properties."""
    del public  # an organisation's own properties are public
    return _organization_direct(org)


def service_at_location_full(sal: ServiceAtLocation, *, public: bool) -> JsonDict:
    """A service at a location as ``/service_at_locations/{id}`` returns it.

    Raises :class:`NotPublicError` for ``public=True`` and an offer the public must not see.
    """
    ctx = _context(sal, public)
    _check_public(sal.service, ctx)
    data = _service_at_location(sal, ctx)
    data["service"] = _service(sal.service, ctx, organization=True, locations=False)
    return ctx.finish(data, sal.uuid)


def service_at_location_list_item(sal: ServiceAtLocation, *, public: bool) -> JsonDict:
    """A service at a location as an item of ``/service_at_locations``."""
    ctx = _context(sal, public)
    data: JsonDict = {"id": str(sal.uuid)}
    _put(data, "description", sal.description)
    data["location"] = _location_direct(sal.location, ctx)
    data["service"] = _service_list_item(sal.service, ctx)
    return data
