"""User accounts: login, lookup, administration, and attaching users to cases.

Functions work inside the caller's session and never commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlmodel import Session, select

from api.hazards.config import hazard_config
from api.identity.models import AccountEvent, CaseMember, MemberPurpose, StaffCategory, User
from api.identity.security import hash_password
from engine import clock
from engine.calendar import SHANGHAI
from engine.errors import Conflict, NotFound, Unauthenticated, ValidationFailed
from engine.models import Actor, Agency
from engine.vocab import AgencyKind, Role

ASSIGNABLE_ROLES = {role.value for role in Role if role not in (Role.system, Role.citizen)}
MIN_PASSWORD_LENGTH = 8


def today() -> date:
    """Today in China, by the engine clock: certificates expire at the end of their date."""
    return clock.now().astimezone(SHANGHAI).date()


def active_user(session: Session, user_id: int, token_version: int | None = None) -> User:
    """The signed-in user; a token issued before a password reset or a change of the account is refused."""
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise Unauthenticated("账号不存在或已停用, 请重新登录")
    if token_version is not None and token_version != user.token_version:
        raise Unauthenticated("账号信息已变更(如密码重置), 请重新登录", code="token_revoked")
    return user


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("用户不存在", details={"user_id": user_id})
    return user


def actor_for(user: User, role: Role | str) -> Actor:
    return Actor(user_id=user.id, name=user.display_name, role=Role(role), agency_id=user.agency_id)


# the role an act outside a task (an upload, a download) is recorded in, for users holding several
ACTING_ROLES = [Role.township_officer, Role.county_officer, Role.agency_head, Role.legal_reviewer,
                Role.hearing_host, Role.supervisor, Role.department]


def acting_role(user: User) -> Role:
    return next(role for role in ACTING_ROLES if user.has_role(role))


def check_roles(roles: Iterable[str]) -> list[str]:
    """Known roles; an administrator's account holds no other role (separation of duties: whoever manages
    accounts never works on or reads cases)."""
    roles = list(dict.fromkeys(roles))
    unknown = [r for r in roles if r not in ASSIGNABLE_ROLES]
    if unknown or not roles:
        raise ValidationFailed(f"角色不正确: {'、'.join(unknown) or '(未指定)'}", details={"roles": unknown})
    if Role.admin in roles and len(roles) > 1:
        raise ValidationFailed("系统管理员账号不能同时担任办案或监督角色(职责分离)", code="admin_role_exclusive",
                               details={"field": "roles", "roles": roles})
    return roles


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(f"密码至少 {MIN_PASSWORD_LENGTH} 位", details={"field": "password"})
    return password


def create_user(session: Session, *, username: str, display_name: str, password: str, agency_id: int,
                roles: Iterable[str], staff_category: StaffCategory, certificate_number: str | None = None,
                certificate_expires: date | None = None, password_hash: str | None = None,
                actor: User | None = None, grid: str | None = None, department: str | None = None) -> User:
    """A new account; `password_hash` (already hashed) is for seeding, else `password` is hashed.
    `actor` is the administrator (none when the system seeds accounts)."""
    if session.exec(select(User.id).where(User.username == username)).first() is not None:
        raise Conflict(f"用户名 {username} 已存在", details={"username": username})
    if session.get(Agency, agency_id) is None:
        raise NotFound("执法机构不存在", details={"agency_id": agency_id})
    user = User(username=username, display_name=display_name,
                password_hash=password_hash or hash_password(check_password(password)),
                agency_id=agency_id, roles=check_roles(roles), staff_category=staff_category,
                certificate_number=certificate_number, certificate_expires=certificate_expires, grid=grid,
                department=department)
    _check_grid(session, user)
    session.add(user)
    session.flush()
    _audit(session, "account_created", user, actor, {"agency_id": agency_id, "roles": user.roles,
                                                     "staff_category": str(staff_category)})
    return user


REVOKING_CHANGES = {"password", "active", "roles", "agency_id", "department"}


def update_user(session: Session, user: User, changes: dict, actor: User | None = None) -> User:
    """Apply the given fields; `password` is re-hashed, `roles` checked. A password reset, deactivation or a
    change of roles or agency ends the account's sessions (its tokens' version is bumped)."""
    for name, value in changes.items():
        if name == "password":
            user.password_hash = hash_password(check_password(value))
        elif name == "roles":
            user.roles = check_roles(value)
        elif name == "agency_id" and session.get(Agency, value) is None:
            raise NotFound("执法机构不存在", details={"agency_id": value})
        else:
            setattr(user, name, value)
    _check_grid(session, user)
    if REVOKING_CHANGES & changes.keys():
        user.token_version += 1
    session.add(user)
    session.flush()
    recorded = {name: ("(已重置)" if name == "password" else _plain(value)) for name, value in changes.items()}
    _audit(session, "account_updated", user, actor, recorded)
    return user


def _check_grid(session: Session, user: User) -> None:
    """A grid member (网格员) is bound to one grid (village or community) of a township or park; a department account
    to one department summoned by 吹哨 (api/data/hazards.yaml), and holds no other role."""
    if user.has_role(Role.department):
        known = hazard_config().all_departments()
        if user.department not in known or len(user.roles) > 1:
            raise ValidationFailed(f"部门账号应只担任「被召集部门」角色并选择所属部门: {'、'.join(known)}",
                                   code="department_required", details={"field": "department", "allowed": known})
    if not user.has_role(Role.grid_member):
        return
    agency = session.get(Agency, user.agency_id)
    if not user.grid or agency is None or agency.kind == AgencyKind.county_bureau:
        raise ValidationFailed("网格员账号应属于乡镇(园区)并填写所在网格", code="grid_required",
                               details={"field": "grid"})


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


def _audit(session: Session, kind: str, user: User, actor: User | None, details: dict) -> None:
    session.add(AccountEvent(at=clock.now(), kind=kind, username=user.username, user_id=user.id,
                             actor_id=actor.id if actor else None, details=details))


def add_case_member(session: Session, *, case_id: int, user: User, purpose: MemberPurpose, added_by: User) -> CaseMember:
    """Idempotent: adding the same user for the same purpose again returns the existing row."""
    existing = session.exec(select(CaseMember).where(
        CaseMember.case_id == case_id, CaseMember.user_id == user.id, CaseMember.purpose == purpose)).first()
    if existing is not None:
        return existing
    member = CaseMember(case_id=case_id, user_id=user.id, purpose=purpose, added_by=added_by.id, added_at=clock.now())
    session.add(member)
    session.flush()
    return member


def case_members(session: Session, case_id: int) -> list[tuple[CaseMember, User]]:
    query = (select(CaseMember, User).join(User, User.id == CaseMember.user_id)
             .where(CaseMember.case_id == case_id).order_by(CaseMember.id))
    return list(session.exec(query))


def is_case_member(session: Session, case_id: int, user_id: int, purpose: MemberPurpose) -> bool:
    query = select(CaseMember.id).where(CaseMember.case_id == case_id, CaseMember.user_id == user_id,
                                        CaseMember.purpose == purpose)
    return session.exec(query).first() is not None
