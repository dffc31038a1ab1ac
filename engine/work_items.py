"""How worker passes take items one at a time: claims no other worker takes, and failures kept per item.

An unexpected error on one item (a case whose timers fail, a document that does not render, an
outbox entry the store refuses) is logged and stored on a `WorkFailure` row: the attempt count, the
last error and the next attempt, after an exponential backoff. Until then the item is skipped;
after `worker_max_attempts` the worker gives up on it and it waits for an operator (`zhifa worker
--status`, `/ready`). The pass goes on with the other items either way.

Renditions and outbox entries are leased (`claimed_until`) in a short transaction whose SELECT is
`FOR UPDATE SKIP LOCKED` on PostgreSQL (SQLite's write lock serialises it), so two workers never
take one item, while the slow part (LibreOffice, the object store) runs with no transaction open.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from engine import clock
from engine.calendar import SHANGHAI
from engine.db import transaction
from engine.errors import ZhifaError
from engine.models import WorkFailure
from engine.settings import get_settings

logger = logging.getLogger(__name__)

PASS_LABELS = {"timer": "定时器", "docx": "文书生成", "pdf": "PDF 转换", "outbox": "对象保留期设置"}
ITEM_LABELS = {"timer": "案件", "docx": "文书", "pdf": "文书", "outbox": "待办存储操作"}
ERROR_LIMIT = 2000

def not_held_back(pass_name: str, item_id: sa.ColumnElement) -> sa.ColumnElement[bool]:
    """True for items of the pass that neither wait for a retry nor were given up."""
    return ~sa.exists().where(
        WorkFailure.pass_name == pass_name, WorkFailure.item_id == item_id,
        sa.or_(WorkFailure.failed_at.is_not(None), WorkFailure.next_attempt_at > clock.now()))


def record_failure(session: Session, pass_name: str, item_id: int, case_id: int | None,
                   error: BaseException) -> WorkFailure:
    """Count one more failed attempt on the item and schedule the next one, or give up."""
    settings, now = get_settings(), clock.now()
    failure = session.exec(select(WorkFailure).where(WorkFailure.pass_name == pass_name,
                                                     WorkFailure.item_id == item_id).with_for_update()).first()
    failure = failure or WorkFailure(pass_name=pass_name, item_id=item_id, case_id=case_id, attempts=0)
    failure.attempts += 1
    failure.last_error = describe_error(error)[:ERROR_LIMIT]
    failure.last_attempt_at = now
    if failure.attempts >= settings.worker_max_attempts:
        failure.failed_at, failure.next_attempt_at = now, None
    else:
        delay = min(settings.worker_retry_seconds * 2 ** (failure.attempts - 1), settings.worker_retry_max_seconds)
        failure.next_attempt_at = now + timedelta(seconds=delay)
    session.add(failure)
    return failure


def clear_failures(session: Session, pass_name: str, item_ids: list[int]) -> None:
    """These items succeeded: forget their earlier failures (one statement)."""
    if item_ids:
        session.execute(sa.delete(WorkFailure).where(WorkFailure.pass_name == pass_name, WorkFailure.item_id.in_(item_ids)))


def describe_error(error: BaseException) -> str:
    if isinstance(error, ZhifaError):
        return f"[{error.code}] {error.message}"
    return f"{type(error).__name__}: {error}"


def failures(session: Session, *, given_up_only: bool = False) -> list[WorkFailure]:
    query = select(WorkFailure).order_by(WorkFailure.failed_at.is_(None), WorkFailure.pass_name, WorkFailure.item_id)
    if given_up_only:
        query = query.where(WorkFailure.failed_at.is_not(None))
    return list(session.exec(query))


def failure_summary(failure: WorkFailure) -> str:
    """One line in Chinese for an operator, e.g. `定时器: 案件 12 已失败 5 次, 已停止重试`."""
    item = f"{ITEM_LABELS.get(failure.pass_name, '对象')} {failure.item_id}"
    if failure.case_id is not None and failure.pass_name != "timer":
        item += f"(案件 {failure.case_id})"
    if failure.failed_at is not None:
        state = "已停止重试"
    else:
        state = f"将于 {_local(failure.next_attempt_at)} 重试"
    return f"{PASS_LABELS.get(failure.pass_name, failure.pass_name)}: {item} 已失败 {failure.attempts} 次, {state}"


def _local(at: datetime | None) -> str:
    return at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S") if at else "-"


@dataclass(frozen=True)
class LeasedPass:
    """A pass over the rows of `model` (which has `id`, `case_id` and `claimed_until`) matching `conditions`.

    `work(item)` does the slow part with no transaction open; `record(session, item, result)` stores the
    result in a short transaction and returns whether it was recorded. Items are leased and recorded `batch`
    at a time (two commits per batch rather than per item: on SQLite every commit is a write of the WAL);
    if recording the batch fails, each item is recorded on its own, so one bad item holds up no other.
    """

    name: str
    model: Any
    work: Callable[[Any], Any]
    record: Callable[[Session, Any, Any], bool]
    conditions: tuple = ()
    batch: int = 5

    def run(self, engine: sa.Engine, limit: int) -> int:
        done = taken = 0
        while taken < limit:
            with transaction(engine) as session:
                items = self._claim(session, min(self.batch, limit - taken))
            if not items:
                break
            taken += len(items)
            results = []
            for item in items:
                try:
                    results.append((item, self.work(item)))
                except Exception as exc:  # one item's failure must not stop the others
                    self._fail(engine, item, exc)
            done += self._record_all(engine, results)
        return done

    def _record_all(self, engine: sa.Engine, results: list[tuple[Any, Any]]) -> int:
        if not results:
            return 0
        try:
            with transaction(engine) as session:
                done = sum(bool(self.record(session, item, result)) for item, result in results)
                self._settle(session, [item.id for item, _ in results])
            return done
        except Exception:
            logger.exception("%s: recording a batch of %d failed; recording one by one", self.name, len(results))
        done = 0
        for item, result in results:
            try:
                with transaction(engine) as session:
                    done += bool(self.record(session, item, result))
                    self._settle(session, [item.id])
            except Exception as exc:
                self._fail(engine, item, exc)
        return done

    def _fail(self, engine: sa.Engine, item: Any, exc: BaseException) -> None:
        logger.error("%s: item %s failed", self.name, item.id, exc_info=exc)
        with transaction(engine) as session:
            record_failure(session, self.name, item.id, item.case_id, exc)
            self._release(session, [item.id])

    def _claim(self, session: Session, count: int) -> list:
        now = clock.now()
        model = self.model
        free = sa.or_(model.claimed_until.is_(None), model.claimed_until < now)
        query = (select(model).where(free, not_held_back(self.name, model.id), *self.conditions)
                 .order_by(model.id).limit(count).with_for_update(skip_locked=True, of=model))
        items = list(session.exec(query))
        if items:
            until = now + timedelta(seconds=get_settings().worker_claim_seconds)
            session.execute(sa.update(model).where(model.id.in_([item.id for item in items])).values(claimed_until=until))
        return items

    def _settle(self, session: Session, item_ids: list[int]) -> None:
        """The items succeeded: forget their earlier failures and end their leases."""
        clear_failures(session, self.name, item_ids)
        self._release(session, item_ids)

    def _release(self, session: Session, item_ids: list[int]) -> None:
        session.execute(sa.update(self.model).where(self.model.id.in_(item_ids)).values(claimed_until=None))
