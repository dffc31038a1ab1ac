"""discretion: the tier from the circumstances, the fine range from the catalogue and the profile split."""

import pytest

from engine.errors import NotFound, ValidationFailed
from engine.rules.discretion import decide_discretion
from engine.rules.profiles import load_profile
from engine.rules.violations import fine_range

from .conftest import FILED

ORDINARY = {"first_offence": False, "prompt_correction": False, "harm": "minor", "repeat_offence": False}


def tier(**changes):
    return decide_discretion({**ORDINARY, **changes}, on=FILED)["tier"]


def test_tiers_from_circumstances():
    assert tier() == "standard"
    assert tier(prompt_correction=True) == "lighter"
    assert tier(first_offence=True, harm="none") == "lighter"
    assert tier(harm="serious") == "heavier"
    assert tier(repeat_offence=True) == "heavier"


def test_aggravating_circumstances_come_first():
    assert tier(repeat_offence=True, prompt_correction=True, first_offence=True) == "heavier"
    assert tier(harm="serious", prompt_correction=True) == "heavier"
    assert tier(first_offence=True, harm="serious") == "heavier"


def test_range_for_spl_94_is_a_third_of_20000_to_50000():
    result = decide_discretion({**ORDINARY, "violation_code": "SPL-094-1", "prompt_correction": True}, on=FILED)
    assert result["tier"] == "lighter"
    assert result["tier_label"] == "从轻"
    assert (result["fine_min"], result["fine_max"]) == (20000, 30000)
    assert (result["statutory_min"], result["statutory_max"]) == (20000, 50000)
    assert "不是法定裁量基准" in result["range_basis"]


def test_ranges_per_tier_with_rounding_to_whole_yuan():
    version = load_profile("jiangxi").version_on(FILED)
    # SPL-099-1-01: ceiling-only fine, 0–50,000; thirds at 16,666.67 and 33,333.33
    assert [(r.fine_min, r.fine_max) for r in (fine_range("SPL-099-1-01", t, version)
                                               for t in ("lighter", "standard", "heavier"))] == [
        (0, 16667), (16667, 33333), (33333, 50000)]
    heavier = fine_range("SPL-096-1-SAF", "heavier", version)
    assert (heavier.fine_min, heavier.fine_max) == (23333, 30000)


def test_split_is_configurable(draft_profile):
    path = draft_profile(discretion_split=["1/4", "3/4"])
    result = decide_discretion({**ORDINARY, "violation_code": "SPL-094-1"}, profile=path, on=FILED)
    assert (result["tier"], result["fine_min"], result["fine_max"]) == ("standard", 27500, 42500)


def test_violation_without_a_fixed_range_is_explained():
    with pytest.raises(ValidationFailed) as caught:
        decide_discretion({**ORDINARY, "violation_code": "SPL-095-1-01"}, on=FILED)
    assert "没有固定的罚款幅度" in caught.value.message
    assert "百分之四十" in caught.value.message


def test_unknown_violation_code():
    with pytest.raises(ValidationFailed) as caught:
        decide_discretion({**ORDINARY, "violation_code": "SPL-999"}, on=FILED)
    assert caught.value.details["input"] == "violation_code"
    with pytest.raises(NotFound):
        fine_range("SPL-999", "lighter", load_profile("jiangxi").version_on(FILED))


def test_range_after_failing_to_correct_divides_the_overdue_tier_of_spl_99():
    """SPL Art. 99 after failing to correct: 50,000-200,000 on the unit, not the first finding's 0-50,000."""
    overdue = decide_discretion({**ORDINARY, "violation_code": "SPL-099-1-05", "overdue_uncorrected": True}, on=FILED)
    assert (overdue["penalty_tier"], overdue["penalty_tier_label"]) == ("overdue", "逾期未改正")
    assert (overdue["statutory_min"], overdue["statutory_max"]) == (50000, 200000)
    assert (overdue["fine_min"], overdue["fine_max"]) == (100000, 150000)
    first = decide_discretion({**ORDINARY, "violation_code": "SPL-099-1-05"}, on=FILED)
    assert (first["penalty_tier"], first["statutory_min"], first["statutory_max"]) == ("first_finding", 0, 50000)
