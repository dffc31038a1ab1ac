"""Hazard reports (隐患报告): one row per report beside the `hazard_report` case that runs its procedure.

The reporter's identity is kept apart: a grid member by account id; a citizen (举报) by name and phone in
`hazard_reporter_identity`, which no page, export, document or record event reads.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Column, Field, SQLModel

from engine.types import UTCDateTime


class HazardSource(StrEnum):
    grid = "grid"
    citizen = "citizen"

    @property
    def label(self) -> str:
        return {HazardSource.grid: "网格员报告", HazardSource.citizen: "群众举报"}[self]


class HazardReport(SQLModel, table=True):
    __tablename__ = "hazard_report"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", unique=True, index=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    source: HazardSource = Field(sa_column=Column(sa.String(20), nullable=False))
    category: str = Field(max_length=40, index=True)
    place: str = Field(max_length=300)
    gps_lat: float | None = None
    gps_lon: float | None = None
    description: str = Field(sa_column=Column(sa.Text, nullable=False))
    unit_name: str = Field(default="", max_length=200)
    target_id: int | None = Field(default=None, foreign_key="target.id", index=True,
                                  description="the register entry of the unit involved (一企一档), when known")
    grid: str | None = Field(default=None, max_length=100)
    reporter_user_id: int | None = Field(default=None, foreign_key="app_user.id", index=True)
    receipt_sha256: str | None = Field(default=None, max_length=64, unique=True,
                                       description="SHA-256 of the citizen's receipt code (the code itself is not kept)")
    reported_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))


class HazardReporterIdentity(SQLModel, table=True):
    """A citizen reporter's name and phone: confidential (举报人身份保密), never shown to the unit or published."""

    __tablename__ = "hazard_reporter_identity"

    report_id: int = Field(foreign_key="hazard_report.id", primary_key=True)
    name: str = Field(max_length=100)
    phone: str = Field(max_length=50)
