"""The editable snapshot of an offer: what partners propose and coordinators approve.

A snapshot is a plain, JSON-safe dict of the fields a person edits in the offer form — the
service's own text and settings, its topics, life phases, languages and translations, its
locations with address, place and phones, its weekly opening hours, its phone and contact. It is
what :class:`~knotenpunkt.directory.models.ServiceRevision` stores (``data``), and what the
review queue compares field by field. The HSDS models stay the store: :func:`apply_snapshot`
writes a snapshot into them.

Shape (every key is always present after :func:`normalise`)::

    name, alternate_name, description, url, email, status, application_process,
    fees_description, eligibility_description, cost_type, visibility     str
    min_age_months, max_age_months                                       int | None
    topics            [topic uuid, …]            sorted
    life_phases       [LifePhase code, …]         sorted
    languages         [ISO 639 code, …]           sorted
    translations      {language: {field: text}}   only languages and fields with text
    locations         [{uuid | None, name, address_1, address_2, postal_code, city,
                        state_province, area (uuid | None), confidential, barrier_free,
                        phones [str, …]}, …]
    schedules         [{weekday ("MO" … "SU" or ""), opens ("HH:MM" or ""), closes,
                        description}, …]
    phone, contact_name, contact_email                                   str
    responsible       person uuid | None
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from knotenpunkt.core.models import Area, LifePhase
from knotenpunkt.core.services import ServiceError
from knotenpunkt.directory.models import (
    GUIDE_LANGUAGES,
    Address,
    DirectoryContact,
    Language,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceTranslation,
    TaxonomyTerm,
)
from knotenpunkt.directory.search.index import search_index_refresh
from knotenpunkt.partners.models import Person

#: The service's own fields in a snapshot, in the order forms and diffs show them.
SCALAR_FIELDS: tuple[str, ...] = (
    "name",
    "alternate_name",
    "description",
    "application_process",
    "eligibility_description",
    "fees_description",
    "url",
    "email",
    "status",
    "min_age_months",
    "max_age_months",
    "cost_type",
    "visibility",
)
INT_FIELDS = frozenset({"min_age_months", "max_age_months"})
LIST_FIELDS: tuple[str, ...] = ("topics", "life_phases", "languages")
CONTACT_FIELDS: tuple[str, ...] = ("phone", "contact_name", "contact_email")
LOCATION_FIELDS: tuple[str, ...] = (
    "name",
    "address_1",
    "address_2",
    "postal_code",
    "city",
    "state_province",
    "area",
    "confidential",
    "barrier_free",
    "phones",
)
ADDRESS_FIELDS: tuple[str, ...] = (
    "address_1",
    "address_2",
    "postal_code",
    "city",
    "state_province",
)
SCHEDULE_FIELDS: tuple[str, ...] = ("weekday", "opens", "closes", "description")
#: Every top-level key, in display order.
KEYS: tuple[str, ...] = (
    *SCALAR_FIELDS,
    *LIST_FIELDS,
    "translations",
    "locations",
    "schedules",
    *CONTACT_FIELDS,
    "responsible",
)
#: Languages a text may be translated into (German in the service itself is the source).
TRANSLATION_LANGUAGES: list[tuple[str, Any]] = [
    (code, label) for code, label in GUIDE_LANGUAGES if code != "de"
]
WEEKDAYS: list[tuple[str, Any]] = [
    ("MO", gettext_lazy("Monday")),
    ("TU", gettext_lazy("Tuesday")),
    ("WE", gettext_lazy("Wednesday")),
    ("TH", gettext_lazy("Thursday")),
    ("FR", gettext_lazy("Friday")),
    ("SA", gettext_lazy("Saturday")),
    ("SU", gettext_lazy("Sunday")),
]
#: Languages an offer is commonly given in around here (ISO 639-1, or 639-3 for sign language).
OFFER_LANGUAGES: list[tuple[str, Any]] = [
    ("de", gettext_lazy("German")),
    ("en", gettext_lazy("English")),
    ("tr", gettext_lazy("Turkish")),
    ("ar", gettext_lazy("Arabic")),
    ("uk", gettext_lazy("Ukrainian")),
    ("ru", gettext_lazy("Russian")),
    ("pl", gettext_lazy("Polish")),
    ("ro", gettext_lazy("Romanian")),
    ("bg", gettext_lazy("Bulgarian")),
    ("fa", gettext_lazy("Persian")),
    ("ku", gettext_lazy("Kurdish")),
    ("ps", gettext_lazy("Pashto")),
    ("ti", gettext_lazy("Tigrinya")),
    ("so", gettext_lazy("Somali")),
    ("fr", gettext_lazy("French")),
    ("es", gettext_lazy("Spanish")),
    ("it", gettext_lazy("Italian")),
    ("vi", gettext_lazy("Vietnamese")),
    ("sq", gettext_lazy("Albanian")),
    ("gsg", gettext_lazy("German Sign Language")),
]
LANGUAGE_NAMES: dict[str, Any] = dict(OFFER_LANGUAGES)
TEXT_FIELDS_TRANSLATED: tuple[str, ...] = ServiceTranslation.FIELDS


# --- Shape ------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _int_or_none(value: Any) -> int | None:
    if value is None or value == "":
        return None
    return int(value)


def _time(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    return str(value)[:5]


def _uuid_or_none(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def _location(entry: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "uuid": _uuid_or_none(entry.get("uuid")),
        **{name: _text(entry.get(name)) for name in ("name", *ADDRESS_FIELDS)},
        "area": _uuid_or_none(entry.get("area")),
        "confidential": bool(entry.get("confidential")),
        "barrier_free": bool(entry.get("barrier_free")),
        "phones": [number for number in (_text(p) for p in entry.get("phones") or []) if number],
    }


def _schedule(entry: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "weekday": _text(entry.get("weekday")).upper(),
        "opens": _time(entry.get("opens")),
        "closes": _time(entry.get("closes")),
        "description": _text(entry.get("description")),
    }


def _translations(value: Mapping[str, Any] | None) -> dict[str, dict[str, str]]:
    result: dict[str, dict[str, str]] = {}
    for language, fields in sorted((value or {}).items()):
        texts = {
            name: _text(fields.get(name))
            for name in TEXT_FIELDS_TRANSLATED
            if _text(fields.get(name))
        }
        if texts and language != "de":
            result[language] = texts
    return result


def normalise(data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` in the canonical shape: every key present, lists sorted, text stripped.

    Two snapshots of the same content compare equal after this, whoever built them.
    """
    snapshot: dict[str, Any] = {}
    for name in SCALAR_FIELDS:
        value = data.get(name)
        snapshot[name] = _int_or_none(value) if name in INT_FIELDS else _text(value)
    for name in LIST_FIELDS:
        snapshot[name] = sorted({str(item) for item in data.get(name) or [] if item})
    snapshot["translations"] = _translations(data.get("translations"))
    snapshot["locations"] = [_location(entry) for entry in data.get("locations") or []]
    schedules = [_schedule(entry) for entry in data.get("schedules") or []]
    snapshot["schedules"] = [entry for entry in schedules if any(entry.values())]
    for name in CONTACT_FIELDS:
        snapshot[name] = _text(data.get(name))
    snapshot["responsible"] = _uuid_or_none(data.get("responsible"))
    return snapshot


def empty_snapshot() -> dict[str, Any]:
    """The snapshot of a new offer before anything is filled in."""
    return normalise(
        {
            "status": Service.Status.ACTIVE,
            "cost_type": Service.CostType.FREE,
            "visibility": Service.Visibility.PUBLIC,
        }
    )


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{key: [old, new]}`` for each top-level key whose value differs (both normalised)."""
    old, new = normalise(before), normalise(after)
    return {key: [old[key], new[key]] for key in KEYS if old[key] != new[key]}


# --- Reading ----------------------------------------------------------------------------------


WEEKDAY_CODES = frozenset(code for code, _label in WEEKDAYS)


def is_simple_schedule(schedule: Schedule) -> bool:
    """Whether the form can show ``schedule`` as a row "weekday, opens, closes, note".

    Richer HSDS rules (imported: monthly, several days, validity dates, booking links …) stay
    out of the snapshot and untouched by :func:`apply_snapshot`.
    """
    return (
        schedule.freq in ("", "WEEKLY")
        and (schedule.byday in WEEKDAY_CODES or (schedule.byday == "" and schedule.freq == ""))
        and schedule.interval in (None, 1)
        and not any(
            (
                schedule.bymonthday,
                schedule.byweekno,
                schedule.byyearday,
                schedule.count,
                schedule.until,
                schedule.dtstart,
                schedule.valid_from,
                schedule.valid_to,
                schedule.schedule_link,
                schedule.attending_type,
                schedule.notes,
            )
        )
    )


def _own_rows(rows: Any) -> list[Any]:
    """Rows that belong to the service itself, not to one of its locations or contacts."""
    return [
        row
        for row in rows
        if getattr(row, "location_id", None) is None
        and getattr(row, "service_at_location_id", None) is None
        and getattr(row, "contact_id", None) is None
    ]


def snapshot_prefetch() -> list[Any]:
    """What :func:`editable_snapshot` reads, for ``prefetch_related`` on a service queryset."""
    return [
        Prefetch("topics", queryset=TaxonomyTerm.objects.order_by("position", "name")),
        Prefetch("life_phases", queryset=LifePhase.objects.order_by("position")),
        Prefetch("languages", queryset=Language.objects.order_by("id")),
        Prefetch("translations", queryset=ServiceTranslation.objects.order_by("language")),
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.select_related("location__area")
            .prefetch_related(
                Prefetch("location__addresses", queryset=Address.objects.order_by("id")),
                Prefetch("location__phones", queryset=Phone.objects.order_by("id")),
                "location__accessibility",
            )
            .order_by("id"),
        ),
        Prefetch("schedules", queryset=Schedule.objects.order_by("id")),
        Prefetch("phones", queryset=Phone.objects.order_by("id")),
        Prefetch("contacts", queryset=DirectoryContact.objects.order_by("id")),
    ]


def _location_snapshot(location: Location) -> dict[str, Any]:
    address = next(iter(location.addresses.all()), None)
    return {
        "uuid": str(location.uuid),
        "name": location.name,
        **{name: getattr(address, name) if address else "" for name in ADDRESS_FIELDS},
        "area": str(location.area.uuid) if location.area else None,
        "confidential": location.confidential,
        "barrier_free": location.barrier_free,
        "phones": [phone.number for phone in location.phones.all() if phone.service_id is None],
    }


def editable_snapshot(service: Service) -> dict[str, Any]:
    """The offer's editable fields as a normalised, JSON-safe snapshot.

    Uses prefetched relations when the service came with :func:`snapshot_prefetch`; otherwise
    reads them (a fixed number of queries).
    """
    if not getattr(service, "_prefetched_objects_cache", None):
        service = Service.objects.prefetch_related(*snapshot_prefetch()).get(pk=service.pk)
    phone = next(iter(_own_rows(service.phones.all())), None)
    contact = next(iter(_own_rows(service.contacts.all())), None)
    schedules = [row for row in _own_rows(service.schedules.all()) if is_simple_schedule(row)]
    data: dict[str, Any] = {
        **{name: getattr(service, name) for name in SCALAR_FIELDS},
        "topics": [str(term.uuid) for term in service.topics.all()],
        "life_phases": [phase.code for phase in service.life_phases.all()],
        "languages": [
            language.code for language in _own_rows(service.languages.all()) if language.code
        ],
        "translations": {
            translation.language: {
                name: getattr(translation, name) for name in TEXT_FIELDS_TRANSLATED
            }
            for translation in service.translations.all()
        },
        "locations": [
            _location_snapshot(link.location) for link in service.service_at_locations.all()
        ],
        "schedules": [
            {
                "weekday": schedule.byday,
                "opens": schedule.opens_at,
                "closes": schedule.closes_at,
                "description": schedule.description,
            }
            for schedule in schedules
        ],
        "phone": phone.number if phone else "",
        "contact_name": contact.name if contact else "",
        "contact_email": contact.email if contact else "",
        "responsible": str(service.responsible.uuid) if service.responsible_id else None,  # type: ignore[union-attr]
    }
    return normalise(data)


# --- Writing ----------------------------------------------------------------------------------


def _tenant_id(service: Service) -> int:
    return service.local_authority_id


def resolve_references(data: Mapping[str, Any]) -> dict[str, Any]:
    """Looks up what a snapshot refers to in the current tenant; refuses unknown references.

    Returns ``topics``, ``life_phases``, ``areas`` (by uuid) and ``responsible``.
    """
    topics = list(TaxonomyTerm.objects.filter(uuid__in=data["topics"]))
    if len(topics) != len(data["topics"]):
        raise ServiceError(_("A chosen topic does not exist (any more)."))
    phases = list(LifePhase.objects.filter(code__in=data["life_phases"]))
    if len(phases) != len(data["life_phases"]):
        raise ServiceError(_("A chosen life phase does not exist."))
    area_ids = {entry["area"] for entry in data["locations"] if entry["area"]}
    areas = {str(area.uuid): area for area in Area.objects.filter(uuid__in=area_ids)}
    if len(areas) != len(area_ids):
        raise ServiceError(_("A chosen place does not exist (any more)."))
    responsible = None
    if data["responsible"]:
        responsible = Person.objects.filter(
            uuid=data["responsible"], erased_at__isnull=True
        ).first()
        if responsible is None:
            raise ServiceError(_("The responsible contact does not exist (any more)."))
    return {"topics": topics, "life_phases": phases, "areas": areas, "responsible": responsible}


def _default_state(service: Service) -> str:
    """The federal state for a new address: the tenant's most usual one (HSDS requires one)."""
    return (
        Address.objects.exclude(state_province="")
        .values_list("state_province", flat=True)
        .order_by("id")
        .first()
        or ""
    )


def _apply_languages(service: Service, codes: list[str]) -> None:
    existing = {row.code: row for row in _own_rows(Language.objects.filter(service=service))}
    for code, row in existing.items():
        if code not in codes:
            row.delete()
    for code in codes:
        if code not in existing:
            Language.objects.create(
                local_authority_id=_tenant_id(service),
                service=service,
                code=code,
                name=str(LANGUAGE_NAMES.get(code, code)),
            )


def _apply_translations(
    service: Service, wanted: dict[str, dict[str, str]], german_changed: bool
) -> None:
    existing = {row.language: row for row in ServiceTranslation.objects.filter(service=service)}
    for language, old in existing.items():
        if language not in wanted:
            old.delete()
    for language, texts in wanted.items():
        row = existing.get(language)
        values = {name: texts.get(name, "") for name in TEXT_FIELDS_TRANSLATED}
        if row is None:
            ServiceTranslation.objects.create(
                local_authority_id=_tenant_id(service),
                service=service,
                language=language,
                **values,
            )
            continue
        changed = [name for name, value in values.items() if getattr(row, name) != value]
        for name in changed:
            setattr(row, name, values[name])
        if changed:
            # A translation revised together with the German text is current again.
            row.source_changed = False
        elif german_changed:
            row.source_changed = True
        row.save(update_fields=[*changed, "source_changed"])


def _apply_phones(owner: dict[str, Any], numbers: list[str], existing: list[Phone]) -> None:
    for phone in existing[len(numbers) :]:
        phone.delete()
    for index, number in enumerate(numbers):
        if index < len(existing):
            if existing[index].number != number:
                existing[index].number = number
                existing[index].save(update_fields=["number"])
        else:
            Phone.objects.create(number=number, **owner)


def _apply_locations(
    service: Service, entries: list[dict[str, Any]], areas: dict[str, Area]
) -> None:
    links = {
        link.location_id: link
        for link in ServiceAtLocation.objects.filter(service=service).select_related("location")
    }
    known = {str(link.location.uuid): link.location for link in links.values()}
    wanted_uuids = [entry["uuid"] for entry in entries if entry["uuid"]]
    # The organisation's other locations may be chosen too (an offer moving into its building).
    for other in Location.objects.filter(
        uuid__in=[uuid for uuid in wanted_uuids if uuid not in known],
        organisation_id=service.organisation_id,
    ):
        known[str(other.uuid)] = other
    kept: set[int] = set()
    state = None
    for entry in entries:
        location = known.get(entry["uuid"] or "")
        area = areas.get(entry["area"] or "")
        if location is None:
            location = Location.objects.create(
                local_authority_id=_tenant_id(service),
                organisation_id=service.organisation_id,
                name=entry["name"],
                area=area,
                confidential=entry["confidential"],
                barrier_free=entry["barrier_free"],
            )
        else:
            changed = [
                name
                for name, value in (
                    ("name", entry["name"]),
                    ("area", area),
                    ("confidential", entry["confidential"]),
                    ("barrier_free", entry["barrier_free"]),
                )
                if getattr(location, name) != value
            ]
            for name, value in (
                ("name", entry["name"]),
                ("area", area),
                ("confidential", entry["confidential"]),
                ("barrier_free", entry["barrier_free"]),
            ):
                setattr(location, name, value)
            if changed:
                location.save(update_fields=changed)
        kept.add(location.pk)
        if location.pk not in links:
            links[location.pk] = ServiceAtLocation.objects.create(
                local_authority_id=_tenant_id(service), service=service, location=location
            )
        address = Address.objects.filter(location=location).order_by("id").first()
        has_address = bool(entry["address_1"] or entry["city"] or entry["postal_code"])
        if not has_address:
            if address is not None:
                address.delete()
        else:
            values = {name: entry[name] for name in ADDRESS_FIELDS}
            if not values["state_province"]:
                if address is not None and address.state_province:
                    values["state_province"] = address.state_province
                else:
                    state = _default_state(service) if state is None else state
                    values["state_province"] = state
            if address is None:
                Address.objects.create(
                    local_authority_id=_tenant_id(service), location=location, **values
                )
            else:
                changed = [
                    name for name, value in values.items() if getattr(address, name) != value
                ]
                for name in changed:
                    setattr(address, name, values[name])
                if changed:
                    address.save(update_fields=changed)
        _apply_phones(
            {"local_authority_id": _tenant_id(service), "location": location},
            entry["phones"],
            list(Phone.objects.filter(location=location, service__isnull=True).order_by("id")),
        )
    for location_id, link in links.items():
        if location_id not in kept:
            link.delete()


def _parse_time(value: str) -> datetime.time | None:
    if not value:
        return None
    hours, minutes = value.split(":")[:2]
    return datetime.time(int(hours), int(minutes))


def _apply_schedules(service: Service, entries: list[dict[str, Any]]) -> None:
    existing = [
        row
        for row in _own_rows(Schedule.objects.filter(service=service).order_by("id"))
        if is_simple_schedule(row)
    ]
    for schedule in existing[len(entries) :]:
        schedule.delete()
    for index, entry in enumerate(entries):
        values = {
            "freq": "WEEKLY" if entry["weekday"] else "",
            "byday": entry["weekday"],
            "opens_at": _parse_time(entry["opens"]),
            "closes_at": _parse_time(entry["closes"]),
            "description": entry["description"],
        }
        if index < len(existing):
            schedule = existing[index]
            changed = [name for name, value in values.items() if getattr(schedule, name) != value]
            for name in changed:
                setattr(schedule, name, values[name])
            if changed:
                schedule.save(update_fields=changed)
        else:
            Schedule.objects.create(
                local_authority_id=_tenant_id(service), service=service, **values
            )


def _apply_contact(service: Service, data: Mapping[str, Any]) -> None:
    phones = _own_rows(Phone.objects.filter(service=service).order_by("id"))
    _apply_phones(
        {"local_authority_id": _tenant_id(service), "service": service},
        [data["phone"]] if data["phone"] else [],
        phones[:1],
    )
    contact = (
        DirectoryContact.objects.filter(
            service=service, location__isnull=True, service_at_location__isnull=True
        )
        .order_by("id")
        .first()
    )
    name, email = data["contact_name"], data["contact_email"]
    if not (name or email):
        if contact is not None:
            contact.delete()
    elif contact is None:
        DirectoryContact.objects.create(
            local_authority_id=_tenant_id(service), service=service, name=name, email=email
        )
    elif (contact.name, contact.email) != (name, email):
        contact.name, contact.email = name, email
        contact.save(update_fields=["name", "email"])


def apply_snapshot(service: Service, data: Mapping[str, Any]) -> Service:
    """Writes the snapshot ``data`` into ``service`` and its related HSDS objects.

    ``service`` may be unsaved (a new offer: its organisation and tenant must be set). Run it
    inside a transaction; it validates the service and refuses references outside the tenant
    with a :class:`~knotenpunkt.core.services.ServiceError`. Auditing is the caller's business.
    """
    data = normalise(data)
    refs = resolve_references(data)
    is_new = service.pk is None
    german_changed = not is_new and any(
        getattr(service, name) != data[name] for name in TEXT_FIELDS_TRANSLATED
    )
    changed = [name for name in SCALAR_FIELDS if getattr(service, name) != data[name]]
    for name in changed:
        setattr(service, name, data[name])
    responsible = refs["responsible"]
    if service.responsible_id != (responsible.pk if responsible else None):
        service.responsible = responsible
        changed.append("responsible")
    service.full_clean(exclude=["uuid"])
    service.updated_at = timezone.now()
    if is_new:
        service.save()
    elif changed:
        service.save(update_fields=[*changed, "updated_at"])
    service.topics.set(refs["topics"])
    service.life_phases.set(refs["life_phases"])
    _apply_languages(service, data["languages"])
    _apply_translations(service, data["translations"], german_changed)
    _apply_locations(service, data["locations"], refs["areas"])
    _apply_schedules(service, data["schedules"])
    _apply_contact(service, data)
    search_index_refresh([service.pk])
    return service
