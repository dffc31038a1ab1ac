"""The demo's story is a case a reviewer passes on the law's numbers: the re-inspection that finds 「逾期未改正」
comes after the rectification deadline and serves no internal recommendation; the county case cites SPL
Art. 99(5) for the protective-equipment violation and its amounts lie in the tier the facts select."""

from api.demo import DEADLINE, FOLLOW_LINKED, SCRIPT, step_data
from engine.rules.penalty_law import penalty_tier
from engine.rules.penalty_tiers import tier_penalties


def _data(task: str) -> dict:
    step = next(step for step in SCRIPT if step.task == task)
    documents = {"rectification_order": "（遂泉）应急责改〔2026〕1号"}
    return step_data(step, {"documents": documents, "source": {"case_number": "（遂泉）应急检〔2026〕1号"}},
                     lambda *names: [{"name": name} for name in names])


def test_reinspection_after_the_deadline_without_internal_recommendation():
    reinspection = _data("整改复查")
    assert reinspection["reinspection_date"] > DEADLINE
    assert any(not item["rectified"] for item in reinspection["reinspection_results"])
    assert "立案" not in reinspection["opinion"] and "建议" not in reinspection["opinion"]
    steps = [step.task for step in SCRIPT]
    assert "登记单位提前申请复查" not in steps[:steps.index(FOLLOW_LINKED)]  # the deadline passes, no early application


def test_decision_cites_article_99_5_and_lies_in_the_overdue_tier():
    report, decision = _data("制作案件调查报告和处理呈批表"), _data("作出行政处罚决定")
    assert report["violation_code"] == "SPL-099-1-05" and "第九十九条第五项" in report["penalty_basis"]
    tier = penalty_tier(report["overdue_uncorrected"], report.get("serious_circumstances"))
    assert tier == "overdue"
    ranges = {p.target: (p.fine_min, p.fine_max) for p in tier_penalties("SPL-099-1-05", tier)}
    unit_low, unit_high = ranges["unit"]
    persons_low, persons_high = ranges["responsible_persons"]
    assert unit_low <= decision["decided_fine"] <= unit_high
    assert persons_low <= decision["decided_responsible_persons_fine"] <= persons_high
