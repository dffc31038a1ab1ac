"""Gapless counters (case numbers, document numbers), one row per scope.

`next_value` is one atomic upsert (INSERT ... ON CONFLICT DO UPDATE ... RETURNING)
in the caller's transaction: concurrent callers queue on the scope's row and get
1..N with no gap or duplicate, and a rolled-back transaction gives its value back.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Field, Session, SQLModel

from engine.errors import InvalidState


class Sequence(SQLModel, table=True):
    __tablename__ = "sequence"
    scope: str = Field(primary_key=True, max_length=200)
    last_value: int = 0


def _upsert(insert) -> sa.Insert:
    """Built once per dialect (several steps number documents); the scope is a parameter."""
    table = Sequence.__table__
    return (insert(table).values(scope=sa.bindparam("scope"), last_value=1)
            .on_conflict_do_update(index_elements=[table.c.scope], set_={"last_value": table.c.last_value + 1})
            .returning(table.c.last_value))


_UPSERTS = {"postgresql": _upsert(postgresql.insert), "sqlite": _upsert(sqlite.insert)}


def next_value(session: Session, scope: str) -> int:
    dialect = session.get_bind().dialect.name
    statement = _UPSERTS.get(dialect)
    if statement is None:
        raise InvalidState(f"不支持的数据库类型 {dialect}", details={"dialect": dialect})
    return session.execute(statement, {"scope": scope}).scalar_one()
