"""Jinja2 templates with the Chinese formats officers read: dates as 2026年3月2日, times in Beijing time."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from fastapi import Request
from fastapi.templating import Jinja2Templates

from api.web.session import CSRF_FIELD, csrf_token
from engine.calendar import SHANGHAI
from engine.vocab import CaseStatus

TEMPLATES_DIR = Path(__file__).parent / "templates"


def cn_date(value: date | datetime | str | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = value.astimezone(SHANGHAI) if value.tzinfo else value
    return f"{value.year}年{value.month}月{value.day}日"


def cn_datetime(value: datetime | str | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    local = value.astimezone(SHANGHAI) if value.tzinfo else value
    return f"{cn_date(local)} {local:%H:%M}"


def status_label(value: str) -> str:
    try:
        return CaseStatus(value).label
    except ValueError:
        return value


def _context(request: Request) -> dict:
    return {"csrf_token": csrf_token(request), "csrf_field": CSRF_FIELD, "user": getattr(request.state, "user", None)}


templates = Jinja2Templates(directory=TEMPLATES_DIR, context_processors=[_context])
templates.env.filters.update(cn_date=cn_date, cn_datetime=cn_datetime, status_label=status_label)


def render(request: Request, name: str, status_code: int = 200, **context):
    return templates.TemplateResponse(request, name, context, status_code=status_code)
