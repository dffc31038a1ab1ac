"""The general procedure's other paths: returns with reasons, preservation by registration, a failed legal
review, a new notice round, the decision-limit reminder and the non-penalty endings."""

from datetime import date

import pytest

from engine.errors import ValidationFailed
from engine.vocab import CaseStatus
from tests.procedure import steps

DAY = "2026-03-02"


def filed(case, day=DAY):
    case.start(day, {"party": {"kind": "unit", "name": "遂川县某机械厂"}})
    case.complete("填写立案审批表", steps.filing("遂川县某机械厂案", "检查发现违法行为", "《安全生产法》"))
    case.complete("审批立案", steps.approve(day, "filing_approved"), on=day)
    return case


def to_disposition(case, disposition="penalty", **report):
    case.complete("调查取证", steps.investigation())
    case.complete("制作案件调查报告和处理呈批表", steps.report(**report))
    case.complete("审批处理意见", steps.handling(case.clock.at.date().isoformat(), disposition))


def test_a_returned_filing_records_the_reasons_and_goes_back_to_the_officer(county_case):
    case = county_case
    case.start(DAY, {"party": {"kind": "unit", "name": "遂川县某机械厂"}})
    case.complete("填写立案审批表", steps.filing("某厂案", "摘要", "《安全生产法》"))
    with pytest.raises(ValidationFailed) as no_reason:
        case.complete("审批立案", {"filing_approved": False, "approved_on": DAY})
    assert "缺少必填项「审批意见」" in no_reason.value.message
    case.complete("审批立案", steps.approve(DAY, "filing_approved", False, "涉嫌违反的条款不明确"))
    assert case.ready() == ["填写立案审批表"] and case.data["head_opinion"] == "涉嫌违反的条款不明确"
    assert "filed_on" not in case.data
    case.complete("填写立案审批表", steps.filing("某厂案", "摘要", "《安全生产法》第九十九条第（一）项"), on="2026-03-04")
    case.complete("审批立案", steps.approve("2026-03-05", "filing_approved"), on="2026-03-05")
    assert case.data["filed_on"] == "2026-03-05" and case.ready() == ["调查取证"]


def test_preservation_by_registration_lapses_after_seven_working_days(county_case):
    case = filed(county_case)
    case.complete("调查取证", steps.investigation(preservation=True), on="2026-03-09")
    assert case.ready() == ["审批先行登记保存"]
    case.complete("审批先行登记保存", steps.approve("2026-03-09", "preservation_approved"))
    case.complete("先行登记保存证据", {"officers": steps.OFFICERS, "preserved_on": "2026-03-10", "storage_place": "厂区仓库",
                                       "preserved_items": [{"name": "配电箱", "quantity": "1台"}]}, on="2026-03-10")
    # 7 working days from Tuesday 10 March: 11, 12, 13, 16, 17, 18, 19 March
    assert case.task("作出先行登记保存处理决定").due_on == date(2026, 3, 19)
    assert case.wait_until("2026-03-19") == []
    assert case.wait_until("2026-03-20") == [case.case.id]
    assert case.ready() == ["逾期解除先行登记保存"]
    case.complete("逾期解除先行登记保存", {"notice_number": case.data["documents"]["preservation_notice"],
                                           "handling": "逾期未作出处理决定，解除先行登记保存，证据已返还当事人"})
    assert case.ready() == ["调查取证"]
    assert [s.documents for s in case.steps[3:6]] == [("preservation_approval",), ("preservation_notice",),
                                                      ("preservation_decision",)]


def test_a_failed_legal_review_returns_to_investigation_with_the_reasons(county_case):
    case = filed(county_case)
    to_disposition(case, penalty_kinds=["fine"], fine=8000, complex_case=True)
    case.complete("送达行政处罚告知书", steps.notice(DAY))
    case.complete("记录陈述申辩并复核", steps.statement(DAY))
    assert case.ready() == ["法制审核"]  # complex case: reviewed although the fine is below the hearing threshold
    case.complete("法制审核", steps.legal_review("2026-03-04", False, "证据不足以证明违法行为持续时间"), on="2026-03-04")
    assert case.ready() == ["调查取证"] and case.case.status == CaseStatus.investigating
    assert (case.data["review_passed"], case.data["conclusion"]) == (False, "证据不足以证明违法行为持续时间")
    to_disposition(case, penalty_kinds=["fine"], fine=8000, complex_case=True)
    case.complete("送达行政处罚告知书", steps.notice("2026-03-09"), on="2026-03-09")
    case.complete("记录陈述申辩并复核", steps.statement("2026-03-09"))
    case.complete("法制审核", steps.legal_review("2026-03-09", True))
    assert case.ready() == ["集体讨论"]
    case.complete("集体讨论", steps.discussion("2026-03-10"), on="2026-03-10")
    case.complete("作出行政处罚决定", steps.decision(["fine"], 8000))
    assert case.path.index("作出行政处罚决定") > len(case.path) - 3  # only reached after the passed review


def test_changed_facts_mean_a_new_notice_and_the_new_notice_caps_the_decision(county_case):
    case = filed(county_case)
    to_disposition(case, penalty_kinds=["fine"], fine=15000)
    case.complete("送达行政处罚告知书", steps.notice(DAY))
    case.complete("记录陈述申辩并复核", steps.statement(DAY, facts_changed=True))
    assert case.ready() == ["制作案件调查报告和处理呈批表"]
    case.complete("制作案件调查报告和处理呈批表", steps.report(penalty_kinds=["fine"], fine=18000), on="2026-03-06")
    case.complete("审批处理意见", steps.handling("2026-03-06", "penalty"))
    case.complete("送达行政处罚告知书", steps.notice("2026-03-06"))
    assert case.data["notice_fine"] == 18000
    assert case.wait_until("2026-03-10") == [case.case.id]  # second window ended on Monday 9 March
    with pytest.raises(ValidationFailed):
        case.complete("作出行政处罚决定", steps.decision(["fine"], 19000))
    case.complete("作出行政处罚决定", steps.decision(["fine"], 18000))
    assert case.path.count("送达行政处罚告知书") == 2


def test_the_head_is_reminded_ten_days_before_the_decision_limit(county_case):
    case = filed(county_case, "2026-03-03")
    assert case.wait_until("2026-05-22") == []
    assert case.wait_until("2026-05-23") == [case.case.id]  # day 80 after filing on 3 March has ended
    assert case.ready() == ["审批是否延长办案期限", "调查取证"]
    reminder = case.task("审批是否延长办案期限")
    assert (reminder.role, reminder.due_on) == ("agency_head", date(2026, 6, 1))
    with pytest.raises(ValidationFailed) as no_term:
        case.complete("审批是否延长办案期限", {"extension_approved": True})
    assert no_term.value.message == "批准延长办案期限时必须写明延长后的期限和理由"
    case.complete("审批是否延长办案期限", {"extension_approved": True, "extended_until": "2026-07-31",
                                           "extension_reason": "需要委托鉴定"})
    assert case.ready() == ["调查取证"]


@pytest.mark.parametrize(("disposition", "task", "data", "document", "outcome"), [
    ("cancel_filing", "制作撤销立案审批表", {"cancellation_ground": "已超过两年追责时效"},
     "filing_cancellation_approval", "filing_cancelled"),
    ("transfer", "制作案件移送书并移送", {"receiving_agency": "遂川县市场监督管理局", "transfer_reason": "锅炉属特种设备",
                                          "materials": "现场检查记录、照片", "transferred_on": DAY},
     "case_transfer_letter", "transferred"),
])
def test_cancelled_and_transferred_cases_are_closed_and_archived(county_case, disposition, task, data, document, outcome):
    case = filed(county_case)
    to_disposition(case, disposition)
    assert case.ready() == [task]
    case.complete(task, data)
    case.complete("填写结案审批表", steps.closing())
    case.complete("审批结案", steps.approve(DAY, "closing_approved", False, "缺少移送回执"))
    assert case.ready() == ["填写结案审批表"]
    case.complete("填写结案审批表", steps.closing())
    case.complete("审批结案", steps.approve(DAY, "closing_approved"))
    case.complete("立卷归档", steps.archive(DAY))
    assert (case.case.status, case.case.outcome) == (CaseStatus.archived, outcome)
    assert document in case.documents() and document in case.data["documents"]
