"""Fines owed now (欠缴罚款) and the late-payment surcharge (加处罚款) accrued on them to date, per agency.

A decision's fine is owed while one of its payment steps is open (登记罚款缴纳 up to 申请人民法院强制执行 and its
result). The last day to pay is the due date of the case's first payment step; the amount is the decided fine. The
surcharge is engine.surcharge.late_surcharge — the function `zhifa surcharge` and the procedure use — at today.
A snapshot like the overdue figures: the statistics period does not apply.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from api.identity.service import today
from engine.models import Agency, Case, RecordEvent, Task
from engine.surcharge import late_surcharge
from engine.vocab import TaskStatus

PAYMENT_STEPS = ("record_payment", "record_simple_payment")  # due on the last day to pay
OWING_STEPS = (*PAYMENT_STEPS, "serve_payment_reminder", "record_late_payment", "apply_enforcement", "record_court_result")
DECISION_FINES = {"decide_penalty": "decided_fine", "issue_decision": "fine_amount"}  # step -> its fine field


def arrears(session: Session, agencies: list[int]) -> dict:
    owing = dict(session.exec(
        select(Case.id, Case.agency_id).join(Task, Task.case_id == Case.id)
        .where(Case.kind == "case", Case.agency_id.in_(agencies), Task.status == TaskStatus.ready,
               Task.bpmn_id.in_(OWING_STEPS)).distinct()).all())
    due = dict(session.exec(select(Task.case_id, sa.func.min(Task.due_on))
                            .where(Task.case_id.in_(owing), Task.bpmn_id.in_(PAYMENT_STEPS)).group_by(Task.case_id)).all())
    fines: dict[int, object] = {}
    decisions = session.exec(select(RecordEvent.case_id, Task.bpmn_id, RecordEvent.inputs)
                             .join(Task, Task.id == RecordEvent.task_id)
                             .where(RecordEvent.kind == "task_completed", RecordEvent.case_id.in_(owing),
                                    Task.bpmn_id.in_(DECISION_FINES)).order_by(RecordEvent.case_id, RecordEvent.seq))
    for case_id, bpmn_id, inputs in decisions:
        fines[case_id] = inputs.get(DECISION_FINES[bpmn_id]) or 0  # the latest decision counts
    names = dict(session.exec(select(Agency.id, Agency.name).where(Agency.id.in_(set(owing.values())))).all())
    on = today()
    rows: dict[int, dict] = {}
    for case_id, agency_id in owing.items():
        fine = fines.get(case_id, 0)
        if not fine:
            continue
        row = rows.setdefault(agency_id, {"agency_id": agency_id, "name": names.get(agency_id, ""), "decisions": 0,
                                          "fines_unpaid": 0.0, "surcharges_owed": 0.0})
        row["decisions"] += 1
        row["fines_unpaid"] += float(fine)
        row["surcharges_owed"] += float(late_surcharge(fine, due[case_id], on)) if due.get(case_id) else 0.0
    by_agency = [{**row, "fines_unpaid": round(row["fines_unpaid"], 2), "surcharges_owed": round(row["surcharges_owed"], 2)}
                 for _, row in sorted(rows.items())]
    return {"arrears_on": on.isoformat(),
            "fines_unpaid": round(sum(row["fines_unpaid"] for row in by_agency), 2),
            "surcharges_owed": round(sum(row["surcharges_owed"] for row in by_agency), 2),
            "arrears_by_agency": by_agency}
