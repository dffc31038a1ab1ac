"""Gapless counters (case numbers, document numbers), one row per scope.

`next_value` increments the scope's row in the caller's transaction with the
row locked (SELECT ... FOR UPDATE on PostgreSQL; SQLite transactions are
already serialized by BEGIN IMMEDIATE), so concurrent callers get 1..N with no
gap or duplicate, and a rolled-back transaction gives its value back.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, select


class Sequence(SQLModel, table=True):
    __tablename__ = "sequence"
    scope: str = Field(primary_key=True, max_length=200)
    last_value: int = 0


def next_value(session: Session, scope: str) -> int:
    row = session.exec(select(Sequence).where(Sequence.scope == scope).with_for_update()).first()
    if row is None:
        try:
            with session.begin_nested():
                session.add(Sequence(scope=scope, last_value=0))
        except IntegrityError:
            pass  # another transaction created it first
        row = session.exec(select(Sequence).where(Sequence.scope == scope).with_for_update()).one()
    row.last_value += 1
    session.add(row)
    session.flush()
    return row.last_value
