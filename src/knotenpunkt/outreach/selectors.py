"""Reads for keeping contact. Each runs a fixed number of queries, whatever the number of rows.

:func:`with_last_contact` and :func:`filter_last_contact` are what the partner register's lists
use: the date of the last contact as an annotation (a subquery), so that filtering and sorting by
it costs no query of its own.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import models
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from knotenpunkt.core.models import Area
from knotenpunkt.outreach.models import Contact, ContactInterval, Tour, TourStop, WelcomeVisit
from knotenpunkt.partners.models import Affiliation, Organisation, Person, Profession, Sector

PartnerT = TypeVar("PartnerT", Organisation, Person)

#: Name of the annotation that :func:`with_last_contact` adds.
LAST_CONTACT = "last_contact"

LAST_CONTACT_CHOICES = [
    ("", _("any")),
    ("3", _("within the last 3 months")),
    ("6", _("within the last 6 months")),
    ("12", _("within the last 12 months")),
    ("stale6", _("not for 6 months or more (or never)")),
    ("never", _("never")),
]


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` months earlier (the month's last day where it has fewer days)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def _current_affiliations_of(organisation: Any, on: datetime.date) -> QuerySet[Affiliation]:
    return Affiliation.objects.filter(
        Q(start__isnull=True) | Q(start__lte=on),
        Q(end__isnull=True) | Q(end__gte=on),
        organisation=organisation,
    )


def last_contact_expression(model: type[models.Model]) -> Subquery | Greatest:
    """The date of the last contact with each row of ``model`` (Organisation or Person).

    For an organisation this counts contacts with the organisation itself and with anyone
    currently affiliated with it: the later of two indexed subqueries.
    """
    if model is Person:
        return Subquery(
            Contact.objects.filter(person=OuterRef("pk")).order_by("-date").values("date")[:1],
            output_field=models.DateField(),
        )
    if model is not Organisation:
        raise TypeError(f"no contacts with {model.__name__}")
    own = Subquery(
        Contact.objects.filter(organisation=OuterRef("pk")).order_by("-date").values("date")[:1],
        output_field=models.DateField(),
    )
    staff = _current_affiliations_of(OuterRef(OuterRef("pk")), timezone.localdate())
    via_people = Subquery(
        Contact.objects.filter(person__in=staff.values("person"))
        .order_by("-date")
        .values("date")[:1],
        output_field=models.DateField(),
    )
    # GREATEST is NULL on SQLite as soon as one side is; Coalesce makes both sides non-null
    # where either has a date.
    return Greatest(Coalesce(own, via_people), Coalesce(via_people, own))


def with_last_contact(partners: QuerySet[PartnerT]) -> QuerySet[PartnerT]:
    """``partners`` annotated with ``last_contact`` (a date, or None if never) — no extra query."""
    return partners.annotate(**{LAST_CONTACT: last_contact_expression(partners.model)})


def filter_last_contact(
    partners: QuerySet[PartnerT], choice: str, *, today: datetime.date | None = None
) -> QuerySet[PartnerT]:
    """Narrows partners annotated by :func:`with_last_contact` by one of LAST_CONTACT_CHOICES."""
    day = today or timezone.localdate()
    if choice in {"3", "6", "12"}:
        return partners.filter(**{f"{LAST_CONTACT}__gte": months_before(day, int(choice))})
    if choice == "stale6":
        return partners.filter(
            Q(**{f"{LAST_CONTACT}__isnull": True})
            | Q(**{f"{LAST_CONTACT}__lt": months_before(day, 6)})
        )
    if choice == "never":
        return partners.filter(**{f"{LAST_CONTACT}__isnull": True})
    return partners


def last_contact_order(*, newest_first: bool) -> models.OrderBy:
    """Ordering by the last contact; partners never contacted come first when oldest first."""
    if newest_first:
        return F(LAST_CONTACT).desc(nulls_last=True)
    return F(LAST_CONTACT).asc(nulls_first=True)


def last_contact_dates(partners: QuerySet[PartnerT]) -> dict[int, datetime.date | None]:
    """``{pk: date of the last contact}`` for ``partners`` (one query)."""
    return dict(with_last_contact(partners).values_list("pk", LAST_CONTACT))


# --- Timelines and lists ----------------------------------------------------------------------


def _with_partners(contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    return contacts.select_related("organisation", "person__profession", "who")


TIMELINE_LENGTH = 20


@dataclass
class Timeline:
    """The latest contacts with a partner and whether there are more than shown."""

    contacts: list[Contact]
    has_more: bool


def _timeline(contacts: QuerySet[Contact], limit: int) -> Timeline:
    rows = list(
        _with_partners(contacts).order_by("-date", "-start_time", "-created_at")[: limit + 1]
    )
    return Timeline(contacts=rows[:limit], has_more=len(rows) > limit)


def organisation_contacts(organisation: Organisation, *, limit: int = TIMELINE_LENGTH) -> Timeline:
    """Contacts with an organisation and its current people, newest first (one query)."""
    staff = _current_affiliations_of(organisation, timezone.localdate())
    contacts = Contact.objects.filter(
        Q(organisation=organisation) | Q(person__in=staff.values("person"))
    )
    return _timeline(contacts, limit)


def person_contacts(person: Person, *, limit: int = TIMELINE_LENGTH) -> Timeline:
    """Contacts with a person, newest first (one query)."""
    return _timeline(Contact.objects.filter(person=person), limit)


def open_follow_ups() -> QuerySet[Contact]:
    """Contacts whose follow-up is still open, the most urgent first."""
    return _with_partners(
        Contact.objects.filter(follow_up_on__isnull=False, follow_up_done=False)
    ).order_by("follow_up_on", "date")


@dataclass
class ContactFilter:
    """What the tenant's contact list is narrowed by; all optional."""

    kind: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    open_follow_ups: bool = False
    organisation: Organisation | None = None
    person: Person | None = None


def contact_list(filters: ContactFilter) -> QuerySet[Contact]:
    """The current tenant's contacts, filtered, newest first, with their partners."""
    contacts = Contact.objects.all()
    if filters.kind:
        contacts = contacts.filter(kind=filters.kind)
    if filters.date_from:
        contacts = contacts.filter(date__gte=filters.date_from)
    if filters.date_to:
        contacts = contacts.filter(date__lte=filters.date_to)
    if filters.open_follow_ups:
        contacts = contacts.filter(follow_up_on__isnull=False, follow_up_done=False)
    if filters.organisation is not None:
        staff = _current_affiliations_of(filters.organisation, timezone.localdate())
        contacts = contacts.filter(
            Q(organisation=filters.organisation) | Q(person__in=staff.values("person"))
        )
    if filters.person is not None:
        contacts = contacts.filter(person=filters.person)
    order = ("follow_up_on", "-date") if filters.open_follow_ups else ("-date", "-start_time")
    return _with_partners(contacts).order_by(*order, "-created_at")


def contacts_export(person: Person) -> list[dict[str, Any]]:
    """A person's contacts as plain JSON-ready data, for the GDPR export (one query)."""
    return [
        {
            "date": contact.date.isoformat(),
            "time": contact.start_time.isoformat() if contact.start_time else None,
            "kind": contact.kind,
            "organisation": contact.organisation.name if contact.organisation else None,
            "held_by": str(contact.who) if contact.who else None,
            "companions": contact.companions,
            "support_needed": contact.support_needed,
            "topics_of_concern": contact.topics_of_concern,
            "expectations": contact.expectations,
            "topics": contact.topic_tags,
            "follow_up_on": contact.follow_up_on.isoformat() if contact.follow_up_on else None,
            "follow_up_note": contact.follow_up_note,
            "follow_up_done": contact.follow_up_done,
        }
        for contact in Contact.objects.filter(person=person)
        .select_related("organisation", "who")
        .order_by("date", "start_time")
    ]


# --- Contact care ------------------------------------------------------------------------------

CARE_GROUPINGS = ("sector", "profession", "area")


@dataclass
class DuePartner:
    """An organisation that has not been contacted for longer than its interval."""

    organisation: Organisation
    last_contact: datetime.date | None
    months: int
    sectors: list[Sector] = field(default_factory=list)
    professions: list[Profession] = field(default_factory=list)
    open_follow_ups: list[Contact] = field(default_factory=list)


@dataclass
class CareGroup:
    """Due organisations under one sector, profession or area (``label``)."""

    label: str
    partners: list[DuePartner]


def contact_intervals() -> tuple[dict[int, int], dict[int, int]]:
    """``({sector id: months}, {profession id: months})`` of the current tenant (one query)."""
    by_sector: dict[int, int] = {}
    by_profession: dict[int, int] = {}
    for interval in ContactInterval.objects.all():
        if interval.sector_id is not None:
            by_sector[interval.sector_id] = interval.months
        elif interval.profession_id is not None:
            by_profession[interval.profession_id] = interval.months
    return by_sector, by_profession


def contact_care(
    *, group_by: str = "sector", today: datetime.date | None = None
) -> list[CareGroup]:
    """Organisations not contacted within their interval, grouped (a fixed number of queries).

    The interval of an organisation is the shortest among its sectors and the professions of
    its current people (:attr:`ContactInterval.DEFAULT_MONTHS` where none is set). Grouped by
    sector or profession, an organisation appears under each of its sectors or professions.
    Longest without contact (or never contacted) first within each group.
    """
    if group_by not in CARE_GROUPINGS:
        raise ValueError(group_by)
    day = today or timezone.localdate()
    by_sector, by_profession = contact_intervals()
    organisations = list(
        with_last_contact(Organisation.objects.all())
        .select_related("area")
        .prefetch_related("sectors")
        .order_by(last_contact_order(newest_first=False), "name")
    )
    professions: dict[int, dict[int, Profession]] = defaultdict(dict)
    for affiliation in Affiliation.objects.filter(
        Q(start__isnull=True) | Q(start__lte=day),
        Q(end__isnull=True) | Q(end__gte=day),
        person__profession__isnull=False,
    ).select_related("person__profession"):
        profession = affiliation.person.profession
        if profession is not None:
            professions[affiliation.organisation_id][profession.pk] = profession
    follow_ups: dict[int, list[Contact]] = defaultdict(list)
    for contact in open_follow_ups().filter(organisation__isnull=False):
        if contact.organisation_id is not None:
            follow_ups[contact.organisation_id].append(contact)

    groups: dict[str, list[DuePartner]] = defaultdict(list)
    for organisation in organisations:
        sectors = list(organisation.sectors.all())
        own_professions = sorted(professions[organisation.pk].values(), key=lambda p: p.name)
        candidates = [by_sector[s.pk] for s in sectors if s.pk in by_sector] + [
            by_profession[p.pk] for p in own_professions if p.pk in by_profession
        ]
        months = min(candidates) if candidates else ContactInterval.DEFAULT_MONTHS
        last = getattr(organisation, LAST_CONTACT)
        if last is not None and last >= months_before(day, months):
            continue
        due = DuePartner(
            organisation=organisation,
            last_contact=last,
            months=months,
            sectors=sectors,
            professions=own_professions,
            open_follow_ups=follow_ups.get(organisation.pk, []),
        )
        if group_by == "sector":
            labels = [s.name for s in sectors] or [str(_("without sector"))]
        elif group_by == "profession":
            labels = [p.name for p in own_professions] or [str(_("without profession"))]
        else:
            labels = [organisation.area.name if organisation.area else str(_("without area"))]
        for label in labels:
            groups[label].append(due)
    return [CareGroup(label, groups[label]) for label in sorted(groups, key=str.casefold)]


@dataclass
class DuePerson:
    """A professional who has not been contacted for longer than their profession's interval."""

    person: Person
    last_contact: datetime.date | None
    months: int
    organisations: list[Organisation] = field(default_factory=list)
    open_follow_ups: list[Contact] = field(default_factory=list)


@dataclass
class PersonCareGroup:
    """Due professionals of one profession (``label``)."""

    label: str
    people: list[DuePerson]


def person_care(*, today: datetime.date | None = None) -> list[PersonCareGroup]:
    """Professionals not contacted within their profession's interval, grouped by profession.

    Counts the contacts logged with the person (a contact with their organisation alone does
    not count for them); never contacted comes first, then the longest without contact. The
    interval is that of the person's profession (:attr:`ContactInterval.DEFAULT_MONTHS` where
    none is set). Anonymised persons are left out. Four queries, whatever the number of rows.
    """
    day = today or timezone.localdate()
    _by_sector, by_profession = contact_intervals()
    people = list(
        with_last_contact(Person.objects.filter(erased_at__isnull=True))
        .select_related("profession")
        .order_by(last_contact_order(newest_first=False), "last_name", "first_name")
    )
    organisations: dict[int, list[Organisation]] = defaultdict(list)
    for affiliation in (
        Affiliation.objects.filter(
            Q(start__isnull=True) | Q(start__lte=day),
            Q(end__isnull=True) | Q(end__gte=day),
            person__erased_at__isnull=True,
        )
        .select_related("organisation__area")
        .order_by("organisation__name")
    ):
        organisations[affiliation.person_id].append(affiliation.organisation)
    follow_ups: dict[int, list[Contact]] = defaultdict(list)
    for contact in open_follow_ups().filter(person__isnull=False):
        if contact.person_id is not None:
            follow_ups[contact.person_id].append(contact)

    groups: dict[str, list[DuePerson]] = defaultdict(list)
    for person in people:
        profession = person.profession
        months = (
            by_profession.get(profession.pk, ContactInterval.DEFAULT_MONTHS)
            if profession is not None
            else ContactInterval.DEFAULT_MONTHS
        )
        last = getattr(person, LAST_CONTACT)
        if last is not None and last >= months_before(day, months):
            continue
        label = profession.name if profession is not None else str(_("without profession"))
        groups[label].append(
            DuePerson(
                person=person,
                last_contact=last,
                months=months,
                organisations=organisations.get(person.pk, []),
                open_follow_ups=follow_ups.get(person.pk, []),
            )
        )
    return [PersonCareGroup(label, groups[label]) for label in sorted(groups, key=str.casefold)]


# --- Tours -------------------------------------------------------------------------------------


def tour_list() -> QuerySet[Tour]:
    """The tenant's tours, newest first, with the number of stops (one query)."""
    return (
        Tour.objects.all()
        .select_related("created_by")
        .annotate(stop_count=models.Count("stops"))
        .order_by("-date", "-created_at")
    )


def tour_stops(tour: Tour) -> list[TourStop]:
    """A tour's stops in order with their partners and contacts (one query)."""
    return list(
        TourStop.objects.filter(tour=tour)
        .select_related("organisation", "person", "contact")
        .order_by("position", "pk")
    )


def tour_map_data(tour: Tour, stops: list[TourStop]) -> dict[str, Any]:
    """Plain data for the map: the office and the stops with coordinates, in order."""
    return {
        "office": (
            [tour.start_latitude, tour.start_longitude]
            if tour.start_latitude is not None and tour.start_longitude is not None
            else None
        ),
        "stops": [
            {
                "name": stop.organisation.name,
                "position": stop.position,
                "lat": stop.organisation.latitude,
                "lon": stop.organisation.longitude,
                "arrival": stop.planned_start.strftime("%H:%M") if stop.planned_start else "",
            }
            for stop in stops
            if stop.organisation.latitude is not None
            and stop.organisation.longitude is not None
            and not stop.unreachable
        ],
    }


# --- Welcome visits ----------------------------------------------------------------------------


@dataclass
class WelcomeStatistics:
    """Welcome visits per area (rows) and month (columns), with totals."""

    months: list[datetime.date]
    rows: list[tuple[Area, list[int], int]]
    month_totals: list[int]
    total: int


def welcome_statistics(
    *, months: int = 12, today: datetime.date | None = None
) -> WelcomeStatistics:
    """Monthly counts of welcome visits per area for the last ``months`` months (two queries)."""
    first = (today or timezone.localdate()).replace(day=1)
    columns = sorted({months_before(first, back) for back in range(months)})
    counts: dict[tuple[int, datetime.date], int] = defaultdict(int)
    area_ids: set[int] = set()
    for area_id, month, count in (
        WelcomeVisit.objects.filter(month__gte=columns[0], month__lte=columns[-1])
        .values("area", "month")
        .annotate(count=models.Sum("count"))
        .values_list("area", "month", "count")
    ):
        counts[(area_id, month)] += count
        area_ids.add(area_id)
    rows = []
    for area in Area.objects.filter(pk__in=area_ids).order_by("name"):
        values = [counts[(area.pk, month)] for month in columns]
        rows.append((area, values, sum(values)))
    month_totals = [sum(row[1][i] for row in rows) for i in range(len(columns))]
    return WelcomeStatistics(columns, rows, month_totals, sum(month_totals))


def welcome_visits_recent(limit: int = 20) -> list[WelcomeVisit]:
    """The latest recorded cells of welcome visits (one query)."""
    return list(WelcomeVisit.objects.select_related("area").order_by("-month", "-pk")[:limit])
