"""The worker's timer pass: claim a small batch of due cases and fire each on its own.

The claim is `FOR UPDATE SKIP LOCKED` on the indexed `next_due` column, so several workers share
the due cases without firing one twice. Each case fires inside its own savepoint of the transaction that
holds the batch's locks: if firing fails for any reason, the savepoint is rolled back, the failure is stored
on the case's `WorkFailure` row (engine.work_items) in the same transaction, and the pass goes on
with the next case. A failing case is tried again after its backoff and given up after the
configured number of attempts.

A batch shares one claim statement and one commit, round trips that were a large share of a fire's time.
It is small, since a fired case is seen by others only once its batch commits, and it holds more than one
case only when more than one is already due, i.e. when the worker is behind.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlmodel import Session

from engine import casestore, clock
from engine.db import read_session, transaction
from engine.models import Agency, Case
from engine.work_items import clear_failures, not_held_back, record_failure

logger = logging.getLogger(__name__)

TIMER = "timer"


BATCH = 5  # due cases per claim: their fires commit together, so a batch delays the first one's commit a little


def fire_due(engine: sa.Engine, fire_timers: Callable[[Session, Case, Agency, str], None], limit: int = 100) -> list[int]:
    """One pass; `fire_timers(session, case, agency, state)` fires one locked case (Runtime.fire_timers). Returns
    the ids of the cases whose timers fired."""
    fired: list[int] = []
    claimed_count = 0
    while claimed_count < limit:
        with transaction(engine) as session:
            claimed = casestore.claim_due(session, clock.now(), min(BATCH, limit - claimed_count),
                                          not_held_back(TIMER, casestore.CASES.c.id))
            if not claimed:
                break
            claimed_count += len(claimed)
            done = [case.id for case, agency, state in claimed if _fire(session, fire_timers, case, agency, state)]
            clear_failures(session, TIMER, done)
        fired += done
    return fired


def _fire(session: Session, fire_timers: Callable[[Session, Case, Agency, str], None], case: Case, agency: Agency,
          state: str) -> bool:
    try:
        with session.begin_nested():
            fire_timers(session, case, agency, state)
    except Exception as exc:  # one case's failure must not stop the others
        logger.exception("firing timers of case %s failed", case.id)
        record_failure(session, TIMER, case.id, case.id, exc)
        return False
    return True


def next_due(engine: sa.Engine) -> datetime | None:
    """The earliest pending timer of a case the pass would take, so a worker can sleep until then."""
    with read_session(engine) as session:
        value = session.execute(sa.select(sa.func.min(Case.next_due)).where(not_held_back(TIMER, Case.id))).scalar_one()
    return value.replace(tzinfo=timezone.utc) if value and value.tzinfo is None else value
