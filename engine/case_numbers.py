"""Case numbers (案号 / 检查编号) by a configurable pattern, gapless per agency, kind and year.

An inspection, a simple-procedure case or a compulsory measure is numbered when it starts. A case of
a process with a task marked `assignsCaseNumber` (general procedure: 审批立案) starts without a number
(it is known by its id) and gets its 案号 only when that task approves the filing (立案).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from engine import clock
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


def number_on_filing(session: Session, case: Case, agency: Agency, approval_field: str | None, merged: dict) -> dict:
    """Number the case when this step (marked `assignsCaseNumber` = `approval_field`) approves filing;
    the new number goes into the step's data (`merged`, and the returned updates) for its documents."""
    if not approval_field or case.number is not None or merged.get(approval_field) is not True:
        return {}
    case.number = assign_case_number(session, case, agency, clock.now())
    merged["case_number"] = case.number
    return {"case_number": case.number}
