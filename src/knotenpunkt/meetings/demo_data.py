"""Demo meetings for the Altmark: two series, a past meeting with minutes, action items, needs.

Dates are relative to today, so the demo always shows upcoming meetings, one recent meeting with
its minutes and one overdue action item. Bodies and members come from ``bodies/demo_data.py``;
without them nothing is built.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from knotenpunkt.bodies.models import Body
from knotenpunkt.core.demo import ALTMARK_SLUG
from knotenpunkt.core.models import Area, LifePhase, LocalAuthority
from knotenpunkt.meetings import services
from knotenpunkt.meetings.models import ActionItem, Invitation, Meeting, MeetingSeries
from knotenpunkt.partners.models import Person

STEERING_BODY = "Steuerungsgruppe Frühe Hilfen (Demo)"
WORKING_GROUP = "AG 0–3 Jahre"

MINUTES = """\
## TOP 1 – Begrüßung

Die Koordinatorin begrüßt die Anwesenden. Das Protokoll der letzten Sitzung wird angenommen.

## TOP 2 – Hebammenversorgung im Norden

- In Arendsee und Umgebung nehmen zwei Hebammen keine neuen Familien mehr auf.
- Die Familienhebamme berichtet von Wartezeiten bis zu sechs Wochen.

## TOP 3 – Willkommensbesuche

Die neue Auflage des Familienwegweisers liegt vor und wird bei den Besuchen übergeben.
"""

DECISIONS = """\
1. Die AG bittet die Steuerungsgruppe, die Hebammenversorgung im Norden zu priorisieren.
2. Der Flyer „Gut ankommen“ wird in Leichter Sprache überarbeitet.
"""

NEEDS = [
    # title, area name or None, life phase code, topic, source, status
    (
        "Hebammenversorgung im Wochenbett",
        "Arendsee (Altmark)",
        "birth",
        "Wochenbett",
        "meeting",
        "open",
    ),
    (
        "Kita-Plätze für Kinder unter drei",
        "Gardelegen",
        "age_1_3",
        "Kindertagesbetreuung",
        "analysis",
        "in_progress",
    ),
    (
        "Sprachmittlung bei Schwangerschaftsberatung",
        "Salzwedel",
        "pregnancy",
        "Schwangerschaftsberatung",
        "visit",
        "open",
    ),
    (
        "Übergang Kita–Grundschule begleiten",
        "Klötze",
        "kita_school",
        "Schulfähigkeit",
        "survey",
        "open",
    ),
    (
        "Medienprävention für Eltern von Schulkindern",
        None,
        "age_6_10",
        "Medienprävention",
        "meeting",
        "met",
    ),
]


def _next_weekday(day: datetime.date, weekday: int) -> datetime.date:
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def build_demo(tenant: LocalAuthority) -> None:
    """Builds the Altmark's meetings, minutes, action items and needs (only once)."""
    if tenant.slug != ALTMARK_SLUG or Meeting.objects.exists():
        return
    bodies = {
        body.name: body for body in Body.objects.filter(name__in=[STEERING_BODY, WORKING_GROUP])
    }
    steering, group = bodies.get(STEERING_BODY), bodies.get(WORKING_GROUP)
    today = timezone.localdate()
    if steering is not None:
        services.series_create(
            actor=None,
            local_authority=tenant,
            body=steering,
            title="Steuerungsgruppe",
            interval=3,
            unit=MeetingSeries.Unit.MONTHS,
            first_date=_next_weekday(today + datetime.timedelta(days=14), 1),
            until=today + datetime.timedelta(days=365),
            start_time=datetime.time(14, 0),
            duration_minutes=120,
            place="Landratsamt Salzwedel, Sitzungssaal",
        )
    meeting = None
    if group is not None:
        services.series_create(
            actor=None,
            local_authority=tenant,
            body=group,
            title="AG 0–3",
            interval=6,
            unit=MeetingSeries.Unit.WEEKS,
            first_date=_next_weekday(today + datetime.timedelta(days=3), 2),
            start_time=datetime.time(9, 0),
            duration_minutes=180,
            place="Familienzentrum Gardelegen",
            video_url="https://meet.example.org/ag-0-3",
        )
        meeting = _past_meeting(tenant, group, today)
    _needs_and_actions(tenant, meeting, group, today)


def _past_meeting(tenant: LocalAuthority, group: Body, today: datetime.date) -> Meeting:
    day = _next_weekday(today - datetime.timedelta(weeks=6), 2)
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))
    meeting = services.meeting_create(
        actor=None,
        local_authority=tenant,
        body=group,
        title="AG 0–3",
        start=start,
        end=start + datetime.timedelta(hours=3),
        place="Familienzentrum Gardelegen",
    )
    for title in ("Begrüßung", "Hebammenversorgung im Norden", "Willkommensbesuche"):
        services.agenda_item_create(actor=None, meeting=meeting, title=title)
    members = services.current_member_persons(group, on=day)
    for person in members:
        Invitation.objects.create(
            local_authority=tenant,
            meeting=meeting,
            person=person,
            email=person.email,
            response=Invitation.Response.YES,
            responded_at=start - datetime.timedelta(days=5),
        )
    candidates = services.attendance_candidates(meeting)
    services.attendance_record(
        actor=None, meeting=meeting, present=candidates[: max(len(candidates) - 1, 0)]
    )
    services.minutes_save(actor=None, meeting=meeting, text=MINUTES, decisions=DECISIONS)
    return meeting


def _needs_and_actions(
    tenant: LocalAuthority, meeting: Meeting | None, group: Body | None, today: datetime.date
) -> None:
    areas = {area.name: area for area in Area.objects.all()}
    phases = {phase.code: phase for phase in LifePhase.objects.all()}
    needs = [
        services.need_create(
            actor=None,
            local_authority=tenant,
            title=title,
            area=areas.get(area) if area else None,
            life_phase=phases.get(phase),
            topic=topic,
            source=source,
            status=status,
            evidence="",
        )
        for title, area, phase, topic, source, status in NEEDS
    ]
    owners = services.current_member_persons(group) if group is not None else []

    def owner(index: int) -> Person | None:
        return owners[index % len(owners)] if owners else None

    plans = [
        ("Hebammen im Norden zu einem Austausch einladen", -10, ActionItem.Status.OPEN, needs[0]),
        ("Flyer „Gut ankommen“ in Leichter Sprache", 21, ActionItem.Status.IN_PROGRESS, None),
        (
            "Bedarf an Kita-Plätzen mit der Jugendhilfeplanung klären",
            35,
            ActionItem.Status.OPEN,
            needs[1],
        ),
        ("Familienwegweiser an Willkommensbesuche verteilen", -20, ActionItem.Status.DONE, None),
    ]
    for index, (title, days, status, need) in enumerate(plans):
        services.action_item_create(
            actor=None,
            local_authority=tenant,
            title=title,
            owner=owner(index),
            due=today + datetime.timedelta(days=days),
            status=status,
            meeting=meeting,
            body=group,
            need=need,
        )
