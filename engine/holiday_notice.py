"""Read the State Council's yearly holiday notice (国务院办公厅关于<year>年部分节假日安排的通知) into a year file.

The notice is read as published: one numbered item per festival, e.g.
"一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。". Every sentence of
every item must be understood, every stated weekday and day count must agree with the dates, and all
seven festivals must be present; otherwise the text is refused as a whole (`NoticeUnreadable`), since a
half-read notice would silently give wrong deadlines.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

import yaml

from engine.errors import ValidationFailed

FESTIVALS = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")
_WEEKDAYS = "一二三四五六日"

_TITLE = re.compile(r"国务院办公厅关于(\d{4})年部分节假日安排的通知")
_DOC_NUMBER = re.compile(r"国办发明电〔\d{4}〕\d+号")
_ISSUED = re.compile(r"^\s*(\d{4})年(\d{1,2})月(\d{1,2})日\s*$", re.MULTILINE)
_ITEM = re.compile(r"^\s*([一二三四五六七八九十]+)、([^：:]+)[：:](.*)$")
_NOTE = r"(?:\((?P<{0}>[^)]*)\))?"
_DAY = r"(?:(?P<{0}y>\d{{4}})年)?(?:(?P<{0}m>\d{{1,2}})月)?(?P<{0}d>\d{{1,2}})日" + _NOTE.format("{0}n")
_REST = re.compile(
    "^" + _DAY.format("a") + "(?:至" + _DAY.format("b") + ")?放假(?:调休)?(?:(?P<single>1)天)?"
    r"(?:,共(?P<count>\d+)天)?(?:,不调休|,与周末连休)?$")
_WORK = re.compile("^(?P<days>.+?)上班$")
_WORK_DAY = re.compile("^" + _DAY.format("a") + "$")
_OUTSIDE_NOTES_COMMA = re.compile(r"、(?![^(]*\))")


class NoticeUnreadable(ValidationFailed):
    code = "holiday_notice_unreadable"


@dataclass
class FestivalDays:
    name: str
    holidays: list[date] = field(default_factory=list)
    workdays: list[date] = field(default_factory=list)


@dataclass
class ParsedNotice:
    year: int
    source: str
    festivals: list[FestivalDays]

    @property
    def holidays(self) -> list[date]:
        return sorted(d for f in self.festivals for d in f.holidays)

    @property
    def workdays(self) -> list[date]:
        return sorted(d for f in self.festivals for d in f.workdays)

    def year_file_text(self) -> str:
        """The `<year>.yaml` content (format: engine/data/holidays/README.md)."""
        content = {
            "year": self.year,
            "source": self.source,
            "holidays": [_range(days) for days in _runs(self.holidays)],
            "workdays": self.workdays,
        }
        return yaml.safe_dump(content, allow_unicode=True, sort_keys=False, default_flow_style=None)


def parse_notice(text: str) -> ParsedNotice:
    text = unicodedata.normalize("NFKC", text)  # full-width punctuation and digits as plain ones
    title = _TITLE.search(text)
    if title is None:
        raise NoticeUnreadable("未找到通知标题「国务院办公厅关于XXXX年部分节假日安排的通知」")
    year = int(title.group(1))
    festivals: list[FestivalDays] = []
    for line in text.splitlines():
        item = _ITEM.match(line)
        if item:
            festivals.append(_parse_item(item.group(2).strip(), item.group(3).strip(), year))
    named = [name for f in festivals for name in f.name.split("、")]
    unknown = [name for name in named if name not in FESTIVALS]
    missing = [name for name in FESTIVALS if name not in named]
    if unknown or missing:
        raise NoticeUnreadable(
            "通知条目不完整:" + ";".join(filter(None, [
                f"无法识别的节日 {'、'.join(unknown)}" if unknown else "",
                f"缺少 {'、'.join(missing)}" if missing else ""])),
            details={"unknown": unknown, "missing": missing})
    both = set(d for f in festivals for d in f.holidays) & set(d for f in festivals for d in f.workdays)
    if both:
        raise NoticeUnreadable(f"日期同时列为放假和上班:{'、'.join(sorted(d.isoformat() for d in both))}")
    return ParsedNotice(year=year, source=_source(text, title.group(0)), festivals=festivals)


def _parse_item(name: str, body: str, year: int) -> FestivalDays:
    festival = FestivalDays(name)
    sentences = [s.strip() for s in body.split("。") if s.strip()]
    if not sentences:
        raise NoticeUnreadable(f"「{name}」条目没有内容")
    for sentence in sentences:
        rest, work = _REST.match(sentence), _WORK.match(sentence)
        if rest:
            festival.holidays.extend(_rest_days(rest, name, year))
        elif work:
            for part in _OUTSIDE_NOTES_COMMA.split(work.group("days")):
                day = _WORK_DAY.match(part)
                if day is None:
                    raise NoticeUnreadable(f"「{name}」中无法识别的上班日期:{part}", details={"sentence": sentence})
                festival.workdays.append(_date(day, "a", year, None, name))
        else:
            raise NoticeUnreadable(f"「{name}」中无法识别的句子:{sentence}", details={"sentence": sentence})
    if not festival.holidays:
        raise NoticeUnreadable(f"「{name}」条目没有放假日期")
    return festival


def _rest_days(match: re.Match, name: str, year: int) -> list[date]:
    first = _date(match, "a", year, None, name)
    last = _date(match, "b", year, first, name) if match.group("bd") else first
    if last < first:
        raise NoticeUnreadable(f"「{name}」的放假区间起止颠倒:{first}至{last}")
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    stated = match.group("count") or match.group("single")
    if stated and int(stated) != len(days):
        raise NoticeUnreadable(f"「{name}」写明共{stated}天,但{first}至{last}为{len(days)}天")
    return days


def _date(match: re.Match, prefix: str, year: int, previous: date | None, name: str) -> date:
    """A date of the notice; a range's end may leave out the year and month of its start."""
    y = match.group(prefix + "y")
    m = match.group(prefix + "m")
    try:
        value = date(int(y) if y else previous.year if previous else year,
                     int(m) if m else previous.month if previous else 0, int(match.group(prefix + "d")))
    except ValueError as exc:
        raise NoticeUnreadable(f"「{name}」中的日期无效:{match.group(0)}") from exc
    if value.year not in (year - 1, year):
        raise NoticeUnreadable(f"「{name}」中的日期 {value} 不属于{year}年或上一年年底")
    note = match.group(prefix + "n") or ""
    weekday = re.search(r"(?:周|星期)([一二三四五六日天])", note)
    if weekday and _WEEKDAYS.index(weekday.group(1).replace("天", "日")) != value.weekday():
        raise NoticeUnreadable(f"「{name}」中 {value} 注明为{weekday.group(0)},与日历不符")
    return value


def _source(text: str, title: str) -> str:
    parts = [title]
    number = _DOC_NUMBER.search(text)
    if number:
        parts.append(f"({number.group(0)})")
    issued = _ISSUED.findall(text)
    if issued:
        y, m, d = issued[-1]
        parts.append(f",{date(int(y), int(m), int(d)).isoformat()}")
    return "".join(parts)


def _runs(days: list[date]) -> list[list[date]]:
    runs: list[list[date]] = []
    for day in days:
        if runs and day - runs[-1][-1] == timedelta(days=1):
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs


def _range(days: list[date]) -> date | dict:
    return days[0] if len(days) == 1 else {"from": days[0], "to": days[-1]}
