"""Writes for keeping contact. Each one is atomic and audited.

A contact belongs to the tenant of its organisation and person; an anonymised person gets no new
contacts, and their existing contacts cannot be changed (only deleted).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from knotenpunkt.analysis import tours as tour_planning
from knotenpunkt.core import audit
from knotenpunkt.core.audit import Actor
from knotenpunkt.core.models import Area, AuditEntry, LocalAuthority, Role, User
from knotenpunkt.core.services import ServiceError, model_update
from knotenpunkt.outreach.models import Contact, ContactInterval, Tour, TourStop, WelcomeVisit
from knotenpunkt.partners.models import Affiliation, Organisation, Person, Profession, Sector

#: The fields a coordinator fills in.
CONTACT_FIELDS = [
    "organisation",
    "person",
    "kind",
    "date",
    "start_time",
    "who",
    "companions",
    "support_needed",
    "topics_of_concern",
    "expectations",
    "follow_up_on",
    "follow_up_note",
    "follow_up_done",
    "topic_tags",
]
#: Free text that may say something about the person; blanked when the person is erased.
NOTE_FIELDS = ["support_needed", "topics_of_concern", "expectations", "follow_up_note"]


def _check(contact: Contact) -> None:
    """Refuses a contact that names nobody, another tenant's partner or an anonymised person."""
    organisation: Organisation | None = contact.organisation
    person: Person | None = contact.person
    if organisation is None and person is None:
        raise ServiceError(_("Choose the organisation or the person the contact was with."))
    for partner in (organisation, person):
        if partner is not None and partner.local_authority_id != contact.local_authority_id:
            raise ServiceError(_("A chosen entry belongs to another local authority."))
    if person is not None and person.is_erased:
        raise ServiceError(_("This person has been anonymised; no contacts can be recorded."))
    if contact.date > timezone.localdate():
        raise ServiceError(_("A contact cannot lie in the future. Plan it as a follow-up."))
    if contact.follow_up_on is not None and contact.follow_up_on < contact.date:
        raise ServiceError(_("The follow-up cannot lie before the contact."))
    who: User | None = contact.who
    if (
        who is not None
        and not Role.objects.with_scopes_disabled()
        .filter(local_authority_id=contact.local_authority_id, user=who)
        .exists()
    ):
        raise ServiceError(_("The person who held the contact has no role here."))


def contact_log(
    *,
    actor: Actor,
    local_authority: LocalAuthority,
    date: datetime.date,
    organisation: Organisation | None = None,
    person: Person | None = None,
    **data: Any,
) -> Contact:
    """Records a contact with an organisation and/or a person of ``local_authority``.

    ``who`` defaults to the actor. Refuses another tenant's partner, an anonymised person, a date
    in the future and a follow-up before the contact.
    """
    fields = {key: value for key, value in data.items() if key in CONTACT_FIELDS}
    if fields.get("who") is None and isinstance(actor, User):
        fields["who"] = actor
    contact = Contact(
        local_authority=local_authority,
        organisation=organisation,
        person=person,
        date=date,
        **fields,
    )
    _check(contact)
    contact.full_clean(exclude=["local_authority"])
    with transaction.atomic():
        contact.save()
        audit.log_create(actor=actor, instance=contact)
    return contact


def contact_update(
    *, actor: Actor, contact: Contact, data: Mapping[str, Any]
) -> tuple[Contact, bool]:
    """Changes a contact's fields from ``data``; returns it and whether anything changed.

    A contact with an anonymised person cannot be changed, so that no new notes about them arise.
    """
    if contact.person is not None and contact.person.is_erased:
        raise ServiceError(
            _("This contact is with an anonymised person and can no longer be changed.")
        )
    before = audit.snapshot(contact, CONTACT_FIELDS)
    changed = [
        name for name in CONTACT_FIELDS if name in data and getattr(contact, name) != data[name]
    ]
    if not changed:
        return contact, False
    for name in changed:
        setattr(contact, name, data[name])
    _check(contact)
    contact.full_clean(exclude=["local_authority"])
    contact.updated_at = timezone.now()
    with transaction.atomic():
        contact.save(update_fields=[*changed, "updated_at"])
        audit.log_update(actor=actor, instance=contact, before=before)
    return contact, True


def contact_delete(*, actor: Actor, contact: Contact) -> None:
    """Deletes a contact (one entered by mistake)."""
    with transaction.atomic():
        audit.log_delete(actor=actor, instance=contact)
        contact.delete()


def contact_follow_up_done(*, actor: Actor, contact: Contact) -> Contact:
    """Marks a contact's follow-up as done; refused when it has none or it is done already."""
    if contact.follow_up_on is None:
        raise ServiceError(_("This contact has no follow-up."))
    if contact.follow_up_done:
        raise ServiceError(_("This follow-up is done already."))
    before = audit.snapshot(contact, ["follow_up_done"])
    contact.follow_up_done = True
    contact.updated_at = timezone.now()
    with transaction.atomic():
        contact.save(update_fields=["follow_up_done", "updated_at"])
        audit.log_update(actor=actor, instance=contact, before=before)
    return contact


def contacts_erase_person(person: Person, *, actor: Actor = None) -> int:
    """Blanks the free-text notes of every contact with ``person`` (GDPR erasure).

    Called by ``partners.services.person_erase`` inside its transaction. The contacts stay (with
    date, kind and organisation) so that counts remain right; earlier audit entries about them
    lose the notes and the person, and the blanking is logged without any erased value.
    Returns the number of contacts blanked.
    """
    label = _("Contact with an anonymised person")
    with transaction.atomic():
        mine = Contact.objects.with_scopes_disabled().filter(
            local_authority_id=person.local_authority_id, person=person
        )
        contacts = list(mine)
        ids = [str(contact.pk) for contact in contacts]
        mine.update(**dict.fromkeys(NOTE_FIELDS, ""), updated_at=timezone.now())
        scrubbed = {*NOTE_FIELDS, "person"}
        for entry in AuditEntry.objects.with_scopes_disabled().filter(
            local_authority_id=person.local_authority_id,
            object_type=Contact._meta.label,
            object_id__in=ids,
        ):
            entry.changes = {
                key: ([None, None] if key in scrubbed else value)
                for key, value in entry.changes.items()
            }
            entry.object_label = label
            entry.save(update_fields=["changes", "object_label"])
        for contact in contacts:
            entry = audit.record(
                actor=actor,
                action=AuditEntry.Action.UPDATE,
                instance=contact,
                changes={"notes_erased": [None, True]},
            )
            entry.object_label = label
            entry.save(update_fields=["object_label"])
    return len(contacts)


# --- Contact intervals -----------------------------------------------------------------------


def contact_interval_set(
    *,
    actor: Actor,
    local_authority: LocalAuthority,
    months: int | None,
    sector: Sector | None = None,
    profession: Profession | None = None,
) -> ContactInterval | None:
    """Sets how many months may pass without contact for a sector or a profession.

    ``months=None`` removes the interval (the default applies again). Returns the interval.
    """
    if (sector is None) == (profession is None):
        raise ServiceError(_("Choose either a sector or a profession."))
    target: Sector | Profession = sector if sector is not None else profession  # type: ignore[assignment]
    if target.local_authority_id != local_authority.pk:
        raise ServiceError(_("A chosen entry belongs to another local authority."))
    if months is not None and not 1 <= months <= 120:
        raise ServiceError(_("Choose between 1 and 120 months."))
    lookup: dict[str, Any] = (
        {"sector": sector} if sector is not None else {"profession": profession}
    )
    with transaction.atomic():
        existing = ContactInterval.objects.filter(**lookup).first()
        if months is None:
            if existing is not None:
                audit.log_delete(actor=actor, instance=existing)
                existing.delete()
            return None
        if existing is None:
            interval = ContactInterval.objects.create(
                local_authority=local_authority, months=months, **lookup
            )
            audit.log_create(actor=actor, instance=interval)
            return interval
        before = audit.snapshot(existing, ["months"])
        existing.months = months
        existing.save(update_fields=["months"])
        audit.log_update(actor=actor, instance=existing, before=before)
        return existing


# --- Visit tours -------------------------------------------------------------------------------


def office_place(local_authority: LocalAuthority) -> tuple[float, float] | None:
    """The coordination office's coordinates: the centre of the tenant's top area, if any."""
    area = (
        Area.objects.filter(
            local_authority=local_authority,
            parent__isnull=True,
            latitude__isnull=False,
            longitude__isnull=False,
        )
        .order_by("pk")
        .first()
    )
    if area is None or area.latitude is None or area.longitude is None:
        return None
    return area.latitude, area.longitude


def tour_create(
    *,
    actor: Actor,
    local_authority: LocalAuthority,
    date: datetime.date,
    day_start: datetime.time = datetime.time(8, 0),
    day_end: datetime.time = datetime.time(16, 0),
    start_label: str = "",
    start: tuple[float, float] | None = None,
) -> Tour:
    """Creates a draft tour from and back to ``start``, else the office (the top area's centre)."""
    if day_end <= day_start:
        raise ServiceError(_("The day must end after it starts."))
    latitude, longitude = start or office_place(local_authority) or (None, None)
    tour = Tour(
        local_authority=local_authority,
        date=date,
        day_start=day_start,
        day_end=day_end,
        start_label=start_label or _("Coordination office"),
        start_latitude=latitude,
        start_longitude=longitude,
        created_by=actor if isinstance(actor, User) else None,
    )
    tour.full_clean(exclude=["local_authority"])
    with transaction.atomic():
        tour.save()
        audit.log_create(actor=actor, instance=tour)
    return tour


def draft_tour(*, actor: Actor, local_authority: LocalAuthority) -> Tour:
    """The newest draft tour, or a new one for the next working day."""
    tour = Tour.objects.filter(status=Tour.Status.DRAFT).order_by("-created_at").first()
    if tour is not None:
        return tour
    day = timezone.localdate() + datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return tour_create(actor=actor, local_authority=local_authority, date=day)


def _check_open(tour: Tour) -> None:
    if tour.status == Tour.Status.DONE:
        raise ServiceError(_("This tour is done and can no longer be changed."))


def stop_add(
    *,
    actor: Actor,
    tour: Tour,
    organisation: Organisation,
    person: Person | None = None,
    service_minutes: int = 45,
    opens: datetime.time | None = None,
    closes: datetime.time | None = None,
) -> TourStop:
    """Adds a partner to a tour (at the end); a tour that has been planned goes back to draft."""
    _check_open(tour)
    if organisation.local_authority_id != tour.local_authority_id or (
        person is not None and person.local_authority_id != tour.local_authority_id
    ):
        raise ServiceError(_("A chosen entry belongs to another local authority."))
    if TourStop.objects.filter(tour=tour, organisation=organisation).exists():
        raise ServiceError(_("This organisation is on the tour already."))
    _check_hours(opens, closes, service_minutes)
    position = TourStop.objects.filter(tour=tour).count() + 1
    stop = TourStop(
        local_authority_id=tour.local_authority_id,
        tour=tour,
        organisation=organisation,
        person=person,
        service_minutes=service_minutes,
        opens=opens,
        closes=closes,
        position=position,
    )
    stop.full_clean(exclude=["local_authority", "tour", "organisation", "person", "contact"])
    with transaction.atomic():
        stop.save()
        audit.log_create(actor=actor, instance=stop)
        _back_to_draft(actor, tour)
    return stop


def visit_organisation(person: Person, *, on: datetime.date | None = None) -> Organisation | None:
    """Where to visit a person: the organisation of their current affiliations, those with a
    place on the map first, then the most recent."""
    day = on or timezone.localdate()
    affiliations = (
        Affiliation.objects.filter(
            Q(start__isnull=True) | Q(start__lte=day),
            Q(end__isnull=True) | Q(end__gte=day),
            person=person,
        )
        .select_related("organisation")
        .order_by(F("start").desc(nulls_last=True), "pk")
    )
    organisations = [affiliation.organisation for affiliation in affiliations]
    located = [o for o in organisations if o.latitude is not None and o.longitude is not None]
    candidates = located or organisations
    return candidates[0] if candidates else None


def stop_add_person(*, actor: Actor, tour: Tour, person: Person) -> TourStop:
    """Puts a person on a tour: the stop is their organisation's address (see
    :func:`visit_organisation`), with the person named.

    Where that organisation is on the tour already without anyone named, the person is named
    on its stop. Refused for an anonymised person, a person without a current organisation,
    and an organisation that is on the tour for someone else.
    """
    _check_open(tour)
    if person.local_authority_id != tour.local_authority_id:
        raise ServiceError(_("A chosen entry belongs to another local authority."))
    if person.is_erased:
        raise ServiceError(_("This person has been anonymised and cannot be visited."))
    organisation = visit_organisation(person)
    if organisation is None:
        raise ServiceError(
            _("%(name)s works at no organisation, so the tour has no address to go to.")
            % {"name": person.full_name}
        )
    existing = (
        TourStop.objects.filter(tour=tour, organisation=organisation)
        .select_related("person")
        .first()
    )
    if existing is None:
        return stop_add(actor=actor, tour=tour, organisation=organisation, person=person)
    if existing.person_id == person.pk:
        raise ServiceError(_("%(name)s is on the tour already.") % {"name": person.full_name})
    if existing.person is not None:
        raise ServiceError(
            _("%(organisation)s is on the tour already, to see %(name)s.")
            % {"organisation": organisation.name, "name": existing.person.full_name}
        )
    before = audit.snapshot(existing, ["person"])
    existing.person = person
    with transaction.atomic():
        existing.save(update_fields=["person"])
        audit.log_update(actor=actor, instance=existing, before=before)
    return existing


def _back_to_draft(actor: Actor, tour: Tour) -> None:
    if tour.status == Tour.Status.PLANNED:
        before = audit.snapshot(tour, ["status"])
        tour.status = Tour.Status.DRAFT
        tour.save(update_fields=["status"])
        audit.log_update(actor=actor, instance=tour, before=before)


def stop_remove(*, actor: Actor, stop: TourStop) -> None:
    """Takes a partner off a tour that is not done yet."""
    tour = stop.tour
    _check_open(tour)
    with transaction.atomic():
        audit.log_delete(actor=actor, instance=stop)
        TourStop.objects.filter(tour=tour, position__gt=stop.position).update(
            position=F("position") - 1
        )
        stop.delete()
        _back_to_draft(actor, tour)


def _minutes(value: datetime.time) -> int:
    return value.hour * 60 + value.minute


def _clock(minutes: float) -> datetime.time:
    whole = min(round(minutes), 24 * 60 - 1)
    return datetime.time(whole // 60, whole % 60)


def _matrix(
    places: Sequence[tour_planning.Place],
) -> list[list[float]]:
    """Road times from OSRM when configured (falling back on error), else great-circle times."""
    if settings.OSRM_URL:
        try:
            return tour_planning.osrm_matrix(places, settings.OSRM_URL)
        except (OSError, ValueError):
            pass
    return tour_planning.travel_minutes_matrix(
        places,
        detour_factor=settings.TOUR_DETOUR_FACTOR,
        speed_kmh=settings.TOUR_AVERAGE_SPEED_KMH,
    )


#: The times of a stop that planning fills in.
PLANNED_FIELDS = ["planned_arrival", "planned_start", "planned_departure"]


def _has_place(stop: TourStop) -> bool:
    return stop.organisation.latitude is not None and stop.organisation.longitude is not None


def _plain_stops(stops: Sequence[TourStop]) -> list[tour_planning.Stop]:
    return [
        tour_planning.Stop(
            key=str(stop.pk),
            latitude=float(stop.organisation.latitude or 0),
            longitude=float(stop.organisation.longitude or 0),
            service_minutes=stop.service_minutes,
            opens=_minutes(stop.opens) if stop.opens else None,
            closes=_minutes(stop.closes) if stop.closes else None,
        )
        for stop in stops
    ]


def _tour_matrix(tour: Tour, plain: Sequence[tour_planning.Stop]) -> list[list[float]]:
    office = tour_planning.Place(float(tour.start_latitude or 0), float(tour.start_longitude or 0))
    return _matrix([office, *(tour_planning.Place(s.latitude, s.longitude) for s in plain), office])


def _check_start(tour: Tour) -> None:
    if tour.start_latitude is None or tour.start_longitude is None:
        raise ServiceError(
            _("The tour has no start place with coordinates. Give the top area a centre first.")
        )


def _store_plan(
    actor: Actor, tour: Tour, stops: Sequence[TourStop], plan: tour_planning.TourPlan
) -> list[str]:
    """Stores the planned times and order (visits first, then what does not fit); the tour is
    planned. Returns messages about the stops that do not fit."""
    by_key = {str(stop.pk): stop for stop in stops}
    before = audit.snapshot(tour, ["status", "travel_minutes"])
    messages = []
    with transaction.atomic():
        position = 0
        for visit in plan.stops:
            position += 1
            stop = by_key.pop(visit.key)
            stop.position = position
            stop.planned_arrival = _clock(visit.arrival)
            stop.planned_start = _clock(visit.start)
            stop.planned_departure = _clock(visit.departure)
            stop.unreachable = False
            stop.save(update_fields=[*PLANNED_FIELDS, "position", "unreachable"])
        for key in plan.unreachable:
            messages.append(
                _("%(name)s does not fit into the day or its opening hours.")
                % {"name": by_key[key].organisation.name}
            )
        # The unreachable in the order they had, so that a hand order survives among them.
        for stop in sorted(by_key.values(), key=lambda stop: stop.position):
            position += 1
            stop.position = position
            stop.planned_arrival = stop.planned_start = stop.planned_departure = None
            stop.unreachable = True
            stop.save(update_fields=[*PLANNED_FIELDS, "position", "unreachable"])
        tour.status = Tour.Status.PLANNED
        tour.travel_minutes = round(plan.travel_minutes)
        tour.save(update_fields=["status", "travel_minutes"])
        audit.log_update(actor=actor, instance=tour, before=before)
    return messages


def tour_plan(
    *, actor: Actor, tour: Tour, time_limit_seconds: float = 2.0, keep_order: bool = False
) -> list[str]:
    """Orders the tour's stops with OR-Tools and stores the planned times.

    Stops without coordinates and stops that do not fit into the day or their opening hours
    are put at the end and marked. Returns messages about them (empty when all fit).

    With ``keep_order`` the order is the one set by hand (the stops' positions) and only the
    times are computed; an order that misses someone's opening hours or the end of the day is
    refused with the name of the first stop it misses, and nothing changes.
    """
    _check_open(tour)
    _check_start(tour)
    stops = list(TourStop.objects.filter(tour=tour).select_related("organisation"))
    if not stops:
        raise ServiceError(_("Put partners on the tour first."))
    stops.sort(key=lambda stop: (stop.position, stop.pk))
    located = [stop for stop in stops if _has_place(stop)]
    messages = [
        _("%(name)s has no coordinates and was left out of the plan.")
        % {"name": stop.organisation.name}
        for stop in stops
        if stop not in located
    ]
    plain = _plain_stops(located)
    matrix = _tour_matrix(tour, plain)
    day_start, day_end = _minutes(tour.day_start), _minutes(tour.day_end)
    try:
        if keep_order:
            plan = tour_planning.plan_in_order(
                plain, day_start=day_start, day_end=day_end, matrix=matrix
            )
            if plan is None:
                raise ServiceError(_missed_message(located, plain, matrix, day_start, day_end))
        else:
            plan = tour_planning.plan_tour(
                plain,
                matrix=matrix,
                day_start=day_start,
                day_end=day_end,
                time_limit_seconds=time_limit_seconds,
            )
    except ServiceError:
        raise
    except ValueError as error:
        raise ServiceError(_("The tour cannot be planned: %(error)s") % {"error": error}) from None
    return messages + _store_plan(actor, tour, stops, plan)


def _missed_message(
    located: Sequence[TourStop],
    plain: Sequence[tour_planning.Stop],
    matrix: list[list[float]],
    day_start: int,
    day_end: int,
) -> str:
    missed = tour_planning.first_missed(
        list(range(len(plain))), plain, matrix, day_start=day_start, day_end=day_end
    )
    if missed is None or missed >= len(located):
        return _("In this order the tour does not get back before the end of the day.")
    return _("In this order %(name)s cannot be visited within its opening hours.") % {
        "name": located[missed].organisation.name
    }


def _replan_in_order(actor: Actor, tour: Tour) -> list[str]:
    """After a change by hand to a planned tour: new times for the order as it stands.

    When that order no longer works, the tour goes back to draft without times and the message
    says who is missed; when it works, the tour stays planned with the new times.
    """
    stops = sorted(
        TourStop.objects.filter(tour=tour).select_related("organisation"),
        key=lambda stop: (stop.position, stop.pk),
    )
    in_plan = [stop for stop in stops if not stop.unreachable and _has_place(stop)]
    plain = _plain_stops(in_plan)
    matrix = _tour_matrix(tour, plain)
    day_start, day_end = _minutes(tour.day_start), _minutes(tour.day_end)
    try:
        plan = tour_planning.plan_in_order(
            plain, day_start=day_start, day_end=day_end, matrix=matrix
        )
    except ValueError:
        plan = None
    if plan is not None:
        _store_plan(actor, tour, in_plan + [s for s in stops if s not in in_plan], plan)
        # _store_plan marks what is not in the plan as unreachable: exactly those left out.
        return []
    message = _missed_message(in_plan, plain, matrix, day_start, day_end)
    with transaction.atomic():
        for stop in stops:
            stop.planned_arrival = stop.planned_start = stop.planned_departure = None
            stop.save(update_fields=PLANNED_FIELDS)
        _back_to_draft(actor, tour)
    return [message + " " + _("The tour is a draft again: change the order or plan it anew.")]


def _check_hours(
    opens: datetime.time | None, closes: datetime.time | None, service_minutes: int
) -> None:
    if opens is not None and closes is not None:
        if closes <= opens:
            raise ServiceError(_("The opening hours must end after they begin."))
        if _minutes(closes) - _minutes(opens) < service_minutes:
            raise ServiceError(
                _("A visit of %(minutes)s minutes does not fit into these opening hours.")
                % {"minutes": service_minutes}
            )


def stop_update(
    *,
    actor: Actor,
    stop: TourStop,
    opens: datetime.time | None,
    closes: datetime.time | None,
    service_minutes: int,
) -> list[str]:
    """Changes a stop's opening hours and visit length on a tour that is not done.

    Closing before opening (or too short a window for the visit) is refused and changes
    nothing. On a planned tour the times are computed anew for the order as it stands; a stop
    that was left out, or an order that no longer works, sends the tour back to draft.
    Returns messages for the user.
    """
    tour = stop.tour
    _check_open(tour)
    _check_hours(opens, closes, service_minutes)
    data = {"opens": opens, "closes": closes, "service_minutes": service_minutes}
    with transaction.atomic():
        stop, changed = model_update(
            actor=actor, instance=stop, data=data, fields=["opens", "closes", "service_minutes"]
        )
        if not changed or tour.status != Tour.Status.PLANNED:
            return []
        if stop.unreachable:
            _back_to_draft(actor, tour)
            return [_("The tour is a draft again: plan it anew to fit in the changed stop.")]
        return _replan_in_order(actor, tour)


def stop_move(*, actor: Actor, stop: TourStop, direction: str) -> list[str]:
    """Moves a stop one place up or down the tour, by hand.

    On a planned tour only the stops in the plan change places (those that do not fit stay at
    the end), and the times are computed anew for the new order (see :func:`stop_update`).
    Returns messages for the user.
    """
    tour = stop.tour
    _check_open(tour)
    if direction not in {"up", "down"}:
        raise ServiceError(_("Move a stop up or down."))
    stops = sorted(
        TourStop.objects.filter(tour=tour).select_related("organisation"),
        key=lambda row: (row.position, row.pk),
    )
    planned = tour.status == Tour.Status.PLANNED
    movable = [row for row in stops if not (planned and row.unreachable)]
    index = next((i for i, row in enumerate(movable) if row.pk == stop.pk), None)
    if index is None:
        raise ServiceError(_("This stop does not fit into the day; plan the tour anew."))
    other_index = index - 1 if direction == "up" else index + 1
    if not 0 <= other_index < len(movable):
        raise ServiceError(
            _("This stop is first already.")
            if direction == "up"
            else _("This stop is last already.")
        )
    movable[index], movable[other_index] = movable[other_index], movable[index]
    rest = [row for row in stops if row not in movable]
    with transaction.atomic():
        for position, row in enumerate(movable + rest, start=1):
            if row.position != position:
                before = audit.snapshot(row, ["position"])
                row.position = position
                row.save(update_fields=["position"])
                audit.log_update(actor=actor, instance=row, before=before)
        if planned:
            return _replan_in_order(actor, tour)
    return []


def tour_complete(*, actor: Actor, tour: Tour) -> list[Contact]:
    """Marks a tour done; each visited stop becomes a contact ("visit at their workplace").

    The contacts carry the date and the partner; the coordinator fills in the notes afterwards.
    """
    if tour.status != Tour.Status.PLANNED:
        raise ServiceError(_("Only a planned tour can be recorded."))
    if tour.date > timezone.localdate():
        raise ServiceError(_("The tour lies in the future; record the visits afterwards."))
    stops = list(
        TourStop.objects.filter(tour=tour, unreachable=False, contact__isnull=True)
        .select_related("organisation", "person")
        .order_by("position")
    )
    contacts = []
    with transaction.atomic():
        for stop in stops:
            contact = contact_log(
                actor=actor,
                local_authority=tour.local_authority,
                date=tour.date,
                organisation=stop.organisation,
                person=stop.person if stop.person and not stop.person.is_erased else None,
                kind=Contact.Kind.VISIT,
                start_time=stop.planned_start,
            )
            stop.contact = contact
            stop.save(update_fields=["contact"])
            contacts.append(contact)
        before = audit.snapshot(tour, ["status"])
        tour.status = Tour.Status.DONE
        tour.save(update_fields=["status"])
        audit.log_update(actor=actor, instance=tour, before=before)
    return contacts


# --- Welcome visits ----------------------------------------------------------------------------


def welcome_visits_record(
    *,
    actor: Actor,
    local_authority: LocalAuthority,
    area: Area,
    month: datetime.date,
    language: str,
    count: int,
    guide_edition: str = "",
) -> WelcomeVisit:
    """Adds ``count`` anonymous welcome visits to one cell: area, month, guide edition, language."""
    if area.local_authority_id != local_authority.pk:
        raise ServiceError(_("A chosen entry belongs to another local authority."))
    if count < 1:
        raise ServiceError(_("Count at least one visit."))
    month = month.replace(day=1)
    if month > timezone.localdate():
        raise ServiceError(_("Welcome visits cannot lie in the future."))
    language = language.strip()
    if not language:
        raise ServiceError(_("Give the language of the visit."))
    with transaction.atomic():
        cell = (
            WelcomeVisit.objects.select_for_update()
            .filter(area=area, month=month, guide_edition=guide_edition.strip(), language=language)
            .first()
        )
        if cell is None:
            cell = WelcomeVisit(
                local_authority=local_authority,
                area=area,
                month=month,
                guide_edition=guide_edition.strip(),
                language=language,
                count=count,
            )
            cell.full_clean(exclude=["local_authority", "area"])
            cell.save()
            audit.log_create(actor=actor, instance=cell)
            return cell
        before = audit.snapshot(cell, ["count"])
        cell.count += count
        cell.save(update_fields=["count"])
        audit.log_update(actor=actor, instance=cell, before=before)
        return cell
