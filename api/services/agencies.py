"""Agency administration: the county bureau's townships and parks (name, numbering code, short name,
parent, seal name), created and edited by an administrator of the county or by the operator's CLI.

The numbering code (`code`) keys the agency's number series (engine.sequences), so it is fixed once
created; the 机关代字 (`short_name`) prefixes its case numbers, so no two agencies share one (their
numbers would collide). A new township needs no code change: its officers, lanes and case isolation
follow from its kind and parent.
"""

from __future__ import annotations

from typing import Annotated

import sqlalchemy as sa
from pydantic import Field
from sqlmodel import Session, select

from api import authz, schemas
from api.identity import admin_permissions
from api.identity.models import User
from api.services.presenters import agency_out
from engine.db import read_session, transaction
from engine.errors import Conflict, Forbidden, NotFound, ValidationFailed
from engine.models import Agency
from engine.vocab import AgencyKind

Name = Annotated[schemas.Text, Field(min_length=1, max_length=200)]
ShortName = Annotated[schemas.Text, Field(min_length=1, max_length=20, pattern=r"^[^\s（）()〔〕\[\]{}]+$")]
Code = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z0-9][a-z0-9_-]*$")]


class AgencyCreateIn(schemas.Strict):
    code: Annotated[Code, Field(description="机构代码(编号序列的键, 创建后不可修改), 如 caolin")]
    name: Annotated[Name, Field(description="机构名称, 如 草林镇人民政府")]
    short_name: Annotated[ShortName, Field(description="机关代字(案号简称), 如 遂草")]
    kind: Annotated[AgencyKind, Field(description="township 乡镇 或 park 园区")]
    parent_id: Annotated[schemas.DbInt | None, Field(description="上级县应急管理局(默认为管理员所在县局)")] = None
    seal_name: Annotated[Name | None, Field(description="印章名称(默认同机构名称)")] = None


class AgencyUpdateIn(schemas.Strict):
    name: Name | None = None
    short_name: ShortName | None = None
    seal_name: Name | None = None


def _require_unique(session: Session, code: str | None, short_name: str | None, agency_id: int | None = None) -> None:
    others = select(Agency).where(Agency.id != agency_id) if agency_id else select(Agency)
    if code and session.exec(others.where(Agency.code == code)).first():
        raise Conflict(f"机构代码「{code}」已被使用", code="agency_code_taken", details={"code": code})
    if short_name and session.exec(others.where(Agency.short_name == short_name)).first():
        raise Conflict(f"机关代字「{short_name}」已被其他机构使用, 案号会重复", code="agency_short_name_taken",
                       details={"short_name": short_name})


def create(session: Session, *, code: str, name: str, short_name: str, kind: AgencyKind, parent: Agency,
           seal_name: str | None = None) -> Agency:
    """A township or park under the county bureau `parent`."""
    if kind == AgencyKind.county_bureau:
        raise ValidationFailed("县级应急管理局由 zhifa admin create 创建; 此处只能新建乡镇或园区",
                               details={"field": "kind"})
    if parent.kind != AgencyKind.county_bureau:
        raise ValidationFailed("乡镇和园区的上级必须是县级应急管理局", details={"field": "parent_id"})
    _require_unique(session, code, short_name)
    agency = Agency(code=code, name=name, short_name=short_name, kind=kind, parent_id=parent.id, seal_name=seal_name)
    session.add(agency)
    session.flush()
    return agency


def edit(session: Session, agency: Agency, changes: dict) -> Agency:
    """Change the name, 机关代字 or seal name (the numbering code and the parent stay)."""
    _require_unique(session, None, changes.get("short_name"), agency.id)
    for field in ("name", "short_name", "seal_name"):
        if changes.get(field) is not None:
            setattr(agency, field, changes[field])
    session.add(agency)
    session.flush()
    return agency


def by_code(session: Session, code: str) -> Agency:
    agency = session.exec(select(Agency).where(Agency.code == code)).first()
    if agency is None:
        raise NotFound(f"执法机构「{code}」不存在", details={"code": code})
    return agency


def list_agencies(engine: sa.Engine, admin: User) -> list[schemas.AgencyOut]:
    with read_session(engine) as session:
        ids = admin_permissions.managed_agency_ids(session, admin)
        return [agency_out(a) for a in session.exec(select(Agency).where(Agency.id.in_(ids)).order_by(Agency.id))]


def create_agency(engine: sa.Engine, admin: User, body: AgencyCreateIn) -> schemas.AgencyOut:
    with transaction(engine) as session:
        admin_permissions.require_admin(admin)
        own = authz.agency_of(session, admin)
        if own.kind != AgencyKind.county_bureau:
            raise Forbidden("只有县应急管理局的系统管理员可以新建乡镇或园区")
        parent_id = body.parent_id or own.id
        admin_permissions.require_manages(session, admin, parent_id)
        fields = body.model_dump(exclude={"parent_id"})
        return agency_out(create(session, **fields, parent=session.get(Agency, parent_id)))


def update_agency(engine: sa.Engine, admin: User, agency_id: int, body: AgencyUpdateIn) -> schemas.AgencyOut:
    with transaction(engine) as session:
        admin_permissions.require_admin(admin)
        agency = session.get(Agency, agency_id)
        if agency is None:
            raise NotFound("执法机构不存在", details={"agency_id": agency_id})
        admin_permissions.require_manages(session, admin, agency.id)
        return agency_out(edit(session, agency, body.model_dump(exclude_unset=True)))
