"""Case numbers (案号 / 检查编号) by a configurable pattern, gapless per agency, kind and year."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from engine.calendar import SHANGHAI
from engine.models import Agency, Case
from engine.sequences import next_value
from engine.settings import get_settings


def format_case_number(kind: str, short_name: str, year: int, seq: int) -> str:
    return get_settings().case_number_patterns[kind].format(short=short_name, year=year, seq=seq)


def assign_case_number(session: Session, case: Case, agency: Agency, at: datetime) -> str:
    year = at.astimezone(SHANGHAI).year
    seq = next_value(session, f"case:{agency.code}:{case.kind}:{year}")
    return format_case_number(case.kind, agency.short_name, year, seq)
