"""The stored answer to a request sent with an Idempotency-Key."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from engine.types import UTCDateTime


class IdempotentRequest(SQLModel, table=True):
    """One (user, key): what the request was (scope and fingerprint) and what it was answered."""

    __tablename__ = "idempotent_request"
    __table_args__ = (sa.UniqueConstraint("user_id", "key", name="uq_idempotent_request_user_key"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(index=True)
    key: str = Field(max_length=200)
    scope: str = Field(max_length=300)
    fingerprint: str = Field(max_length=64)
    status_code: int
    response: dict = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
