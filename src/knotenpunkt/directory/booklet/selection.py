"""Reads the offers of a printed guide into plain data (a fixed number of queries).

The booklet for an area shows the public offers (active, public, not hidden for staleness, as
the online guide) delivered at a place in the area or one inside it, plus the offers whose
catchment area covers it: the area itself, an area around it (the whole county) or one inside
it. A confidential location (a women's shelter) neither brings an offer into a booklet — that
would tell which town it is in — nor has its name or address printed: only how to get in touch.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _

from knotenpunkt.core.models import Area, LifePhase, LocalAuthority
from knotenpunkt.directory import selectors
from knotenpunkt.directory.booklet.content import (
    Booklet,
    OfferEntry,
    Phase,
    Place,
    Text,
    Topic,
    arrange,
)
from knotenpunkt.directory.models import (
    GUIDE_LANGUAGES,
    Address,
    DirectoryContact,
    Language,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceTranslation,
    TaxonomyTerm,
    TaxonomyTermTranslation,
)


def area_family(area: Area) -> tuple[set[int], set[int]]:
    """The ids of ``area`` with every area inside it, and of the areas around it (one query)."""
    parents = dict(Area.objects.values_list("pk", "parent_id"))
    children: dict[int | None, list[int]] = {}
    for pk, parent in parents.items():
        children.setdefault(parent, []).append(pk)
    below: set[int] = set()
    todo = [area.pk]
    while todo:
        current = todo.pop()
        if current not in below:
            below.add(current)
            todo.extend(children.get(current, []))
    above: set[int] = set()
    current_parent = parents.get(area.pk)
    while current_parent is not None and current_parent not in above:
        above.add(current_parent)
        current_parent = parents.get(current_parent)
    return below, above


def booklet_services(
    tenant: LocalAuthority,
    *,
    area: Area,
    life_phase: LifePhase | None = None,
    now: datetime.datetime | None = None,
) -> QuerySet[Service]:
    """The public offers of ``area``'s booklet, with everything the booklet prints prefetched.

    With ``life_phase``, only offers for that phase and those that name no phase at all.
    """
    below, above = area_family(area)
    located = ServiceAtLocation.objects.filter(
        location__area__in=below, location__confidential=False
    ).values("service")
    catchment = ServiceArea.objects.filter(area__in=below | above)
    services = selectors.public_services(tenant, now).filter(
        Q(pk__in=located)
        | Q(pk__in=catchment.filter(service__isnull=False).values("service"))
        | Q(
            pk__in=catchment.filter(service_at_location__isnull=False).values(
                "service_at_location__service"
            )
        )
    )
    if life_phase is not None:
        through = Service.life_phases.through.objects
        services = services.filter(
            Q(pk__in=through.filter(lifephase=life_phase).values("service"))
            | ~Q(pk__in=through.values("service"))
        )
    return (
        services.select_related("organisation")
        .prefetch_related(
            Prefetch("translations", queryset=ServiceTranslation.objects.order_by("language")),
            Prefetch("life_phases", queryset=LifePhase.objects.order_by("position")),
            Prefetch("topics", queryset=TaxonomyTerm.objects.order_by("position", "name")),
            Prefetch("languages", queryset=Language.objects.order_by("id")),
            Prefetch(
                "service_at_locations",
                queryset=ServiceAtLocation.objects.select_related("location__area")
                .prefetch_related(
                    Prefetch("location__addresses", queryset=Address.objects.order_by("id")),
                    Prefetch("location__phones", queryset=Phone.objects.order_by("id")),
                )
                .order_by("id"),
            ),
            Prefetch("schedules", queryset=Schedule.objects.order_by("id")),
            Prefetch("phones", queryset=Phone.objects.order_by("id")),
            Prefetch(
                "contacts",
                queryset=DirectoryContact.objects.prefetch_related(
                    Prefetch("phones", queryset=Phone.objects.order_by("id"))
                ).order_by("id"),
            ),
        )
        .order_by("name", "pk")
    )


def _phone_text(phone: Phone) -> str:
    number = phone.number
    if phone.extension is not None:
        number = f"{number}-{phone.extension}"
    return f"{number} ({phone.description})" if phone.description else number


_WEEKDAY_ORDER = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def opening_hours(schedules: Iterable[Schedule]) -> list[str]:
    """Opening hours as few, short lines: days with the same hours share one line
    ("Mon, Tue, Thu 08:00–12:00"), in the order of the week."""
    merged: dict[tuple[str, str], list[str]] = {}
    for schedule in schedules:
        hours = "–".join(
            moment.strftime("%H:%M") for moment in (schedule.opens_at, schedule.closes_at) if moment
        )
        note = schedule.description
        if schedule.freq and schedule.freq != "WEEKLY" and not note:
            note = schedule.freq.lower()
        days = merged.setdefault((hours, note), [])
        for code in schedule.byday.split(","):
            code = code.strip()[-2:].upper()
            if code in _WEEKDAY_ORDER and code not in days:
                days.append(code)
    lines = []
    for (hours, note), days in merged.items():
        names = _day_ranges(sorted(_WEEKDAY_ORDER.index(code) for code in days))
        line = " ".join(part for part in (names, hours, note) if part)
        if line:
            lines.append(line)
    return lines


def _day_ranges(days: list[int]) -> str:
    """Weekdays (0 = Monday) as short names, three or more days in a row as a range: "Mon–Fri"."""
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        names = [str(WEEKDAYS_ABBR[day]) for day in run]
        parts.append(f"{names[0]}–{names[-1]}" if len(run) >= 3 else ", ".join(names))
    return ", ".join(parts)


def _text(value: str, translated: str, language: str) -> Text:
    return Text(translated, language) if translated else Text(value, "de")


def offer_entry(service: Service, *, language: str, online_url: str) -> OfferEntry:
    """One offer as plain data, in ``language`` where translated (else German).

    Run inside ``translation.override(language)`` for the labels (age, costs).
    """
    found = next((t for t in service.translations.all() if t.language == language), None)
    if language == "de":
        found = None

    def text(name: str) -> Text:
        return _text(getattr(service, name), getattr(found, name, "") if found else "", language)

    by_location: dict[int, list[Schedule]] = {}
    own_schedules: list[Schedule] = []
    for schedule in service.schedules.all():
        if schedule.location_id is not None:
            by_location.setdefault(schedule.location_id, []).append(schedule)
        elif schedule.service_at_location_id is None:
            own_schedules.append(schedule)
    places: list[Place] = []
    for link in service.service_at_locations.all():
        location = link.location
        phones = tuple(_phone_text(phone) for phone in location.phones.all())
        if location.confidential:
            # Never the name, the address or the place: only how to get in touch.
            places.append(Place(name="", address_lines=(), confidential=True, phones=phones))
            continue
        lines: list[str] = []
        address = next(iter(location.addresses.all()), None)
        if address is not None:
            lines.append(address.address_1)
            if address.address_2:
                lines.append(address.address_2)
            lines.append(f"{address.postal_code} {address.city}".strip())
        if not lines and location.area is not None:
            lines.append(location.area.name)
        if location.location_type == location.LocationType.VIRTUAL and location.url:
            lines.append(location.url)
        places.append(
            Place(
                name=location.name,
                address_lines=tuple(lines),
                barrier_free=location.barrier_free,
                phones=phones,
                hours=tuple(opening_hours(by_location.get(location.pk, []))),
            )
        )
    contacts: list[str] = []
    for contact in service.contacts.all():
        if contact.location_id is not None or contact.service_at_location_id is not None:
            continue
        who = ", ".join(part for part in (contact.name, contact.title) if part)
        reach = [contact.email] if contact.email else []
        reach += [_phone_text(phone) for phone in contact.phones.all()]
        if who or reach:
            contacts.append(" · ".join(part for part in (who, *reach) if part))
    own_phones = [
        _phone_text(phone)
        for phone in service.phones.all()
        if phone.location_id is None and phone.contact_id is None
    ]
    name = text("name")
    return OfferEntry(
        uuid=str(service.uuid),
        name=name,
        provider=service.organisation.name,
        description=text("description"),
        eligibility=text("eligibility_description"),
        application=text("application_process"),
        fees=text("fees_description"),
        translated=found is not None or language == "de",
        age=selectors.age_text(service.min_age_months, service.max_age_months),
        cost=str(Service.CostType(service.cost_type).label) if service.cost_type else "",
        languages=tuple(row.name or row.code for row in service.languages.all()),
        places=tuple(places),
        hours=tuple(opening_hours(own_schedules)),
        phones=tuple(own_phones),
        contacts=tuple(contacts),
        email=service.email,
        website=service.url,
        online_url=online_url,
        phases=tuple(phase.code for phase in service.life_phases.all()),
        topics=tuple(str(term.uuid) for term in service.topics.all()),
    )


def guide_url(tenant: LocalAuthority) -> str:
    """The online guide's absolute address (``settings.SITE_URL``)."""
    return settings.SITE_URL.rstrip("/") + reverse(
        "guide:offer_list", kwargs={"guide": tenant.slug}
    )


def offer_url(tenant: LocalAuthority, service_uuid: str) -> str:
    """The absolute address of an offer in the online guide: what the QR code opens."""
    return settings.SITE_URL.rstrip("/") + reverse(
        "guide:offer_detail", kwargs={"guide": tenant.slug, "service": service_uuid}
    )


def _topics(language: str) -> list[Topic]:
    terms = TaxonomyTerm.objects.filter(taxonomy__is_topics=True).prefetch_related(
        Prefetch(
            "translations",
            queryset=TaxonomyTermTranslation.objects.filter(language=language),
        )
    )
    topics = []
    for term in terms:
        translated = next(iter(term.translations.all()), None) if language != "de" else None
        topics.append(
            Topic(str(term.uuid), translated.name if translated else term.name, term.position)
        )
    return topics


def _office_lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def booklet_for(
    tenant: LocalAuthority,
    *,
    area: Area,
    life_phase: LifePhase | None,
    language: str,
    edition: str,
    date: datetime.date | None = None,
    now: datetime.datetime | None = None,
    services: Iterable[Service] | None = None,
) -> Booklet:
    """The whole printed guide for ``area`` (and ``life_phase``) in ``language`` as plain data.

    A fixed number of queries, whatever the number of offers. ``services`` may pass the result
    of :func:`booklet_services` read already (for progress reporting).
    """
    if services is None:
        services = booklet_services(tenant, area=area, life_phase=life_phase, now=now)
    names = dict(GUIDE_LANGUAGES)
    with translation.override(language):
        offers = [
            offer_entry(
                service,
                language=language,
                online_url=offer_url(tenant, str(service.uuid)),
            )
            for service in services
        ]
        phases = [
            Phase(phase.code, phase.label) for phase in LifePhase.objects.order_by("position")
        ]
        sections, index = arrange(
            offers,
            phases=phases,
            topics=_topics(language),
            only_phase=life_phase.code if life_phase else None,
            no_phase_label=_("For all families"),
            no_topic_name=_("Other offers"),
        )
        return Booklet(
            title=tenant.public_guide_name,
            subtitle=area.name,
            tenant_name=tenant.name,
            brand_colour=tenant.brand_colour or "#1d5c8f",
            edition=edition,
            date=date or timezone.localdate(),
            language=language,
            language_name=str(names.get(language, language)),
            area_name=area.name,
            phase_label=life_phase.label if life_phase else "",
            guide_url=guide_url(tenant),
            office_name=tenant.office_name,
            office_address=_office_lines(tenant.office_address),
            office_phone=tenant.office_phone,
            office_email=tenant.office_email,
            sections=sections,
            index=index,
        )
