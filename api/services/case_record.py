"""The full-process record of a case: its events, and verification of its hash chain."""

from __future__ import annotations

from api import authz, schemas
from api.identity.models import User
from api.services.presenters import event_out
from engine import record
from engine.db import read_session
from engine.runtime import Runtime


def events(runtime: Runtime, user: User, case_id: int) -> list[schemas.RecordEventOut]:
    authz.read_case(runtime.engine, user, case_id)
    with read_session(runtime.engine) as session:
        return [event_out(e) for e in record.events(session, case_id)]


def verify(runtime: Runtime, user: User, case_id: int) -> schemas.VerifyOut:
    authz.read_case(runtime.engine, user, case_id, view="核验全过程记录")
    with read_session(runtime.engine) as session:
        breaks = record.verify(session, case_id)
        return schemas.VerifyOut(
            case_id=case_id, intact=not breaks, events=record.event_count(session, case_id),
            breaks=[schemas.RecordBreakOut(seq=b.seq, event_id=b.event_id, reason=b.describe()) for b in breaks],
        )
