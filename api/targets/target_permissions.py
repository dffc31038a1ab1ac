"""Who keeps the target register, the power lists and the annual plans, on top of api.authz."""

from __future__ import annotations

from sqlmodel import Session

from api.authz import (
    OFFICER_ROLES,
    agency_of,
    jurisdiction_ids,
    require_case_user,
    require_county_role,
    require_enforcement_actor,
)
from api.identity.models import User
from engine.errors import Forbidden
from engine.vocab import Role


def register_agency_ids(session: Session, user: User) -> list[int]:
    """Whose register entries, power lists and plans the user reads: the county bureau its whole jurisdiction,
    a township or park its own."""
    require_case_user(user)
    return jurisdiction_ids(session, agency_of(session, user))


def require_register_editor(session: Session, user: User, agency_id: int) -> None:
    """Register entries are kept by officers and heads, each over their own jurisdiction."""
    require_enforcement_actor(user)
    if not any(user.has_role(role) for role in OFFICER_ROLES | {Role.agency_head}):
        raise Forbidden("只有执法人员或负责人可以维护执法对象名录", code="register_editor_required")
    if agency_id not in register_agency_ids(session, user):
        raise Forbidden("不能维护其他乡镇(园区)的执法对象", code="register_out_of_scope", details={"agency_id": agency_id})


def require_county_head_or_officer(session: Session, user: User, what: str) -> None:
    """Power lists and the county's plans are kept by the county bureau's officers and head."""
    require_enforcement_actor(user)
    require_county_role(session, user, {Role.county_officer, Role.agency_head}, what)
