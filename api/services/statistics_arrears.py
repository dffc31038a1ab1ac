"""Fines owed now (欠缴罚款) and the late-payment surcharge (加处罚款) accrued on them to date, per agency.

A case's fines are owed while one of its payment steps is open (登记罚款缴纳 up to 申请人民法院强制执行 and its
result). Each party's decision is a debt of its own (docs/DOUBLE_PENALTY.md): the unit's decided fine from its own
last day to pay (the one its decision's service computed, else the payment step's due date), and each penalised
responsible person's fine from his (`person_payment_dues`). The payment steps record a payment only once every party
has paid, so every party owes until a 催告书 names who is still unpaid (`unit_paid`, `unpaid_persons`). The surcharge
is engine.surcharge.late_surcharge — the function `zhifa surcharge` and the procedure use — at today.
A snapshot like the overdue figures: the statistics period does not apply.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from api.identity.service import today
from engine.models import Agency, Case, RecordEvent, Task
from engine.scripting import as_date
from engine.surcharge import late_surcharge
from engine.vocab import TaskStatus

PAYMENT_STEPS = ("record_payment", "record_simple_payment")  # due on the last day to pay
OWING_STEPS = (*PAYMENT_STEPS, "serve_payment_reminder", "record_late_payment", "apply_enforcement", "record_court_result")
DECISION_FINES = {"decide_penalty": "decided_fine", "issue_decision": "fine_amount"}  # step -> its fine field
SERVICE_STEP = "serve_decision"
REMINDER_STEP = "serve_payment_reminder"


def _debt() -> dict:
    return {"fine": 0, "persons": [], "unit_due": None, "dues": {}, "reminded": None}


def _debts(events) -> dict[int, dict]:
    """Per case, what its steps recorded of each party's debt (the latest step counting)."""
    debts: dict[int, dict] = {}
    for case_id, bpmn_id, inputs, outputs in events:
        debt = debts.setdefault(case_id, _debt())
        if bpmn_id in DECISION_FINES:
            debt.update(fine=inputs.get(DECISION_FINES[bpmn_id]) or 0, persons=inputs.get("responsible_persons") or [])
        elif bpmn_id == SERVICE_STEP:
            computed = next((output["computed"] for output in outputs if "computed" in output), {})
            debt.update(unit_due=computed.get("payment_due"), dues=computed.get("person_payment_dues") or {})
        else:
            debt["reminded"] = inputs
    return debts


def _parties_owing(debt: dict, step_due) -> list[tuple[bool, object, object]]:
    """(is a person, fine, last day to pay) of each party of the case still owing."""
    reminded = debt["reminded"]
    unpaid = set(reminded.get("unpaid_persons") or []) if reminded else None
    owing = [(False, debt["fine"], debt["unit_due"] or step_due)] if debt["fine"] and not (reminded or {}).get("unit_paid") else []
    for person in debt["persons"]:
        key = (person.get("party") or {}).get("id_number")
        if person.get("fine_amount") and (unpaid is None or key in unpaid):
            owing.append((True, person["fine_amount"], debt["dues"].get(key)))
    return owing


def arrears(session: Session, agencies: list[int]) -> dict:
    owing = dict(session.exec(
        select(Case.id, Case.agency_id).join(Task, Task.case_id == Case.id)
        .where(Case.kind == "case", Case.agency_id.in_(agencies), Task.status == TaskStatus.ready,
               Task.bpmn_id.in_(OWING_STEPS)).distinct()).all())
    due = dict(session.exec(select(Task.case_id, sa.func.min(Task.due_on))
                            .where(Task.case_id.in_(owing), Task.bpmn_id.in_(PAYMENT_STEPS)).group_by(Task.case_id)).all())
    debts = _debts(session.exec(
        select(RecordEvent.case_id, Task.bpmn_id, RecordEvent.inputs, RecordEvent.outputs)
        .join(Task, Task.id == RecordEvent.task_id)
        .where(RecordEvent.kind == "task_completed", RecordEvent.case_id.in_(owing),
               Task.bpmn_id.in_((*DECISION_FINES, SERVICE_STEP, REMINDER_STEP))).order_by(RecordEvent.case_id, RecordEvent.seq)))
    names = dict(session.exec(select(Agency.id, Agency.name).where(Agency.id.in_(set(owing.values())))).all())
    on = today()
    rows: dict[int, dict] = {}
    for case_id, agency_id in owing.items():
        for is_person, fine, last_day in _parties_owing(debts.get(case_id) or _debt(), due.get(case_id)):
            row = rows.setdefault(agency_id, {"agency_id": agency_id, "name": names.get(agency_id, ""), "decisions": 0,
                                              "person_decisions": 0, "fines_unpaid": 0.0, "surcharges_owed": 0.0})
            row["decisions"] += 1
            row["person_decisions"] += is_person
            row["fines_unpaid"] += float(fine)
            row["surcharges_owed"] += float(late_surcharge(fine, as_date(last_day), on)) if last_day else 0.0
    by_agency = [{**row, "fines_unpaid": round(row["fines_unpaid"], 2), "surcharges_owed": round(row["surcharges_owed"], 2)}
                 for _, row in sorted(rows.items())]
    return {"arrears_on": on.isoformat(),
            "fines_unpaid": round(sum(row["fines_unpaid"] for row in by_agency), 2),
            "surcharges_owed": round(sum(row["surcharges_owed"] for row in by_agency), 2),
            "arrears_by_agency": by_agency}
