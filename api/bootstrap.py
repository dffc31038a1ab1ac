"""Wire the application from settings: database, process specs, step hooks, object store, worker passes."""

from __future__ import annotations

import hashlib
import hmac
import logging
from contextlib import contextmanager
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session

from api.identity.security import secret_key
from api.plans.service import plan_published, schedule_due
from documents.adhoc_records import collect_step_records
from documents.evidence.custody import archive_retention, list_evidence, require_video_evidence, transfer_evidence
from documents.publication.publishing import publication_step
from documents.rendition import convert_pending, render_pending
from documents.revocation import revoke_step_documents
from documents.step import issue_step_documents
from engine import anchor, clock
from engine.case_events import update_register
from engine.db import get_engine, upgrade
from engine.errors import InvalidState
from engine.models import Actor, Case
from engine.objects import ObjectStore, get_object_store
from engine.outbox import apply_outbox
from engine.powers.power_list import step_facts
from engine.runtime import Runtime, StepContext
from engine.settings import Settings, get_settings
from engine.specs import SpecLibrary
from engine.vocab import CaseStatus

logger = logging.getLogger(__name__)


def build_runtime(settings: Settings | None = None, *, bpmn_dir: Path | None = None,
                  engine: sa.Engine | None = None, migrate: bool = True) -> Runtime:
    """Load and validate the models (a broken model raises ModelError), migrate, register versions."""
    settings = settings or get_settings()
    specs = SpecLibrary(bpmn_dir or settings.bpmn_dir)
    engine = engine or get_engine(settings.resolved_database_url)
    if migrate:
        upgrade(engine.url.render_as_string(hide_password=False))
    runtime = Runtime(engine, specs, step_hooks=[video_gate, power_list_step, collect_step_records, update_register,
                                                    issue_step_documents, revoke_step_documents, publication_step],
                      link_hooks=[carry_evidence],
                      end_hooks=[partial(retain_archived_objects, settings), plan_published])
    runtime.register_versions()
    return runtime


def video_gate(context: StepContext) -> None:
    """A step the model marks `videoRequired` needs a 视听资料 evidence item attached to it (DOMAIN.md §8)."""
    if context.task.video_required:
        require_video_evidence(context.session, context.case.id, context.task_id)


def power_list_step(context: StepContext) -> None:
    """A step naming the violation gets the `entrusted_item` fact from the power list the case was filed under."""
    context.data_updates.update(step_facts(context.workflow_data, context.data))


def carry_evidence(session: Session, parent: Case, child: Case, actor: Actor) -> None:
    """A follow-up case gets the evidence of the case that started it, by reference (chain of custody kept)."""
    for item in list_evidence(session, parent.id):
        transfer_evidence(session, item.id, child.id, Actor.system())


def retain_archived_objects(settings: Settings, session: Session, case: Case, actor: Actor) -> None:
    """An archived file is frozen (DOMAIN.md §8): its objects get COMPLIANCE retention where the store supports it.

    The step only writes an outbox entry; the worker sets the retention after the step commits.
    """
    if case.status == CaseStatus.archived:
        archive_retention(session, case.id, retention_until(settings))


def retention_until(settings: Settings) -> datetime:
    return clock.now() + timedelta(days=settings.archive_retention_days)


def object_store(settings: Settings | None = None) -> ObjectStore:
    return get_object_store(settings or get_settings())


def anchor_key(settings: Settings | None = None) -> bytes:
    """The record anchors' HMAC key: derived from the service's signing key, which is never in the database."""
    return hmac.new(secret_key(settings).encode("utf-8"), b"zhifa record anchor", hashlib.sha256).digest()


def anchor_pass(runtime: Runtime, store: ObjectStore, settings: Settings):
    """A worker pass that anchors the record's chain heads at most every `record_anchor_minutes`."""
    last: list[datetime] = []

    def run() -> int:
        now = clock.now()
        if last and now - last[0] < timedelta(minutes=settings.record_anchor_minutes):
            return 0
        last[:] = [now]
        try:
            written = anchor.write_anchor(runtime.engine, store, anchor_key(settings), retention_until(settings))
        except InvalidState as exc:  # another worker wrote this anchor's ordinal first
            logger.info("记录锚点未写入: %s", exc.message)
            return 0
        return 1 if written else 0

    return run


def recompute_provisional_deadlines(runtime: Runtime) -> None:
    """Official holiday data may have arrived since the last start: redo the provisional deadlines."""
    for report in runtime.recompute_provisional():
        logger.info("案件 %s 的期限已按现有节假日数据重新计算: %s", report["case_number"], report["moves"])


# renditions per pass: the timer pass runs again between passes (engine.scheduler), so a timer that falls due
# waits for at most one batch (~25 ms per .docx, ~0.4 s per PDF on a loaded core)
DOCX_BATCH = 5
PDF_BATCH = 1


@contextmanager
def worker_passes(runtime: Runtime, settings: Settings | None = None):
    """The worker's passes: timers, .docx rendering, PDF rendition when LibreOffice is available, and the outbox."""
    from documents.pdf import UnoServer, pdf_status

    settings = settings or get_settings()
    recompute_provisional_deadlines(runtime)
    store = object_store(settings)
    until = partial(retention_until, settings)
    passes = [runtime.fire_due, partial(schedule_due, runtime),
              partial(render_pending, runtime.engine, store, limit=DOCX_BATCH, retain_until=until)]
    server = None
    if settings.pdf_rendition:
        status = pdf_status(settings.uno_dir)
        if status.available:
            server = UnoServer(settings.uno_dir)
            passes.append(partial(convert_pending, runtime.engine, store, server.start(), limit=PDF_BATCH,
                                  retain_until=until))
        else:
            logger.warning(status.message)
    passes.append(partial(apply_outbox, runtime.engine, store))
    passes.append(anchor_pass(runtime, store, settings))
    try:
        yield passes
    finally:
        if server is not None:
            server.stop()
