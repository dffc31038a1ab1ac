"""Which cases a user may see (the rule `api.authz` states), built from facts read once per request.

The facts are the agencies whose cases the user works on and the cases they were added to; both are read in
one go the first time a request asks (`api.request_cache`), so a request that checks several cases, or one
case twice (before and inside its write transaction), reads them once. Adding a user to a case or moving an
agency empties the request's cache.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, select

from api import request_cache
from api.identity.models import CaseMember, MemberPurpose, User
from engine.models import Agency, Case, Task
from engine.vocab import AgencyKind, CaseStatus, Lane, Role

CASE_WORK_ROLES = {Role.township_officer, Role.county_officer, Role.agency_head, Role.legal_reviewer, Role.hearing_host}
# read on almost every request: plain statements built once (an ORM query costs several times as much here)
_AGENCIES, _MEMBERS = Agency.__table__, CaseMember.__table__
# the user's agency, and how many there are: a jurisdiction of all of them needs no filter at all
_AGENCY_KIND = sa.select(_AGENCIES.c.id, _AGENCIES.c.kind,
                         sa.select(sa.func.count()).select_from(_AGENCIES).scalar_subquery().label("agencies")
                         ).where(_AGENCIES.c.id == sa.bindparam("agency_id"))
_CHILDREN = sa.select(_AGENCIES.c.id).where(_AGENCIES.c.parent_id == sa.bindparam("agency_id"))
# not the drawn inspections (双随机), which pile up over the years: the scope has no use for them
_MEMBER_CASES = (sa.select(_MEMBERS.c.case_id, _MEMBERS.c.purpose)
                 .where(_MEMBERS.c.user_id == sa.bindparam("user_id"),
                        _MEMBERS.c.purpose.in_([MemberPurpose.officer, MemberPurpose.review])))


def agency_of(session: Session, user: User) -> Agency:
    return session.get(Agency, user.agency_id)


def jurisdiction_ids(session: Session, agency: Agency | sa.Row) -> list[int]:
    """The agency (or a row with its `id` and `kind`) itself; for the county bureau also its townships and the park."""
    if agency.kind != AgencyKind.county_bureau:
        return [agency.id]
    children = session.connection().execute(_CHILDREN, {"agency_id": agency.id}).scalars().all()
    return [agency.id, *children]


@dataclass(frozen=True)
class ScopeFacts:
    jurisdiction: list[int] | None  # the agencies whose cases the user works on; None without a case-work role
    officer_cases: list[int]  # the cases the bureau added the user to as an officer
    review_cases: list[int] | None  # the archived files assigned to the user for review; None if no role reviews
    every_agency: bool = False  # the jurisdiction is every agency there is (the county bureau of a county's system)


def scope_facts(session: Session, user: User) -> ScopeFacts:
    """The user's facts, read once per request (afresh outside one)."""
    key = ("case_scope", user.id, user.agency_id, tuple(user.roles))
    return request_cache.cached(key, lambda: _read_facts(session, user))


def _read_facts(session: Session, user: User) -> ScopeFacts:
    works = any(user.has_role(role) for role in CASE_WORK_ROLES)
    if not works and not user.has_role(Role.supervisor):
        return ScopeFacts(jurisdiction=None, officer_cases=[], review_cases=None)
    # the ids as literal lists beside the agency filter: PostgreSQL combines both through their indexes
    # (BitmapOr), where `OR id IN (subquery)` made it read the whole case table
    connection = session.connection()
    members = connection.execute(_MEMBER_CASES, {"user_id": user.id}).all()
    agency = connection.execute(_AGENCY_KIND, {"agency_id": user.agency_id}).one() if works else None
    jurisdiction = jurisdiction_ids(session, agency) if works else None
    return ScopeFacts(jurisdiction=jurisdiction,
                      officer_cases=[case_id for case_id, purpose in members if purpose == MemberPurpose.officer],
                      review_cases=[case_id for case_id, purpose in members if purpose == MemberPurpose.review],
                      every_agency=works and len(jurisdiction) == agency.agencies)


def member_cases(session: Session, user: User, purpose: MemberPurpose) -> list[int]:
    """The ids of the cases the user was added to for `purpose`."""
    facts = scope_facts(session, user)
    return facts.officer_cases if purpose == MemberPurpose.officer else facts.review_cases or []


def work_scope(facts: ScopeFacts) -> ColumnElement[bool] | None:
    if facts.jurisdiction is None:
        return None
    if facts.every_agency:  # no list of every agency id: it kept PostgreSQL off the newest-first index (ix_case_recent)
        return sa.true()
    return sa.or_(Case.agency_id.in_(facts.jurisdiction), Case.id.in_(facts.officer_cases))


def review_scope(facts: ScopeFacts) -> ColumnElement[bool] | None:
    """Archived files assigned for review: to a supervisor, or by a review plan's draw to legal staff or a
    township's certified officer (cross review)."""
    if facts.review_cases is None:
        return None
    return sa.and_(Case.status == CaseStatus.archived, Case.id.in_(facts.review_cases))


def department_tasks(session: Session, user: User) -> ColumnElement[bool] | None:
    """A filter on `Task`: the department-lane tasks naming the user's department (吹哨报到), in the user's
    jurisdiction; None for anyone but a department account."""
    if not user.has_role(Role.department) or not user.department:
        return None
    pattern = "%|" + user.department.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "|%"
    return sa.and_(Task.role == Lane.department, Task.agency_id.in_(jurisdiction_ids(session, agency_of(session, user))),
                   Task.assignees.like(pattern, escape="\\"))


def case_scope(session: Session, user: User) -> ColumnElement[bool]:
    """A filter on `Case` selecting exactly the cases the user may see: a department account, the cases it was
    summoned to (read in the same statement, so a summons made in this request counts)."""
    facts = scope_facts(session, user)
    summoned = department_tasks(session, user)
    scopes = [s for s in (work_scope(facts), review_scope(facts),
                          None if summoned is None else Case.id.in_(select(Task.case_id).where(summoned))) if s is not None]
    return sa.or_(*scopes) if scopes else sa.false()


def in_scope(session: Session, case_id: int, scope: ColumnElement[bool] | None) -> bool:
    if scope is None:
        return False
    return session.exec(select(Case.id).where(Case.id == case_id, scope)).first() is not None


@event.listens_for(CaseMember, "after_insert")
@event.listens_for(CaseMember, "after_update")
@event.listens_for(CaseMember, "after_delete")
@event.listens_for(Agency, "after_insert")
@event.listens_for(Agency, "after_update")
@event.listens_for(Agency, "after_delete")
def _facts_changed(_mapper, _connection, _target) -> None:
    request_cache.clear()
