"""Each party's fines decided and paid (决定罚款, 已缴罚款), read from the steps of a case that record them.

A case's fines are its parties' decisions (docs/DOUBLE_PENALTY.md): the unit's (作出行政处罚决定 `decided_fine`, the
simple procedure's `fine_amount`, a re-made decision's `redecided_fine`) and each penalised responsible person's
(`responsible_persons`, keyed by ID number). A payment step pays each party's standing decision: the unit's
`paid_amount` and `surcharge_paid`, each person's in `person_payments`. A decision revoked on reconsideration or
litigation (登记复议、诉讼结果, its `decisions_revoked`) is not a standing decision: its fine is neither decided nor
owed, and what was paid on it is refunded (退还罚款), so it is not counted as collected either.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, select

from engine.models import Case, RecordEvent, Task

UNIT = ""  # the unit's key among a case's parties; a person's is his ID number
DECISION_FINES = {"decide_penalty": "decided_fine", "issue_decision": "fine_amount"}  # step -> its fine field
REDECISION_STEP, REDECISION_FINE = "redecide_penalty", "redecided_fine"
SERVICE_STEPS = ("serve_decision", "serve_redecision")
REMINDER_STEP = "serve_payment_reminder"
REMEDY_STEP = "record_remedy_result"
PAYMENT_STEPS = ("record_payment", "record_simple_payment", "record_late_payment", "record_redecision_payment")
STEPS = (*DECISION_FINES, REDECISION_STEP, *SERVICE_STEPS, REMINDER_STEP, REMEDY_STEP, *PAYMENT_STEPS)


@dataclass
class Decision:
    is_person: bool
    fine: float
    at: datetime
    number: str | None = None
    due: object = None  # the party's last day to pay, once served
    revoked: bool = False
    payments: list[tuple[datetime, float, float]] = field(default_factory=list)  # (recorded at, fine, surcharge)


@dataclass
class CaseFines:
    decisions: list[Decision] = field(default_factory=list)
    standing: dict[str, Decision] = field(default_factory=dict)
    reminded: dict | None = None  # the latest 催告书's form, on the standing decisions

    def decide(self, party: str, fine, at: datetime, number: str | None = None) -> None:
        self.standing.pop(party, None)
        if fine:
            decision = Decision(party != UNIT, float(fine), at, number)
            self.decisions.append(decision)
            self.standing[party] = decision

    def pay(self, party: str, at: datetime, payment: dict) -> None:
        if party in self.standing and payment.get("paid_amount") is not None:
            self.standing[party].payments.append(
                (at, float(payment["paid_amount"]), float(payment.get("surcharge_paid") or 0)))


def _computed(outputs) -> dict:
    return next((output["computed"] for output in outputs or () if "computed" in output), {})


def _number(outputs, doc_id: str = "penalty_decision") -> str | None:
    return next((output["number"] for output in outputs or () if output.get("doc_id") == doc_id), None)


def _key(person: dict) -> str:
    return (person.get("party") or {}).get("id_number") or ""


def _step(fines: CaseFines, bpmn_id: str, inputs: dict, outputs, at: datetime) -> None:
    if bpmn_id in DECISION_FINES:
        fines.standing, fines.reminded = {}, None
        fines.decide(UNIT, inputs.get(DECISION_FINES[bpmn_id]), at, _number(outputs))
        for person in inputs.get("responsible_persons") or []:
            fines.decide(_key(person), person.get("fine_amount"), at)
    elif bpmn_id == REDECISION_STEP:
        fines.reminded = None
        fines.decide(UNIT, inputs.get(REDECISION_FINE), at, _number(outputs))
    elif bpmn_id in SERVICE_STEPS:
        computed = _computed(outputs)
        if UNIT in fines.standing:
            fines.standing[UNIT].due = computed.get("payment_due")
        for party, due in (computed.get("person_payment_dues") or {}).items():
            if party in fines.standing:
                fines.standing[party].due = due
        for service in inputs.get("person_services") or []:
            if _key(service) in fines.standing:
                fines.standing[_key(service)].number = next(
                    (document.get("number") for document in service.get("served_documents") or []), None)
    elif bpmn_id == REMINDER_STEP:
        fines.reminded = inputs
    elif bpmn_id == REMEDY_STEP:
        revoked = set(_computed(outputs).get("decisions_revoked") or [])
        for party, decision in list(fines.standing.items()):
            if decision.number in revoked:
                decision.revoked = True
                del fines.standing[party]
    else:
        fines.pay(UNIT, at, inputs)
        for payment in inputs.get("person_payments") or []:
            fines.pay(_key(payment), at, payment)


def case_fines(session: Session, *where) -> dict[int, CaseFines]:
    """Per case matching `where`, its parties' decisions as its steps recorded them."""
    events = session.exec(
        select(RecordEvent.case_id, Task.bpmn_id, RecordEvent.inputs, RecordEvent.outputs, RecordEvent.at)
        .join(Task, Task.id == RecordEvent.task_id).join(Case, Case.id == RecordEvent.case_id)
        .where(RecordEvent.kind == "task_completed", Task.bpmn_id.in_(STEPS), *where)
        .order_by(RecordEvent.case_id, RecordEvent.seq))
    cases: dict[int, CaseFines] = {}
    for case_id, bpmn_id, inputs, outputs, at in events:
        _step(cases.setdefault(case_id, CaseFines()), bpmn_id, inputs or {}, outputs, at)
    return cases


def fine_totals(session: Session, agencies: list[int], within) -> dict:
    """Fines decided, collected and surcharges collected in the period (`within` holds a moment of it), every party
    counted; revoked decisions neither decided nor paid."""
    decided = collected = surcharges = 0.0
    for fines in case_fines(session, Case.agency_id.in_(agencies)).values():
        for decision in fines.decisions:
            if decision.revoked:
                continue
            decided += decision.fine if within(decision.at) else 0
            for at, paid, surcharge in decision.payments:
                if within(at):
                    collected, surcharges = collected + paid, surcharges + surcharge
    return {"fines_decided": round(decided, 2), "fines_collected": round(collected, 2),
            "fines_outstanding": round(decided - collected, 2), "surcharges_collected": round(surcharges, 2)}
