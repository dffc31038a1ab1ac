"""Issue 14: a criminal referral (E6's opening, DOMAIN.md §6.2) counts in the enforcement statistics as one
transfer to the police, and the police's decision as its outcome — the figures equal the record events' own count."""

from __future__ import annotations

from sqlmodel import select

from api.identity.models import User
from api.services import enforcement_statistics
from engine.db import read_session
from engine.models import RecordEvent, Task
from engine.vocab import Role
from tests.procedure import steps
from tests.procedure.test_e6_referral import referred


def test_a_referral_and_the_police_decision_are_counted(county_case, agencies):
    case = referred(county_case)
    case.complete("成立专案组并制作移送报告", steps.referral_team("2026-04-13"))
    case.complete("审批是否移送公安机关", steps.referral_approval("2026-04-15"), on="2026-04-15")
    case.complete("移送公安机关并抄送检察院", steps.referral_transfer(steps.at("2026-04-16", 9), "2026-04-16"),
                  on="2026-04-16")
    case.complete("登记公安机关是否立案", steps.police_decision("2026-04-18", "2026-04-20", filed=True), on="2026-04-20")
    head = User(id=10_000, username="stats-head", display_name="统计", agency_id=agencies.county.id,
                roles=[str(Role.agency_head)], password_hash="")  # in memory: the service reads only its agency and roles

    figures = enforcement_statistics.statistics(case.runtime.engine, head, None, None, None)

    with read_session(case.runtime.engine) as session:
        bpmn = dict(session.exec(select(Task.id, Task.bpmn_id)).all())
        events = [e for e in session.exec(select(RecordEvent)) if e.kind == "task_completed"]
    transfers = sum(1 for e in events if bpmn.get(e.task_id) == "transfer_to_police")
    decisions = [e.inputs["police_decision"] for e in events if bpmn.get(e.task_id) == "record_police_decision"]
    assert (figures["referrals"], transfers) == (1, 1)
    assert figures["referral_outcomes"] == [{"outcome": "filed", "label": "公安机关立案", "cases": 1}] and decisions == ["filed"]
    assert (figures["by_status"][0]["status"], figures["cases"]) == (case.case.status, 1)
