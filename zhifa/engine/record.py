"""Full-process record (执法全过程记录, DOMAIN.md §8).

Every state change appends an event whose hash covers its content and the
previous event's hash of the same case. Events are only ever inserted;
`verify` recomputes the chains and names the first broken event.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlmodel import Session, select

from zhifa.engine import clock
from zhifa.engine.models import Actor, Case, RecordEvent

GENESIS = "0" * 64


def _canonical_time(at: datetime) -> str:
    if at.tzinfo is None:  # SQLite returns naive datetimes; they are stored in UTC
        at = at.replace(tzinfo=timezone.utc)
    return at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def compute_hash(event: RecordEvent) -> str:
    body = {
        "case_id": event.case_id,
        "seq": event.seq,
        "kind": event.kind,
        "at": _canonical_time(event.at),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "role": event.role,
        "agency_id": event.agency_id,
        "task_id": event.task_id,
        "task_name": event.task_name,
        "inputs": event.inputs,
        "outputs": event.outputs,
        "prev_hash": event.prev_hash,
    }
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def append_event(
    session: Session,
    *,
    case_id: int,
    kind: str,
    actor: Actor,
    task_id: str | None = None,
    task_name: str | None = None,
    inputs: dict | None = None,
    outputs: list[dict] | None = None,
) -> RecordEvent:
    """Append one event to the case's chain, inside the caller's transaction.

    The case row is locked first so concurrent appenders of one case queue up;
    (case_id, seq) is unique, so a chain can never fork.
    """
    session.exec(select(Case.id).where(Case.id == case_id).with_for_update()).one()
    last = session.exec(
        select(RecordEvent.seq, RecordEvent.hash).where(RecordEvent.case_id == case_id).order_by(RecordEvent.seq.desc()).limit(1)
    ).first()
    seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
    event = RecordEvent(
        case_id=case_id,
        seq=seq,
        kind=kind,
        at=clock.now(),
        actor_id=actor.user_id,
        actor_name=actor.name,
        role=str(actor.role),
        agency_id=actor.agency_id,
        task_id=task_id,
        task_name=task_name,
        inputs=json.loads(json.dumps(inputs or {}, ensure_ascii=False, default=str)),
        outputs=list(outputs or []),
        prev_hash=prev_hash,
        hash="",
    )
    event.hash = compute_hash(event)
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class Break:
    case_id: int
    seq: int
    event_id: int
    reason: str

    def describe(self) -> str:
        return f"案件 {self.case_id} 第 {self.seq} 条记录(事件ID {self.event_id}){self.reason}"


def verify(session: Session, case_id: int | None = None) -> list[Break]:
    """Recompute every chain (or one case's); return the first break of each broken chain."""
    query = select(RecordEvent).order_by(RecordEvent.case_id, RecordEvent.seq)
    if case_id is not None:
        query = query.where(RecordEvent.case_id == case_id)
    breaks: list[Break] = []
    current_case, expected_prev, expected_seq, broken = None, GENESIS, 1, False
    for event in session.exec(query.execution_options(yield_per=500)):
        if event.case_id != current_case:
            current_case, expected_prev, expected_seq, broken = event.case_id, GENESIS, 1, False
        if broken:
            continue
        reason = None
        if event.seq != expected_seq:
            reason = f"序号不连续(应为 {expected_seq}),有记录被删除或插入"
        elif event.prev_hash != expected_prev:
            reason = "前序哈希不符,链条被改动"
        elif compute_hash(event) != event.hash:
            reason = "内容与哈希不符,记录被篡改"
        if reason:
            breaks.append(Break(event.case_id, event.seq, event.id, reason))
            broken = True
        expected_prev, expected_seq = event.hash, event.seq + 1
    return breaks


def events(session: Session, case_id: int) -> list[RecordEvent]:
    return list(session.exec(select(RecordEvent).where(RecordEvent.case_id == case_id).order_by(RecordEvent.seq)))


def event_count(session: Session, case_id: int) -> int:
    return session.exec(select(sa.func.count()).select_from(RecordEvent).where(RecordEvent.case_id == case_id)).one()
