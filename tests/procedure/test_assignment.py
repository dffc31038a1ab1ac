"""A case assigned by a higher level (上级交办): the 立案审批表 names the assigning document, and after the
closing approval the bureau reports the result to the assigning authority within 10 days (O15 Art. 64,
[re-check]) before the file is archived."""

from datetime import date

import pytest
from sqlmodel import Session, select

from documents.models import IssuedDocument
from engine.errors import ValidationFailed
from engine.vocab import CaseStatus
from tests.procedure import steps

PARTY = {"kind": "unit", "name": "遂川县某矿业有限公司", "address": "遂川县大汾镇", "legal_representative": "钟平"}
ASSIGNMENT = "吉市应急交〔2026〕3号"


def test_an_assigned_case_reports_back_to_the_assigning_authority_before_archiving(county_case):
    case = county_case
    case.start("2026-09-01", {"party": PARTY, "case_source_kind": "assignment", "case_source_ref": ASSIGNMENT},
               party_name=PARTY["name"])
    assert case.data["case_source"] == "上级交办：吉市应急交〔2026〕3号"

    case.complete("填写立案审批表", steps.filing("遂川县某矿业有限公司未按规定开展安全培训案", "吉安市应急管理局交办的线索",
                                                 "《安全生产法》第二十八条") | {"case_source": case.data["case_source"]})
    case.complete("审批立案", steps.approve("2026-09-02", "filing_approved"), on="2026-09-02")
    case.complete("调查取证", steps.investigation(), on="2026-09-08")
    case.complete("制作案件调查报告和处理呈批表", steps.report(proposal="违法事实不能成立"), on="2026-09-14")
    case.complete("审批处理意见", steps.handling("2026-09-15", "not_established"), on="2026-09-15")
    case.complete("制作不予行政处罚决定书", {"ground": "违法事实不能成立",
                                             "ground_basis": "《中华人民共和国行政处罚法》第五十七条第一款第三项",
                                             "education_given": False}, on="2026-09-16")
    case.complete("送达不予行政处罚决定书", steps.service("2026-09-17", case.data, "no_penalty_decision"), on="2026-09-17")
    case.complete("填写结案审批表", steps.closing(), on="2026-09-24")
    case.complete("审批结案", steps.approve("2026-09-25", "closing_approved"), on="2026-09-25")

    report = case.task("向交办机关报告查处结果")
    # 10 days from Friday 25 September end on Monday 5 October, inside the National Day holiday → Thursday 8 October
    assert (case.ready(), report.role, report.due_on) == (["向交办机关报告查处结果"], "county_officer", date(2026, 10, 8))
    result = {"assigning_authority": "吉安市应急管理局", "report_summary": "经调查，违法事实不能成立，已作出不予行政处罚决定并结案",
              "report_method": "书面报告"}
    case.on("2026-09-29")
    with pytest.raises(ValidationFailed) as refused:
        case.complete("向交办机关报告查处结果", result | {"reported_on": "2026-09-24"})
    assert refused.value.message == "报告日期应在批准结案之后、且不晚于今天"
    case.complete("向交办机关报告查处结果", result | {"reported_on": "2026-09-29"})
    case.complete("立卷归档", steps.archive("2026-09-25"), on="2026-09-30")

    assert (case.case.status, case.case.outcome) == (CaseStatus.archived, "not_established")
    assert case.path[-3:] == ["审批结案", "向交办机关报告查处结果", "立卷归档"]
    with Session(case.runtime.engine) as session:
        filing = session.exec(select(IssuedDocument).where(IssuedDocument.case_id == case.case.id,
                                                           IssuedDocument.doc_id == "filing_approval")).one()
    assert filing.snapshot["fields"]["case_source"] == "上级交办：吉市应急交〔2026〕3号"

