"""Planning a series of meetings."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.core.services import ServiceError
from knotenpunkt.meetings import services
from knotenpunkt.meetings.models import Meeting, MeetingSeries
from tests.meetings.conftest import Setting


def _data(first: datetime.date, **extra: object) -> dict[str, object]:
    return {
        "title": "AG 0–3",
        "interval": 6,
        "unit": MeetingSeries.Unit.WEEKS,
        "first_date": first,
        "start_time": datetime.time(9, 30),
        "duration_minutes": 180,
        "place": "Hansestadt Gardelegen",
    } | extra


@pytest.mark.django_db
def test_it_plans_twelve_meetings_six_weeks_apart_for_three_hours(
    tenant: LocalAuthority, setting: Setting, coordinator: User
) -> None:
    first = timezone.localdate() + datetime.timedelta(days=3)
    with scope(local_authority=tenant):
        series = services.series_create(
            actor=coordinator, local_authority=tenant, body=setting.body, **_data(first)
        )
        meetings = list(series.meetings.order_by("start"))
    assert len(meetings) == 12
    assert timezone.localtime(meetings[0].start).date() == first
    assert timezone.localtime(meetings[0].start).time() == datetime.time(9, 30)
    assert meetings[0].end - meetings[0].start == datetime.timedelta(hours=3)
    assert timezone.localtime(meetings[1].start).date() == first + datetime.timedelta(weeks=6)
    # Across the change to or from summer time, the meeting stays at 9:30 local time.
    assert {timezone.localtime(m.start).time() for m in meetings} == {datetime.time(9, 30)}


@pytest.mark.django_db
def test_it_stops_at_the_end_date_and_keeps_the_day_of_month(
    tenant: LocalAuthority, setting: Setting, coordinator: User
) -> None:
    first = datetime.date(timezone.localdate().year + 1, 1, 31)
    with scope(local_authority=tenant):
        series = services.series_create(
            actor=coordinator,
            local_authority=tenant,
            body=setting.body,
            **_data(
                first, interval=3, unit=MeetingSeries.Unit.MONTHS, until=first.replace(month=12)
            ),
        )
        days = [timezone.localtime(m.start).date() for m in series.meetings.order_by("start")]
    assert days == [
        first,
        first.replace(month=4, day=30),
        first.replace(month=7, day=31),
        first.replace(month=10, day=31),
    ]


@pytest.mark.django_db
def test_a_first_date_in_the_past_is_refused_and_nothing_is_written(
    tenant: LocalAuthority, setting: Setting, coordinator_client: Client, coordinator: User
) -> None:
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    with scope(local_authority=tenant):
        before = Meeting.objects.count()
        with pytest.raises(ServiceError, match="cannot lie in the past"):
            services.series_create(
                actor=coordinator, local_authority=tenant, body=setting.body, **_data(yesterday)
            )
    response = coordinator_client.post(
        f"/t/{tenant.slug}/meetings/series/new/",
        {
            "body": setting.body.pk,
            "title": "AG 0–3",
            "interval": 6,
            "unit": "weeks",
            "first_date": yesterday.isoformat(),
            "start_time": "09:30",
            "duration_minutes": 180,
        },
    )
    assert response.status_code == 200
    assert "cannot lie in the past" in response.content.decode()
    with scope(local_authority=tenant):
        assert Meeting.objects.count() == before
        assert not MeetingSeries.objects.exists()


@pytest.mark.django_db
def test_the_form_plans_a_series(
    tenant: LocalAuthority, setting: Setting, coordinator_client: Client
) -> None:
    first = timezone.localdate() + datetime.timedelta(days=10)
    response = coordinator_client.post(
        f"/t/{tenant.slug}/meetings/series/new/",
        {
            "body": setting.body.pk,
            "title": "Steuerungsgruppe",
            "interval": 3,
            "unit": "months",
            "first_date": first.isoformat(),
            "until": (first + datetime.timedelta(days=365)).isoformat(),
            "start_time": "14:00",
            "duration_minutes": 120,
        },
    )
    assert response.status_code == 302
    with scope(local_authority=tenant):
        assert Meeting.objects.filter(series__title="Steuerungsgruppe").count() == 5
