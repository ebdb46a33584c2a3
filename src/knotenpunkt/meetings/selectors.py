"""Reads for meetings, action items, needs and calendar feeds, with a fixed number of queries."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from knotenpunkt.bodies.models import Body, Membership
from knotenpunkt.core.models import LifePhase, Role, User
from knotenpunkt.meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    CalendarFeed,
    Invitation,
    Meeting,
    Minutes,
    Need,
)
from knotenpunkt.partners.models import Affiliation, Person

OPEN_STATUSES = [ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS]


def person_of(user: User | Any) -> Person | None:
    """The person record linked to ``user`` in the current tenant."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user=user, erased_at__isnull=True).first()


def _current(prefix: str = "") -> Q:
    today = timezone.localdate()
    return (Q(**{f"{prefix}start__isnull": True}) | Q(**{f"{prefix}start__lte": today})) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": today})
    )


def bodies_of(user: User | Any) -> QuerySet[Body]:
    """The bodies where ``user``'s person, or one of its current organisations, is a member."""
    organisations = Affiliation.objects.filter(_current(), person__user=user).values("organisation")
    memberships = Membership.objects.filter(_current()).filter(
        Q(person__user=user) | Q(organisation__in=organisations)
    )
    return Body.objects.filter(pk__in=memberships.values("body"))


def visible_meetings(user: User | Any, roles: Iterable[str]) -> QuerySet[Meeting]:
    """All meetings for coordinators and steering; a partner's only those of their bodies."""
    meetings = Meeting.objects.all()
    if not {Role.Kind.COORDINATOR, Role.Kind.STEERING} & set(roles):
        meetings = meetings.filter(body__in=bodies_of(user))
    return meetings


def meeting_list(
    user: User | Any, roles: Iterable[str], *, past: bool = False
) -> QuerySet[Meeting]:
    """Upcoming (soonest first) or past (latest first) meetings the user may see."""
    now = timezone.now()
    meetings = visible_meetings(user, roles).select_related("body", "series")
    meetings = meetings.annotate(
        invited=Count("invitations", distinct=True),
        accepted=Count(
            "invitations",
            filter=Q(invitations__response=Invitation.Response.YES),
            distinct=True,
        ),
    )
    if past:
        return meetings.filter(end__lt=now).order_by("-start")
    return meetings.filter(end__gte=now).order_by("start")


@dataclass(frozen=True)
class MeetingDetail:
    meeting: Meeting
    agenda: list[AgendaItem]
    invitations: list[Invitation]
    attendances: list[Attendance]
    minutes: Minutes | None
    action_items: list[ActionItem]
    responses: dict[str, int]


def meeting_detail(meeting: Meeting) -> MeetingDetail:
    """A meeting with its agenda, invitations, attendance, minutes and action items."""
    invitations = sorted(
        meeting.invitations.select_related("person", "organisation"),
        key=lambda invitation: (
            invitation.person is None,
            invitation.person.last_name.casefold() if invitation.person else "",
            str(invitation.invitee).casefold(),
        ),
    )
    responses = dict.fromkeys(Invitation.Response.values, 0)
    for invitation in invitations:
        responses[invitation.response] += 1
    return MeetingDetail(
        meeting=meeting,
        agenda=list(meeting.agenda_items.select_related("owner")),
        invitations=invitations,
        attendances=list(
            meeting.attendances.select_related("person").order_by("person__last_name")
        ),
        minutes=Minutes.objects.filter(meeting=meeting).first(),
        action_items=list(meeting.action_items.select_related("owner")),
        responses=responses,
    )


def action_item_list(
    *, owner: Person | None = None, only_mine: bool = False, overdue: bool = False
) -> QuerySet[ActionItem]:
    """Action items, open ones first by due date; only the owner's or only overdue if asked."""
    items = ActionItem.objects.select_related("owner", "meeting", "body", "area", "need")
    if only_mine:
        items = items.filter(owner=owner) if owner is not None else items.none()
    if overdue:
        items = items.filter(due__lt=timezone.localdate(), status__in=OPEN_STATUSES)
    return items.order_by("status", "due", "title")


def need_list(*, area: Any = None, life_phase: Any = None, status: str = "") -> QuerySet[Need]:
    """Needs, filtered by area, life phase and status, with their number of action items."""
    needs = Need.objects.select_related("area", "life_phase").annotate(
        action_count=Count("action_items")
    )
    if area is not None:
        needs = needs.filter(area=area)
    if life_phase is not None:
        needs = needs.filter(life_phase=life_phase)
    if status:
        needs = needs.filter(status=status)
    return needs.order_by("status", "title")


def feed_meetings(feed: CalendarFeed) -> list[Meeting]:
    """The meetings in a personal feed: those of the user's bodies, all for coordinators.

    Runs inside the feed's tenant scope. Covers the last 90 days and everything ahead.
    """
    since = timezone.now() - datetime.timedelta(days=90)
    is_coordinator = Role.objects.filter(user=feed.user, kind=Role.Kind.COORDINATOR).exists()
    meetings = Meeting.objects.filter(start__gte=since).select_related("body", "local_authority")
    if not is_coordinator:
        memberships = Membership.objects.filter(_current(), person__user=feed.user)
        meetings = meetings.filter(body__in=memberships.values("body"))
    return list(meetings.order_by("start"))


def minutes_pdf_context(meeting: Meeting) -> dict[str, Any]:
    """What the PDF of the minutes shows."""
    detail = meeting_detail(meeting)
    return {
        "detail": detail,
        "meeting": meeting,
        "tenant": meeting.local_authority,
        "present": [row.person for row in detail.attendances if row.present],
        "absent": [row.person for row in detail.attendances if not row.present],
    }


@dataclass(frozen=True)
class NeedTally:
    label: str
    open: int
    total: int


def need_tallies() -> tuple[list[NeedTally], list[NeedTally]]:
    """Needs per area and per life phase (open ones and all), two queries."""
    open_filter = Q(status__in=[Need.Status.OPEN, Need.Status.IN_PROGRESS])
    no_area, no_phase = _("no area"), _("no life phase")

    def tally(field: str, label_field: str) -> list[tuple[Any, int, int]]:
        rows = (
            Need.objects.values(field, label_field)
            .annotate(total=Count("pk"), open=Count("pk", filter=open_filter))
            .order_by(label_field)
        )
        return [(row[label_field], row["open"], row["total"]) for row in rows]

    by_area = [
        NeedTally(label=name or no_area, open=open_, total=total)
        for name, open_, total in tally("area_id", "area__name")
    ]
    phases = {phase.code: phase.label for phase in LifePhase.objects.all()}
    by_phase = [
        NeedTally(label=phases.get(code, no_phase) if code else no_phase, open=open_, total=total)
        for code, open_, total in tally("life_phase_id", "life_phase__code")
    ]
    by_phase.sort(key=lambda row: row.label == no_phase)
    return by_area, by_phase
