"""E2 (DOMAIN.md §12): a township's safety manager never recorded hazard checks (SPL Arts. 25, 96);
the township handles it (entrusted) with a 10,000-yuan fine on the person.

Jiangxi profile (hearing from 3,000 for a person): hearing-eligible. The party asks for a hearing,
which a host who is not an investigator holds in the county; after a hearing legal review is
mandatory. National profile (20,000 for a person): not eligible, no hearing, no review.
"""

from datetime import date

import pytest

from engine.errors import ValidationFailed
from engine.vocab import CaseStatus
from tests.procedure import steps


def through_handling(case):
    case.start("2026-06-01", {"party": {"kind": "person", "name": "陈某"}}, party_name="陈某")
    case.complete("填写立案审批表", steps.filing("陈某未如实记录事故隐患排查治理情况案",
                                                 "日常检查发现安全管理人员未记录隐患排查情况", "《安全生产法》第二十五条、第九十六条"))
    case.complete("审批立案", steps.approve("2026-06-01", "filing_approved"))
    assert case.data["decision_due"] == "2026-08-31"  # 90 days end on Sunday 30 August → Monday
    case.complete("调查取证", steps.investigation(), on="2026-06-05")
    case.complete("制作案件调查报告和处理呈批表",
                  steps.report(penalty_kinds=["fine"], fine=10000), on="2026-06-08")
    case.complete("审批处理意见", steps.handling("2026-06-09", "penalty"), on="2026-06-09")


def decide_and_archive(case, decided_on: str):
    case.complete("作出行政处罚决定", steps.decision(["fine"], 10000), on=decided_on)
    case.complete("送达行政处罚决定书", steps.service("2026-07-02", case.data, recipient="陈某"), on="2026-07-02")
    case.complete("公示行政处罚决定", steps.publication("2026-07-03"), on="2026-07-03")
    assert case.task("登记罚款缴纳").due_on == date(2026, 7, 17)
    case.complete("登记罚款缴纳", steps.payment("2026-07-06", 10000), on="2026-07-06")
    case.complete("填写结案审批表", steps.closing(), on="2026-07-07")
    case.complete("审批结案", steps.approve("2026-07-08", "closing_approved"), on="2026-07-08")
    case.complete("立卷归档", steps.archive("2026-07-08"), on="2026-07-09")
    assert case.case.status == CaseStatus.archived and case.case.outcome == "penalised"


def test_e2_jiangxi_profile_hearing_requested_held_and_reviewed(township_case, agencies, use_profile):
    use_profile("jiangxi")
    case = township_case
    through_handling(case)
    assert (case.data["hearing_threshold_person"], case.data["hearing_eligible"]) == (3000, True)
    case.complete("送达行政处罚告知书和听证告知书", steps.notice("2026-06-10"), on="2026-06-10")
    assert case.ready() == ["记录陈述申辩并复核"]
    assert case.wait_until("2026-06-16") == [case.case.id]  # 3 days end Saturday 13 June → closed after Monday 15
    # the party asked for a hearing on 12 June; 5 working days from Wednesday 10 June: 11, 12, 15, 16, 17 June
    assert case.task("登记听证申请").due_on == date(2026, 6, 17)
    with pytest.raises(ValidationFailed) as late:
        case.complete("登记听证申请", {"hearing_requested": True, "hearing_requested_on": "2026-06-18"})
    assert late.value.message == "听证申请已超过告知书送达后5个工作日的期限"
    case.complete("登记听证申请", {"hearing_requested": True, "hearing_requested_on": "2026-06-12"})

    assert case.ready() == ["制作听证会通知书"] and case.case.status == CaseStatus.hearing
    case.on("2026-06-16")
    venue = {"hearing_place": "遂川县应急管理局听证室", "public_hearing": "公开举行"}
    # 7 working days after 16 June (Dragon Boat Festival on Friday 19 June): the hearing is on the 26th at the earliest
    with pytest.raises(ValidationFailed) as too_soon:
        case.complete("制作听证会通知书", {**venue, "hearing_at": steps.at("2026-06-25", 9), "host": "周敏"})
    assert too_soon.value.message == "听证会通知书应当在举行听证的7个工作日前送达"
    with pytest.raises(ValidationFailed) as investigator:
        case.complete("制作听证会通知书", {**venue, "hearing_at": steps.at("2026-06-26", 9), "host": "王强"})
    assert investigator.value.message == "听证主持人不得由本案调查人员担任"
    case.complete("制作听证会通知书", {**venue, "hearing_at": steps.at("2026-06-26", 9), "host": "周敏"})

    hearing = case.task("举行听证")
    assert (hearing.role, hearing.agency_id, hearing.due_on) == ("hearing_host", agencies.county.id, date(2026, 6, 26))
    case.complete("举行听证", {
        "hearing_held": True, "started_at": steps.at("2026-06-26", 9), "ended_at": steps.at("2026-06-26", 11),
        "place": "遂川县应急管理局听证室", "recorder": "孙记录", "participants": "当事人陈某及其委托代理人；调查人员王强、刘洋",
        "proceedings": "调查人员陈述事实、证据和拟处罚意见，当事人申辩、质证", "summary": "当事人对事实无异议，请求从轻",
        "host_opinion": "建议维持拟处罚意见"}, on="2026-06-26")
    assert case.data["legal_review"] is True  # mandatory after a hearing
    case.complete("法制审核", steps.legal_review("2026-06-29", True), on="2026-06-29")
    case.complete("集体讨论", steps.discussion("2026-06-30"), on="2026-06-30")
    decide_and_archive(case, "2026-07-01")

    lanes = {step.name: step.role for step in case.steps}
    assert lanes["调查取证"] == lanes["送达行政处罚告知书和听证告知书"] == lanes["登记听证申请"] == "township_officer"
    assert lanes["审批立案"] == lanes["作出行政处罚决定"] == "agency_head"
    assert (lanes["举行听证"], lanes["法制审核"]) == ("hearing_host", "legal_reviewer")
    assert {"hearing_notice", "hearing_meeting_notice", "hearing_record", "hearing_report", "legal_review_opinion"} <= set(
        case.documents())


def test_e2_national_profile_no_hearing_no_review(township_case, use_profile):
    use_profile("national")
    case = township_case
    through_handling(case)
    assert (case.data["hearing_threshold_person"], case.data["hearing_eligible"]) == (20000, False)
    assert case.ready() == ["送达行政处罚告知书"]
    case.complete("送达行政处罚告知书", steps.notice("2026-06-10"), on="2026-06-10")
    case.complete("记录陈述申辩并复核", steps.statement("2026-06-11"), on="2026-06-11")
    assert case.data["legal_review"] is False
    assert case.ready() == ["作出行政处罚决定"]
    decide_and_archive(case, "2026-07-01")
    assert case.path[5:8] == ["送达行政处罚告知书", "记录陈述申辩并复核", "作出行政处罚决定"]
    assert not {"hearing_notice", "legal_review_opinion", "collective_discussion_record"} & set(case.documents())
