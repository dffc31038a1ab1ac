"""The law's numbers for one proposed or decided penalty: the `penalty_tier` table picks the tier from
the case's facts, the tier list (`penalty_tiers`) says what the article sets at that tier, and a
penalty outside it is refused with a stable code:

- `mandatory_penalty_missing`: a penalty the article makes mandatory at that tier is left out
  (e.g. SPL Art. 99 after failing to correct: the fine on the directly responsible persons);
- `penalty_kind_not_allowed`: a penalty the article does not provide at that tier;
- `fine_out_of_range`: a fine above the tier's maximum, or below its minimum without mitigation;
- `mitigation_path_required`: a fine below the minimum (减轻) without reasons under APL Art. 32 or
  outside the major-decision path (legal review and collective discussion).

Models call `penalty_within_law` in a task's `validation`; it answers True or raises.
"""

from __future__ import annotations

from engine.errors import ValidationFailed
from engine.rules.dmn import decide, load_table
from engine.rules.penalty_tiers import KIND_LABELS, TARGET_LABELS, TIER_LABELS, TierPenalty, is_tiered, tier_penalties
from engine.rules.violations import get_violation

PERSONS = "responsible_persons"


def penalty_tier(overdue_uncorrected: bool | None, serious_circumstances: bool | None) -> str:
    """The tier the `penalty_tier` table picks for the case's facts."""
    facts = {"overdue_uncorrected": bool(overdue_uncorrected), "serious_circumstances": bool(serious_circumstances)}
    return decide(load_table("penalty_tier"), facts)["penalty_tier"]


def _yuan(amount: float) -> str:
    return f"{int(amount)}" if float(amount).is_integer() else f"{amount:.2f}"


def _applicable(code: str, tier: str, penalised_party: str) -> list[TierPenalty]:
    penalties = tier_penalties(code, tier)
    if not is_tiered(code):  # the catalogue's statutory range applies to whoever the case penalises
        return [TierPenalty(p.code, p.tier, penalised_party, p.kind, p.mandatory, p.fine_min, p.fine_max, p.basis_zh)
                for p in penalties]
    return [p for p in penalties if p.target == penalised_party or (penalised_party == "unit" and p.target == PERSONS)]


def tier_problems(code: str, tier: str, penalised_party: str, penalty_kinds: list[str], fine: float,
                  persons_fine: float, *, mitigated: bool) -> list[dict]:
    """What is unlawful about the penalty at `tier` (an empty list when nothing is)."""
    applicable = _applicable(code, tier, penalised_party)
    if not applicable:
        return []
    label = TIER_LABELS[tier]
    amounts = {penalised_party: fine, PERSONS: persons_fine}
    kinds = {penalised_party: set(penalty_kinds), PERSONS: {"fine"} if persons_fine > 0 else set()}
    problems = []
    for penalty in applicable:
        whom = TARGET_LABELS.get(penalty.target, penalty.target)
        given = penalty.kind in kinds[penalty.target] and (penalty.kind != "fine" or amounts[penalty.target] > 0)
        if penalty.mandatory and not given:
            problems.append({"code": "mandatory_penalty_missing", "target": penalty.target, "kind": penalty.kind,
                             "message": f"{label}：对{whom}必须给予{KIND_LABELS[penalty.kind]}（{penalty.basis_zh}），"
                                        "处罚中没有"})
        if penalty.kind != "fine" or not given or penalty.fine_min is None or penalty.fine_max is None:
            continue
        amount = amounts[penalty.target]
        if amount > penalty.fine_max or (amount < penalty.fine_min and not mitigated):
            code_ = "fine_out_of_range" if amount > penalty.fine_max else "mitigation_path_required"
            message = (f"{label}：对{whom}的罚款{_yuan(amount)}元不在法定幅度{penalty.fine_min}元至{penalty.fine_max}元内"
                       f"（{penalty.basis_zh}）")
            if code_ == "mitigation_path_required":
                message += ("；低于最低数额的减轻处罚，须写明《行政处罚法》第三十二条规定的情形，"
                            "并按重大执法决定（法制审核和集体讨论）办理")
            problems.append({"code": code_, "target": penalty.target, "kind": "fine", "fine_min": penalty.fine_min,
                             "fine_max": penalty.fine_max, "amount": amount, "message": message})
    if is_tiered(code):
        title = get_violation(code).title_zh
        provided = {(p.target, p.kind) for p in applicable}
        for target, target_kinds in kinds.items():
            for kind in sorted(target_kinds - {k for t, k in provided if t == target}):
                whom = TARGET_LABELS.get(target, target)
                problems.append({"code": "penalty_kind_not_allowed", "target": target, "kind": kind,
                                 "message": f"{label}：对“{title}”，法律没有规定对{whom}"
                                            f"{KIND_LABELS.get(kind, kind)}"})
    return problems


def penalty_within_law(violation_code: str | None, penalised_party: str | None, penalty_kinds: list | None,
                       fine: float | None, persons_fine: float | None, overdue_uncorrected: bool | None,
                       serious_circumstances: bool | None, mitigation_reasons: list | None,
                       major_path: bool | None) -> bool:
    """True when the penalty lies within the law for the case's facts; otherwise ValidationFailed with the
    first problem's code and every problem in the details. A case without a catalogued violation is not checked."""
    if not violation_code or not penalised_party:
        return True
    tier = penalty_tier(overdue_uncorrected, serious_circumstances)
    problems = tier_problems(violation_code, tier, penalised_party, list(penalty_kinds or []), float(fine or 0),
                             float(persons_fine or 0), mitigated=bool(mitigation_reasons) and bool(major_path))
    if problems:
        raise ValidationFailed("；".join(problem["message"] for problem in problems), code=problems[0]["code"],
                               details={"violation_code": violation_code, "penalty_tier": tier, "problems": problems})
    return True
