"""Rows to response bodies."""

from __future__ import annotations

from datetime import timezone

from api import schemas
from api.identity.models import StaffCategory, User
from api.identity.service import today
from engine import clock
from engine.models import Agency, Case, RecordEvent, Task
from engine.runtime import CaseView
from engine.vocab import EVENT_KIND_LABELS, LANE_LABELS, CaseStatus, Lane


def case_out(case: Case) -> schemas.CaseOut:
    return schemas.CaseOut(
        id=case.id, number=case.number, kind=case.kind, process_id=case.process_id, agency_id=case.agency_id,
        status=case.status, status_label=CaseStatus(case.status).label, title=case.title, party_name=case.party_name,
        parent_case_id=case.parent_case_id, completed=case.completed, outcome=case.outcome,
        started_at=case.started_at, updated_at=case.updated_at, next_due=case.next_due,
        next_due_provisional=case.next_due_provisional,
    )


def case_link(case: Case) -> schemas.CaseLink:
    return schemas.CaseLink(id=case.id, number=case.number, kind=case.kind, status=case.status,
                            status_label=CaseStatus(case.status).label)


def task_out(task: Task, case: Case | None = None, *, escalation: bool = False) -> schemas.TaskOut:
    """`task` and `case` may be rows with the same attributes (the inbox reads plain rows, not entities)."""
    return schemas.TaskOut(
        id=task.id, case_id=task.case_id, bpmn_id=task.bpmn_id, name=task.name, role=task.role,
        role_label=LANE_LABELS[Lane(task.role)], agency_id=task.agency_id, status=task.status, due_on=task.due_on,
        due_provisional=task.due_provisional, due_at=task.due_at, overdue=_overdue(task), escalation=escalation,
        created_at=task.created_at,
        case_number=case.number if case else None, case_title=case.title if case else None,
        party_name=case.party_name if case else None,
    )


def _overdue(task: Task) -> bool:
    """Past its due instant (a limit in hours), else past its due date."""
    if task.due_at is not None:
        return clock.now() > _aware(task.due_at)
    return task.due_on is not None and task.due_on < today()


def _aware(moment):
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def step_out(view: CaseView) -> schemas.CaseStepOut:
    return schemas.CaseStepOut(case=case_out(view.case), tasks=[task_out(t, view.case) for t in view.tasks])


def event_out(event: RecordEvent) -> schemas.RecordEventOut:
    return schemas.RecordEventOut.model_validate(
        {**event.model_dump(), "kind_label": EVENT_KIND_LABELS.get(event.kind, event.kind)})


def agency_out(agency: Agency) -> schemas.AgencyOut:
    return schemas.AgencyOut.model_validate(agency, from_attributes=True)


def user_out(user: User) -> schemas.UserOut:
    return schemas.UserOut(
        id=user.id, username=user.username, display_name=user.display_name, agency_id=user.agency_id,
        roles=list(user.roles), staff_category=user.staff_category, staff_category_label=StaffCategory(user.staff_category).label,
        certificate_number=user.certificate_number, certificate_expires=user.certificate_expires,
        certificate_valid=user.certificate_valid_on(today()), active=user.active, grid=user.grid,
        department=user.department,
    )
