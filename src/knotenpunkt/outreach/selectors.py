"""Reads for keeping contact. Each runs a fixed number of queries, whatever the number of rows.

:func:`with_last_contact` and :func:`filter_last_contact` are what the partner register's lists
use: the date of the last contact as an annotation (a subquery), so that filtering and sorting by
it costs no query of its own.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from knotenpunkt.outreach.models import Contact
from knotenpunkt.partners.models import Affiliation, Organisation, Person

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
