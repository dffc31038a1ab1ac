"""Deadline badges for the inbox and the case page: overdue, or due within 3 working days."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timezone

from engine import calendar, clock
from engine.errors import CalendarUnknownYear

SOON_WORKING_DAYS = 3


@dataclass(frozen=True)
class Badge:
    kind: str  # css modifier: overdue | soon
    label: str


def badge(due_on: date | None, today: date, due_at: datetime | None = None) -> Badge | None:
    if due_at is not None:
        return _hours_badge(due_at if due_at.tzinfo else due_at.replace(tzinfo=timezone.utc))
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


def _hours_badge(due_at: datetime) -> Badge:
    """A limit in clock hours (24 小时内移送、报告): overdue by the hour, else due at a stated minute."""
    now = clock.now()
    if now > due_at:
        return Badge("overdue", f"已超时 {math.ceil((now - due_at).total_seconds() / 3600)} 小时")
    return Badge("soon", f"{due_at.astimezone(calendar.SHANGHAI):%m月%d日%H:%M}前到期")
