"""The worker's timer pass: claim due cases one at a time and fire each on its own.

The claim is `FOR UPDATE SKIP LOCKED` on the indexed `next_due` column, so several workers share
the due cases without firing one twice. Each case fires inside a savepoint of the transaction that
holds its lock: if firing fails for any reason, the savepoint is rolled back, the failure is stored
on the case's `WorkFailure` row (engine.work_items) in the same transaction, and the pass goes on
with the next case. A failing case is tried again after its backoff and given up after the
configured number of attempts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlmodel import Session

from engine import casestore, clock
from engine.db import read_session, transaction
from engine.models import Case
from engine.work_items import clear_failure, not_held_back, record_failure

logger = logging.getLogger(__name__)

TIMER = "timer"


def fire_due(engine: sa.Engine, fire_timers: Callable[[Session, Case], None], limit: int = 100) -> list[int]:
    """One pass; `fire_timers(session, case)` fires one locked case (Runtime.fire_timers). Returns the ids of
    the cases whose timers fired."""
    fired: list[int] = []
    for _ in range(limit):
        with transaction(engine) as session:
            case = casestore.claim_due(session, clock.now(), not_held_back(TIMER, casestore.CASES.c.id))
            if case is None:
                break
            try:
                with session.begin_nested():
                    fire_timers(session, case)
                    clear_failure(session, TIMER, case.id)
            except Exception as exc:  # one case's failure must not stop the others
                logger.exception("firing timers of case %s failed", case.id)
                record_failure(session, TIMER, case.id, case.id, exc)
                continue
        fired.append(case.id)
    return fired


def next_due(engine: sa.Engine) -> datetime | None:
    """The earliest pending timer of a case the pass would take, so a worker can sleep until then."""
    with read_session(engine) as session:
        value = session.execute(sa.select(sa.func.min(Case.next_due)).where(not_held_back(TIMER, Case.id))).scalar_one()
    return value.replace(tzinfo=timezone.utc) if value and value.tzinfo is None else value
