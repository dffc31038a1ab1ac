"""Identity tables: users with roles, staff category and enforcement certificate; case memberships.

A user belongs to one agency and holds one or more roles (engine.vocab.Role).
Only certified officers (执法人员) with a valid certificate may be named as the
enforcement officers of an action; auxiliary staff (辅助人员) never.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from engine.types import UTCDateTime
from engine.vocab import Role


class StaffCategory(StrEnum):
    officer = "officer"
    auxiliary = "auxiliary"

    @property
    def label(self) -> str:
        return {StaffCategory.officer: "执法人员", StaffCategory.auxiliary: "辅助人员"}[self]


class MemberPurpose(StrEnum):
    """Why a user was attached to a case: from outside its agency, to review it, or drawn to inspect it."""

    officer = "officer"  # a township officer added to a county case by the county bureau
    review = "review"  # a supervisor assigned to review the archived case file
    drawn = "drawn"  # an officer drawn (双随机) for a scheduled inspection: its officer steps are theirs alone


class User(SQLModel, table=True):
    __tablename__ = "app_user"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, index=True, max_length=64)
    display_name: str = Field(max_length=100)
    password_hash: str = Field(max_length=255)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    roles: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    staff_category: StaffCategory = Field(sa_column=Column(sa.String(20), nullable=False))
    certificate_number: str | None = Field(default=None, max_length=64, description="行政执法证号")
    certificate_expires: date | None = None
    active: bool = True
    grid: str | None = Field(default=None, max_length=100, description="网格员: the village/community grid of the township")
    department: str | None = Field(default=None, max_length=100,
                                   description="部门账号: the department of api/data/hazards.yaml it acts for (吹哨报到)")
    # bumped by a password reset, deactivation or a change of roles or agency: older tokens stop working
    token_version: int = Field(default=0, sa_column=Column(sa.Integer, nullable=False, server_default="0"))

    def has_role(self, role: Role | str) -> bool:
        return str(role) in self.roles

    def certificate_valid_on(self, day: date) -> bool:
        return bool(self.certificate_number) and self.certificate_expires is not None and self.certificate_expires >= day



class CaseMember(SQLModel, table=True):
    __tablename__ = "case_member"
    __table_args__ = (sa.UniqueConstraint("case_id", "user_id", "purpose", name="uq_case_member"),
                      # a user's cases for one purpose (api.case_scope), without the drawn inspections they accumulate
                      sa.Index("ix_case_member_user_purpose", "user_id", "purpose"))

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    user_id: int = Field(foreign_key="app_user.id")
    purpose: MemberPurpose = Field(sa_column=Column(sa.String(20), nullable=False))
    added_by: int | None = Field(default=None, foreign_key="app_user.id")
    added_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=False))


class LoginFailure(SQLModel, table=True):
    """A failed login, kept for the failure window only: the throttle counts these per account and address."""

    __tablename__ = "login_failure"
    __table_args__ = (sa.Index("ix_login_failure_username_at", "username", "at"),
                      sa.Index("ix_login_failure_address_at", "address", "at"))

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64)
    address: str = Field(max_length=64)
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class AccountEvent(SQLModel, table=True):
    """What happened to an account (created, changed, locked out): the audit trail of accounts, outside any
    case's record. The supervisor reads it; password values never enter it."""

    __tablename__ = "account_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    kind: str = Field(max_length=40)
    username: str = Field(max_length=64, index=True)
    user_id: int | None = Field(default=None, foreign_key="app_user.id")
    actor_id: int | None = Field(default=None, foreign_key="app_user.id", description="who acted; none for the system")
    address: str | None = Field(default=None, max_length=64)
    details: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
