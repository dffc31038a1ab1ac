"""Where the calendar learns whether a day is a rest day: official data first, a provisional answer otherwise.

Official data is the State Council's yearly notice, as shipped in the `chinesecalendar` package or
transcribed into a `<year>.yaml` file (in `engine/data/holidays/` or in `ZHIFA_HOLIDAYS_DIR`; a file
overrides the package for its year, a file in `ZHIFA_HOLIDAYS_DIR` overrides a shipped one).

A year without a notice gets a provisional answer from the statutory holidays of
《全国年节及纪念日放假办法》(2024 amendment), computed by the `holidays` package (lunar festivals,
the 清明 solar term, and the statutory day off on a weekday when a holiday falls on a weekend).
The make-up working days (调休) and bridge days of that year stay unknown until its notice.
A year's notice may also move the previous year's last December days (the 2019 notice made
2018-12-29 a working day and 2018-12-31 a holiday), so those days are provisional too until the
next year's notice is known.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

import chinese_calendar
import holidays as statutory_holidays
import yaml

from engine.errors import CalendarUnknownYear, ModelError
from engine.settings import PACKAGE_DIR, get_settings

SHIPPED_HOLIDAYS_DIR = PACKAGE_DIR / "data" / "holidays"

PACKAGE_YEARS = range(min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1)

# From this day on, a December date also depends on the next year's notice.
NEXT_NOTICE_REACH = (12, 29)


@dataclass(frozen=True)
class HolidaySource:
    """The holiday data behind an answer; `provisional` when no official notice covered the day."""

    label: str
    provisional: bool


@dataclass(frozen=True)
class DayAnswer:
    working: bool
    source: HolidaySource


@dataclass(frozen=True)
class YearFile:
    source: str
    holidays: frozenset[date]
    workdays: frozenset[date]
    path: Path


@dataclass(frozen=True)
class YearStatus:
    year: int
    official: bool
    source: str


@lru_cache(maxsize=1)  # importlib.metadata scans sys.path on every call (~2 ms), and a due date asks per working day
def package_source() -> HolidaySource:
    return HolidaySource(f"chinesecalendar {version('chinesecalendar')}", provisional=False)


def statutory_source() -> HolidaySource:
    return HolidaySource(
        f"《全国年节及纪念日放假办法》(2024年修订)推算(holidays {statutory_holidays.__version__}),"
        "调休安排以国务院办公厅通知为准", provisional=True)


def day_answer(d: date) -> DayAnswer:
    """Whether `d` is a working day, and from which data (official, or provisional where none covers it)."""
    next_file = year_file(d.year + 1)
    if next_file is not None and d in next_file.workdays | next_file.holidays:
        return DayAnswer(d in next_file.workdays, HolidaySource(next_file.source, provisional=False))
    official = _official_answer(d)
    if official is not None:
        if (d.month, d.day) < NEXT_NOTICE_REACH or is_official_year(d.year + 1):
            return official
        return DayAnswer(official.working, HolidaySource(
            f"{official.source.label}(待{d.year + 1}年通知确认年底安排)", provisional=True))
    return DayAnswer(statutory_working_day(d), statutory_source())


def is_official_year(year: int) -> bool:
    return year in PACKAGE_YEARS or year_file(year) is not None


def year_status(year: int) -> YearStatus:
    file = year_file(year)
    if file is not None:
        return YearStatus(year, True, f"{file.source}({file.path})")
    if year in PACKAGE_YEARS:
        return YearStatus(year, True, package_source().label)
    return YearStatus(year, False, statutory_source().label)


def file_years() -> list[int]:
    years = set()
    for directory in _directories():
        years.update(int(path.stem) for path in Path(directory).glob("*.yaml") if path.stem.isdigit())
    return sorted(years)


def year_file(year: int) -> YearFile | None:
    return _load_year_file(_directories(), year)


def clear_caches() -> None:
    """Forget files read so far (a year file was added while the process runs)."""
    _load_year_file.cache_clear()


def _official_answer(d: date) -> DayAnswer | None:
    file = year_file(d.year)
    if file is not None:
        return DayAnswer(_file_working(d, file), HolidaySource(file.source, provisional=False))
    if d.year in PACKAGE_YEARS:
        return DayAnswer(chinese_calendar.is_workday(d), package_source())
    return None


def _file_working(d: date, file: YearFile) -> bool:
    if d in file.workdays:
        return True
    if d in file.holidays:
        return False
    return d.weekday() < 5


def statutory_working_day(d: date) -> bool:
    """Working day by the statutory holidays alone (weekends rest, no 调休): the provisional answer."""
    calendar = _statutory_calendar(d.year)
    if date(d.year, 1, 1) not in calendar:  # the package stops computing lunar dates after 2100
        raise CalendarUnknownYear(
            f"无法推算{d.year}年的法定节假日,无法确定{d.isoformat()}是否为工作日。"
            f"请在节假日数据目录(ZHIFA_HOLIDAYS_DIR)中添加 {d.year}.yaml。",
            details={"year": d.year, "date": d.isoformat()},
        )
    return calendar.is_working_day(d)


@lru_cache(maxsize=64)
def _statutory_calendar(year: int) -> statutory_holidays.HolidayBase:
    return statutory_holidays.China(years=year)


def _directories() -> tuple[Path, ...]:
    extra_dir = get_settings().holidays_dir
    return (SHIPPED_HOLIDAYS_DIR,) + ((extra_dir,) if extra_dir else ())


@lru_cache(maxsize=256)
def _load_year_file(directories: tuple[Path, ...], year: int) -> YearFile | None:
    """The year's file from the last directory that has one (later directories override)."""
    for directory in reversed(directories):
        path = Path(directory) / f"{year}.yaml"
        if path.is_file():
            return parse_year_file(path, year)
    return None


def parse_year_file(path: Path, year: int) -> YearFile:
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
    return YearFile(source=content["source"].strip(), holidays=frozenset(holidays), workdays=frozenset(workdays),
                    path=path)


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
