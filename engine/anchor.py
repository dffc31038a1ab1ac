"""Anchors for the full-process record: signed checkpoints of every chain head, kept outside the database.

The hash chains (engine.record) show an edit to an event, but someone who can write the database can
recompute a whole chain after an edit, or delete a case's events and reset its counter. An anchor takes
that away: it lists every case's (seq, head) at one moment, is signed with an HMAC key that is not in
the database (derived from the service's secret key), names the anchor before it by SHA-256, and is
written to object storage under COMPLIANCE retention (S3 object lock; on the embedded local store a
read-only file with a retention note, which protects against mistakes rather than against root).
Verification then checks that each anchored head still is the hash of that event, recomputed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from engine import clock
from engine.db import read_session
from engine.errors import NotFound
from engine.models import Case, RecordEvent
from engine.objects import ObjectStore
from engine.record import compute_hash


@dataclass(frozen=True)
class Anchor:
    name: str
    ordinal: int
    at: str
    cases: int
    sha256: str


@dataclass(frozen=True)
class AnchorFinding:
    """A problem found against the anchors: in an anchor itself (case_id None) or in a case's chain."""

    reason: str
    case_id: int | None = None
    seq: int | None = None
    anchor: str | None = None

    def describe(self) -> str:
        where = f"案件 {self.case_id} 第 {self.seq} 条记录" if self.case_id is not None else f"锚点 {self.anchor}"
        return f"{where}: {self.reason}"


def anchor_name(ordinal: int) -> str:
    return f"anchor-{ordinal:020d}"


def _sign(key: bytes, body: dict) -> tuple[bytes, str]:
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return text, hmac.new(key, text, hashlib.sha256).hexdigest()


def current_heads(session: Session) -> dict[str, list]:
    rows = session.exec(select(Case.id, Case.record_seq, Case.record_head).where(Case.record_seq > 0).order_by(Case.id))
    return {str(case_id): [seq, head] for case_id, seq, head in rows}


def write_anchor(engine: sa.Engine, store: ObjectStore, key: bytes, retain_until: datetime) -> Anchor | None:
    """Anchor every chain head now; None when nothing changed since the last anchor."""
    with read_session(engine) as session:
        heads = current_heads(session)
    names = store.anchor_names()
    previous = _load(store, key, names[-1]) if names else None
    if previous is not None and previous[0]["heads"] == heads:
        return None
    ordinal = previous[0]["ordinal"] + 1 if previous else 1
    body = {"ordinal": ordinal, "at": clock.now().isoformat(), "previous": previous[1] if previous else None,
            "heads": heads}
    text, signature = _sign(key, body)
    data = json.dumps({"body": json.loads(text), "signature": signature}, ensure_ascii=False).encode("utf-8")
    store.put_anchor(anchor_name(ordinal), data, retain_until)
    return Anchor(anchor_name(ordinal), ordinal, body["at"], len(heads), hashlib.sha256(data).hexdigest())


def _load(store: ObjectStore, key: bytes, name: str) -> tuple[dict, str] | None:
    """(body, sha256 of the stored object) of a correctly signed anchor, else None."""
    data = store.read_anchor(name)
    try:
        document = json.loads(data)
        _, signature = _sign(key, document["body"])
    except (ValueError, KeyError, TypeError):
        return None
    if not hmac.compare_digest(signature, str(document.get("signature"))):
        return None
    return document["body"], hashlib.sha256(data).hexdigest()


def verify_anchors(session: Session, store: ObjectStore, key: bytes, case_id: int | None = None) -> list[AnchorFinding]:
    """Check the anchors' own chain, then every anchored head (or one case's) against the database."""
    findings: list[AnchorFinding] = []
    latest, previous_sha = None, None
    for expected, name in enumerate(store.anchor_names(), start=1):
        try:
            loaded = _load(store, key, name)
        except NotFound:
            loaded = None
        if loaded is None:
            findings.append(AnchorFinding("签名不符或内容损坏, 锚点不可信", anchor=name))
            continue
        body, sha = loaded
        if body["ordinal"] != expected or body["previous"] != previous_sha:
            findings.append(AnchorFinding("与前一锚点不衔接, 有锚点被删除或替换", anchor=name))
        latest, previous_sha = body, sha
    if latest is None:
        return findings
    heads = latest["heads"]
    if case_id is not None:
        heads = {str(case_id): heads[str(case_id)]} if str(case_id) in heads else {}
    for cid, (seq, head) in heads.items():
        problem = _check_head(session, int(cid), seq, head)
        if problem:
            findings.append(AnchorFinding(problem, case_id=int(cid), seq=seq, anchor=anchor_name(latest["ordinal"])))
    return findings


def _check_head(session: Session, case_id: int, seq: int, head: str) -> str | None:
    case = session.get(Case, case_id)
    if case is None:
        return "案件已被删除(锚点中存在)"
    if case.record_seq < seq:
        return f"记录被截断: 锚定时已有 {seq} 条, 现仅 {case.record_seq} 条"
    event = session.exec(select(RecordEvent).where(RecordEvent.case_id == case_id, RecordEvent.seq == seq)).first()
    if event is None:
        return "已锚定的记录缺失"
    if event.hash != head or compute_hash(event) != head:
        return "与锚定的链头不符, 记录链被改写后重算"
    return None
