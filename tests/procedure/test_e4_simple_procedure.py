"""E4 (DOMAIN.md §12, §2.3): the county finds that a unit did not report its hazard statistics
(事故隐患排查治理暂行规定 Art. 26(2)); warning + 2,000 yuan on the unit is within the simple-procedure
limit for an organisation (≤3,000), so the officers decide on the spot with a 当场处罚决定书 and file it
with the bureau within 5 days. Negative: 3,500 yuan is refused and must go through the general
procedure; an entrusted township can never use the simple procedure for an SPL Art. 94/96 case.
"""

from datetime import date

import pytest

from engine.errors import ValidationFailed
from engine.vocab import CaseStatus
from tests.procedure import steps
from tests.procedure.driver import CaseDriver
from tests.procedure.inspection_steps import FURNITURE_PLANT, linked_case

STATISTICS = {"violation_code": "YHG-026-1-02", "violated_provisions": "《安全生产事故隐患排查治理暂行规定》第二十六条第二项",
              "penalty_basis": "《安全生产事故隐患排查治理暂行规定》第二十六条",
              "facts": "当事人未按规定向应急管理部门报送2026年第一季度事故隐患排查治理统计分析表"}


def facts(party_type: str, kinds: list[str], fine: float, **overrides) -> dict:
    return {"officers": steps.OFFICERS, "party": FURNITURE_PLANT, "party_type": party_type, "occurred_at": "2026-04-15T00:00",
            "place": FURNITURE_PLANT["address"], "facts_certain": True, "penalty_kinds": kinds, "fine_amount": fine,
            **STATISTICS, **overrides}


def told(use_general_procedure: bool = False) -> dict:
    return {"told_at": "2026-06-03T10:20", "statement": "当事人称不知道报送要求", "review_result": "申辩理由不能成立",
            "use_general_procedure": use_general_procedure}


def decision(kinds: list[str], fine: float, collect_on_spot: bool = False) -> dict:
    return {"officers": steps.OFFICERS, "penalty_kinds": kinds, "fine_amount": fine, "penalty": f"警告,并处罚款{fine:g}元",
            "payment_place": "遂川县财政局非税收入账户", "handed_over_at": "2026-06-03T10:40", "party_signature": "signed",
            "collect_on_spot": collect_on_spot}


def simple_case(runtime, frozen_clock, agency, county, day: str = "2026-06-03") -> CaseDriver:
    case = CaseDriver(runtime, frozen_clock, agency, county, process_id="simple_procedure_case", kind="simple")
    case.start(day, {"party": FURNITURE_PLANT}, party_name=FURNITURE_PLANT["name"], title="未按规定报送隐患排查治理统计分析表")
    return case


def test_e4_county_warning_and_2000_on_the_spot_filed_with_the_bureau(runtime, agencies, frozen_clock):
    case = simple_case(runtime, frozen_clock, agencies.county, agencies.county)
    assert case.case.number == "（遂）应急简〔2026〕1号"  # the simple-procedure series, not 应急立
    case.complete("当场认定违法事实和拟作处罚", facts("organization", ["warning", "fine"], 2000))
    assert case.data["simple"] is True
    case.complete("告知拟作处罚并听取陈述申辩", told())
    with pytest.raises(ValidationFailed) as heavier:
        case.complete("制作并当场交付当场处罚决定书", decision(["warning", "fine"], 2500))
    assert heavier.value.message == "当场处罚决定不得重于告知当事人的拟处罚内容"
    with pytest.raises(ValidationFailed) as on_the_spot:
        case.complete("制作并当场交付当场处罚决定书", decision(["warning", "fine"], 2000, collect_on_spot=True))
    assert on_the_spot.value.message == "只有100元以下的罚款或者不当场收缴事后难以执行的,才可以当场收缴罚款"
    case.complete("制作并当场交付当场处罚决定书", decision(["warning", "fine"], 2000))
    assert case.data["documents"]["simple_penalty_decision"] == "（遂）应急罚当〔2026〕1号"

    # filed with the bureau within 5 days (Wednesday 3 June → Monday 8 June); the fine paid at the bank within 15 days
    assert {t.name: t.due_on for t in case.view.tasks} == {"报所属行政机关备案": date(2026, 6, 8),
                                                         "登记罚款缴纳": date(2026, 6, 18)}
    case.complete("报所属行政机关备案", {"filed_on": "2026-06-05", "filed_with": "遂川县应急管理局法规股"}, on="2026-06-05")
    case.complete("登记罚款缴纳", {"paid_on": "2026-06-10", "paid_amount": 2000, "payment_voucher": "非税收入缴款书0002"},
                  on="2026-06-10")
    assert (case.case.outcome, case.case.status) == ("simple_penalised", CaseStatus.closed)
    assert case.path == ["当场认定违法事实和拟作处罚", "告知拟作处罚并听取陈述申辩", "制作并当场交付当场处罚决定书",
                         "报所属行政机关备案", "登记罚款缴纳"]
    assert {step.role for step in case.steps} == {"county_officer"}
    assert case.documents() == ["simple_penalty_decision"]


def test_cash_collected_on_the_spot_goes_to_the_bureau_within_2_working_days(runtime, agencies, frozen_clock):
    case = simple_case(runtime, frozen_clock, agencies.county, agencies.county, day="2026-06-18")
    case.complete("当场认定违法事实和拟作处罚", facts("person", ["fine"], 100, party={"kind": "person", "name": "李安"}))
    case.complete("告知拟作处罚并听取陈述申辩", told())
    case.complete("制作并当场交付当场处罚决定书", decision(["fine"], 100, collect_on_spot=True) | {"handed_over_at": "2026-06-18T10:40"})
    # Thursday 18 June + 2 working days: Dragon Boat Festival on Friday 19 June, weekend → Tuesday 23 June
    assert case.task("将当场收缴的罚款交至行政机关").due_on == date(2026, 6, 23)
    with pytest.raises(ValidationFailed) as wrong_amount:
        case.complete("将当场收缴的罚款交至行政机关", {"remitted_on": "2026-06-22", "remitted_amount": 50, "receipt_number": "赣财罚0001"})
    assert wrong_amount.value.message == "交至行政机关的金额应与当场收缴的罚款一致"
    case.complete("将当场收缴的罚款交至行政机关", {"remitted_on": "2026-06-22", "remitted_amount": 100, "receipt_number": "赣财罚0001"},
                  on="2026-06-22")
    case.complete("报所属行政机关备案", {"filed_on": "2026-06-22", "filed_with": "遂川县应急管理局法规股"})
    assert (case.case.outcome, case.case.status) == ("simple_penalised", CaseStatus.closed)


def test_3500_on_a_unit_is_refused_and_goes_to_the_general_procedure(runtime, agencies, frozen_clock):
    case = simple_case(runtime, frozen_clock, agencies.county, agencies.county)
    case.complete("当场认定违法事实和拟作处罚", facts("organization", ["warning", "fine"], 3500))
    assert case.data["simple"] is False
    with pytest.raises(ValidationFailed) as refused:
        case.complete("告知拟作处罚并听取陈述申辩", told())
    assert refused.value.message == "不符合《行政处罚法》第五十一条规定的当场处罚条件,应当按一般程序办理"
    case.complete("告知拟作处罚并听取陈述申辩", told(use_general_procedure=True))
    assert (case.case.outcome, case.case.status) == ("general_procedure", CaseStatus.closed)
    assert "simple_penalty_decision" not in case.data.get("documents", {})
    general = linked_case(case, "general_procedure")
    assert general.case.agency_id == agencies.county.id
    assert (general.data["violation_code"], general.data["penalty_kinds"]) == ("YHG-026-1-02", ["warning", "fine"])
    assert [(t.name, t.role) for t in general.view.tasks] == [("填写立案审批表", "county_officer")]


def test_entrusted_township_cannot_use_the_simple_procedure_for_an_spl_94_case(runtime, agencies, frozen_clock):
    case = simple_case(runtime, frozen_clock, agencies.township, agencies.county)
    principal = facts("person", ["warning"], 0, party={"kind": "person", "name": "王林峰"}, violation_code="SPL-094-1",
                      violated_provisions="《安全生产法》第二十一条第三项", penalty_basis="《安全生产法》第九十四条第一款",
                      facts="主要负责人未组织制定并实施本单位安全生产教育和培训计划")
    case.complete("当场认定违法事实和拟作处罚", principal)
    assert case.data["simple"] is True  # a warning alone is within the table's limits: the entrustment rule refuses it
    with pytest.raises(ValidationFailed) as refused:
        case.complete("告知拟作处罚并听取陈述申辩", told())
    assert refused.value.message == "乡镇(园区)受委托办理的《安全生产法》第九十四条、第九十六条案件不适用简易程序,应当按一般程序办理"
    case.complete("告知拟作处罚并听取陈述申辩", told(use_general_procedure=True))
    general = linked_case(case, "general_procedure")
    assert general.case.agency_id == agencies.township.id
    assert [(t.name, t.role) for t in general.view.tasks] == [("填写立案审批表", "township_officer")]


def test_the_party_type_follows_the_party_named(runtime, agencies, frozen_clock):
    """Issue 11.1: a person's thresholds apply only to a person; the type cannot be typed against the party."""
    case = simple_case(runtime, frozen_clock, agencies.county, agencies.county)
    with pytest.raises(ValidationFailed) as refused:
        case.complete("当场认定违法事实和拟作处罚", facts("person", ["fine"], 100))  # the furniture plant, a unit
    assert refused.value.message == "当事人类型应与被处罚的当事人一致：个人为公民，单位为法人或其他组织"
