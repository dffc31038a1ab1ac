"""Tables of the document subsystem: issued documents (numbers come from `engine.sequences`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from engine.types import UTCDateTime

JSON_TYPE = JSON().with_variant(JSONB(), "postgresql")


class IssuedDocument(SQLModel, table=True):
    """A document fixed by a step: its number and a snapshot of the values it is rendered from."""

    __tablename__ = "document_issued"
    __table_args__ = (
        UniqueConstraint("issuer", "series", "year", "sequence", name="uq_document_issued_number"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(index=True)
    doc_id: str = Field(max_length=64)
    title: str = Field(max_length=128)
    number: str | None = Field(default=None, max_length=128)
    issuer: str = Field(max_length=64)
    series: str | None = Field(default=None, max_length=64)
    year: int | None = None
    sequence: int | None = None
    snapshot: dict[str, Any] = Field(sa_column=Column(JSON_TYPE, nullable=False))
    issued_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    docx_object_key: str | None = Field(default=None, max_length=512)
    docx_sha256: str | None = Field(default=None, max_length=64)
    pdf_object_key: str | None = Field(default=None, max_length=512)
    pdf_sha256: str | None = Field(default=None, max_length=64)
    voided_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    claimed_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True),
                                           description="a worker is rendering it until then (engine.work_items)")
    void_reason: str | None = None
    # a decision revoked on reconsideration or litigation (已撤销): kept in the file, with the revoking instrument's number
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    revoked_by: str | None = Field(default=None, max_length=100)
