"""Enforcement statistics (执法统计) for the county and per unit, over a period: every figure a database aggregate.

Case counts are of enforcement cases only (kind "case"): hazard reports and annual plans run as cases of their own
kinds and are not counted. The period selects cases by the day they started, steps and tasks by the day they were completed (Asia/Shanghai);
overdue tasks and cases, and fines owed with their surcharge, are those open now. Fines are read from the decision data as each step recorded it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from api import authz
from api.identity.models import User
from api.identity.service import today
from api.services import statistics_outcomes as outcomes
from api.services.statistics_arrears import arrears
from api.services.statistics_fines import fine_totals
from engine.calendar import SHANGHAI
from engine.db import read_session
from engine.errors import Forbidden
from engine.models import Agency, Case, RecordEvent, Task
from engine.vocab import CaseStatus, TaskStatus

HEARING_STEP = "hold_hearing"
LEGAL_REVIEW_STEP = "legal_review"


@dataclass(frozen=True)
class Period:
    start: date | None
    end: date | None

    def where(self, column) -> list:
        bounds = []
        if self.start:
            bounds.append(column >= datetime.combine(self.start, time(0), tzinfo=SHANGHAI))
        if self.end:
            bounds.append(column < datetime.combine(self.end + timedelta(days=1), time(0), tzinfo=SHANGHAI))
        return bounds

    def holds(self, moment: datetime) -> bool:
        day = moment.astimezone(SHANGHAI).date()
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


def _counts(session: Session, column, where: list) -> dict:
    rows = session.exec(select(column, sa.func.count()).select_from(Case).where(*where).group_by(column)).all()
    return {key: count for key, count in rows}


def _step_events(agencies: list[int], period: Period, *where) -> list:
    """Record events of completed steps in the period, of cases in `agencies`."""
    return [RecordEvent.kind == "task_completed", RecordEvent.case_id == Case.id, Case.agency_id.in_(agencies),
            *period.where(RecordEvent.at), *where]


def _step_count(session: Session, bpmn_id: str, where: list) -> int:
    return session.exec(select(sa.func.count()).select_from(RecordEvent).join(Task, Task.id == RecordEvent.task_id)
                        .join(Case, Case.id == RecordEvent.case_id).where(*where, Task.bpmn_id == bpmn_id)).one()


def agency_scope(session: Session, user: User, agency_id: int | None) -> list[int]:
    """Whose figures the user may read: their jurisdiction (the county bureau: itself, its townships and the
    park), or one unit of it."""
    authz.require_case_user(user)
    scope = authz.jurisdiction_ids(session, authz.agency_of(session, user))
    if agency_id is None:
        return scope
    if agency_id not in scope:
        raise Forbidden("无权查看其他单位的执法统计", details={"agency_id": agency_id})
    return [agency_id]


def statistics(engine: sa.Engine, user: User, start: date | None, end: date | None, agency_id: int | None) -> dict:
    period = Period(start, end)
    with read_session(engine) as session:
        agencies = agency_scope(session, user, agency_id)
        cases = [Case.kind == "case", Case.agency_id.in_(agencies), *period.where(Case.started_at)]
        by_status = _counts(session, Case.status, cases)
        names = dict(session.exec(select(Agency.id, Agency.name).where(Agency.id.in_(agencies))).all())
        overdue = [Task.case_id == Case.id, Case.agency_id.in_(agencies), Task.status == TaskStatus.ready,
                   Task.due_on < today()]
        overdue_tasks, overdue_cases = session.exec(
            select(sa.func.count(Task.id), sa.func.count(sa.distinct(Task.case_id))).select_from(Task).join(Case, Case.id == Task.case_id)
            .where(*overdue)).one()
        steps = _step_events(agencies, period)
        workload = session.exec(
            select(Task.completed_by, User.display_name, sa.func.count(Task.id)).join(Case, Case.id == Task.case_id)
            .join(User, User.id == Task.completed_by)
            .where(Task.status == TaskStatus.completed, Case.agency_id.in_(agencies), *period.where(Task.completed_at))
            .group_by(Task.completed_by, User.display_name).order_by(sa.func.count(Task.id).desc(), Task.completed_by)).all()
        return {
            "from": start.isoformat() if start else None, "to": end.isoformat() if end else None,
            "agency_ids": agencies,
            "cases": sum(by_status.values()),
            "inspections": session.exec(select(sa.func.count()).select_from(Case).where(
                Case.kind == "inspection", Case.agency_id.in_(agencies), *period.where(Case.started_at))).one(),
            "by_status": [{"status": status, "label": CaseStatus(status).label, "cases": count}
                          for status, count in sorted(by_status.items())],
            "by_procedure": [{"process_id": process, "cases": count}
                             for process, count in sorted(_counts(session, Case.process_id, cases).items())],
            "by_agency": [{"agency_id": agency, "name": names.get(agency, ""), "cases": count}
                          for agency, count in sorted(_counts(session, Case.agency_id, cases).items())],
            "overdue_tasks": overdue_tasks, "overdue_cases": overdue_cases,
            **fine_totals(session, agencies, period.holds),
            **arrears(session, agencies),
            **outcomes.referrals(session, steps),
            **outcomes.remedies(session, agencies, period, steps),
            "hearings_held": _step_count(session, HEARING_STEP, steps),
            "legal_reviews": _step_count(session, LEGAL_REVIEW_STEP, steps),
            "officer_workload": [{"user_id": uid, "name": name, "tasks_completed": count} for uid, name, count in workload],
            "officer_timeliness": outcomes.timeliness(session, agencies, period),
            "review_grades": outcomes.review_grades(session, agencies, period),
        }
