"""Who may do what in a case-file review (案卷评查), on top of api.authz's case visibility."""

from __future__ import annotations

from sqlmodel import Session

from api.authz import (
    OFFICER_ROLES,
    Hidden,
    agency_of,
    require_case_user,
    require_county_role,
    require_enforcement_actor,
)
from api.identity.models import User
from engine.errors import Forbidden, NotFound
from engine.models import Agency
from engine.vocab import Role


def review_organiser_agency(session: Session, user: User) -> Agency:
    """A review plan is drafted, drawn and reported by the county bureau's supervisors."""
    require_county_role(session, user, {Role.supervisor}, "执法监督人员")
    return agency_of(session, user)


def require_plan_approver(session: Session, user: User, plan_agency_id: int) -> None:
    require_county_role(session, user, {Role.agency_head}, "负责人")
    if user.agency_id != plan_agency_id:
        raise Forbidden("只能审批本局的评查方案", details={"agency_id": plan_agency_id})


def plan_reader_units(session: Session, user: User, plan_agency_id: int) -> list[int] | None:
    """None: the bureau's supervisors, head and legal staff read the whole plan; anyone else of the bureau or its
    townships reads their own unit's part (its files, findings and report)."""
    require_case_user(user)
    if user.agency_id == plan_agency_id and any(user.has_role(r) for r in (Role.supervisor, Role.agency_head,
                                                                           Role.legal_reviewer)):
        return None
    if user.agency_id != plan_agency_id and agency_of(session, user).parent_id != plan_agency_id:
        raise Hidden("无权查看该评查方案", details={"agency_id": plan_agency_id},
                     not_found=NotFound("评查方案不存在或无权查看", code="review_plan_not_found"))
    return [user.agency_id]


def require_sample_reviewer(user: User, reviewer_id: int) -> None:
    if user.id != reviewer_id:
        raise Forbidden("只有被指派的评查人员可以为该案卷评分", code="not_the_reviewer", details={"reviewer_id": reviewer_id})


def require_rectifier(user: User, unit_id: int) -> None:
    """The reviewed unit's officers report its rectification."""
    require_enforcement_actor(user)
    if user.agency_id != unit_id or not any(user.has_role(r) for r in OFFICER_ROLES | {Role.agency_head}):
        raise Forbidden("只有被评查单位的执法人员可以报告整改情况", code="not_the_reviewed_unit", details={"unit_id": unit_id})
