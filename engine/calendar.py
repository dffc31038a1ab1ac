"""Statutory calendar: working days, deadlines and clock arithmetic in Asia/Shanghai.

Conventions (DOMAIN.md): the start day is not counted; working days skip weekends and public
holidays but include the official make-up working days (调休); a calendar-day period whose last
day is a rest day ends on the next working day.

Holidays come from the `chinesecalendar` package and from YAML files named `<year>.yaml` in
`zhifa/data/holidays/` and in the optional directory `ZHIFA_HOLIDAYS_DIR` (format: see the
README in `zhifa/data/holidays/`). A year's file takes precedence over the package; a file in
`ZHIFA_HOLIDAYS_DIR` takes precedence over a shipped one. A date whose year nobody knows raises
`CalendarUnknownYear` instead of guessing.
"""

from __future__ import annotations

import calendar as gregorian
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import chinese_calendar
import yaml

from engine.errors import CalendarUnknownYear, ModelError, ValidationFailed
from engine.settings import PACKAGE_DIR, TIMEZONE, get_settings

SHANGHAI = ZoneInfo(TIMEZONE)

SHIPPED_HOLIDAYS_DIR = PACKAGE_DIR / "data" / "holidays"

_PACKAGE_YEARS = range(min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1)

# A year's notice may reach back into the previous December: the 2019 notice made 2018-12-29 a
# working day and 2018-12-31 (a Monday) a holiday. From this day on, December dates also need
# the next year's notice.
_NEXT_NOTICE_REACH = (12, 29)


@dataclass(frozen=True)
class _YearFile:
    holidays: frozenset[date]
    workdays: frozenset[date]


def is_working_day(d: date) -> bool:
    """True on Monday–Friday outside public holidays, and on official make-up working days."""
    _require_known_year(d.year, d)
    if (d.month, d.day) >= _NEXT_NOTICE_REACH:
        _require_known_year(d.year + 1, d)
    for year in (d.year, d.year + 1):
        year_file = _year_file(year)
        if year_file is None:
            continue
        if d in year_file.workdays:
            return True
        if d in year_file.holidays:
            return False
    if _year_file(d.year) is not None:
        return d.weekday() < 5
    return chinese_calendar.is_workday(d)


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


def _require_known_year(year: int, asked: date) -> None:
    if year in _PACKAGE_YEARS or _year_file(year) is not None:
        return
    raise CalendarUnknownYear(
        f"缺少{year}年节假日安排数据,无法确定{asked.isoformat()}是否为工作日。"
        f"请根据国务院办公厅关于{year}年部分节假日安排的通知,"
        f"在节假日数据目录(ZHIFA_HOLIDAYS_DIR)中添加 {year}.yaml。",
        details={"year": year, "date": asked.isoformat()},
    )


def _year_file(year: int) -> _YearFile | None:
    extra_dir = get_settings().holidays_dir
    directories = (SHIPPED_HOLIDAYS_DIR,) + ((extra_dir,) if extra_dir else ())
    return _load_year_file(directories, year)


@lru_cache(maxsize=256)
def _load_year_file(directories: tuple[Path, ...], year: int) -> _YearFile | None:
    """The year's file from the last directory that has one (later directories override)."""
    for directory in reversed(directories):
        path = Path(directory) / f"{year}.yaml"
        if path.is_file():
            return _parse_year_file(path, year)
    return None


def _parse_year_file(path: Path, year: int) -> _YearFile:
    def broken(reason: str) -> ModelError:
        return ModelError(f"节假日数据文件 {path} 有误:{reason}", details={"file": str(path)})

    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise broken(f"无法读取({exc})") from exc
    if not isinstance(content, dict):
        raise broken("应为包含 year、source、holidays、workdays 的映射")
    if content.get("year") != year:
        raise broken(f"year 应为 {year}(与文件名一致)")
    if not isinstance(content.get("source"), str) or not content["source"].strip():
        raise broken("缺少 source(国务院办公厅通知的名称、文号和发布日期)")
    holidays = _parse_dates(content.get("holidays"), "holidays", year, broken)
    workdays = _parse_dates(content.get("workdays"), "workdays", year, broken)
    both = holidays & workdays
    if both:
        raise broken(f"日期同时列为放假和上班:{', '.join(sorted(d.isoformat() for d in both))}")
    return _YearFile(holidays=frozenset(holidays), workdays=frozenset(workdays))


def _parse_dates(items: object, key: str, year: int, broken: Callable[[str], ModelError]) -> set[date]:
    if items is None:
        return set()
    if not isinstance(items, list):
        raise broken(f"{key} 应为日期列表")
    dates: set[date] = set()
    for item in items:
        if isinstance(item, dict) and set(item) == {"from", "to"}:
            first, last = _as_date(item["from"], key, broken), _as_date(item["to"], key, broken)
            if last < first:
                raise broken(f"{key} 中的区间 {first}至{last} 起止颠倒")
            dates.update(first + timedelta(days=n) for n in range((last - first).days + 1))
        else:
            dates.add(_as_date(item, key, broken))
    outside = sorted(d.isoformat() for d in dates if d.year not in (year - 1, year))
    if outside:
        raise broken(f"{key} 中的日期不属于{year}年或上一年年底:{', '.join(outside)}")
    return dates


def _as_date(value: object, key: str, broken: Callable[[str], ModelError]) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise broken(f"{key} 中的 {value!r} 不是 YYYY-MM-DD 日期或 {{from, to}} 区间") from exc
