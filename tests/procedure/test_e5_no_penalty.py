"""E5 (DOMAIN.md §12): a hazardous-chemicals producer lacks the label and safety data sheet; it corrected
at once, first time, no harm. The head decides no penalty (APL Art. 33); variant: facts not established.
Either way the case is served, closed and archived, and nothing is published."""

import pytest

from engine.vocab import CaseStatus
from tests.procedure import steps


@pytest.mark.parametrize(("disposition", "basis", "outcome"), [
    ("no_penalty", "《中华人民共和国行政处罚法》第三十三条第一款", "no_penalty"),
    ("not_established", "《中华人民共和国行政处罚法》第五十七条第一款第（三）项", "not_established"),
])
def test_e5_no_penalty_ends_in_closing_and_archive(county_case, disposition, basis, outcome):
    case = county_case
    case.start("2026-05-06", {"party": {"kind": "unit", "name": "遂川县某化工有限公司"}})
    case.complete("填写立案审批表", steps.filing("遂川县某化工有限公司危险化学品未附安全技术说明书案",
                                                 "检查发现危险化学品包装未粘贴安全标签、未附安全技术说明书", "《危险化学品安全管理条例》第七十八条"))
    case.complete("审批立案", steps.approve("2026-05-06", "filing_approved"))
    assert case.data["decision_due"] == "2026-08-04"
    case.complete("调查取证", steps.investigation(), on="2026-05-12")
    case.complete("制作案件调查报告和处理呈批表", steps.report(proposal="建议不予行政处罚"), on="2026-05-18")
    case.complete("审批处理意见", steps.handling("2026-05-19", disposition), on="2026-05-19")

    assert case.ready() == ["制作不予行政处罚决定书"] and case.case.status == CaseStatus.deciding
    assert case.task("制作不予行政处罚决定书").role == "county_officer"
    case.complete("制作不予行政处罚决定书", {"ground": "违法行为轻微并及时改正，没有造成危害后果", "ground_basis": basis,
                                             "education_given": True}, on="2026-05-20")
    # 7 working days from Wednesday 20 May: 21, 22, 25, 26, 27, 28, 29 May
    assert case.task("送达不予行政处罚决定书").due_on.isoformat() == "2026-05-29"
    case.complete("送达不予行政处罚决定书", steps.service("2026-05-21", case.data, "no_penalty_decision"), on="2026-05-21")
    case.complete("填写结案审批表", steps.closing(), on="2026-05-25")
    case.complete("审批结案", steps.approve("2026-05-25", "closing_approved"))
    case.complete("立卷归档", steps.archive("2026-05-25"), on="2026-05-26")

    assert case.case.completed and case.case.status == CaseStatus.archived and case.case.outcome == outcome
    assert case.path == [
        "填写立案审批表", "审批立案", "调查取证", "制作案件调查报告和处理呈批表", "审批处理意见", "制作不予行政处罚决定书",
        "送达不予行政处罚决定书", "填写结案审批表", "审批结案", "立卷归档",
    ]
    documents = case.documents()
    assert "no_penalty_decision" in documents and "service_receipt" in documents
    assert not {"penalty_notice", "penalty_decision", "hearing_notice", "legal_review_opinion"} & set(documents)
