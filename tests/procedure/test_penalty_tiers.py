"""The law's numbers enforced in the general procedure: SPL Art. 99 after failing to correct sets
50,000-200,000 yuan on the unit and a mandatory 10,000-20,000 on the persons directly responsible
(the `penalty_tier` table picks the tier from the case's facts, engine/data/penalty_tiers.csv the
ranges). A report or decision outside it is refused with a stable code; a 减轻 below the minimum only
with APL Art. 32 reasons through the major-decision path (legal review and collective discussion)."""

import pytest

from engine.errors import ValidationFailed
from tests.procedure import steps

UNIT = {"kind": "unit", "name": "遂川县某木业有限公司"}
PERSON = {"kind": "person", "name": "王某", "id_number": "360827197501010011", "address": "遂川县泉江镇",
          "employer": UNIT["name"], "post": "总经理"}  # the directly responsible person fined beside the unit
NOTICE_TO_PERSON = {"person_notices": [{"party": PERSON, "fine_amount": 15000, "proposed_penalty": "拟处罚款15000元"}]}
PERSON_DECISION = [{"party": PERSON, "fine_amount": 15000, "penalty": "罚款15000元"}]
PPE = "SPL-099-1-05"  # 未为从业人员提供符合国家标准或者行业标准的劳动防护用品, SPL Art. 99(5)


def _to_report(case):
    case.start("2026-03-02", {"party": UNIT}, party_name=UNIT["name"])
    case.complete("填写立案审批表", steps.filing("遂川县某木业有限公司未提供劳动防护用品案", "经责令限期改正逾期未改正",
                                                 "《安全生产法》第四十五条"))
    case.complete("审批立案", steps.approve("2026-03-03", "filing_approved"), on="2026-03-03")
    case.complete("调查取证", steps.investigation(), on="2026-03-10")
    return case


def _report(fine: float, persons_fine: float = 0, **facts) -> dict:
    return {**steps.report(penalty_kinds=["fine"], fine=fine), "violation_code": PPE,
            "responsible_persons_fine": persons_fine, **facts}


def _refused(case, name: str, data: dict, on: str) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as refused:
        case.complete(name, data, on=on)
    assert case.ready() == [name]  # nothing moved
    return refused.value


def test_overdue_fine_below_the_tier_is_refused_and_names_the_range(county_case):
    case = _to_report(county_case)
    error = _refused(case, "制作案件调查报告和处理呈批表", _report(30000, 15000, overdue_uncorrected=True), "2026-03-16")
    assert error.code == "mitigation_path_required"
    assert "逾期未改正" in error.message and "50000元至200000元" in error.message
    assert "《行政处罚法》第三十二条" in error.message
    assert error.details["penalty_tier"] == "overdue"


def test_overdue_without_the_mandatory_fine_on_responsible_persons_is_refused(county_case):
    case = _to_report(county_case)
    error = _refused(case, "制作案件调查报告和处理呈批表", _report(60000, overdue_uncorrected=True), "2026-03-16")
    assert error.code == "mandatory_penalty_missing"
    assert "直接负责的主管人员和其他直接责任人员" in error.message and "必须给予罚款" in error.message


def test_above_the_maximum_and_unlawful_kinds_are_refused(county_case):
    case = _to_report(county_case)
    error = _refused(case, "制作案件调查报告和处理呈批表", _report(250000, 15000, overdue_uncorrected=True), "2026-03-16")
    assert error.code == "fine_out_of_range" and "250000元" in error.message
    # first finding: the article sets only a fine of up to 50,000 on the unit, nothing on its persons
    error = _refused(case, "制作案件调查报告和处理呈批表", _report(20000, 5000), "2026-03-16")
    assert error.code == "penalty_kind_not_allowed" and "直接负责的主管人员" in error.message


def test_serious_circumstances_make_suspension_mandatory(county_case):
    case = _to_report(county_case)
    error = _refused(case, "制作案件调查报告和处理呈批表",
                     _report(60000, 15000, overdue_uncorrected=True, serious_circumstances=True), "2026-03-16")
    assert error.code == "mandatory_penalty_missing" and "责令停产停业整顿" in error.message


def test_lawful_overdue_penalty_goes_on_and_the_decision_is_held_to_the_tier(county_case):
    case = _to_report(county_case)
    case.complete("制作案件调查报告和处理呈批表", _report(60000, 15000, overdue_uncorrected=True), on="2026-03-16")
    case.complete("审批处理意见", steps.handling("2026-03-17", "penalty"), on="2026-03-17")
    assert case.ready() == ["送达行政处罚告知书和听证告知书"]
    case.complete("送达行政处罚告知书和听证告知书", steps.notice("2026-03-18") | NOTICE_TO_PERSON, on="2026-03-18")
    case.wait_until("2026-03-30")
    case.refresh()
    if "法制审核" in case.ready():
        case.complete("法制审核", steps.legal_review("2026-03-30", True), on="2026-03-30")
    if "集体讨论" in case.ready():
        case.complete("集体讨论", steps.discussion("2026-03-31"), on="2026-03-31")
    assert case.ready() == ["作出行政处罚决定"]
    decision = {**steps.decision(["fine"], 60000), "decided_responsible_persons_fine": 0}
    error = _refused(case, "作出行政处罚决定", decision, "2026-04-01")
    assert error.code == "mandatory_penalty_missing"
    error = _refused(case, "作出行政处罚决定", {**decision, "decided_fine": 40000, "decided_responsible_persons_fine": 15000},
                     "2026-04-01")
    assert error.code == "mitigation_path_required"
    case.complete("作出行政处罚决定", {**decision, "decided_responsible_persons_fine": 15000,
                                       "responsible_persons": PERSON_DECISION}, on="2026-04-01")
    assert case.data["decided_fine"] == 60000


def test_mitigation_below_the_minimum_only_through_the_major_decision_path(county_case):
    case = _to_report(county_case)
    mitigated = _report(40000, 15000, overdue_uncorrected=True, mitigation_reasons=["eliminated_harm"])
    error = _refused(case, "制作案件调查报告和处理呈批表", mitigated, "2026-03-16")
    assert error.code == "mitigation_path_required"  # reasons alone are not enough
    case.complete("制作案件调查报告和处理呈批表", {**mitigated, "catalogue_item": "mitigated_penalty"}, on="2026-03-16")
    case.complete("审批处理意见", steps.handling("2026-03-17", "penalty"), on="2026-03-17")
    case.complete("送达行政处罚告知书和听证告知书", steps.notice("2026-03-18") | NOTICE_TO_PERSON, on="2026-03-18")
    case.wait_until("2026-03-30")
    case.refresh()
    assert case.data["legal_review"] is True and case.data["collective_discussion"] is True  # the major-decision path
    case.complete("法制审核", steps.legal_review("2026-03-30", True), on="2026-03-30")
    case.complete("集体讨论", steps.discussion("2026-03-31"), on="2026-03-31")
    case.complete("作出行政处罚决定", {**steps.decision(["fine"], 40000), "decided_responsible_persons_fine": 15000,
                                       "responsible_persons": PERSON_DECISION}, on="2026-04-01")
    assert case.data["decided_fine"] == 40000


def test_on_the_spot_penalty_is_held_to_the_tier_too(runtime, agencies, frozen_clock):
    """SPL Art. 99 provides a fine (up to 50,000 on first finding), not a warning: a warning alone on the spot is refused."""
    from tests.procedure.test_e4_simple_procedure import facts, simple_case, told

    signs = {"violation_code": "SPL-099-1-01", "violated_provisions": "《中华人民共和国安全生产法》第三十五条",
             "penalty_basis": "《中华人民共和国安全生产法》第九十九条第一项", "facts": "喷漆车间入口未设置明显的安全警示标志"}
    case = simple_case(runtime, frozen_clock, agencies.county, agencies.county)
    case.complete("当场认定违法事实和拟作处罚", facts("organization", ["warning"], 0, **signs))
    error = _refused(case, "告知拟作处罚并听取陈述申辩", told(), "2026-06-03")
    assert error.code == "mandatory_penalty_missing"

    lawful = simple_case(runtime, frozen_clock, agencies.county, agencies.county)
    lawful.complete("当场认定违法事实和拟作处罚", facts("organization", ["fine"], 2000, **signs))
    lawful.complete("告知拟作处罚并听取陈述申辩", told())
    assert lawful.ready() == ["制作并当场交付当场处罚决定书"]
