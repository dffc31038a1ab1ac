"""Authorization: the one place that decides who sees and does what. Every query and action goes through it.

- Cases: a user sees the cases of their own agency; users of the county bureau also
  see those of its townships and the park; a township never sees another
  township's. A township officer added to a county case by the bureau sees it too.
  Supervisors see archived cases assigned to them for review; each read is recorded.
  An administrator manages user accounts and sees no case.
- Tasks: a task is acted on by a user holding its lane's role in the task's agency, or, in an officer lane, by
  an officer the bureau added to the case (a township officer drawn into a county inspection). The officer steps
  of an inspection with a drawn pair (双随机: a plan's visit, a batch's target) are the drawn officers' alone:
  only they have them in the inbox and may complete them; the rest of the agency still reads the case.
  Where the model marks a task `twoOfficers`, the form names (field `officers`,
  objects with `user_id`, `name`, `certificate_no`) at least two certified officers with valid certificates, the acting
  user among them, each from the case's agency or added to the case by the bureau.
  A legal reviewer or hearing host never acts on a case they investigated, and such a task is not in their inbox.
- Departments summoned by 吹哨 (role `department`, one department each): a department-lane task is acted on only by
  the accounts of the departments it names (`Task.assignees`), for their own; they read those cases and no other.
- Auxiliary staff (辅助人员) assist officers: they read their agency's cases, but never start a case, never
  act in a step and never appear as the actor of an enforcement act; their inbox is empty.
- Accounts and agencies are administered under api.identity.admin_permissions (built on the agency helpers here).
- A case the user may not see is refused with `Hidden`. The pages show it as the Chinese 403 page (a user
  following a link of another township learns why); the API (api.error_responses) answers with the exact 404
  a missing object gets, so ids reveal nothing about how many cases exist. Both come from the one check here.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, select

from api import officer_eligibility
from api.case_scope import (
    CASE_WORK_ROLES,
    agency_of,
    case_scope,
    department_tasks,
    in_scope,
    jurisdiction_ids,
    member_cases,
    review_scope,
    scope_facts,
    work_scope,
)
from api.casefile_review.models import ReviewSample
from api.identity.models import CaseMember, MemberPurpose, StaffCategory, User
from api.identity.service import actor_for, is_case_member
from api.processes import task_info
from engine import forms, record
from engine.db import read_session, transaction
from engine.errors import Forbidden, NotFound, Unauthenticated, ValidationFailed
from engine.models import Agency, Case, RecordEvent, Task
from engine.runtime import Runtime
from engine.vocab import LANE_LABELS, AgencyKind, Lane, Role

OFFICER_ROLES = {Role.township_officer, Role.county_officer}
IMPARTIAL_LANES = {Lane.legal_reviewer, Lane.hearing_host}


# ---- agencies (agency_of and jurisdiction_ids: api.case_scope) -------------
def _is_county_user(session: Session, user: User) -> bool:
    return agency_of(session, user).kind == AgencyKind.county_bureau


# ---- roles ---------------------------------------------------------------
def works_on_cases(user: User) -> bool:
    return any(user.has_role(role) for role in CASE_WORK_ROLES | {Role.supervisor})


def require_case_user(user: User) -> None:
    """Everything but account administration needs a case-work or supervision role."""
    if not works_on_cases(user):
        raise Forbidden("系统管理员账号只能管理用户, 不能办理或查看案件")


def require_enforcement_actor(user: User) -> None:
    """Only certified officers (执法人员) start cases and act in steps; auxiliary staff assist them."""
    if user.staff_category == StaffCategory.auxiliary:
        raise Forbidden("辅助人员不能发起案件或办理执法环节, 请由执法人员办理", code="auxiliary_staff",
                        details={"user_id": user.id})


# ---- case visibility (the scope's facts are read once per request: api.case_scope) ---------------
class Hidden(Forbidden):
    """An object in a case the user may not see; `not_found` is what the API answers instead (the same 404 as
    for an object that does not exist)."""

    def __init__(self, message: str, *, not_found: NotFound, **kwargs):
        super().__init__(message, **kwargs)
        self.not_found = not_found


def case_not_found(case_id: int) -> NotFound:
    return NotFound("案件不存在或无权查看", details={"case_id": case_id})


@contextmanager
def hidden_as(not_found: NotFound) -> Iterator[None]:
    """Within: a missing or hidden case presents to API callers as `not_found`, the object actually asked for
    (an evidence item, a document, a task), so its 404 is the same whether the object exists or not."""
    try:
        yield
    except Hidden as exc:
        exc.not_found = not_found
        raise
    except NotFound as exc:
        raise not_found from exc


def visible_case(session: Session, user: User, case_id: int) -> Case:
    if not user.has_role(Role.department):
        require_case_user(user)
    found = session.exec(select(Case, case_scope(session, user).label("visible")).where(Case.id == case_id)).first()
    if found is None:
        raise case_not_found(case_id)
    case, visible = found
    if not visible:
        raise Hidden("无权查看该案件", details={"case_id": case_id}, not_found=case_not_found(case_id))
    return case


def read_case(engine: sa.Engine, user: User, case_id: int, view: str | None = None) -> Case:
    """Check the user may read the case; a supervisor's review read is appended to the case record.

    The check only reads, so it never waits for a step being written; only a review read writes.
    """
    with read_session(engine) as session:
        case = visible_case(session, user, case_id)
    record_review_reads(engine, user, [case_id], view)
    return case


def record_review_reads(engine: sa.Engine, user: User, case_ids: Collection[int], view: str | None = None) -> None:
    """Append a review read to the record of each case read only for review (a case, its record, its verification
    or a line of the case list, named by `view`): a supervisor's (执法监督查阅), or a file a review plan drew for the
    reader, a cross reviewer or a supervisor (案卷评查查阅)."""
    if not case_ids or not works_on_cases(user):
        return
    with read_session(engine) as session:
        facts = scope_facts(session, user)
        if not user.has_role(Role.supervisor):  # a cross reviewer: only the files assigned to them
            case_ids = set(case_ids) & set(facts.review_cases or ())
        work = work_scope(facts)
        worked = set(session.exec(select(Case.id).where(Case.id.in_(case_ids), work))) if case_ids and work is not None else set()
        reviewed = [case_id for case_id in case_ids if case_id not in worked]
        drawn = set(session.exec(select(ReviewSample.case_id).where(ReviewSample.reviewer_id == user.id,
                                                                    ReviewSample.case_id.in_(reviewed)))) if reviewed else set()
    if not reviewed:
        return  # nothing to record: no write transaction
    role = Role.supervisor if user.has_role(Role.supervisor) else Role(user.roles[0])
    with transaction(engine) as session:
        for case_id in reviewed:  # a file a review plan drew for this reader is read as its reviewer (案卷评查)
            record.append_event(session, case_id=case_id, kind="review_read" if case_id in drawn else "supervisor_read",
                                actor=actor_for(user, role), inputs={"purpose": "案卷评查", **({"view": view} if view else {})})


def visible_task(session: Session, user: User, task_id: str) -> tuple[Task, Case]:
    """The task and its case, read with whether the user sees the case in one statement."""
    not_found = NotFound("任务不存在或无权查看", details={"task_id": task_id})
    found = session.exec(select(Task, Case, case_scope(session, user).label("visible"))
                         .join(Case, Case.id == Task.case_id).where(Task.id == task_id)).first()
    if found is None:
        raise not_found
    task, case, visible = found
    if not user.has_role(Role.department):
        require_case_user(user)
    if not visible:
        raise Hidden("无权查看该案件", details={"case_id": case.id}, not_found=not_found)
    return task, case


def task_query_scope(session: Session, user: User) -> ColumnElement[bool]:
    """A filter on `Task` selecting the tasks in the user's inbox: their lanes, in their agency, without the
    reviewing and hearing tasks of cases they investigated (they could not act on those), without the officer
    steps of inspections drawn for other officers (`takes_officer_steps`) and nothing at all for auxiliary staff."""
    if (summoned := department_tasks(session, user)) is not None:
        return summoned  # a department account holds no other role (api.identity.service)
    require_case_user(user)
    roles = [lane.value for lane in Lane if user.has_role(lane)]
    if not roles or user.staff_category == StaffCategory.auxiliary:
        return sa.false()
    impartial = [lane.value for lane in IMPARTIAL_LANES]
    own = sa.and_(Task.role.in_(roles), Task.agency_id == user.agency_id,
                  sa.or_(Task.role.not_in(impartial), ~_investigated_case(user, Task.case_id)))
    if not OFFICER_ROLES & set(roles):
        return own
    officer_lanes = [r.value for r in OFFICER_ROLES]
    # the joined cases as a literal list, and no branch without any: an `OR case_id IN (subquery)` made
    # PostgreSQL read every ready officer task of every agency (bench/bench_scale.py)
    joined = member_cases(session, user, MemberPurpose.officer)
    mine = sa.or_(own, sa.and_(Task.role.in_(officer_lanes), Task.case_id.in_(joined))) if joined else own
    # no pair drawn for the case, unless the user is of it: one NOT EXISTS with the user's draw inside, which
    # PostgreSQL probes per task through uq_case_member; beside an OR, two EXISTS let it hash every drawn member
    me = _DRAWN_ME
    drawn_me = (select(me.id).where(me.case_id == Task.case_id, me.purpose == MemberPurpose.drawn, me.user_id == user.id)
                .correlate_except(me))
    drawn_for_others = select(CaseMember.id).where(CaseMember.case_id == Task.case_id,
                                                   CaseMember.purpose == MemberPurpose.drawn, ~drawn_me.exists())
    return sa.and_(mine, sa.or_(Task.role.not_in(officer_lanes), ~drawn_for_others.exists()))


def acting_role(session: Session, user: User, task: Task) -> Role:
    """The role the user acts in: the task's lane, or, for an officer the bureau drew into the case (joint
    inspection), their own officer role in the case's officer lane."""
    if task.role == Lane.department or (user.has_role(task.role) and user.agency_id == task.agency_id):
        return Role(task.role)
    own = _officer_role(session, user)
    joined = task.role in OFFICER_ROLES and user.has_role(own) and \
        task.case_id in member_cases(session, user, MemberPurpose.officer)
    return own if joined else Role(task.role)


_SOURCE = aliased(Case)  # the case whose parent is looked up (built once: an alias costs more than the query)
_DRAWN_ME = aliased(CaseMember)  # the user's own draw, beside any draw of the case


def _investigated_case(user: User, case_id: ColumnElement) -> ColumnElement[bool]:
    """The case `case_id`, or the inspection it came from, has an officer's act of the user in its record."""
    case = _SOURCE
    parent = select(case.parent_case_id).where(case.id == case_id).correlate_except(case).scalar_subquery()
    acts = select(RecordEvent.id).where(RecordEvent.case_id.in_([case_id, parent]), RecordEvent.actor_id == user.id,
                                        RecordEvent.role.in_([r.value for r in OFFICER_ROLES]))
    return acts.correlate_except(RecordEvent).exists()


def officer_scope(session: Session, user: User, case_id: int | None = None) -> ColumnElement[bool]:
    """A filter on `User` selecting the officers a form of the user's may name: active certified-officer staff of the
    user's agency, or, for a case the user sees, of the case's agency and those the bureau added to it."""
    require_case_user(user)
    officers = sa.and_(User.staff_category == StaffCategory.officer, User.active.is_(True))
    if case_id is None:
        return sa.and_(officers, User.agency_id == user.agency_id)
    case = visible_case(session, user, case_id)
    return sa.and_(officers, sa.or_(User.agency_id == case.agency_id,
                                    User.id.in_(select(CaseMember.user_id).where(CaseMember.case_id == case_id,
                                                                                 CaseMember.purpose == MemberPurpose.officer))))


# ---- starting and attaching ------------------------------------------------
def _officer_role(session: Session, user: User) -> Role:
    """The officer role of the user's agency: the county bureau's or a township's (the park's)."""
    return Role.county_officer if _is_county_user(session, user) else Role.township_officer


def officer_start_role(session: Session, user: User) -> Role | None:
    """The role in which the user starts cases of their own agency, if they may start any (auxiliary staff never)."""
    role = _officer_role(session, user)
    return role if user.has_role(role) and user.staff_category != StaffCategory.auxiliary else None


def may_start(session: Session, user: User, started_by: Collection[str]) -> bool:
    """Whether the user may start a process its start schema lets `started_by` (officer roles; empty: both) start."""
    role = officer_start_role(session, user)
    return role is not None and (not started_by or role in started_by)


def start_role(session: Session, user: User, agency_id: int, parent_case_id: int | None,
               started_by: Collection[str] = ()) -> Role:
    """The role in which the user starts a case in `agency_id`: officers start cases of their own agency."""
    require_case_user(user)
    require_enforcement_actor(user)
    if agency_id != user.agency_id:
        raise Forbidden("只能以本单位名义发起检查或案件", details={"agency_id": agency_id})
    role = _officer_role(session, user)
    if not user.has_role(role):
        raise Forbidden(f"发起检查或案件需要「{LANE_LABELS[Lane(role)]}」角色")
    if started_by and role not in started_by:
        raise Forbidden(f"该流程只能由{'或'.join(LANE_LABELS[Lane(r)] for r in started_by)}发起")
    if parent_case_id is not None:
        visible_case(session, user, parent_case_id)
    return role


def require_county_role(session: Session, user: User, roles: set[Role], what: str) -> None:
    if not _is_county_user(session, user) or not any(user.has_role(r) for r in roles):
        raise Forbidden(f"只有县局{what}可以执行此操作")


def require_can_add_officer(session: Session, user: User, case: Case, member: User) -> None:
    """The county bureau adds officers of its own agencies to a case it can see."""
    require_county_role(session, user, {Role.county_officer, Role.agency_head}, "执法人员或负责人")
    visible_case(session, user, case.id)
    if member.agency_id not in jurisdiction_ids(session, agency_of(session, user)):
        raise Forbidden("只能指派本县局及所辖乡镇(园区)的执法人员", details={"user_id": member.id})
    if member.staff_category != StaffCategory.officer or not any(member.has_role(r) for r in OFFICER_ROLES):
        raise ValidationFailed(f"{member.display_name}不是执法人员, 不能参与办案", code="officer_not_eligible",
                               details={"user_id": member.id})


def require_can_assign_review(session: Session, user: User, case: Case, reviewer: User) -> None:
    require_county_role(session, user, {Role.agency_head}, "负责人")
    visible_case(session, user, case.id)
    if not reviewer.has_role(Role.supervisor) or reviewer.agency_id != user.agency_id:
        raise ValidationFailed(f"{reviewer.display_name}不是本局执法监督人员", code="not_a_supervisor",
                               details={"user_id": reviewer.id})


# ---- completing a task -------------------------------------------------------
def task_authorizer(user_id: int) -> Callable[[Session, Case, Task], None]:
    """The check `Runtime.complete_task` runs inside the step's transaction, after locking the case."""

    def authorize(session: Session, case: Case, task: Task) -> None:
        user = session.get(User, user_id)
        if user is None or not user.active:
            raise Unauthenticated("账号不存在或已停用, 请重新登录")
        if task.role == Lane.department:  # an account of a department the task names
            tasks = department_tasks(session, user)
            if tasks is None or session.exec(select(Task.id).where(Task.id == task.id, tasks)).first() is None:
                raise Forbidden("该任务须由被召集部门的部门账号办理", code="not_summoned_department",
                                details={"task_id": task.id, "departments": task.assignees})
            return
        require_enforcement_actor(user)
        role = acting_role(session, user, task)
        if role == task.role and (not user.has_role(task.role) or user.agency_id != task.agency_id):
            agency = session.get(Agency, task.agency_id)
            raise Forbidden(f"该任务须由{agency.name}的{LANE_LABELS[Lane(task.role)]}办理",
                            details={"task_id": task.id, "lane": task.role, "agency_id": task.agency_id})
        if task.role in OFFICER_ROLES and not takes_officer_steps(session, user, case.id):
            raise Forbidden("该检查由双随机抽取的执法人员办理, 不在本人待办中",
                            details={"task_id": task.id, "lane": task.role, "agency_id": task.agency_id})
        if task.role in IMPARTIAL_LANES and investigated(session, case, user):
            raise Forbidden(f"{user.display_name}参与了本案调查, 不能担任{LANE_LABELS[Lane(task.role)]}",
                            code="investigator_excluded", details={"case_id": case.id, "user_id": user.id})

    return authorize


def takes_officer_steps(session: Session, user: User, case_id: int) -> bool:
    """Whether the case's officer steps are the user's to take: no pair was drawn for it, or the user is drawn."""
    drawn = set(session.exec(select(CaseMember.user_id).where(CaseMember.case_id == case_id,
                                                              CaseMember.purpose == MemberPurpose.drawn)))
    return not drawn or user.id in drawn


def case_officer_authorizer(user_id: int) -> Callable[[Session, Case], None]:
    """Events that happen to a case (a party applies for reconsideration or sues) are recorded by any officer of the
    case: an officer of the agency that owns it, or one the county bureau added to it; checked under the case lock."""

    def authorize(session: Session, case: Case) -> None:
        user = session.get(User, user_id)
        if user is None or not user.active:
            raise Unauthenticated("账号不存在或已停用, 请重新登录")
        require_enforcement_actor(user)
        own = user.agency_id == case.agency_id and user.has_role(_officer_role(session, user))
        if not own and not is_case_member(session, case.id, user.id, MemberPurpose.officer):
            raise Forbidden("只有本案的执法人员可以登记", code="not_case_officer", details={"case_id": case.id})

    return authorize


def task_data_check(runtime: Runtime, user_id: int, data: dict) -> Callable[[Session, Case, Task], list[dict]]:
    """The officers named on a `twoOfficers` step, checked with the form so every problem comes back at once."""

    def check(session: Session, case: Case, task: Task) -> list[dict]:
        if task.role == Lane.department:  # a department reports for itself only
            own = session.get(User, user_id).department
            return [] if data.get("department") == own else [forms.problem(["department"], "部门", f"只能登记本部门({own})的情况")]
        if not task_info(runtime, session, case, task).two_officers:
            return []
        return officer_eligibility.officer_problems(session, case, user_id, data)

    return check


def investigated(session: Session, case: Case, user: User) -> bool:
    """Whether the user acted as an officer on the case or on the inspection it came from."""
    return session.scalar(select(_investigated_case(user, sa.literal(case.id)))) is True


def reviews_case(session: Session, user: User, case_id: int) -> bool:
    """Whether the user is a supervisor assigned to review this (archived) case."""
    return in_scope(session, case_id, review_scope(scope_facts(session, user)))
