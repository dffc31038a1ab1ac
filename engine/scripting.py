"""The restricted environment in which BPMN scripts, conditions, timers and DMN expressions run.

Only task data, a few harmless builtins and the date helpers below are visible;
no imports, no file or network access. The helpers that read the rules (profile values,
statutory ranges) are added by `engine.rules.environment`, which processes use.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment

from engine import calendar, clock, provisional
from engine.surcharge import late_surcharge

_SAFE_BUILTINS = {
    name: __builtins__[name] if isinstance(__builtins__, dict) else getattr(__builtins__, name)
    for name in (
        "abs", "all", "any", "bool", "dict", "enumerate", "float", "int", "isinstance", "len", "list",
        "max", "min", "range", "round", "set", "sorted", "str", "sum", "tuple", "zip",
    )
}


def as_date(value: str | date) -> date:
    """The Shanghai calendar date of a date, a datetime or their ISO text (`in_hours` gives UTC instants)."""
    if isinstance(value, str) and len(value) > 10:
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        return value.astimezone(calendar.SHANGHAI).date() if value.tzinfo else value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def today() -> str:
    return clock.now().astimezone(calendar.SHANGHAI).date().isoformat()


def now_iso() -> str:
    return clock.now().isoformat()


def deadline(start: str | date, days: int, working: bool = False) -> str:
    arguments = (as_date(start), int(days), bool(working))
    with calendar.holiday_basis() as basis:
        end = calendar.deadline(arguments[0], arguments[1], working=arguments[2]).isoformat()
    provisional.note("deadline", arguments, end, basis)
    return end


def day_end(value: str | date) -> str:
    return calendar.day_end(as_date(value)).isoformat()


def in_hours(hours: int) -> str:
    return (clock.now() + timedelta(hours=int(hours))).isoformat()


def latest_date(items: list[dict], key: str) -> str:
    return max(as_date(item[key]) for item in items).isoformat()


def months_later(start: str | date, months: int) -> str:
    """The same day `months` later (end-of-month clamp), rolled to a working day: e.g. the 6-month litigation window."""
    arguments = (as_date(start), int(months))
    with calendar.holiday_basis() as basis:
        end = calendar.deadline(calendar.add_months(*arguments), 0).isoformat()
    provisional.note("months_later", arguments, end, basis)
    return end


def surcharge_owed(fine, due: str | date, on: str | date) -> float:
    """加处罚款 owed on `on` for a fine whose last day to pay was `due` (engine.surcharge, as `zhifa surcharge`)."""
    return float(late_surcharge(fine, as_date(due), as_date(on)))


def instant(value: str | datetime) -> datetime:
    """An ISO date-time as an aware instant (a time without offset is Asia/Shanghai; a date is its 24:00)."""
    if isinstance(value, str) and len(value) <= 10:
        return calendar.day_end(as_date(value))
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=calendar.SHANGHAI)


def hours_after(start: str | datetime, hours: int) -> str:
    """The instant `hours` clock hours after `start` (e.g. 24 小时内报告), as ISO text."""
    return calendar.add_hours(instant(start), int(hours)).isoformat()


def is_after(moment: str | datetime, limit: str | datetime) -> bool:
    """Whether `moment` is later than the instant `limit` (e.g. a transfer after its 24-hour limit)."""
    return instant(moment) > instant(limit)


HELPERS = {
    "today": today,
    "now_iso": now_iso,
    "deadline": deadline,
    "day_end": day_end,
    "in_hours": in_hours,
    "latest_date": latest_date,
    "months_later": months_later,
    "surcharge_owed": surcharge_owed,
    "is_after": is_after,
    "hours_after": hours_after,
}


def script_engine(helpers: dict = HELPERS) -> PythonScriptEngine:
    """A script engine whose scripts see task data, the safe builtins and `helpers`."""
    env = TaskDataEnvironment({"__builtins__": _SAFE_BUILTINS, **helpers})
    return PythonScriptEngine(environment=env)


class _Fields(dict):
    """Task data where an optional field left out of a form reads as None."""

    def __init__(self, data: dict, helpers: dict):
        super().__init__(data)
        self.helpers = helpers

    def __missing__(self, key):
        return self.helpers.get(key, _SAFE_BUILTINS.get(key))


def evaluate(expression: str, data: dict, helpers: dict = HELPERS):
    """Evaluate a model expression (a task's `dueExpression` or `validation`) against task data."""
    return eval(expression, {"__builtins__": _SAFE_BUILTINS, **helpers}, _Fields(data, helpers))  # noqa: S307
