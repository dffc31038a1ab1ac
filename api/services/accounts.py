"""Account administration and the agency list."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import select

from api import authz, schemas
from api.identity import admin_permissions, service
from api.identity import login as identity_login
from api.identity.models import AccountEvent, User
from api.identity.security import issue_token
from api.services.presenters import agency_out, user_out
from engine.db import read_session, transaction
from engine.models import Agency


def me(engine: sa.Engine, user: User) -> schemas.MeOut:
    with read_session(engine) as session:
        agency = session.get(Agency, user.agency_id)
    return schemas.MeOut(**user_out(user).model_dump(), agency=agency_out(agency))


def agencies(engine: sa.Engine, user: User) -> list[schemas.AgencyOut]:
    """The agencies of the user's county: the bureau, its townships and the park."""
    with read_session(engine) as session:
        own = session.get(Agency, user.agency_id)
        county = session.get(Agency, own.parent_id) if own.parent_id else own
        ids = authz.jurisdiction_ids(session, county)
        return [agency_out(a) for a in session.exec(select(Agency).where(Agency.id.in_(ids)).order_by(Agency.id))]


def list_users(engine: sa.Engine, admin: User) -> list[schemas.UserOut]:
    with read_session(engine) as session:
        ids = admin_permissions.managed_agency_ids(session, admin)
        return [user_out(u) for u in session.exec(select(User).where(User.agency_id.in_(ids)).order_by(User.id))]


def create_user(engine: sa.Engine, admin: User, body: schemas.UserCreateIn) -> schemas.UserOut:
    with transaction(engine) as session:
        admin_permissions.require_manages(session, admin, body.agency_id)
        return user_out(service.create_user(session, **body.model_dump(), actor=admin))


def update_user(engine: sa.Engine, admin: User, user_id: int, body: schemas.UserUpdateIn) -> schemas.UserOut:
    with transaction(engine) as session:
        admin_permissions.require_admin(admin)
        user = admin_permissions.managed_user(session, admin, user_id)
        changes = body.model_dump(exclude_unset=True)
        if "agency_id" in changes:
            admin_permissions.require_manages(session, admin, changes["agency_id"])
        return user_out(service.update_user(session, user, changes, actor=admin))


ACCOUNT_EVENT_LABELS = {"account_created": "创建账号", "account_updated": "修改账号", "login_locked": "登录失败锁定"}


def account_events(engine: sa.Engine, user: User, limit: int, offset: int) -> list[schemas.AccountEventOut]:
    """The accounts' audit trail in the reader's jurisdiction, newest first; lockouts of names that match no
    account are shown too (someone tried them)."""
    with read_session(engine) as session:
        ids = admin_permissions.audited_agency_ids(session, user)
        accounts = select(User.id).where(User.agency_id.in_(ids))
        query = (select(AccountEvent).where(sa.or_(AccountEvent.user_id.in_(accounts), AccountEvent.user_id.is_(None)))
                 .order_by(AccountEvent.id.desc()).offset(offset).limit(limit))
        return [schemas.AccountEventOut(**event.model_dump(), kind_label=ACCOUNT_EVENT_LABELS.get(event.kind, event.kind))
                for event in session.exec(query)]


def login(engine: sa.Engine, settings, username: str, password: str, address: str) -> schemas.TokenOut:
    user = identity_login.login(engine, settings, username, password, address)
    identity_login.clear_failures(engine, username)
    issued = issue_token(user.id, settings, version=user.token_version)
    return schemas.TokenOut(access_token=issued.token, expires_at=issued.expires_at)
