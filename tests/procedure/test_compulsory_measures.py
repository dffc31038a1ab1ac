"""Compulsory measures (DOMAIN.md §2.1 I3b/I3c, §3 R9, §11): a major accident hazard found at an inspection.

The township records the hazard and reports it at once; the county bureau decides and carries out the
measures in its own case (county officer and head lanes). Seal/seize and on-site measures cannot be
completed without an audio-video evidence item attached to that very step. Seal/seize lasts at most
30 days, extendable once by 30 with the head's approval; the items must be decided on within 15 days.
"""

import io
from datetime import date, datetime

import pytest
from sqlmodel import Session, select

from api.bootstrap import object_store
from documents.evidence.custody import upload_evidence
from documents.evidence.models import EvidenceMeta, EvidenceType
from documents.publication.models import Publication
from engine.db import read_session
from engine.errors import ValidationFailed
from engine.vocab import CaseStatus, Role
from tests.conftest import SHANGHAI
from tests.factories import actor
from tests.procedure import steps
from tests.procedure.inspection_steps import linked_case, record, start_inspection

AMMONIA_HAZARD = {"description": "液氨储罐区泄漏报警装置停用、安全阀失效,仍在充装作业", "provision": "《安全生产法》第三十六条",
                  "major_hazard": True}
SEIZURE = {"officers": steps.OFFICERS, "measure_kind": "查封", "reason": "安全阀失效的液氨储罐不符合保障安全生产的国家标准",
           "seized_items": [{"name": "液氨储罐", "specification": "30立方米", "quantity": "2台", "location": "储罐区"}],
           "place": "遂川县泉江镇工业大道8号储罐区", "term_days": 30, "executed_at": "2026-06-02T15:00"}


def report_hazard(runtime, frozen_clock, agencies, agency, measure: str):
    """Inspection on 2 June 2026 finds the hazard; the officers report it to the county the same day."""
    inspection = start_inspection(runtime, frozen_clock, agency, agencies.county, "2026-06-02")
    inspection.complete("现场检查", record("2026-06-02", [AMMONIA_HAZARD]))
    assert inspection.ready() == ["记录重大事故隐患并立即报告县局"]
    inspection.complete("记录重大事故隐患并立即报告县局", {
        "facts": "液氨储罐区泄漏报警装置停用、安全阀失效,存在重大事故隐患", "proposed_measure": measure,
        "reported_at": "2026-06-02T11:40", "reported_to": "县局执法大队值班室"})
    assert (inspection.case.outcome, inspection.case.status) == ("measures", CaseStatus.reported)
    measures = linked_case(inspection, "compulsory_measures")
    assert measures.case.agency_id == agencies.county.id and measures.data["party"]["name"] == "遂川县林峰家具厂"
    assert (measures.case.kind, measures.case.number) == ("measures", "（遂）应急措〔2026〕1号")
    measures.complete("审查隐患报告并提出措施意见", {
        "measure_type": measure, "hazard": measures.data["facts"], "legal_basis": "《安全生产法》第六十五条第一款第三项、第四项",
        "reasons": "隐患排除前无法保证安全"})
    measures.complete("审批强制措施", {"measures_approved": True, "head_opinion": "同意", "approved_on": "2026-06-02"})
    return measures


def attach_video(runtime, measures, task_name: str) -> None:
    """The officers' body-camera recording of the step, uploaded as 视听资料 evidence of that task."""
    task = measures.task(task_name)
    officer = actor(Role.county_officer, measures.county)
    with Session(runtime.engine, expire_on_commit=False) as session, session.begin():
        upload_evidence(session, object_store(), case_id=measures.case.id, task_id=task.id, actor=officer,
                        meta=EvidenceMeta(type=EvidenceType.audio_video, collected_by=["王强", "刘洋"],
                                          collected_at=datetime(2026, 6, 2, 15, tzinfo=SHANGHAI),
                                          description="执法记录仪全程录像", filename="查封.mp4", content_type="video/mp4"),
                        stream=io.BytesIO(b"mp4 bytes"), expected_sha256=None)


def seize(runtime, frozen_clock, agencies):
    measures = report_hazard(runtime, frozen_clock, agencies, agencies.township, "seal_seize")
    with pytest.raises(ValidationFailed) as too_long:
        measures.complete("实施查封扣押并送达强制措施决定书", SEIZURE | {"term_days": 31})
    assert too_long.value.message == "查封、扣押的期限不得超过30日"
    with pytest.raises(ValidationFailed) as no_video:
        measures.complete("实施查封扣押并送达强制措施决定书", SEIZURE)
    assert no_video.value.code == "video_required"
    attach_video(runtime, measures, "实施查封扣押并送达强制措施决定书")
    measures.complete("实施查封扣押并送达强制措施决定书", SEIZURE)
    assert measures.data["documents"]["coercive_measures_decision"] == "（遂）应急强措〔2026〕1号"
    assert (measures.data["term_ends_on"], measures.data["items_decision_due"]) == ("2026-07-02", "2026-06-17")
    decide = measures.task("对查封扣押物品作出处理决定")
    assert (decide.role, decide.agency_id, decide.due_on) == ("agency_head", agencies.county.id, date(2026, 6, 17))
    publish_seizure(runtime, measures)
    return measures


def publish_seizure(runtime, measures) -> None:
    """公示: the seizure decision, another enforcement decision, within 20 working days (端午 on 19 June not counted)."""
    publish = measures.task("公示查封扣押决定")
    assert (publish.role, publish.due_on) == ("county_officer", date(2026, 7, 1))
    with pytest.raises(ValidationFailed) as late:
        measures.complete("公示查封扣押决定", {"published_on": "2026-07-02", "publication_channel": "遂川县人民政府网站"})
    assert late.value.message == "查封扣押决定应当在作出之日起20个工作日内公示"
    measures.complete("公示查封扣押决定", {"published_on": "2026-06-02", "publication_channel": "遂川县人民政府网站",
                                      "trade_secret_fields": ["place"]})
    with read_session(runtime.engine) as session:
        row = session.exec(select(Publication).where(Publication.case_id == measures.case.id)).one()
    assert row.kind == "other_decision" and row.title == "遂川县林峰家具厂查封扣押决定信息（（遂）应急强措〔2026〕1号）"
    assert "强制措施：查封" in row.text and "液氨储罐 30立方米 2台" in row.text and "期限：2026-06-02至2026-07-02" in row.text
    assert "查封扣押场所：（涉及商业秘密，不予公开）" in row.text and "储罐区" not in row.text.split("查封扣押物品")[0]


def test_township_hazard_is_sealed_by_the_county_extended_once_and_released_when_the_term_ends(
        runtime, agencies, frozen_clock):
    measures = seize(runtime, frozen_clock, agencies)
    lanes = {step.name: (step.role, step.documents) for step in measures.steps}
    assert lanes == {"审查隐患报告并提出措施意见": ("county_officer", ()), "审批强制措施": ("agency_head", ()),
                     "实施查封扣押并送达强制措施决定书": ("county_officer", ("coercive_measures_decision",)),
                     "公示查封扣押决定": ("county_officer", ())}

    # complex case: on 10 June the head extends the term once by 30 days, from 2 July to Saturday 1 August → Monday 3 August
    measures.complete("对查封扣押物品作出处理决定", {"disposition": "extend", "reasons": "需委托检验机构检测", "decided_on": "2026-06-10"},
                      on="2026-06-10")
    assert measures.data["term_ends_on"] == "2026-08-03" and measures.data["term_extended"] is True
    with pytest.raises(ValidationFailed) as twice:
        measures.complete("对查封扣押物品作出处理决定", {"disposition": "extend", "reasons": "检测未完成", "decided_on": "2026-06-12"},
                          on="2026-06-12")
    assert twice.value.message == "查封、扣押期限只能延长一次,延长期限不得超过30日"

    # no decision on the items within 15 days (by 17 June): the lapse is recorded, the decision stays open
    assert measures.wait_until("2026-06-17") == []
    assert measures.wait_until("2026-06-18") == [measures.case.id]
    assert measures.data["items_decision_overdue"] is True and measures.ready() == ["对查封扣押物品作出处理决定"]
    # the original 30-day term (2 July) no longer applies; the extended one ends on 3 August
    assert measures.wait_until("2026-07-03") == []
    assert measures.wait_until("2026-08-03") == []
    assert measures.wait_until("2026-08-04") == [measures.case.id]
    release = measures.task("解除查封扣押")
    assert (release.role, release.agency_id) == ("county_officer", agencies.county.id)
    measures.complete("解除查封扣押", {"released_at": "2026-08-04T10:30", "release_reason": "查封期限届满",
                                   "items_returned": "液氨储罐2台解除查封,交还当事人", "penalty_needed": False})
    assert (measures.case.outcome, measures.case.status) == ("measures_closed", CaseStatus.closed)


def test_items_decided_within_15_days_open_the_county_penalty_case(runtime, agencies, frozen_clock):
    measures = seize(runtime, frozen_clock, agencies)
    measures.complete("对查封扣押物品作出处理决定", {"disposition": "file_case", "reasons": "储罐不符合国家标准,依法立案查处",
                                            "decided_on": "2026-06-15"}, on="2026-06-15")
    assert (measures.case.outcome, measures.case.status, measures.case.next_due) == ("penalty_case", CaseStatus.closed, None)
    assert measures.data["items_decision_overdue"] is False
    penalty = linked_case(measures, "general_procedure")
    assert penalty.case.agency_id == agencies.county.id and penalty.data["party"]["name"] == "遂川县林峰家具厂"
    assert [(t.name, t.role) for t in penalty.view.tasks] == [("填写立案审批表", "county_officer")]


def test_seal_without_any_decision_is_released_when_the_30_day_term_ends(runtime, agencies, frozen_clock):
    measures = seize(runtime, frozen_clock, agencies)
    assert measures.wait_until("2026-06-18") == [measures.case.id]  # 15 days lapsed on 17 June
    assert measures.wait_until("2026-07-02") == []
    assert measures.wait_until("2026-07-03") == [measures.case.id]  # 30 days ended on Thursday 2 July
    assert measures.ready() == ["解除查封扣押"]


def test_county_inspection_onsite_measures_need_video_and_a_term_of_at_most_six_months(runtime, agencies, frozen_clock):
    measures = report_hazard(runtime, frozen_clock, agencies, agencies.county, "onsite")
    onsite = {"officers": steps.OFFICERS, "measure_kinds": ["evacuate", "stop_use"],
              "measures": "立即撤出储罐区作业人员,停止使用1号、2号液氨储罐", "measure_term": "至重大事故隐患排除并经审查同意",
              "measure_until": "2026-12-03", "executed_at": "2026-06-02T14:00"}
    with pytest.raises(ValidationFailed) as too_long:  # six months from 2 June end on 2 December
        measures.complete("实施现场处理措施并送达现场处理措施决定书", onsite)
    assert too_long.value.message == "暂时停产停业或者停止使用的期限不得超过6个月"
    with pytest.raises(ValidationFailed) as no_video:
        measures.complete("实施现场处理措施并送达现场处理措施决定书", onsite | {"measure_until": "2026-12-02"})
    assert no_video.value.code == "video_required"
    attach_video(runtime, measures, "实施现场处理措施并送达现场处理措施决定书")
    measures.complete("实施现场处理措施并送达现场处理措施决定书", onsite | {"measure_until": "2026-07-31"})
    assert measures.data["documents"]["onsite_measures_decision"] == "（遂）应急现决〔2026〕1号"
    resume = measures.task("审查隐患排除情况并决定恢复生产经营")
    assert (resume.role, resume.due_on) == ("agency_head", date(2026, 7, 31))
    measures.complete("审查隐患排除情况并决定恢复生产经营", {
        "hazard_eliminated": True, "review_opinion": "安全阀已更换并检验合格,报警装置恢复", "resumed_on": "2026-06-20",
        "penalty_needed": True}, on="2026-06-22")
    assert measures.case.outcome is None and measures.ready() == ["公示现场处理措施决定"]  # the case ends once published
    measures.complete("公示现场处理措施决定", {"published_on": "2026-06-23", "publication_channel": "遂川县人民政府网站"},
                      on="2026-06-23")
    assert measures.case.outcome == "penalty_case"
    assert linked_case(measures, "general_procedure").case.agency_id == agencies.county.id
