"""Case numbers (案号 / 检查编号) by a configurable pattern, gapless per agency, kind and year."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from engine.calendar import SHANGHAI
from engine.models import Agency, Case
from engine.sequences import next_value
from engine.settings import get_settings


def assign_case_number(session: Session, case: Case, agency: Agency, at: datetime) -> str:
    pattern = get_settings().case_number_patterns[case.kind]
    year = at.astimezone(SHANGHAI).year
    seq = next_value(session, f"case:{agency.code}:{case.kind}:{year}")
    return pattern.format(short=agency.short_name, year=year, seq=seq)
