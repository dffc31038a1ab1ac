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

from engine import casestore, clock
from engine.errors import NotFound
from engine.models import Actor, Case, RecordEvent

GENESIS = "0" * 64


def _canonical_time(at: datetime) -> str:
    if at.tzinfo is None:  # SQLite returns naive datetimes; they are stored in UTC
        at = at.replace(tzinfo=timezone.utc)
    return at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


HASHED_FIELDS = ("case_id", "seq", "kind", "at", "actor_id", "actor_name", "role", "agency_id", "task_id",
                 "task_name", "inputs", "outputs", "prev_hash")


def _digest(values: dict) -> str:
    body = {name: values[name] for name in HASHED_FIELDS}
    body["at"] = _canonical_time(body["at"])
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def compute_hash(event: RecordEvent) -> str:
    return _digest({name: getattr(event, name) for name in HASHED_FIELDS})


def next_event(case: Case, *, kind: str, actor: Actor, task_id: str | None = None, task_name: str | None = None,
               inputs: dict | None = None, outputs: list[dict] | None = None) -> dict:
    """The values of the case's next event, chained to its head; moves the head on the (locked) case."""
    values = {
        "case_id": case.id, "seq": case.record_seq + 1, "kind": kind, "at": clock.now(),
        "actor_id": actor.user_id, "actor_name": actor.name, "role": str(actor.role), "agency_id": actor.agency_id,
        "task_id": task_id, "task_name": task_name,
        "inputs": json.loads(json.dumps(inputs or {}, ensure_ascii=False, default=str)),
        "outputs": json.loads(json.dumps(outputs or [], ensure_ascii=False, default=str)),
        "prev_hash": case.record_head,
    }
    values["hash"] = _digest(values)
    case.record_seq, case.record_head = values["seq"], values["hash"]
    return values


def insert_event(session: Session, values: dict) -> RecordEvent:
    return RecordEvent.model_construct(id=casestore.insert_event(session, values), **values)


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
    case: Case | None = None,
) -> RecordEvent:
    """Append one event to the case's chain, inside the caller's transaction.

    The case row holds the chain's head (seq and hash): it is locked first
    (`casestore.lock_case`), so concurrent appenders of one case queue up, and
    written back with the new head. Pass `case` when the caller holds it already
    and writes it itself. (case_id, seq) is unique, so a chain can never fork.
    """
    if case is not None:
        return insert_event(session, next_event(case, kind=kind, actor=actor, task_id=task_id, task_name=task_name,
                                                inputs=inputs, outputs=outputs))
    case = casestore.lock_case(session, case_id)
    if case is None:
        raise NotFound("案件不存在", details={"case_id": case_id})
    event = insert_event(session, next_event(case, kind=kind, actor=actor, task_id=task_id, task_name=task_name,
                                             inputs=inputs, outputs=outputs))
    casestore.write_case(session, case)
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
    """Recompute every chain (or one case's); return the first break of each broken chain.

    The case row's head (seq, hash) must match the chain's last event, so
    deleting the newest events is noticed too.
    """
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
    # One pass over the case heads: each must match the chain's last event (a deleted or altered newest event).
    last = (select(RecordEvent.case_id, sa.func.max(RecordEvent.seq).label("seq"))
            .group_by(RecordEvent.case_id).subquery())
    newest = sa.orm.aliased(RecordEvent)
    heads = (select(Case.id, Case.record_seq, Case.record_head, last.c.seq, newest.hash)
             .outerjoin(last, last.c.case_id == Case.id)
             .outerjoin(newest, sa.and_(newest.case_id == Case.id, newest.seq == Case.record_seq))
             .where(Case.record_seq > 0))
    if case_id is not None:
        heads = heads.where(Case.id == case_id)
    broken_cases = {b.case_id for b in breaks}
    for cid, seq, head, last_seq, newest_hash in session.exec(heads):
        if cid in broken_cases:
            continue
        if (last_seq or 0) != seq:
            breaks.append(Break(cid, (last_seq or 0) + 1, 0, f"缺失(案件记录应有 {seq} 条),最新记录被删除"))
        elif newest_hash != head:
            breaks.append(Break(cid, seq, 0, "与案件记录链头不符,最新记录被改动"))
    return sorted(breaks, key=lambda b: b.case_id)


def events(session: Session, case_id: int) -> list[RecordEvent]:
    return list(session.exec(select(RecordEvent).where(RecordEvent.case_id == case_id).order_by(RecordEvent.seq)))


def event_count(session: Session, case_id: int) -> int:
    return session.exec(select(sa.func.count()).select_from(RecordEvent).where(RecordEvent.case_id == case_id)).one()
