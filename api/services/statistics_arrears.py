"""Fines owed now (欠缴罚款) and the late-payment surcharge (加处罚款) accrued on them to date, per agency.

A case's fines are owed while one of its payment steps is open (登记罚款缴纳 up to 申请人民法院强制执行 and its
result, or the payment of a re-made decision). Each party's standing decision is a debt of its own
(api/services/statistics_fines.py, docs/DOUBLE_PENALTY.md): the unit's fine from its own last day to pay (the one its
decision's service computed, else the payment step's due date), and each penalised responsible person's from his
(`person_payment_dues`); a revoked decision is owed no more. The payment steps record a payment only once every party
has paid, so every party owes until a 催告书 names who is still unpaid (`unit_paid`, `unpaid_persons`). The surcharge
is engine.surcharge.late_surcharge — the function `zhifa surcharge` and the procedure use — at today.
A snapshot like the overdue figures: the statistics period does not apply.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from api.identity.service import today
from api.services.statistics_fines import UNIT, CaseFines, case_fines
from engine.models import Agency, Case, Task
from engine.scripting import as_date
from engine.surcharge import late_surcharge
from engine.vocab import TaskStatus

PAYMENT_STEPS = ("record_payment", "record_simple_payment")  # due on the last day to pay
OWING_STEPS = (*PAYMENT_STEPS, "serve_payment_reminder", "record_late_payment", "apply_enforcement", "record_court_result",
               "record_redecision_payment")


def _parties_owing(fines: CaseFines, step_due) -> list[tuple[bool, float, object]]:
    """(is a person, fine, last day to pay) of each party of the case still owing."""
    reminded = fines.reminded
    unpaid = set(reminded.get("unpaid_persons") or []) if reminded else None
    owing = []
    for party, decision in fines.standing.items():
        if decision.payments or (reminded and (reminded.get("unit_paid") if party == UNIT else party not in unpaid)):
            continue
        owing.append((decision.is_person, decision.fine, decision.due or (None if decision.is_person else step_due)))
    return owing


def arrears(session: Session, agencies: list[int]) -> dict:
    owing = dict(session.exec(
        select(Case.id, Case.agency_id).join(Task, Task.case_id == Case.id)
        .where(Case.kind == "case", Case.agency_id.in_(agencies), Task.status == TaskStatus.ready,
               Task.bpmn_id.in_(OWING_STEPS)).distinct()).all())
    due = dict(session.exec(select(Task.case_id, sa.func.min(Task.due_on))
                            .where(Task.case_id.in_(owing), Task.bpmn_id.in_(PAYMENT_STEPS)).group_by(Task.case_id)).all())
    debts = case_fines(session, Case.id.in_(owing))
    names = dict(session.exec(select(Agency.id, Agency.name).where(Agency.id.in_(set(owing.values())))).all())
    on = today()
    rows: dict[int, dict] = {}
    for case_id, agency_id in owing.items():
        for is_person, fine, last_day in _parties_owing(debts.get(case_id) or CaseFines(), due.get(case_id)):
            row = rows.setdefault(agency_id, {"agency_id": agency_id, "name": names.get(agency_id, ""), "decisions": 0,
                                              "person_decisions": 0, "fines_unpaid": 0.0, "surcharges_owed": 0.0})
            row["decisions"] += 1
            row["person_decisions"] += is_person
            row["fines_unpaid"] += fine
            row["surcharges_owed"] += float(late_surcharge(fine, as_date(last_day), on)) if last_day else 0.0
    by_agency = [{**row, "fines_unpaid": round(row["fines_unpaid"], 2), "surcharges_owed": round(row["surcharges_owed"], 2)}
                 for _, row in sorted(rows.items())]
    return {"arrears_on": on.isoformat(),
            "fines_unpaid": round(sum(row["fines_unpaid"] for row in by_agency), 2),
            "surcharges_owed": round(sum(row["surcharges_owed"] for row in by_agency), 2),
            "arrears_by_agency": by_agency}
