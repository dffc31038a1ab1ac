"""penalty_tier: the statutory tier from the case's facts; the tier list agrees with the catalogue."""

from engine.rules.dmn import evaluate
from engine.rules.penalty_tiers import tier_list, tier_penalties
from engine.rules.violations import catalogue


def tier(**facts):
    return evaluate("penalty_tier", facts)["penalty_tier"]


def test_tier_from_the_facts():
    assert tier(overdue_uncorrected=False) == "first_finding"
    assert tier(overdue_uncorrected=True) == "overdue"
    assert tier(overdue_uncorrected=True, serious_circumstances=True) == "serious"
    assert tier(overdue_uncorrected=False, serious_circumstances=True) == "first_finding"


def test_spl_99_tiers_as_the_article_reads():
    first = {(p.target, p.kind): (p.mandatory, p.fine_min, p.fine_max) for p in tier_penalties("SPL-099-1-05", "first_finding")}
    assert first == {("unit", "fine"): (True, 0, 50000)}
    overdue = {(p.target, p.kind): (p.mandatory, p.fine_min, p.fine_max) for p in tier_penalties("SPL-099-1-05", "overdue")}
    assert overdue == {("unit", "fine"): (True, 50000, 200000), ("responsible_persons", "fine"): (True, 10000, 20000)}
    serious = {(p.target, p.kind) for p in tier_penalties("SPL-099-1-05", "serious") if p.mandatory}
    assert ("unit", "suspend_production") in serious


def test_tier_list_agrees_with_the_catalogue():
    violations = catalogue()
    for (code, tier_name), penalties in tier_list().items():
        assert code in violations and tier_name in ("first_finding", "overdue", "serious")
        assert all(p.code == code and p.tier == tier_name for p in penalties)
    # ranges and bases against the catalogue: tests/rules/test_penalty_tier_coverage.py


def test_untiered_violation_keeps_the_catalogue_range_with_an_optional_fine():
    (only,) = tier_penalties("SPL-106-1", "overdue")
    assert (only.kind, only.mandatory, only.fine_min, only.fine_max) == ("fine", False, 20000, 100000)
