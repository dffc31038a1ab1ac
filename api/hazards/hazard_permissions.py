"""Who may report hazards, read the ledger and a citizen reporter's identity, on top of api.authz."""

from __future__ import annotations

from sqlmodel import Session

from api.authz import (
    agency_of,
    jurisdiction_ids,
    works_on_cases,
)
from api.identity.models import StaffCategory, User
from engine.errors import Forbidden
from engine.models import Agency
from engine.vocab import AgencyKind, Role


def require_grid_member(session: Session, user: User) -> Agency:
    """A grid member (网格员) reports hazards for the township (or park) of their grid; returns that agency."""
    agency = agency_of(session, user)
    if not user.has_role(Role.grid_member) or not user.grid or agency.kind == AgencyKind.county_bureau:
        raise Forbidden("只有网格员可以报告网格隐患", code="not_grid_member")
    return agency


def hazard_ledger_agency_ids(session: Session, user: User) -> list[int]:
    """Whose hazards a user sees in the ledger: case-work roles and supervisors, over their jurisdiction."""
    if not works_on_cases(user):
        raise Forbidden("只有执法人员和执法监督人员可以查看隐患台账", code="hazard_ledger_forbidden")
    return jurisdiction_ids(session, agency_of(session, user))


def require_reporter_identity_reader(user: User, agency_id: int) -> None:
    """A citizen reporter's name and phone: the certified officers of the township that handles the report only."""
    if not user.has_role(Role.township_officer) or user.agency_id != agency_id \
            or user.staff_category != StaffCategory.officer:
        raise Forbidden("举报人身份保密, 只有受理乡镇(园区)的执法人员可以查看", code="reporter_confidential")
