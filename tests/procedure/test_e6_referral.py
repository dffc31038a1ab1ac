"""E6 (DOMAIN.md §12, §6.2): a storage area under an on-site measures decision (major hazard) is still in use
at re-inspection: suspected 危险作业罪, a county case referred to the police.

Day 0 (Monday 13 April 2026): the head chooses criminal referral; the team of two officers is formed the same
day. The head approves within 3 days, the transfer follows within 24 hours with a copy to the procuratorate. The
police decline; the head decides to ask them to reconsider and the officers send the 提请复议书 within 3 days;
they uphold; the bureau suggests procuratorate supervision (立案监督建议书) within 3 days; the police still do not file: non-filing is final and the administrative case resumes
at the end of investigation (C3), then a penalty with a hearing: suspension of production and a fine.
While the referral is pending the case shows `referred` and no fine can be decided.
"""

from datetime import date

import pytest

from engine import scripting
from engine.errors import ValidationFailed
from engine.vocab import CaseStatus
from tests.procedure import steps

PENALTY = ["suspend_production", "fine"]
DECISION = "作出行政处罚决定"
REQUEST, SUGGESTION = "制作提请复议书并送达公安机关", "制作立案监督建议书并送达人民检察院"
REFERRAL_STEPS = ["成立专案组并制作移送报告", "审批是否移送公安机关", "移送公安机关并抄送检察院", "登记公安机关是否立案",
                  "决定提请复议或建议立案监督", REQUEST, "登记公安机关复议决定", "决定提请复议或建议立案监督", SUGGESTION,
                  "登记检察院立案监督结果"]


def referred(case):
    case.start("2026-04-01", {"party": {"kind": "unit", "name": "遂川县某化工有限公司"}, "crime_suspected": True},
               party_name="遂川县某化工有限公司")
    case.complete("填写立案审批表", steps.filing("遂川县某化工有限公司重大事故隐患区域拒不停止使用案",
                                                 "复查发现责令停止使用的储存区仍在使用", "《安全生产法》第一百零二条"))
    case.complete("审批立案", steps.approve("2026-04-01", "filing_approved"))
    assert case.data["decision_due"] == "2026-06-30"
    case.complete("调查取证", steps.investigation(), on="2026-04-08")
    case.complete("制作案件调查报告和处理呈批表", steps.report(proposal="涉嫌危险作业罪，建议移送公安机关"), on="2026-04-10")
    case.complete("审批处理意见", steps.handling("2026-04-13", "criminal_referral"), on="2026-04-13")
    return case


def assert_no_fine_while_referred(case):
    assert case.case.status == CaseStatus.referred and case.data["referral_pending"] is True
    assert DECISION not in case.ready()


def test_e6_referral_declined_reconsidered_supervised_then_resumed_to_a_penalty_with_hearing(county_case):
    case = referred(county_case)
    team = case.task("成立专案组并制作移送报告")
    assert (team.role, team.due_on) == ("county_officer", date(2026, 4, 13))  # immediately: day 0
    assert_no_fine_while_referred(case)
    case.complete("成立专案组并制作移送报告", steps.referral_team("2026-04-13"))
    assert case.step("成立专案组并制作移送报告").documents == ("referral_report",)

    assert case.task("审批是否移送公安机关").due_on == date(2026, 4, 16)  # the head decides within 3 days
    case.complete("审批是否移送公安机关", steps.referral_approval("2026-04-15"), on="2026-04-15")
    # approved at 10:00 on 15 April: transfer within 24 hours
    assert case.task("移送公安机关并抄送检察院").due_on == date(2026, 4, 16)
    case.complete("移送公安机关并抄送检察院", steps.referral_transfer(steps.at("2026-04-16", 9), "2026-04-16"),
                  on="2026-04-16")
    assert case.data["documents"]["criminal_referral_letter"]
    assert_no_fine_while_referred(case)

    # police decision within 3 days: Sunday 19 April → Monday 20 April
    assert case.task("登记公安机关是否立案").due_on == date(2026, 4, 20)
    case.complete("登记公安机关是否立案", steps.police_decision("2026-04-18", "2026-04-20", filed=False), on="2026-04-20")
    assert case.ready() == ["决定提请复议或建议立案监督"]
    assert case.task("决定提请复议或建议立案监督").due_on == date(2026, 4, 23)
    case.complete("决定提请复议或建议立案监督", steps.objection("reconsideration"), on="2026-04-21")
    assert case.task(REQUEST).due_on == date(2026, 4, 23)  # still within 3 days of the notice received on 20 April
    case.on("2026-04-24")
    with pytest.raises(ValidationFailed) as late:
        case.complete(REQUEST, steps.objection_letter("2026-04-24"))
    assert late.value.message == "应当自收到不予立案通知书或者复议决定之日起3日内提出"
    case.complete(REQUEST, steps.objection_letter("2026-04-22"))
    assert case.data["documents"]["reconsideration_request"] == "（遂）应急提复〔2026〕1号"

    # the police answer within 3 days: Saturday 25 April → Monday 27 April
    assert case.task("登记公安机关复议决定").due_on == date(2026, 4, 27)
    case.complete("登记公安机关复议决定", steps.reconsideration_answer("2026-04-24", filed=False))
    assert case.task("决定提请复议或建议立案监督").due_on == date(2026, 4, 27)  # 3 days from the answer
    with pytest.raises(ValidationFailed) as twice:
        case.complete("决定提请复议或建议立案监督", steps.objection("reconsideration"), on="2026-04-27")
    assert twice.value.message == "已经提请过复议，对复议决定仍有异议的，应当建议人民检察院立案监督"
    case.complete("决定提请复议或建议立案监督", steps.objection("supervision"))
    case.complete(SUGGESTION, steps.objection_letter("2026-04-27"))
    assert case.data["documents"]["supervision_suggestion"] == "（遂）应急监建〔2026〕1号"
    assert_no_fine_while_referred(case)

    case.complete("登记检察院立案监督结果", steps.supervision_result("2026-05-08", filed=False), on="2026-05-08")
    # non-filing is final: back at C3, the fine is possible again
    assert case.ready() == ["制作案件调查报告和处理呈批表"] and case.case.status == CaseStatus.investigating
    assert (case.data["referral_pending"], case.data["referral_result"]) == (False, "not_filed")
    assert case.path[5:] == REFERRAL_STEPS
    lanes = {step.name: step.role for step in case.steps[5:]}
    assert lanes == {"成立专案组并制作移送报告": "county_officer", "审批是否移送公安机关": "agency_head",
                     "移送公安机关并抄送检察院": "county_officer", "登记公安机关是否立案": "county_officer",
                     "决定提请复议或建议立案监督": "agency_head", REQUEST: "county_officer",
                     "登记公安机关复议决定": "county_officer", SUGGESTION: "county_officer",
                     "登记检察院立案监督结果": "county_officer"}

    case.complete("制作案件调查报告和处理呈批表", steps.report(penalty_kinds=PENALTY, fine=100000), on="2026-05-11")
    case.complete("审批处理意见", steps.handling("2026-05-11", "penalty"))
    assert case.ready() == ["送达行政处罚告知书和听证告知书"]
    case.complete("送达行政处罚告知书和听证告知书", steps.notice("2026-05-12"), on="2026-05-12")
    case.complete("记录陈述申辩并复核", steps.statement("2026-05-13"), on="2026-05-13")
    case.complete("登记听证申请", {"hearing_requested": True, "hearing_requested_on": "2026-05-13"})
    # 7 working days before the hearing: 15, 18, 19, 20, 21, 22, 25 May
    case.complete("制作听证会通知书", steps.hearing_schedule(steps.at("2026-05-25", 9)), on="2026-05-14")
    case.complete("举行听证", steps.hearing("2026-05-25"), on="2026-05-25")
    case.complete("法制审核", steps.legal_review("2026-05-26", True), on="2026-05-26")
    case.complete("集体讨论", steps.discussion("2026-05-27"), on="2026-05-27")
    assert case.task(DECISION).due_on == date(2026, 6, 30)  # 90 days from filing on 1 April
    case.complete(DECISION, steps.decision(PENALTY, 100000), on="2026-05-28")
    case.complete("送达行政处罚决定书", steps.service("2026-05-29", case.data), on="2026-05-29")
    case.complete("公示行政处罚决定", steps.publication("2026-05-29"))
    case.complete("登记罚款缴纳", steps.payment("2026-06-10", 100000), on="2026-06-10")
    case.complete("填写结案审批表", steps.closing(), on="2026-06-11")
    case.complete("审批结案", steps.approve("2026-06-12", "closing_approved"), on="2026-06-12")
    case.complete("立卷归档", steps.archive("2026-06-12"))
    assert (case.case.status, case.case.outcome) == (CaseStatus.archived, "penalised")
    assert {"referral_report", "criminal_referral_letter", "reconsideration_request", "supervision_suggestion",
            "hearing_notice", "hearing_record", "penalty_decision"} <= set(case.documents())


def test_the_decision_refuses_a_fine_while_a_referral_is_pending(county_case):
    """The decision task lies behind the referral on the path, and its own rule refuses a pending referral."""
    rules = dict((message, expression) for expression, message in
                 county_case.runtime.specs.latest("general_procedure").tasks["decide_penalty"].validations)
    rule = rules["案件已移送司法机关、等待公安机关决定期间，不得作出罚款决定"]
    assert scripting.evaluate(rule, {"referral_pending": True}) is False
    assert scripting.evaluate(rule, {"referral_pending": False}) is True
    assert scripting.evaluate(rule, {}) is True  # a case never referred


def test_police_filing_closes_and_archives_the_administrative_case(county_case):
    case = referred(county_case)
    case.complete("成立专案组并制作移送报告", steps.referral_team("2026-04-13"))
    case.complete("审批是否移送公安机关", steps.referral_approval("2026-04-14"), on="2026-04-14")
    case.complete("移送公安机关并抄送检察院", steps.referral_transfer(steps.at("2026-04-14", 10), "2026-04-14"),
                  on="2026-04-14")
    case.complete("登记公安机关是否立案", steps.police_decision("2026-04-16", "2026-04-16", filed=True), on="2026-04-16")
    assert case.ready() == ["填写结案审批表"] and case.data["referral_result"] == "accepted"
    case.complete("填写结案审批表", {"result": "涉嫌危险作业罪，已移送遂川县公安局立案侦查",
                                      "enforcement_status": "现场处理措施决定书继续有效"})
    case.complete("审批结案", steps.approve("2026-04-16", "closing_approved"))
    case.complete("立卷归档", steps.archive("2026-04-16"))
    assert (case.case.status, case.case.outcome) == (CaseStatus.archived, "referred_accepted")
    assert DECISION not in case.path


def test_a_refused_referral_records_the_reasons_and_resumes_the_case(county_case):
    case = referred(county_case)
    case.complete("成立专案组并制作移送报告", steps.referral_team("2026-04-13"))
    with pytest.raises(ValidationFailed) as no_reasons:
        case.complete("审批是否移送公安机关", steps.referral_approval("2026-04-14", approved=False), on="2026-04-14")
    assert no_reasons.value.message == "不批准移送的，应当将不予批准的理由记录在案"
    case.complete("审批是否移送公安机关", steps.referral_approval("2026-04-14", False, "尚未造成现实危险，不符合危险作业罪的立案标准"))
    assert case.ready() == ["制作案件调查报告和处理呈批表"] and case.case.status == CaseStatus.investigating
    assert (case.data["referral_result"], case.data["refusal_reasons"]) == ("refused", "尚未造成现实危险，不符合危险作业罪的立案标准")
