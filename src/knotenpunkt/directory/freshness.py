"""How fresh an offer is: fresh, due, overdue or hidden. Pure functions, no database.

The ladder counts calendar months back from *now* to the offer's **anchor**: the moment a person
last verified it (``last_verified_at``, HSDS ``assured_date``), or its creation if nobody ever
did. With ``interval = verify_interval_months`` and ``hide = hide_after_months`` (the tenant's
settings, 6 and 9 by default; the database guarantees ``hide > interval``)::

    hidden   anchor <= now - hide months               not in the public guide, flagged
    overdue  anchor <= now - (interval + 1) months     reminded a month ago, still unconfirmed
    due      anchor <= now - interval months           the reminder goes out
    fresh    otherwise (also an anchor in the future)

The first line that holds wins, so each stage is reached no later than the one below it. With
``hide == interval + 1`` there is no overdue stage: offers go straight from due to hidden.
An ended offer (status ``defunct``) is never public and needs no confirmation: it counts as
hidden whatever its dates.

"``now`` minus *n* months" keeps the day of the month and the time, clipped to the month's last
day (31 March minus one month is 28 or 29 February), computed in UTC. The database filters of
:mod:`knotenpunkt.directory.selectors` compare the same anchor with the same cutoffs
(:func:`cutoffs`), so the guide, the dashboard and the reminders always agree with
:func:`freshness_of`.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from typing import Any, Final, Literal, Protocol, overload

Freshness = Literal["fresh", "due", "overdue", "hidden"]

FRESH: Final = "fresh"
DUE: Final = "due"
OVERDUE: Final = "overdue"
HIDDEN: Final = "hidden"
#: The stages from best to worst.
LADDER: Final[tuple[Freshness, ...]] = (FRESH, DUE, OVERDUE, HIDDEN)
#: The status of an ended offer (``Service.Status.DEFUNCT``), spelled out to stay ORM-free.
ENDED_STATUS: Final = "defunct"
#: How long after the reminder (being due) an unconfirmed offer counts as overdue.
OVERDUE_AFTER_MONTHS: Final = 1


def months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    """``moment`` moved back by ``months`` calendar months in UTC, the day clipped to the month."""
    utc = moment.astimezone(datetime.UTC)
    index = utc.year * 12 + (utc.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    day = min(utc.day, calendar.monthrange(year, month)[1])
    return utc.replace(year=year, month=month, day=day)


@dataclass(frozen=True)
class Cutoffs:
    """An anchor at or before ``due`` is due, at or before ``overdue`` overdue, and so on."""

    due: datetime.datetime
    overdue: datetime.datetime
    hidden: datetime.datetime


def cutoffs(
    *, now: datetime.datetime, verify_interval_months: int, hide_after_months: int
) -> Cutoffs:
    """The three moments of the ladder for ``now`` (see the module's docstring)."""
    return Cutoffs(
        due=months_before(now, verify_interval_months),
        overdue=months_before(now, verify_interval_months + OVERDUE_AFTER_MONTHS),
        hidden=months_before(now, hide_after_months),
    )


def stage_for_anchor(anchor: datetime.datetime, limits: Cutoffs) -> Freshness:
    """The stage of an active offer whose anchor is ``anchor``."""
    if anchor <= limits.hidden:
        return HIDDEN
    if anchor <= limits.overdue:
        return OVERDUE
    if anchor <= limits.due:
        return DUE
    return FRESH


class _Dated(Protocol):
    last_verified_at: datetime.datetime | None
    created_at: datetime.datetime
    status: str


class _Settings(Protocol):
    verify_interval_months: int
    hide_after_months: int


@overload
def freshness_of(service: _Dated, settings: _Settings, now: datetime.datetime, /) -> Freshness: ...


@overload
def freshness_of(
    *,
    last_verified_at: datetime.datetime | None,
    created_at: datetime.datetime,
    status: str,
    verify_interval_months: int,
    hide_after_months: int,
    now: datetime.datetime,
) -> Freshness: ...


def freshness_of(*args: Any, **kwargs: Any) -> Freshness:
    """The stage of an offer on the ladder of the module's docstring.

    Call it with the plain values (keyword-only), or as ``freshness_of(service, settings, now)``
    with anything that has those attributes (a :class:`~knotenpunkt.directory.models.Service`
    and :class:`~knotenpunkt.directory.models.DirectorySettings`).
    """
    if args:
        service, settings, now = args
        return freshness_of(
            last_verified_at=service.last_verified_at,
            created_at=service.created_at,
            status=service.status,
            verify_interval_months=settings.verify_interval_months,
            hide_after_months=settings.hide_after_months,
            now=now,
        )
    if kwargs["status"] == ENDED_STATUS:
        return HIDDEN
    anchor = kwargs["last_verified_at"] or kwargs["created_at"]
    limits = cutoffs(
        now=kwargs["now"],
        verify_interval_months=kwargs["verify_interval_months"],
        hide_after_months=kwargs["hide_after_months"],
    )
    return stage_for_anchor(anchor, limits)


def rank(stage: str) -> int:
    """The position of ``stage`` on the ladder (0 = fresh … 3 = hidden)."""
    return [str(step) for step in LADDER].index(stage)
