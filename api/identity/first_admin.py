"""The first administrator of a new installation (`zhifa admin create`), without the demo data.

The administrator belongs to a county bureau; on an empty database that bureau is created from the
code, name and 机关代字 given. Further accounts are then created by the administrator over the API.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, func, select

from api.identity.models import StaffCategory, User
from api.identity.service import create_user
from engine.db import transaction
from engine.errors import NotFound, ValidationFailed
from engine.models import Agency
from engine.vocab import AgencyKind, Role


def has_users(engine: sa.Engine) -> bool:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(User)).one() > 0


def create_administrator(engine: sa.Engine, *, username: str, password: str, agency_code: str,
                         agency_name: str | None = None, short_name: str | None = None,
                         display_name: str | None = None) -> tuple[User, Agency, bool]:
    """The new administrator, its agency, and whether the agency was created for it."""
    with transaction(engine) as session:
        agency = session.exec(select(Agency).where(Agency.code == agency_code)).first()
        created = agency is None
        if created:
            if not (agency_name and short_name):
                raise NotFound(f"执法机构 {agency_code} 不存在；新建机构时请同时给出 --agency-name（机构名称）"
                               "和 --short-name（机关代字，如“遂”）", details={"agency": agency_code})
            agency = Agency(code=agency_code, name=agency_name, short_name=short_name, kind=AgencyKind.county_bureau)
            session.add(agency)
            session.flush()
        elif agency_name and agency_name != agency.name:
            raise ValidationFailed(f"执法机构 {agency_code} 已存在，名称为“{agency.name}”，与 --agency-name 不一致",
                                   details={"agency": agency_code})
        user = create_user(session, username=username, display_name=display_name or "系统管理员", password=password,
                           agency_id=agency.id, roles=[Role.admin.value], staff_category=StaffCategory.auxiliary)
    return user, agency, created
