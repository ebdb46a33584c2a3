"""The Altmark demo's meetings, minutes, action items and needs."""

from __future__ import annotations

import pytest
from django.utils import timezone
from django_scopes import scope

from knotenpunkt.core.demo import ALTMARK_SLUG, load_demo
from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.meetings.models import (
    ActionItem,
    Attendance,
    Meeting,
    MeetingSeries,
    Minutes,
    Need,
)
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_the_altmark_demo_has_series_a_past_meeting_with_minutes_and_needs() -> None:
    load_demo()
    altmark = LocalAuthority.objects.get(slug=ALTMARK_SLUG)
    today = timezone.localdate()
    with scope(local_authority=altmark):
        series = {s.title: s for s in MeetingSeries.objects.all()}
        assert (series["Steuerungsgruppe"].interval, series["Steuerungsgruppe"].unit) == (
            3,
            "months",
        )
        group = series["AG 0–3"]
        assert (group.interval, group.unit, group.duration_minutes) == (6, "weeks", 180)
        assert Meeting.objects.filter(series=group).count() == 12
        past = Meeting.objects.get(series=None)
        assert past.end < timezone.now()
        minutes = Minutes.objects.get(meeting=past)
        assert minutes.text and minutes.decisions
        assert Attendance.objects.filter(meeting=past, present=True).exists()
        items = list(ActionItem.objects.filter(meeting=past))
        assert len(items) == 4
        assert sum(1 for item in items if item.is_overdue) == 1
        needs = list(Need.objects.all())
        assert len(needs) == 5
        assert len({need.life_phase_id for need in needs}) == 5
        assert len({need.area_id for need in needs}) >= 4
        assert Meeting.objects.filter(start__date__gte=today).exists()
    coordinator = User.objects.filter(
        roles__local_authority=altmark, roles__kind="coordinator"
    ).first()
    assert coordinator is not None
    client = client_for(coordinator)
    assert client.get(f"/t/{ALTMARK_SLUG}/meetings/{past.uuid}/").status_code == 200
    assert client.get(f"/t/{ALTMARK_SLUG}/meetings/{past.uuid}/minutes.pdf").content.startswith(
        b"%PDF"
    )
