"""The freshness ladder: fresh, due, overdue, hidden (pure functions, no database)."""

from __future__ import annotations

import datetime

from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from knotenpunkt.directory import freshness as fresh

UTC = datetime.UTC
NOW = datetime.datetime(2025, 6, 15, 12, 0, tzinfo=UTC)


def stage(
    verified: datetime.datetime | None,
    *,
    created: datetime.datetime = datetime.datetime(2020, 1, 1, tzinfo=UTC),
    now: datetime.datetime = NOW,
    interval: int = 6,
    hide: int = 9,
    status: str = "active",
) -> str:
    return fresh.freshness_of(
        last_verified_at=verified,
        created_at=created,
        status=status,
        verify_interval_months=interval,
        hide_after_months=hide,
        now=now,
    )


def test_it_climbs_the_ladder_at_the_calendar_months() -> None:
    at = datetime.datetime
    assert stage(at(2025, 1, 15, 12, 0, 1, tzinfo=UTC)) == "fresh"
    assert stage(at(2024, 12, 15, 12, 0, tzinfo=UTC)) == "due"  # exactly 6 months
    assert stage(at(2024, 11, 15, 12, 0, 1, tzinfo=UTC)) == "due"
    assert stage(at(2024, 11, 15, 12, 0, tzinfo=UTC)) == "overdue"  # 7 months
    assert stage(at(2024, 9, 15, 12, 0, 1, tzinfo=UTC)) == "overdue"
    assert stage(at(2024, 9, 15, 12, 0, tzinfo=UTC)) == "hidden"  # 9 months


def test_it_counts_from_creation_when_nobody_ever_verified() -> None:
    recent = NOW - datetime.timedelta(days=30)
    old = NOW - datetime.timedelta(days=400)
    assert stage(None, created=recent) == "fresh"
    assert stage(None, created=old) == "hidden"
    assert stage(NOW - datetime.timedelta(days=1), created=old) == "fresh"


def test_an_ended_offer_is_hidden_and_a_future_date_is_fresh() -> None:
    assert stage(NOW, status="defunct") == "hidden"
    assert stage(NOW + datetime.timedelta(days=3)) == "fresh"


def test_without_room_for_overdue_it_goes_from_due_to_hidden() -> None:
    seven_months = datetime.datetime(2024, 11, 15, 12, 0, tzinfo=UTC)
    assert stage(seven_months, interval=6, hide=7) == "hidden"
    assert stage(seven_months + datetime.timedelta(seconds=1), interval=6, hide=7) == "due"


def test_the_month_is_clipped_to_its_last_day() -> None:
    march_31 = datetime.datetime(2025, 3, 31, 8, 0, tzinfo=UTC)
    assert fresh.months_before(march_31, 1) == datetime.datetime(2025, 2, 28, 8, 0, tzinfo=UTC)
    assert fresh.months_before(march_31, 13) == datetime.datetime(2024, 2, 29, 8, 0, tzinfo=UTC)


def test_it_takes_a_service_and_settings_as_well() -> None:
    class Service:
        last_verified_at = None
        created_at = NOW - datetime.timedelta(days=200)
        status = "active"

    class Settings:
        verify_interval_months = 6
        hide_after_months = 9

    assert fresh.freshness_of(Service(), Settings(), NOW) == "due"


moments = st.datetimes(
    # Hypothesis wants naive bounds and adds the time zone itself.
    min_value=datetime.datetime(2000, 1, 1),  # noqa: DTZ001
    max_value=datetime.datetime(2040, 1, 1),  # noqa: DTZ001
    timezones=st.just(UTC),
)
rule_pairs = st.integers(min_value=1, max_value=36).flatmap(
    lambda interval: st.tuples(st.just(interval), st.integers(interval + 1, 48))
)


@hypothesis_settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    verified=moments,
    now=moments,
    later=st.timedeltas(min_value=datetime.timedelta(0)),
    rules=rule_pairs,
)
def test_it_never_gets_fresher_as_time_passes(
    verified: datetime.datetime,
    now: datetime.datetime,
    later: datetime.timedelta,
    rules: tuple[int, int],
) -> None:
    interval, hide = rules
    try:
        after = now + later
    except OverflowError:
        return
    before_stage = stage(verified, now=now, interval=interval, hide=hide)
    after_stage = stage(verified, now=after, interval=interval, hide=hide)
    assert fresh.rank(after_stage) >= fresh.rank(before_stage)


@hypothesis_settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    older=moments, gap=st.timedeltas(min_value=datetime.timedelta(0)), now=moments, rules=rule_pairs
)
def test_an_older_verification_is_never_fresher(
    older: datetime.datetime,
    gap: datetime.timedelta,
    now: datetime.datetime,
    rules: tuple[int, int],
) -> None:
    interval, hide = rules
    try:
        newer = older + gap
    except OverflowError:
        return
    assert fresh.rank(stage(older, now=now, interval=interval, hide=hide)) >= fresh.rank(
        stage(newer, now=now, interval=interval, hide=hide)
    )


@hypothesis_settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(now=moments, rules=rule_pairs)
def test_verifying_now_makes_any_offer_fresh_and_the_cutoffs_are_ordered(
    now: datetime.datetime, rules: tuple[int, int]
) -> None:
    interval, hide = rules
    assert stage(now, now=now, interval=interval, hide=hide) == "fresh"
    limits = fresh.cutoffs(now=now, verify_interval_months=interval, hide_after_months=hide)
    assert limits.hidden <= limits.overdue < limits.due < now


@hypothesis_settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(verified=moments, now=moments, rules=rule_pairs)
def test_a_longer_interval_never_makes_an_offer_staler(
    verified: datetime.datetime, now: datetime.datetime, rules: tuple[int, int]
) -> None:
    interval, hide = rules
    strict = stage(verified, now=now, interval=interval, hide=hide)
    lenient = stage(verified, now=now, interval=interval, hide=hide + 1)
    assert fresh.rank(lenient) <= fresh.rank(strict)
