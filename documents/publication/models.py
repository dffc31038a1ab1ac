"""The publication table: what was published for a case, its hash, and its withdrawal."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from engine.types import UTCDateTime


class Publication(SQLModel, table=True):
    """One published item (行政执法公示). The public sees it by `public_id` only, never by case or row id."""

    __tablename__ = "publication"

    id: int | None = Field(default=None, primary_key=True)
    public_id: str = Field(unique=True, index=True, max_length=32, description="opaque id shown to the public")
    case_id: int = Field(index=True)
    kind: str = Field(max_length=40, description="penalty_decision, other_decision, onsite_measures, inspection_result")
    title: str = Field(max_length=300)
    text: str = Field(sa_column=Column(Text, nullable=False))
    text_sha256: str = Field(max_length=64)
    published_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    withdrawn_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    withdrawal_reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    redaction_rule: str = Field(max_length=100, description="the redaction rules' version and the name rule used")
