"""Property tests of the dates a series produces."""

from __future__ import annotations

import datetime
import itertools

from hypothesis import given
from hypothesis import strategies as st

from knotenpunkt.meetings.models import MeetingSeries
from knotenpunkt.meetings.services import MAX_OCCURRENCES, series_dates


@given(
    first=st.dates(min_value=datetime.date(2024, 1, 1), max_value=datetime.date(2040, 12, 31)),
    interval=st.integers(min_value=1, max_value=26),
    unit=st.sampled_from(list(MeetingSeries.Unit)),
    length=st.one_of(st.none(), st.integers(min_value=0, max_value=900)),
)
def test_series_dates_start_at_the_first_date_and_respect_the_end(
    first: datetime.date, interval: int, unit: str, length: int | None
) -> None:
    until = first + datetime.timedelta(days=length) if length is not None else None
    series = MeetingSeries(
        first_date=first, interval=interval, unit=unit, until=until, start_time=datetime.time(9)
    )
    dates = series_dates(series)
    assert dates[0] == first
    assert 1 <= len(dates) <= MAX_OCCURRENCES
    assert all(a < b for a, b in itertools.pairwise(dates))
    if until is not None:
        assert dates[-1] <= until
    else:
        assert len(dates) == MAX_OCCURRENCES
    if unit == MeetingSeries.Unit.WEEKS:
        assert {day.weekday() for day in dates} == {first.weekday()}
    else:
        assert all(day.day == min(first.day, 28) or day.day >= 28 for day in dates)
