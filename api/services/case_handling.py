"""Starting, listing and reading cases; attaching officers and reviewers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from api import authz, schemas
from api.identity.models import MemberPurpose, User
from api.identity.service import actor_for, add_case_member, case_members, get_user, today
from api.services.presenters import case_link, case_out, event_out, task_out
from documents.evidence.custody import list_evidence
from documents.models import IssuedDocument
from engine import forms, record
from engine.calendar import SHANGHAI
from engine.db import read_session, transaction
from engine.errors import NotFound, ValidationFailed
from engine.models import Case, Task
from engine.runtime import CaseView, Runtime
from engine.specs import LoadedProcess
from engine.vocab import Role, TaskStatus


@dataclass(frozen=True)
class CaseFilters:
    status: str | None = None
    agency_id: int | None = None
    overdue: bool | None = None
    started_from: date | None = None
    started_to: date | None = None
    party: str | None = None
    process: str | None = None
    search: str | None = None  # part of the case number or of the party's name
    page: int = 1
    page_size: int = 20


# Where a general-procedure case opened directly (not from an inspection) comes from.
DIRECT_SOURCES = {"report": "举报", "assignment": "上级交办"}


def startable_process(runtime: Runtime, process_id: str) -> LoadedProcess:
    """A current process a user may start: one with a start schema (docs/MODELING.md)."""
    if process_id not in runtime.specs.current:
        raise NotFound(f"流程 {process_id} 不存在", details={"process": process_id})
    process = runtime.specs.current[process_id]
    if process.start_form is None:
        raise ValidationFailed(f"流程「{process.name}」不能直接发起, 只能由其他流程转入", code="process_not_startable",
                               details={"process": process_id})
    return process


def start_case(runtime: Runtime, user: User, body: schemas.CaseStartIn, *, alongside=None) -> CaseView:
    """Start a case; its data (the party included) must satisfy the process's start schema, which also names its kind."""
    process = startable_process(runtime, body.process)
    start_schema = process.start_schema()
    agency_id = body.agency_id or user.agency_id
    with read_session(runtime.engine) as session:
        role = authz.start_role(session, user, agency_id, body.parent_case_id, start_schema.get("x-started-by", ()))
    if body.process == "general_procedure" and body.parent_case_id is None:
        _check_direct_source(body.data)
    data = {**body.data, "party": body.party.model_dump(exclude_none=True)}
    forms.validate(process.form_validator(process.start_form), data)
    return runtime.start_case(body.process, agency_id=agency_id, actor=actor_for(user, role), data=data,
                              kind=start_schema["x-case-kind"], title=body.title, party_name=body.party.name,
                              parent_case_id=body.parent_case_id, alongside=alongside)


def _check_direct_source(data: dict) -> None:
    """A case not found by an inspection is opened on a report (举报) or an assignment from a higher level."""
    kind = data.get("case_source_kind")
    if kind not in DIRECT_SOURCES:
        raise ValidationFailed("直接受理的案件应写明案件来源: 举报(report)或上级交办(assignment)", code="case_source_required",
                               details={"field": "case_source_kind", "allowed": sorted(DIRECT_SOURCES)})
    ref = data.get("case_source_ref")
    if not isinstance(ref, str) or not ref.strip() or len(ref) > 100:
        what = "举报登记编号" if kind == "report" else "交办文件文号"
        raise ValidationFailed(f"案件来源为{DIRECT_SOURCES[kind]}的, 应写明{what}(不超过100字)", code="case_source_required",
                               details={"field": "case_source_ref"})


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=SHANGHAI)


def _overdue_cases(session: Session, scope: sa.ColumnElement[bool]) -> list[int]:
    """The ids of the user's cases with a ready task past its deadline, read before the list: as a subquery beside
    the list's order (newest first), PostgreSQL walked all cases newest first looking for the few overdue ones."""
    overdue = select(Task.case_id).where(Task.status == TaskStatus.ready, Task.due_on < today())
    return list(session.exec(select(Case.id).where(scope, Case.id.in_(overdue))))


def list_cases(engine: sa.Engine, user: User, filters: CaseFilters) -> schemas.CasePage:
    authz.require_case_user(user)
    with read_session(engine) as session:
        scope = authz.case_scope(session, user)
        query = select(Case).where(scope)
        if filters.status:
            query = query.where(Case.status == filters.status)
        if filters.agency_id:
            query = query.where(Case.agency_id == filters.agency_id)
        if filters.party:
            query = query.where(Case.party_name.contains(filters.party, autoescape=True))
        if filters.process:
            query = query.where(Case.process_id == filters.process)
        if filters.search:
            query = query.where(sa.or_(Case.number.contains(filters.search, autoescape=True),
                                       Case.party_name.contains(filters.search, autoescape=True)))
        if filters.started_from:
            query = query.where(Case.started_at >= _day_start(filters.started_from))
        if filters.started_to:
            query = query.where(Case.started_at < _day_start(filters.started_to + timedelta(days=1)))
        if filters.overdue is not None:
            overdue = _overdue_cases(session, scope)
            query = query.where(Case.id.in_(overdue) if filters.overdue else Case.id.not_in(overdue))
        total = session.exec(select(sa.func.count()).select_from(query.subquery())).one()
        page = session.exec(query.order_by(Case.updated_at.desc(), Case.id.desc())
                            .offset((filters.page - 1) * filters.page_size).limit(filters.page_size)).all()
        result = schemas.CasePage(items=[case_out(c) for c in page], total=total, page=filters.page,
                                  page_size=filters.page_size)
    authz.record_review_reads(engine, user, [item.id for item in result.items], view="案件列表")
    return result


def case_detail(runtime: Runtime, user: User, case_id: int) -> schemas.CaseDetail:
    authz.read_case(runtime.engine, user, case_id)
    with read_session(runtime.engine) as session:  # the case as of the same snapshot as its tasks and record
        case = session.get(Case, case_id)
        tasks = session.exec(select(Task).where(Task.case_id == case_id, Task.status == TaskStatus.ready)
                             .order_by(Task.created_at)).all()
        # Both ends of a report show the link (number and status) even where the other case is not
        # the caller's to open: a township sees what became of its report, not the county's file.
        linked = session.exec(select(Case).where(sa.or_(Case.parent_case_id == case_id, Case.id == case.parent_case_id))
                              .order_by(Case.id)).all()
        parent = next((c for c in linked if c.id == case.parent_case_id), None)
        children = [c for c in linked if c.id != case.parent_case_id]
        members = [schemas.MemberOut(user_id=u.id, display_name=u.display_name, agency_id=u.agency_id,
                                     purpose=m.purpose, added_at=m.added_at) for m, u in case_members(session, case_id)]
        return schemas.CaseDetail(
            case=case_out(case), tasks=[task_out(t, case) for t in tasks],
            timeline=[event_out(e) for e in record.events(session, case_id)],
            parent=case_link(parent) if parent else None, children=[case_link(c) for c in children],
            members=members, documents=_documents(session, case_id), evidence=_evidence(session, case_id),
        )


_DOCUMENT_COLUMNS = (IssuedDocument.id, IssuedDocument.doc_id, IssuedDocument.title, IssuedDocument.number,
                     IssuedDocument.issued_at, IssuedDocument.voided_at, IssuedDocument.revoked_at, IssuedDocument.revoked_by)


def _documents(session: Session, case_id: int) -> list[schemas.DocumentOut]:
    """The columns the list shows: not each document's snapshot, the largest value of the row."""
    rows = session.exec(select(*_DOCUMENT_COLUMNS).where(IssuedDocument.case_id == case_id).order_by(IssuedDocument.id))
    return [schemas.DocumentOut(id=d.id, doc_id=d.doc_id, title=d.title, number=d.number, issued_at=d.issued_at,
                                voided=d.voided_at is not None, revoked=d.revoked_at is not None,
                                revoked_by=d.revoked_by) for d in rows]


def _evidence(session: Session, case_id: int) -> list[schemas.EvidenceOut]:
    return [schemas.EvidenceOut(id=e.id, type=e.type, type_label=e.type_label, filename=e.filename, size=e.size,
                                sha256=e.sha256, collected_at=e.collected_at, collected_by=list(e.collected_by),
                                task_id=e.task_id, created_at=e.created_at) for e in list_evidence(session, case_id)]


def add_officer(engine: sa.Engine, user: User, case_id: int, member_id: int) -> schemas.MemberOut:
    return _attach(engine, user, case_id, member_id, MemberPurpose.officer)


def assign_reviewer(engine: sa.Engine, user: User, case_id: int, reviewer_id: int) -> schemas.MemberOut:
    return _attach(engine, user, case_id, reviewer_id, MemberPurpose.review)


def _attach(engine: sa.Engine, user: User, case_id: int, member_id: int, purpose: MemberPurpose) -> schemas.MemberOut:
    with transaction(engine) as session:
        case = authz.visible_case(session, user, case_id)
        member = get_user(session, member_id)
        if purpose == MemberPurpose.officer:
            authz.require_can_add_officer(session, user, case, member)
            role = Role.county_officer if user.has_role(Role.county_officer) else Role.agency_head
        else:
            authz.require_can_assign_review(session, user, case, member)
            role = Role.agency_head
        row = add_case_member(session, case_id=case_id, user=member, purpose=purpose, added_by=user)
        record.append_event(session, case_id=case_id, kind=f"{purpose}_assigned", actor=actor_for(user, role),
                            inputs={"user_id": member.id, "name": member.display_name, "agency_id": member.agency_id})
        return schemas.MemberOut(user_id=member.id, display_name=member.display_name, agency_id=member.agency_id,
                                 purpose=row.purpose, added_at=row.added_at)
