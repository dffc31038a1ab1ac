"""The outcome figures of the enforcement statistics (执法统计): referrals and the police's decisions, surcharges,
review grades (案卷评查), and each officer's timeliness (效能评估). Each one a database aggregate over the same
agencies and period as api/services/enforcement_statistics.py.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from api.casefile_review.models import ReviewSample, ReviewScore
from api.identity.models import User
from engine.calendar import SHANGHAI
from engine.models import Case, RecordEvent, Task
from engine.vocab import TaskStatus

REFERRAL_STEP = "transfer_to_police"
POLICE_DECISION_STEP = "record_police_decision"
POLICE_DECISIONS = {"filed": "公安机关立案", "not_filed": "公安机关不予立案"}


def referrals(session: Session, steps: list) -> dict:
    """Cases transferred to the police (移送公安) in the period, and the police's decisions recorded in it."""
    def step_events(bpmn_id: str):
        return (select(RecordEvent).select_from(RecordEvent).join(Task, Task.id == RecordEvent.task_id)
                .join(Case, Case.id == RecordEvent.case_id).where(*steps, Task.bpmn_id == bpmn_id))
    transferred = session.exec(select(sa.func.count()).select_from(step_events(REFERRAL_STEP).subquery())).one()
    decision = RecordEvent.inputs["police_decision"].as_string()
    rows = session.exec(select(decision, sa.func.count()).select_from(RecordEvent).join(Task, Task.id == RecordEvent.task_id)
                        .join(Case, Case.id == RecordEvent.case_id)
                        .where(*steps, Task.bpmn_id == POLICE_DECISION_STEP).group_by(decision)).all()
    return {"referrals": transferred,
            "referral_outcomes": [{"outcome": key, "label": POLICE_DECISIONS.get(key, "未记录"), "cases": count}
                                  for key, count in sorted(rows, key=lambda row: row[0] or "")]}


def review_grades(session: Session, agencies: list[int], period) -> list[dict]:
    """Scored review files of the agencies' cases, by grade, scored in the period."""
    rows = session.exec(select(ReviewScore.grade, sa.func.count()).join(ReviewSample, ReviewSample.id == ReviewScore.sample_id)
                        .where(ReviewSample.unit_id.in_(agencies), *period.where(ReviewScore.scored_at))
                        .group_by(ReviewScore.grade).order_by(ReviewScore.grade)).all()
    return [{"grade": grade, "files": count} for grade, count in rows]


def timeliness(session: Session, agencies: list[int], period) -> list[dict]:
    """Per officer: steps with a deadline completed in the period, and how many of them on or before their last
    day (Asia/Shanghai)."""
    rows = session.exec(select(Task.completed_by, User.display_name, Task.due_on, Task.completed_at)
                        .join(Case, Case.id == Task.case_id).join(User, User.id == Task.completed_by)
                        .where(Task.status == TaskStatus.completed, Task.due_on.is_not(None), Case.agency_id.in_(agencies),
                               *period.where(Task.completed_at))).all()
    officers: dict[int, dict] = {}
    for uid, name, due_on, completed_at in rows:
        entry = officers.setdefault(uid, {"user_id": uid, "name": name, "with_deadline": 0, "on_time": 0})
        entry["with_deadline"] += 1
        moment = completed_at if completed_at.tzinfo else completed_at.replace(tzinfo=SHANGHAI)
        entry["on_time"] += moment.astimezone(SHANGHAI).date() <= due_on
    for entry in officers.values():
        entry["on_time_rate"] = round(entry["on_time"] / entry["with_deadline"], 4)
    return sorted(officers.values(), key=lambda entry: (-entry["with_deadline"], entry["user_id"]))


REMEDY_RESULT_STEP = "record_remedy_result"
REMEDY_KINDS = {"reconsideration": "行政复议", "litigation": "行政诉讼"}
REMEDY_OUTCOMES = {"upheld": "维持", "changed": "变更", "revoked": "撤销", "settled": "调解、和解或者撤回"}


def remedies(session: Session, agencies: list[int], period, steps: list) -> dict:
    """Reconsiderations and lawsuits recorded in the period (the `remedy_filed` case event), and their results."""
    kind = RecordEvent.inputs[("data", "kind")].as_string()
    filed = session.exec(select(kind, sa.func.count()).select_from(RecordEvent).join(Case, Case.id == RecordEvent.case_id)
                         .where(RecordEvent.kind == "case_event", RecordEvent.inputs["message"].as_string() == "remedy_filed",
                                Case.agency_id.in_(agencies), *period.where(RecordEvent.at)).group_by(kind)).all()
    outcome = RecordEvent.inputs["outcome"].as_string()
    results = session.exec(select(outcome, sa.func.count()).select_from(RecordEvent).join(Task, Task.id == RecordEvent.task_id)
                           .join(Case, Case.id == RecordEvent.case_id)
                           .where(*steps, Task.bpmn_id == REMEDY_RESULT_STEP).group_by(outcome)).all()
    return {"remedies_filed": [{"kind": key, "label": REMEDY_KINDS.get(key, "未记录"), "cases": count}
                               for key, count in sorted(filed, key=lambda row: row[0] or "")],
            "remedy_results": [{"outcome": key, "label": REMEDY_OUTCOMES.get(key, "未记录"), "cases": count}
                               for key, count in sorted(results, key=lambda row: row[0] or "")]}
