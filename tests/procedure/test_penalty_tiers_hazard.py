"""SPL Art. 102 in the general procedure: on first finding a hazard left in place costs the unit up to 50,000
yuan; when the unit refuses to eliminate it (拒不执行, the overdue tier) the article makes 停产停业整顿 mandatory
and fines its directly responsible persons 50,000-100,000 yuan. A report outside the tier is refused."""

import pytest

from engine.errors import ValidationFailed
from tests.procedure import steps

UNIT = {"kind": "unit", "name": "遂川县某化工有限公司"}
HAZARD = "SPL-102-1"  # 未采取措施消除事故隐患
REPORT = "制作案件调查报告和处理呈批表"


def _to_report(case):
    case.start("2026-03-02", {"party": UNIT}, party_name=UNIT["name"])
    case.complete("填写立案审批表", steps.filing("遂川县某化工有限公司未消除事故隐患案", "经责令限期消除事故隐患拒不执行",
                                                 "《安全生产法》第四十一条第二款"))
    case.complete("审批立案", steps.approve("2026-03-03", "filing_approved"), on="2026-03-03")
    case.complete("调查取证", steps.investigation(), on="2026-03-10")
    return case


def _report(kinds: list[str], fine: float, persons_fine: float, **facts) -> dict:
    return {**steps.report(penalty_kinds=kinds, fine=fine), "violation_code": HAZARD,
            "responsible_persons_fine": persons_fine, **facts}


def _refused(case, data: dict) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as refused:
        case.complete(REPORT, data, on="2026-03-16")
    assert case.ready() == [REPORT]  # nothing moved
    return refused.value


def test_refusing_to_eliminate_the_hazard_is_held_to_the_overdue_tier(county_case):
    case = _to_report(county_case)
    suspended = ["suspend_production", "fine"]
    error = _refused(case, _report(suspended, 20000, 30000, overdue_uncorrected=True))
    assert error.code == "mitigation_path_required" and error.details["penalty_tier"] == "overdue"
    assert "直接负责的主管人员和其他直接责任人员" in error.message and "50000元至100000元" in error.message
    assert "《安全生产法》第一百零二条：拒不执行的" in error.message
    error = _refused(case, _report(suspended, 20000, 120000, overdue_uncorrected=True))
    assert error.code == "fine_out_of_range" and "120000元" in error.message
    error = _refused(case, _report(["fine"], 20000, 60000, overdue_uncorrected=True))
    assert error.code == "mandatory_penalty_missing" and "责令停产停业整顿" in error.message
    error = _refused(case, _report(suspended, 80000, 60000, overdue_uncorrected=True))
    assert error.code == "fine_out_of_range" and "0元至50000元" in error.message

    case.complete(REPORT, _report(suspended, 20000, 60000, overdue_uncorrected=True), on="2026-03-16")
    case.complete("审批处理意见", steps.handling("2026-03-17", "penalty"), on="2026-03-17")
    assert case.ready() == ["送达行政处罚告知书和听证告知书"]


def test_on_first_finding_only_the_unit_is_fined(county_case):
    case = _to_report(county_case)
    error = _refused(case, _report(["fine"], 20000, 60000))
    assert error.code == "penalty_kind_not_allowed" and "直接负责的主管人员" in error.message
    error = _refused(case, _report(["fine", "suspend_production"], 20000, 0))
    assert error.code == "penalty_kind_not_allowed" and "责令停产停业整顿" in error.message
    error = _refused(case, _report(["fine"], 60000, 0))
    assert error.code == "fine_out_of_range" and "首次发现" in error.message
    case.complete(REPORT, _report(["fine"], 20000, 0), on="2026-03-16")
    assert case.ready() == ["审批处理意见"]
