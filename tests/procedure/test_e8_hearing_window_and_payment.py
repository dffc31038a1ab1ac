"""E8 (DOMAIN.md §12): the county orders a unit to suspend production and fines it 60,000 yuan.

The notice is served on Wednesday 30 September 2026, the last working day before the National Day
holiday (1–7 October; Saturday 10 October is a make-up working day). No statement, no hearing request:
the hearing is waived when the 5-working-day window closes. The penalty is major (hearing-eligible):
legal review and collective discussion. The fine is paid late, after a warning notice, with the
3%-a-day surcharge.
"""

from datetime import date

import pytest

from engine.errors import ValidationFailed
from engine.surcharge import late_surcharge
from engine.vocab import CaseStatus
from tests.procedure import steps

PENALTY = ["suspend_production", "fine"]


def through_decision(case):
    case.start("2026-09-01", {"party": {"kind": "unit", "name": "遂川县某烟花爆竹有限公司"}})
    case.complete("填写立案审批表", steps.filing("遂川县某烟花爆竹有限公司重大事故隐患未整改案",
                                                 "复查发现重大事故隐患逾期未整改", "《安全生产法》第一百零二条"))
    case.complete("审批立案", steps.approve("2026-09-01", "filing_approved"))
    assert case.data["filed_on"] == "2026-09-01" and case.data["decision_due"] == "2026-11-30"
    case.complete("调查取证", steps.investigation(), on="2026-09-10")
    case.complete("制作案件调查报告和处理呈批表", steps.report(penalty_kinds=PENALTY, fine=60000), on="2026-09-21")
    case.complete("审批处理意见", steps.handling("2026-09-22", "penalty"), on="2026-09-22")
    assert case.data["hearing_eligible"] is True
    assert case.ready() == ["送达行政处罚告知书和听证告知书"]

    case.complete("送达行政处罚告知书和听证告知书", steps.notice("2026-09-30"), on="2026-09-30")
    assert case.ready() == ["记录陈述申辩并复核"] and case.case.status == CaseStatus.notified
    # statement: 3 calendar days end on Saturday 3 October, a holiday → next working day, Thursday 8 October
    assert case.task("记录陈述申辩并复核").due_on == date(2026, 10, 8)
    assert case.wait_until("2026-10-08") == []
    assert case.wait_until("2026-10-09") == [case.case.id]
    # hearing request: 5 working days → 8, 9, 10 (make-up Saturday), 12, 13 October
    assert case.ready() == ["登记听证申请"] and case.task("登记听证申请").due_on == date(2026, 10, 13)
    assert case.wait_until("2026-10-13") == []
    assert case.wait_until("2026-10-14") == [case.case.id]  # no request by 24:00 on the 13th: hearing waived

    assert (case.data["major"], case.data["legal_review"], case.data["collective_discussion"]) == (True, True, True)
    assert case.ready() == ["法制审核"] and case.case.status == CaseStatus.reviewing
    case.complete("法制审核", steps.legal_review("2026-10-15", True), on="2026-10-15")
    assert case.ready() == ["集体讨论"] and case.case.status == CaseStatus.discussing
    case.complete("集体讨论", steps.discussion("2026-10-19"), on="2026-10-19")
    assert case.ready() == ["作出行政处罚决定"] and case.task("作出行政处罚决定").due_on == date(2026, 11, 30)
    return case


def test_the_decision_can_never_exceed_the_notice(county_case):
    case = through_decision(county_case)
    case.on("2026-10-22")
    with pytest.raises(ValidationFailed) as heavier_fine:
        case.complete("作出行政处罚决定", steps.decision(PENALTY, 70000))
    assert (heavier_fine.value.code, heavier_fine.value.message) == ("rule_violated", "决定的罚款不得高于告知书中的罚款")
    with pytest.raises(ValidationFailed) as other_kind:
        case.complete("作出行政处罚决定", steps.decision(PENALTY + ["revoke_license"], 60000))
    assert other_kind.value.message == "决定的处罚种类不得超出告知书告知的处罚种类"
    case.complete("作出行政处罚决定", steps.decision(["fine"], 50000))  # lighter than notified: allowed
    assert case.data["decided_fine"] == 50000


def test_e8_waived_hearing_major_decision_late_payment_and_surcharge(county_case):
    case = through_decision(county_case)
    case.complete("作出行政处罚决定", steps.decision(PENALTY, 60000), on="2026-10-22")
    assert case.data["decided_on"] == "2026-10-22"
    # service and publication: 7 working days → 23, 26, 27, 28, 29, 30 October, 2 November
    assert case.task("送达行政处罚决定书").due_on == date(2026, 11, 2)
    assert case.task("公示行政处罚决定").due_on == date(2026, 11, 2)
    case.complete("送达行政处罚决定书", steps.service("2026-10-23", case.data), on="2026-10-23")
    case.complete("公示行政处罚决定", steps.publication("2026-10-26"), on="2026-10-26")

    # pay within 15 days of service on Friday 23 October: Saturday 7 November → Monday 9 November
    assert case.task("登记罚款缴纳").due_on == date(2026, 11, 9)
    assert case.wait_until("2026-11-09") == []
    assert case.wait_until("2026-11-10") == [case.case.id]
    assert case.ready() == ["送达催告书"] and case.case.status == CaseStatus.enforcing

    assert late_surcharge(60000, date(2026, 11, 9), date(2026, 11, 12)) == 5400
    case.complete("送达催告书", steps.payment_reminder("2026-11-12", "2026-11-19"), on="2026-11-12")
    assert case.ready() == ["登记催告后缴纳"]
    surcharge = late_surcharge(60000, date(2026, 11, 9), date(2026, 11, 16))
    assert surcharge == 12600  # 7 days late × 1,800 yuan
    case.complete("登记催告后缴纳", steps.payment("2026-11-16", 60000, float(surcharge)), on="2026-11-16")
    assert late_surcharge(60000, date(2026, 11, 9), date(2026, 12, 28)) == 60000  # the cap: never above the fine

    case.complete("填写结案审批表", steps.closing(), on="2026-11-20")
    case.complete("审批结案", steps.approve("2026-11-23", "closing_approved"), on="2026-11-23")
    case.complete("立卷归档", steps.archive("2026-11-23"), on="2026-11-24")
    assert case.case.status == CaseStatus.archived and case.case.outcome == "penalised"
    assert case.path == [
        "填写立案审批表", "审批立案", "调查取证", "制作案件调查报告和处理呈批表", "审批处理意见", "送达行政处罚告知书和听证告知书",
        "法制审核", "集体讨论", "作出行政处罚决定", "送达行政处罚决定书", "公示行政处罚决定", "送达催告书", "登记催告后缴纳",
        "填写结案审批表", "审批结案", "立卷归档",
    ]
    assert [(s.name, s.role) for s in case.steps[6:9]] == [
        ("法制审核", "legal_reviewer"), ("集体讨论", "agency_head"), ("作出行政处罚决定", "agency_head")]
    assert {"penalty_notice", "hearing_notice", "legal_review_opinion", "collective_discussion_record",
            "penalty_decision", "service_receipt", "payment_reminder"} <= set(case.documents())
    assert "enforcement_application" not in case.documents()


def test_e8_unpaid_after_the_warning_goes_to_court_only_when_remedy_windows_are_closed(county_case):
    case = through_decision(county_case)
    case.complete("作出行政处罚决定", steps.decision(PENALTY, 60000), on="2026-10-22")
    case.complete("送达行政处罚决定书", steps.service("2026-10-23", case.data), on="2026-10-23")
    case.complete("公示行政处罚决定", steps.publication("2026-10-26"), on="2026-10-26")
    case.wait_until("2026-11-10")
    case.complete("送达催告书", steps.payment_reminder("2026-11-12", "2026-11-19"), on="2026-11-12")
    # 10 working days after the warning notice of Thursday 12 November: 13, 16–20, 23–26 November
    assert case.wait_until("2026-11-26") == []
    assert case.wait_until("2026-11-27") == [case.case.id]
    assert case.ready() == ["申请人民法院强制执行"]
    assert case.task("申请人民法院强制执行").role == "agency_head"
    with pytest.raises(ValidationFailed) as early:
        case.complete("申请人民法院强制执行", {"remedy_windows_closed": False, "court": "遂川县人民法院", "reminder_number": case.data["documents"]["payment_reminder"],
                                              "request": "强制执行罚款60000元及加处罚款", "head_name": "李局长", "applied_on": "2026-11-27"})
    assert early.value.message == "复议、诉讼期限届满前不得申请强制执行"


def test_the_court_application_waits_for_the_litigation_window_computed_from_service(county_case):
    """Decision served on 2026-03-26: six months end on Saturday 2026-09-26, a rest day, so the litigation window
    runs to Monday 2026-09-28. The application is refused that day even with the box ticked; it goes on the 29th."""
    case = county_case
    case.start("2026-03-02", {"party": {"kind": "unit", "name": "遂川县某木业有限公司"}})
    case.complete("填写立案审批表", steps.filing("某木业公司案", "未设置警示标志", "《安全生产法》第九十九条"))
    case.complete("审批立案", steps.approve("2026-03-03", "filing_approved"), on="2026-03-03")
    case.complete("调查取证", steps.investigation(), on="2026-03-10")
    case.complete("制作案件调查报告和处理呈批表", steps.report(penalty_kinds=["fine"], fine=15000), on="2026-03-16")
    case.complete("审批处理意见", steps.handling("2026-03-17", "penalty"), on="2026-03-17")
    case.complete("送达行政处罚告知书", steps.notice("2026-03-18"), on="2026-03-18")
    case.wait_until("2026-03-24")
    case.complete("作出行政处罚决定", steps.decision(["fine"], 15000), on="2026-03-25")
    case.complete("送达行政处罚决定书", steps.service("2026-03-26", case.data), on="2026-03-26")
    case.complete("公示行政处罚决定", steps.publication("2026-03-27"), on="2026-03-27")
    case.wait_until("2026-04-11")  # payment was due on 10 April
    case.complete("送达催告书", steps.payment_reminder("2026-04-13", "2026-04-20"), on="2026-04-13")
    case.wait_until("2026-04-28")  # 10 working days after the warning notice
    # within 3 months after the 6-month litigation window: 26 December 2026 is a Saturday → Monday 28 December
    assert case.task("申请人民法院强制执行").due_on == date(2026, 12, 28)
    application = {"remedy_windows_closed": True, "court": "遂川县人民法院",
                   "reminder_number": case.data["documents"]["payment_reminder"],
                   "request": "强制执行罚款15000元及加处罚款", "head_name": "李局长", "applied_on": "2026-09-28"}
    with pytest.raises(ValidationFailed) as early:
        case.complete("申请人民法院强制执行", application, on="2026-09-28")
    assert early.value.message == "复议、诉讼期限届满前不得申请强制执行"
    case.complete("申请人民法院强制执行", {**application, "applied_on": "2026-09-29"}, on="2026-09-29")
    assert "enforcement_application" in case.documents()
