"""Deadline badges for the inbox and the case page: overdue, or due within 3 working days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from engine import calendar
from engine.errors import CalendarUnknownYear

SOON_WORKING_DAYS = 3


@dataclass(frozen=True)
class Badge:
    kind: str  # css modifier: overdue | soon
    label: str


def badge(due_on: date | None, today: date) -> Badge | None:
    if due_on is None:
        return None
    if due_on < today:
        return Badge("overdue", f"已超期 {(today - due_on).days} 天")
    try:
        soon = due_on <= calendar.deadline(today, SOON_WORKING_DAYS, working=True)
    except CalendarUnknownYear:  # holidays of that year not yet published: count calendar days
        soon = (due_on - today).days <= SOON_WORKING_DAYS
    if soon:
        return Badge("soon", "今日到期" if due_on == today else f"{SOON_WORKING_DAYS}个工作日内到期")
    return None
