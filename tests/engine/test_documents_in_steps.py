"""Documents declared on a BPMN task: numbered in the step, rendered by the worker, hashed into the record."""

import io
from datetime import datetime, timezone

import pytest
from docx import Document
from sqlmodel import Session, select

from api.bootstrap import build_runtime, object_store
from documents.models import IssuedDocument
from documents.render import render_docx
from documents.rendition import render_pending
from engine import record
from engine.db import get_engine, transaction
from engine.errors import ValidationFailed
from engine.settings import get_settings
from engine.vocab import Role
from engine.work_items import failure_summary, failures
from tests.engine.test_inspection_stage import ORDER, PROBLEM, Driver, record_data
from tests.factories import seed_agencies


def test_step_numbers_its_documents_and_the_worker_renders_them(inspection_runtime, frozen_clock):
    runtime, agencies = inspection_runtime
    d = Driver(runtime, agencies.township, Role.township_officer)
    d.do("现场检查", record_data([PROBLEM]))
    d.do("责令限期整改", ORDER)
    with Session(runtime.engine) as session:
        docs = session.exec(select(IssuedDocument).where(IssuedDocument.case_id == d.view.case.id).order_by(IssuedDocument.id)).all()
        assert [(doc.doc_id, doc.number) for doc in docs] == [
            ("inspection_record", "（遂）应急检记〔2026〕1号"), ("rectification_order", "（遂）应急责改〔2026〕1号")]
        step = [e for e in record.events(session, d.view.case.id) if e.task_name == "责令限期整改"][0]
        assert step.outputs[0]["number"] == "（遂）应急责改〔2026〕1号" and len(step.outputs[0]["sha256"]) == 64
    assert d.view.data["documents"]["rectification_order"] == "（遂）应急责改〔2026〕1号"

    store = object_store()
    assert render_pending(runtime.engine, store) == 2
    assert render_pending(runtime.engine, store) == 0
    with Session(runtime.engine) as session:
        order = session.exec(select(IssuedDocument).where(IssuedDocument.doc_id == "rectification_order")).one()
        rendered = [e for e in record.events(session, d.view.case.id) if e.kind == "document_rendered"]
        assert {e.outputs[0]["sha256"] for e in rendered} >= {order.docx_sha256}
        assert record.verify(session) == []
    with store.open(order.docx_object_key) as stream:
        docx = Document(io.BytesIO(stream.read()))
    text = "\n".join([p.text for p in docx.paragraphs] + [c.text for t in docx.tables for r in t.rows for c in r.cells])
    assert "（遂）应急责改〔2026〕1号" in text and "遂川县林峰家具厂" in text and "2026年3月16日" in text


def test_a_missing_document_field_blocks_the_step_naming_the_field(db_url, frozen_clock, tmp_path):
    """A task that declares 现场检查记录 but whose form does not collect the record's fields."""
    import shutil

    from tests.conftest import ENGINE_MODELS
    from tests.factories import actor

    models = shutil.copytree(ENGINE_MODELS, tmp_path / "models")
    bpmn = models / "approval.bpmn"
    bpmn.write_text(bpmn.read_text(encoding="utf-8").replace(
        '<spiffworkflow:property name="caseStatus" value="investigating" />',
        '<spiffworkflow:property name="caseStatus" value="investigating" />'
        '<spiffworkflow:property name="documents" value="inspection_record" />'), encoding="utf-8")
    engine = get_engine(db_url)
    runtime = build_runtime(bpmn_dir=models, engine=engine)
    agencies = seed_agencies(engine)
    officer = actor(Role.county_officer, agencies.county)
    view = runtime.start_case("approval", agency_id=agencies.county.id, actor=officer, kind="case")
    with pytest.raises(ValidationFailed) as err:
        runtime.complete_task(view.tasks[0].id, {"summary": "摘要", "reply_by": "2026-03-10"}, officer)
    assert err.value.message.startswith("「现场检查记录」缺少必填项：")
    assert err.value.details["document"] == "inspection_record"
    after = runtime.get_case(view.case.id)
    assert [t.id for t in after.tasks] == [view.tasks[0].id] and after.case.revision == view.case.revision
    with Session(engine) as session:
        assert session.exec(select(IssuedDocument)).first() is None
    engine.dispose()


def test_a_document_one_worker_is_rendering_is_not_rendered_by_another(inspection_runtime, frozen_clock):
    """Rendering runs outside any transaction, on a claimed document: a second worker passes it by."""
    from documents.rendition import DOCX_TYPE, _rendition_pass

    runtime, agencies = inspection_runtime
    Driver(runtime, agencies.township, Role.township_officer).do("现场检查", record_data([PROBLEM]))
    store = object_store()

    def produce_while_another_worker_runs(document):
        assert render_pending(runtime.engine, store) == 0
        return render_docx(document.snapshot)

    assert _rendition_pass(runtime.engine, store, "docx", DOCX_TYPE, produce_while_another_worker_runs,
                           limit=5, retain_until=None) == 1
    with Session(runtime.engine) as session:
        [document] = session.exec(select(IssuedDocument)).all()
        assert [e.kind for e in record.events(session, document.case_id)].count("document_rendered") == 1
    assert list(store.iter_keys(older_than=datetime(2100, 1, 1, tzinfo=timezone.utc))) == [document.docx_object_key]


def test_a_document_that_does_not_render_is_kept_aside_and_the_others_are_rendered(inspection_runtime, frozen_clock,
                                                                                    monkeypatch):
    monkeypatch.setenv("ZHIFA_WORKER_MAX_ATTEMPTS", "2")
    get_settings.cache_clear()
    runtime, agencies = inspection_runtime
    d = Driver(runtime, agencies.township, Role.township_officer)
    d.do("现场检查", record_data([PROBLEM]))
    case_id = d.view.case.id
    with transaction(runtime.engine) as session:  # a snapshot a catalogue change left unrenderable
        broken = IssuedDocument(case_id=case_id, doc_id="retired_form", title="已停用文书", issuer="suichuan_em",
                                snapshot={"doc_id": "retired_form"}, issued_at=frozen_clock())
        session.add(broken)
    store = object_store()

    assert render_pending(runtime.engine, store) == 1
    assert render_pending(runtime.engine, store) == 0
    frozen_clock.advance(seconds=60)
    assert render_pending(runtime.engine, store) == 0
    with Session(runtime.engine) as session:
        rendered = session.exec(select(IssuedDocument).where(IssuedDocument.docx_object_key.is_not(None))).all()
        [failure] = failures(session)
    assert [d.doc_id for d in rendered] == ["inspection_record"]
    assert (failure.pass_name, failure.item_id, failure.attempts) == ("docx", broken.id, 2)
    assert failure_summary(failure) == f"文书生成: 文书 {broken.id}(案件 {case_id}) 已失败 2 次, 已停止重试"


def test_documents_are_rendered_in_batches_and_one_that_cannot_be_recorded_holds_up_no_other(inspection_runtime,
                                                                                              frozen_clock):
    """A batch is recorded in one transaction; when that fails, each document is recorded on its own."""
    from documents.rendition import DOCX_TYPE, _record
    from engine.work_items import LeasedPass

    runtime, agencies = inspection_runtime
    d = Driver(runtime, agencies.township, Role.township_officer)
    d.do("现场检查", record_data([PROBLEM]))
    d.do("责令限期整改", ORDER)
    store = object_store()
    with Session(runtime.engine) as session:
        first, second = session.exec(select(IssuedDocument).order_by(IssuedDocument.id)).all()

    def record_unless_first(session, document, stored):
        if document.id == first.id:
            raise RuntimeError("磁盘已满")
        return _record("docx", None, session, document, stored)

    def work(document):
        return store.put_stream(io.BytesIO(render_docx(document.snapshot)), max_bytes=10**7, content_type=DOCX_TYPE)

    conditions = (IssuedDocument.docx_object_key.is_(None),)
    assert LeasedPass("docx", IssuedDocument, work, record_unless_first, conditions).run(runtime.engine, 10) == 1
    with Session(runtime.engine) as session:
        rendered = session.exec(select(IssuedDocument).where(IssuedDocument.docx_object_key.is_not(None))).all()
        [failure] = failures(session)
        assert [doc.id for doc in rendered] == [second.id]
        assert (failure.item_id, failure.last_error) == (first.id, "RuntimeError: 磁盘已满")
        assert all(doc.claimed_until is None for doc in session.exec(select(IssuedDocument)))
        events = [e.kind for e in record.events(session, d.view.case.id)]
    assert events.count("document_rendered") == 1
