"""After filing and after the decision: an approved extension of the decision limit, and reconsideration or
litigation recorded with their outcomes; a decision changed or revoked has its publication withdrawn."""

from datetime import date

from engine.vocab import CaseStatus
from tests.procedure import steps


def filed(case, day):
    case.start(day, {"party": {"kind": "unit", "name": "遂川县某机械厂"}}, party_name="遂川县某机械厂")
    case.complete("填写立案审批表", steps.filing("遂川县某机械厂案", "检查发现违法行为", "《安全生产法》第九十九条"))
    case.complete("审批立案", steps.approve(day, "filing_approved"))
    return case


def test_an_approved_extension_moves_the_decision_limit(county_case):
    case = filed(county_case, "2026-03-03")
    assert case.data["decision_due"] == "2026-06-01"
    assert case.wait_until("2026-05-23") == [case.case.id]  # 10 days before the limit
    case.complete("审批是否延长办案期限", {"extension_approved": True, "extended_until": "2026-07-31",
                                           "extension_reason": "需要委托鉴定"})
    assert case.ready() == ["调查取证"]
    case.complete("调查取证", steps.investigation(), on="2026-05-25")
    assert case.data["decision_due"] == "2026-07-31"
    assert case.task("制作案件调查报告和处理呈批表").due_on == date(2026, 7, 31)
    case.complete("制作案件调查报告和处理呈批表", steps.report(penalty_kinds=["fine"], fine=15000))
    assert case.task("审批处理意见").due_on == date(2026, 7, 31)
    case.complete("审批处理意见", steps.handling("2026-05-25", "penalty"))
    case.complete("送达行政处罚告知书", steps.notice("2026-05-26"), on="2026-05-26")
    assert case.wait_until("2026-05-30") == [case.case.id]  # statement window ended Friday 29 May
    assert case.task("作出行政处罚决定").due_on == date(2026, 7, 31)


def test_a_refused_extension_keeps_the_decision_limit(county_case):
    case = filed(county_case, "2026-03-03")
    case.wait_until("2026-05-23")
    case.complete("审批是否延长办案期限", {"extension_approved": False})
    case.complete("调查取证", steps.investigation(), on="2026-05-25")
    assert case.data["decision_due"] == "2026-06-01"
    assert case.task("制作案件调查报告和处理呈批表").due_on == date(2026, 6, 1)


def decided_paid_and_closing(case):
    filed(case, "2026-03-02")
    case.complete("调查取证", steps.investigation(), on="2026-03-10")
    case.complete("制作案件调查报告和处理呈批表", steps.report(penalty_kinds=["fine"], fine=15000))
    case.complete("审批处理意见", steps.handling("2026-03-10", "penalty"))
    case.complete("送达行政处罚告知书", steps.notice("2026-03-11"), on="2026-03-11")
    assert case.wait_until("2026-03-17") == [case.case.id]  # window ended Monday 16 March (Saturday 14th rolled)
    case.complete("作出行政处罚决定", steps.decision(["fine"], 15000), on="2026-03-17")
    case.complete("送达行政处罚决定书", steps.service("2026-03-18", case.data), on="2026-03-18")
    case.complete("公示行政处罚决定", steps.publication("2026-03-19"), on="2026-03-19")
    case.complete("登记罚款缴纳", steps.payment("2026-03-30", 15000), on="2026-03-30")
    return case


def test_a_decision_revoked_on_reconsideration_has_its_publication_withdrawn_within_3_working_days(county_case):
    case = decided_paid_and_closing(county_case)
    revoked = steps.remedy("reconsideration", "2026-04-10", "revoked", "2026-05-15")
    case.complete("填写结案审批表", steps.closing_with_remedies(revoked), on="2026-05-18")
    assert (case.data["decision_revoked"], case.data["decision_changed"]) == (True, False)
    withdrawal = case.task("撤回公示")
    # 3 working days from Friday 15 May: 18, 19, 20 May
    assert (case.ready(), withdrawal.role, withdrawal.due_on) == (["撤回公示"], "county_officer", date(2026, 5, 20))
    case.complete("撤回公示", steps.publication_withdrawal("2026-05-19"), on="2026-05-19")
    assert case.step("撤回公示").documents == ("publication_withdrawal_notice",)
    case.complete("审批结案", steps.approve("2026-05-19", "closing_approved"))
    case.complete("立卷归档", steps.archive("2026-05-19"))
    assert case.case.status == CaseStatus.archived
    assert case.path[-4:] == ["填写结案审批表", "撤回公示", "审批结案", "立卷归档"]
    assert "publication_withdrawal_notice" in case.data["documents"]  # issued: the notice's fields were all there


def test_a_decision_changed_by_a_court_is_marked_and_withdrawn_one_upheld_is_not(county_case):
    case = decided_paid_and_closing(county_case)
    upheld = steps.remedy("reconsideration", "2026-04-01", "upheld", "2026-04-20")
    changed = steps.remedy("litigation", "2026-04-25", "changed", "2026-06-05")
    case.complete("填写结案审批表", steps.closing_with_remedies(upheld), on="2026-06-08")
    assert case.ready() == ["审批结案"] and case.data["decision_revoked"] is False
    case.complete("审批结案", steps.approve("2026-06-08", "closing_approved", False, "诉讼尚未审结"))
    case.complete("填写结案审批表", steps.closing_with_remedies(upheld, changed))
    assert (case.data["decision_revoked"], case.data["decision_changed"]) == (False, True)
    assert case.task("撤回公示").due_on == date(2026, 6, 10)  # 8, 9, 10 June
