"""A re-inspection cannot find 「逾期未改正」 before the rectification deadline has passed, and the opinion
served on the unit carries no internal recommendation (「建议立案处罚」 belongs in the handling opinion).
A re-inspection after the deadline that finds an item not corrected records the fact the county case's
penalty tier reads (`overdue_uncorrected`)."""

import pytest

from engine.errors import ValidationFailed
from tests.procedure import steps
from tests.procedure.inspection_steps import assessment, linked_case, record, start_inspection

SIGNS = {"description": "作业场所未设置安全警示标志", "provision": "《安全生产法》第三十五条", "violation_code": "SPL-099-1-01"}
ORDER = {"officers": steps.OFFICERS, "inspection_date": "2026-06-01", "rectification_items": [
    {"problem": "未设置安全警示标志", "provision": "《安全生产法》第三十五条", "requirement": "设置明显的安全警示标志",
     "deadline": "2026-06-12"}]}


def _reinspection(inspection, day: str, rectified: bool, opinion: str) -> dict:
    return {"order_number": inspection.data["documents"]["rectification_order"], "reinspection_date": day,
            "officers": steps.OFFICERS, "penalty_needed": not rectified, "opinion": opinion,
            "reinspection_results": [{"problem": "未设置安全警示标志", "rectified": rectified,
                                      "result": "已设置" if rectified else "仍未设置安全警示标志"}]}


@pytest.fixture
def ordered(runtime, frozen_clock, agencies):
    inspection = start_inspection(runtime, frozen_clock, agencies.township, agencies.county, "2026-06-01")
    inspection.complete("现场检查", record("2026-06-01", [SIGNS], order_rectification=True))
    inspection.complete("责令限期整改", ORDER)
    inspection.complete("登记单位提前申请复查", {"applied_on": "2026-06-10", "applicant": "王林峰"}, on="2026-06-10")
    return inspection


def test_not_corrected_cannot_be_recorded_before_the_deadline(ordered):
    with pytest.raises(ValidationFailed) as refused:
        ordered.complete("整改复查", _reinspection(ordered, "2026-06-11", False, "经复查，安全警示标志仍未设置。"),
                         on="2026-06-11")
    assert refused.value.code == "rule_violated" and "整改期限届满前不能认定逾期未改正" in refused.value.message
    assert ordered.ready() == ["整改复查"]
    # on the deadline itself the unit still has the day: not yet overdue
    with pytest.raises(ValidationFailed):
        ordered.complete("整改复查", _reinspection(ordered, "2026-06-12", False, "经复查，安全警示标志仍未设置。"),
                         on="2026-06-12")


def test_served_opinion_carries_no_internal_recommendation(ordered):
    with pytest.raises(ValidationFailed) as refused:
        ordered.complete("整改复查", _reinspection(ordered, "2026-06-15", False, "仍未设置安全警示标志，建议立案处罚"),
                         on="2026-06-15")
    assert "不写内部处理建议" in refused.value.message and "违法行为处理意见" in refused.value.message


def test_overdue_after_the_deadline_carries_the_fact_to_the_county_case(ordered):
    ordered.complete("整改复查", _reinspection(ordered, "2026-06-15", False, "经复查，你单位逾期未改正。"), on="2026-06-15")
    assert ordered.data["overdue_uncorrected"] is True
    ordered.complete("违法行为处理意见", assessment(violation_code="SPL-099-1-01", penalised_party="unit",
                                                    handling_opinion="逾期未改正，建议报告县局立案处罚"))
    case = linked_case(ordered, "general_procedure")
    assert case.data["overdue_uncorrected"] is True
