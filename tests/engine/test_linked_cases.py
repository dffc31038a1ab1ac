"""An end event with `startCase` opens a linked follow-up case that inherits party, findings and evidence."""

import io
import shutil
from datetime import datetime

import pytest
from sqlmodel import Session, select

from api.bootstrap import build_runtime, object_store
from documents.evidence.custody import upload_evidence
from documents.evidence.models import Evidence, EvidenceMeta, EvidenceType
from engine import record
from engine.db import get_engine
from engine.models import Case
from engine.vocab import CaseStatus, Role
from tests.conftest import ENGINE_MODELS, SHANGHAI
from tests.factories import actor, seed_agencies


@pytest.fixture
def linked_runtime(db_url, tmp_path):
    models = shutil.copytree(ENGINE_MODELS, tmp_path / "models")
    bpmn = models / "approval.bpmn"
    bpmn.write_text(bpmn.read_text(encoding="utf-8").replace(
        '<spiffworkflow:property name="outcome" value="approved" />',
        '<spiffworkflow:property name="outcome" value="approved" />'
        '<spiffworkflow:property name="startCase" value="approval" />'
        '<spiffworkflow:property name="startCaseIn" value="county" />'), encoding="utf-8")
    engine = get_engine(db_url)
    yield build_runtime(bpmn_dir=models, engine=engine), seed_agencies(engine)
    engine.dispose()


def test_reported_case_starts_a_linked_county_case_with_evidence_by_reference(linked_runtime, frozen_clock):
    runtime, agencies = linked_runtime
    officer = actor(Role.township_officer, agencies.township)
    party = {"name": "遂川县林峰家具厂"}
    view = runtime.start_case("approval", agency_id=agencies.township.id, actor=officer, kind="case",
                              data={"party": party}, party_name=party["name"], title="未制定安全培训计划")
    with Session(runtime.engine, expire_on_commit=False) as session, session.begin():
        photo = upload_evidence(session, object_store(), case_id=view.case.id, task_id=None, actor=officer,
                                meta=EvidenceMeta(type=EvidenceType.documentary, collected_by=["刘强", "陈敏"],
                                                  collected_at=datetime(2026, 3, 2, 10, tzinfo=SHANGHAI),
                                                  description="培训台账照片", filename="台账.jpg"),
                                stream=io.BytesIO(b"jpeg bytes"), expected_sha256=None)
    view = runtime.complete_task(view.tasks[0].id, {"summary": "未制定培训计划", "reply_by": "2026-03-10"}, officer)
    parent = runtime.complete_task(view.tasks[0].id, {"approved": True}, actor(Role.agency_head, agencies.county))
    assert parent.case.outcome == "approved"
    with Session(runtime.engine) as session:
        child = session.exec(select(Case).where(Case.parent_case_id == parent.case.id)).one()
        assert (child.agency_id, child.status, child.party_name) == (agencies.county.id, CaseStatus.investigating, "遂川县林峰家具厂")
        assert child.number == "（遂）应急立〔2026〕1号"
        [carried] = session.exec(select(Evidence).where(Evidence.case_id == child.id)).all()
        assert (carried.object_key, carried.sha256, carried.transferred_from_id) == (photo.object_key, photo.sha256, photo.id)
        assert [e.kind for e in record.events(session, parent.case.id)][-2:] == ["evidence_transferred_out", "case_linked"]
        assert record.verify(session) == []
    linked = runtime.get_case(child.id)
    assert linked.data["party"] == party and linked.data["source"]["case_number"] == parent.case.number
    assert [t.agency_id for t in linked.tasks] == [agencies.county.id]


def test_the_case_a_step_returns_is_the_case_it_stored(linked_runtime, frozen_clock):
    """Every column of the case the runtime returns is what the database holds, also after a step whose
    end and link hooks append to the case's record (evidence carried out, follow-up case linked)."""
    runtime, agencies = linked_runtime
    officer = actor(Role.township_officer, agencies.township)

    def stored(view):
        with Session(runtime.engine) as session:
            return session.get(Case, view.case.id).model_dump()

    view = runtime.start_case("approval", agency_id=agencies.township.id, actor=officer, kind="case")
    assert view.case.model_dump() == stored(view)
    with Session(runtime.engine, expire_on_commit=False) as session, session.begin():
        upload_evidence(session, object_store(), case_id=view.case.id, task_id=None, actor=officer,
                        meta=EvidenceMeta(type=EvidenceType.documentary, collected_by=["刘强", "陈敏"],
                                          collected_at=datetime(2026, 3, 2, 10, tzinfo=SHANGHAI), filename="台账.jpg"),
                        stream=io.BytesIO(b"jpeg bytes"), expected_sha256=None)
    view = runtime.complete_task(view.tasks[0].id, {"summary": "未制定培训计划", "reply_by": "2026-03-20"}, officer)
    assert view.case.model_dump() == stored(view)
    ended = runtime.complete_task(view.tasks[0].id, {"approved": True}, actor(Role.agency_head, agencies.county))
    assert ended.case.outcome == "approved"
    assert ended.case.model_dump() == stored(ended)
