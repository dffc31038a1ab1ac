"""E3 (DOMAIN.md §12): a township finds no warning signs and no protective equipment (SPL Art. 99) and
reports to the county, which files a general-procedure case and fines the unit 15,000 yuan.
Below the Jiangxi hearing threshold for organisations (20,000): no hearing, no legal review."""

from engine.vocab import CaseStatus
from tests.procedure import steps


def test_e3_county_general_procedure_without_hearing_or_review(county_case):
    case = county_case
    case.start("2026-03-02", {"party": {"kind": "unit", "name": "遂川县某木业有限公司"}}, party_name="遂川县某木业有限公司")
    assert case.ready() == ["填写立案审批表"] and case.case.status == CaseStatus.filed

    case.complete("填写立案审批表", steps.filing("遂川县某木业有限公司未设置安全警示标志案",
                                                 "泉江镇检查发现作业场所未设置警示标志、未提供劳动防护用品", "《安全生产法》第九十九条"))
    case.complete("审批立案", steps.approve("2026-03-03", "filing_approved"), on="2026-03-03")
    assert case.data["filed_on"] == "2026-03-03"
    assert case.data["decision_due"] == "2026-06-01"  # 90 calendar days after filing
    assert case.data["hearing_threshold_org"] == 20000  # jiangxi profile in force on the filing date
    assert case.task("调查取证").due_on.isoformat() == "2026-06-01"
    assert case.case.status == CaseStatus.investigating

    case.complete("调查取证", steps.investigation(), on="2026-03-10")
    case.complete("制作案件调查报告和处理呈批表", steps.report(penalty_kinds=["fine"], fine=15000), on="2026-03-16")
    case.complete("审批处理意见", steps.handling("2026-03-17", "penalty"), on="2026-03-17")
    assert case.data["hearing_eligible"] is False
    assert case.ready() == ["送达行政处罚告知书"]

    case.complete("送达行政处罚告知书", steps.notice("2026-03-18"), on="2026-03-18")
    assert case.case.status == CaseStatus.notified
    # 3 calendar days from Wednesday 18 March end on Saturday 21 March → next working day, Monday 23 March
    assert case.task("记录陈述申辩并复核").due_on.isoformat() == "2026-03-23"
    assert case.wait_until("2026-03-23") == []
    assert case.wait_until("2026-03-24") == [case.case.id]  # window closed at 24:00 on the 23rd, no statement

    assert case.data["legal_review"] is False and case.data["collective_discussion"] is False
    assert case.ready() == ["作出行政处罚决定"] and case.case.status == CaseStatus.deciding
    case.complete("作出行政处罚决定", steps.decision(["fine"], 15000), on="2026-03-25")
    assert case.data["decision_number"] == case.data["documents"]["penalty_decision"]
    assert case.ready() == ["公示行政处罚决定", "送达行政处罚决定书"]
    # 7 working days from Wednesday 25 March: 26, 27, 30, 31 March, 1, 2, 3 April
    assert case.task("送达行政处罚决定书").due_on.isoformat() == "2026-04-03"
    assert case.task("公示行政处罚决定").due_on.isoformat() == "2026-04-03"

    case.complete("送达行政处罚决定书", steps.service("2026-03-26", case.data), on="2026-03-26")
    case.complete("公示行政处罚决定", steps.publication("2026-03-27"), on="2026-03-27")
    assert case.case.status == CaseStatus.enforcing
    assert case.task("登记罚款缴纳").due_on.isoformat() == "2026-04-10"  # 15 days from service on 26 March
    case.complete("登记罚款缴纳", steps.payment("2026-04-08", 15000), on="2026-04-08")

    case.complete("填写结案审批表", steps.closing(), on="2026-04-13")
    case.complete("审批结案", steps.approve("2026-04-14", "closing_approved"), on="2026-04-14")
    case.complete("立卷归档", steps.archive("2026-04-14"), on="2026-04-15")

    assert case.case.completed and case.case.status == CaseStatus.archived and case.case.outcome == "penalised"
    assert case.path == [
        "填写立案审批表", "审批立案", "调查取证", "制作案件调查报告和处理呈批表", "审批处理意见", "送达行政处罚告知书",
        "作出行政处罚决定", "送达行政处罚决定书", "公示行政处罚决定", "登记罚款缴纳", "填写结案审批表", "审批结案", "立卷归档",
    ]
    assert [(s.name, s.role) for s in case.steps if s.role != "county_officer"] == [
        ("审批立案", "agency_head"), ("审批处理意见", "agency_head"), ("作出行政处罚决定", "agency_head"),
        ("审批结案", "agency_head"),
    ]
    assert case.documents() == [
        "filing_approval", "investigation_report", "case_handling_approval", "penalty_notice", "service_receipt",
        "penalty_decision", "closing_approval",
    ]
    assert set(case.data["documents"]) == set(case.documents())  # every declared document was issued with a number

