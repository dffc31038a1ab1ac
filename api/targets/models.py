"""Tables of the target register: one row per unit, its change history, and the cases started from it."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from engine.types import UTCDateTime


class Target(SQLModel, table=True):
    """One enforcement target (a production or business unit); one unit, one assigned enforcement level."""

    __tablename__ = "target"

    id: int | None = Field(default=None, primary_key=True)
    credit_code: str = Field(unique=True, index=True, max_length=18, description="统一社会信用代码 (GB 32100)")
    name: str = Field(max_length=200)
    address: str = Field(default="", max_length=300)
    township_id: int = Field(foreign_key="agency.id", index=True, description="the township or park it lies in")
    industry: str = Field(max_length=40)
    risk_level: str = Field(max_length=20)
    credit_level: str | None = Field(default=None, max_length=40)
    standardisation: str = Field(max_length=20)
    assigned_level: str = Field(max_length=20, description="province | city | county | township")
    key_target: bool = Field(default=False)
    contacts: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    version: int = Field(default=1)
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class TargetChange(SQLModel, table=True):
    """Every change of a register entry: who, when, how (form or import) and the fields before and after."""

    __tablename__ = "target_change"

    id: int | None = Field(default=None, primary_key=True)
    target_id: int = Field(foreign_key="target.id", index=True)
    version: int
    source: str = Field(max_length=20, description="created | updated | imported")
    user_id: int | None = Field(default=None)
    user_name: str = Field(default="", max_length=100)
    changed_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    changes: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class TargetCase(SQLModel, table=True):
    """A case (inspection) started from a register entry; its follow-up cases are found through parent_case_id."""

    __tablename__ = "target_case"
    __table_args__ = (sa.UniqueConstraint("case_id", name="uq_target_case_case"),)

    id: int | None = Field(default=None, primary_key=True)
    target_id: int = Field(foreign_key="target.id", index=True)
    case_id: int = Field(foreign_key="case.id")


class CreditRepair(SQLModel, table=True):
    """A credit repair (信用修复) of a unit's published penalty information, as an officer recorded it. The
    publication and its withdrawal are read from the publication table, not copied here."""

    __tablename__ = "target_credit_repair"
    __table_args__ = (sa.UniqueConstraint("publication_id", name="uq_target_credit_repair_publication"),)

    id: int | None = Field(default=None, primary_key=True)
    target_id: int = Field(foreign_key="target.id", index=True)
    publication_id: int = Field(foreign_key="publication.id")
    repaired_on: date = Field(description="修复决定日期")
    basis: str = Field(max_length=500, description="修复依据和理由")
    recorded_by: int = Field(foreign_key="app_user.id")
    recorded_by_name: str = Field(default="", max_length=100)
    recorded_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
