"""Statutory calendar: working days, deadlines and clock arithmetic in Asia/Shanghai.

Conventions (DOMAIN.md): the start day is not counted; working days skip weekends and public
holidays but include the official make-up working days (调休); a calendar-day period whose last
day is a rest day ends on the next working day.

Whether a day is a rest day comes from `engine.holiday_data`: the official notice where one is
known, a provisional answer from the statutory holidays otherwise. A deadline that needed a
provisional answer is provisional: compute it inside `holiday_basis()` to learn that and which data
it used.
"""

from __future__ import annotations

import calendar as gregorian
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from engine.errors import ValidationFailed
from engine.holiday_data import HolidaySource, day_answer
from engine.settings import TIMEZONE

SHANGHAI = ZoneInfo(TIMEZONE)


@dataclass
class HolidayBasis:
    """The holiday data the calendar consulted while it was being tracked."""

    sources: set[HolidaySource] = field(default_factory=set)

    @property
    def provisional(self) -> bool:
        return any(source.provisional for source in self.sources)

    @property
    def label(self) -> str:
        """The provisional sources when there are any (they are what a reader must know), else the official ones."""
        shown = [s for s in self.sources if s.provisional] or list(self.sources)
        return ";".join(sorted(source.label for source in shown))


_tracked: ContextVar[tuple[HolidayBasis, ...]] = ContextVar("holiday_basis", default=())


@contextmanager
def holiday_basis() -> Iterator[HolidayBasis]:
    """Collect the holiday data used by the calendar inside the block (nested blocks see their own part)."""
    basis = HolidayBasis()
    token = _tracked.set(_tracked.get() + (basis,))
    try:
        yield basis
    finally:
        _tracked.reset(token)


def is_working_day(d: date) -> bool:
    """True on Monday–Friday outside public holidays, and on official make-up working days."""
    answer = day_answer(d)
    for basis in _tracked.get():
        basis.sources.add(answer.source)
    return answer.working


def deadline(start: date, days: int, *, working: bool = False) -> date:
    """Last day of a period of `days` days counted after `start`.

    `working=True` counts working days only. A calendar-day period ending on a rest day moves to
    the next working day. `days=0` gives `start` itself (rolled to a working day for calendar
    periods), which turns a computed end date into a legal period end: `deadline(end, 0)`.
    """
    if days < 0:
        raise ValidationFailed(f"期限天数不能为负数:{days}", details={"days": days})
    if working:
        end = start
        remaining = days
        while remaining:
            end += timedelta(days=1)
            if is_working_day(end):
                remaining -= 1
        return end
    end = start + timedelta(days=days)
    while not is_working_day(end):
        end += timedelta(days=1)
    return end


def day_end(d: date) -> datetime:
    """24:00 of `d` in Asia/Shanghai, i.e. 00:00+08:00 of the next day."""
    return datetime.combine(d + timedelta(days=1), time(0, 0), tzinfo=SHANGHAI)


def add_hours(start: datetime, hours: int) -> datetime:
    """Clock hours after an aware `start` (e.g. "24 小时内移送"), in `start`'s time zone."""
    if start.tzinfo is None or start.utcoffset() is None:
        raise ValidationFailed(
            f"起算时间必须带时区(例如 +08:00):{start.isoformat()}", details={"start": start.isoformat()}
        )
    return (start.astimezone(timezone.utc) + timedelta(hours=hours)).astimezone(start.tzinfo)


def add_months(start: date, months: int) -> date:
    """Same day `months` later, or that month's last day when it has no such day (01-31 + 1 → 02-28).

    Pure date arithmetic: wrap it as `deadline(add_months(d, n), 0)` for a legal period end.
    """
    month_index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(month_index, 12)
    month += 1
    return date(year, month, min(start.day, gregorian.monthrange(year, month)[1]))
