"""Object-store calls that cannot be undone, applied by the worker after the step that asked for them commits.

A step (archiving a case, recording a rendition of an archived case's document) writes an
`OutboxEntry` in its own transaction: if that transaction rolls back, the entry goes with it and no
object is locked for a step that never happened. The `apply_outbox` pass applies committed entries
with no transaction open, so no case row lock (nor SQLite's write lock) is held during a network
call to the store, then records the result: the entry's `applied_at` and `result`, and an
`objects_retained` event in the case's record.
"""

from __future__ import annotations

from datetime import datetime, timezone
from functools import partial

import sqlalchemy as sa
from sqlmodel import Session

from engine import clock, record
from engine.models import Actor, OutboxEntry
from engine.objects import ObjectStore
from engine.work_items import LeasedPass

RETAIN = "retain"


def enqueue_retention(session: Session, case_id: int, objects: dict[str, str], until: datetime) -> OutboxEntry:
    """Ask for COMPLIANCE retention until `until` on a case's objects (key → SHA-256), once this transaction commits."""
    if until.tzinfo is None:
        until = until.replace(tzinfo=timezone.utc)
    entry = OutboxEntry(case_id=case_id, action=RETAIN, created_at=clock.now(),
                        payload={"objects": dict(objects), "retain_until": until.isoformat()})
    session.add(entry)
    return entry


def apply_outbox(engine: sa.Engine, store: ObjectStore, limit: int = 50) -> int:
    """Apply up to `limit` committed entries; returns how many were applied and recorded."""
    return LeasedPass("outbox", OutboxEntry, partial(_retain, store), _record,
                      (OutboxEntry.applied_at.is_(None),)).run(engine, limit)


def _retain(store: ObjectStore, entry: OutboxEntry) -> dict:
    until = datetime.fromisoformat(entry.payload["retain_until"])
    for key in entry.payload["objects"]:
        store.set_retention(key, until)
    return {"retained": len(entry.payload["objects"])}


def _record(session: Session, entry: OutboxEntry, result: dict) -> bool:
    applied = session.execute(sa.update(OutboxEntry)
                              .where(OutboxEntry.id == entry.id, OutboxEntry.applied_at.is_(None))
                              .values(applied_at=clock.now(), result=result)).rowcount
    if not applied:
        return False
    objects = entry.payload["objects"]
    record.append_event(session, case_id=entry.case_id, kind="objects_retained", actor=Actor.system(),
                        inputs={"mode": "COMPLIANCE", "retain_until": entry.payload["retain_until"],
                                "count": len(objects)},
                        outputs=[{"name": key, "sha256": sha256} for key, sha256 in objects.items()])
    return True
