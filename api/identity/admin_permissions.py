"""Who administers accounts and agencies, and who reads the accounts' audit trail.

An administrator manages the accounts and agencies of its own jurisdiction and sees no case; another
jurisdiction's account is answered like a missing one (api.authz.Hidden).
"""

from __future__ import annotations

from sqlmodel import Session

from api.authz import Hidden, agency_of, jurisdiction_ids
from api.identity.models import User
from engine.errors import Forbidden, NotFound
from engine.vocab import Role


def require_admin(user: User) -> None:
    if not user.has_role(Role.admin):
        raise Forbidden("只有系统管理员可以管理用户")


def managed_agency_ids(session: Session, admin: User) -> list[int]:
    require_admin(admin)
    return jurisdiction_ids(session, agency_of(session, admin))


def require_manages(session: Session, admin: User, agency_id: int) -> None:
    if agency_id not in managed_agency_ids(session, admin):
        raise Forbidden("不能管理其他单位的用户", details={"agency_id": agency_id})


def managed_user(session: Session, admin: User, user_id: int) -> User:
    """An account the administrator manages; another jurisdiction's account is answered like a missing one."""
    missing = NotFound("用户不存在", details={"user_id": user_id})
    user = session.get(User, user_id)
    if user is None:
        raise missing
    if user.agency_id not in managed_agency_ids(session, admin):
        raise Hidden("不能管理其他单位的用户", not_found=missing, details={"user_id": user_id})
    return user


def audited_agency_ids(session: Session, user: User) -> list[int]:
    """Whose account events the user may read: a supervisor or an administrator, over their jurisdiction."""
    if not (user.has_role(Role.supervisor) or user.has_role(Role.admin)):
        raise Forbidden("只有执法监督人员和系统管理员可以查看账号变更记录")
    return jurisdiction_ids(session, agency_of(session, user))
