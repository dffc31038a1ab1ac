"""Tables of the power lists: the items per agency (effective-dated) and every change to a list."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import JSON, Column, Field, SQLModel

from engine.types import UTCDateTime


class PowerItem(SQLModel, table=True):
    """One enforcement item an agency may exercise, entrusted (in the county bureau's name) or delegated (赋权, in
    its own name), for the violation codes and penalty kinds it names, from `valid_from` until `valid_until`."""

    __tablename__ = "power_item"

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    item_code: str = Field(max_length=40, description="the item's code in the published list")
    name: str = Field(max_length=200)
    mode: str = Field(max_length=20, description="entrusted | delegated")
    violation_codes: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    penalty_kinds: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    valid_from: date
    valid_until: date | None = Field(default=None, description="last day in force; None: open-ended")
    letter_object_key: str | None = Field(default=None, max_length=512, description="委托书 in object storage")
    letter_sha256: str | None = Field(default=None, max_length=64)
    letter_name: str | None = Field(default=None, max_length=200)


class PowerListChange(SQLModel, table=True):
    """A recorded change to an agency's list; `version` counts the agency's changes, so a case names the list
    version it was filed under."""

    __tablename__ = "power_list_change"

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    version: int
    action: str = Field(max_length=20, description="added | ended | letter")
    item_id: int = Field(foreign_key="power_item.id")
    effective_on: date
    recorded_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    user_id: int | None = None
    user_name: str = Field(default="", max_length=100)
    detail: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
