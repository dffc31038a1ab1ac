"""Discretion (裁量): the `discretion` table picks the tier; the fine range it divides is the range of the
statutory tier the `penalty_tier` table picks from the facts (engine/data/penalty_tiers.csv), or the
catalogue's statutory range for a violation the tier list does not cover.

The tier ranges are a configurable DEFAULT split of the statutory range (profile `discretion_split`,
thirds by default), not law: no official benchmark (应急〔2024〕90号, the Jiangxi benchmark) is loaded.
"""

from __future__ import annotations

from datetime import date

from engine.rules.dmn import decide, load_table, prepare
from engine.rules.penalty_law import penalty_tier
from engine.rules.penalty_tiers import TIER_LABELS as PENALTY_TIER_LABELS
from engine.rules.penalty_tiers import tier_penalties
from engine.rules.violations import TIER_LABELS, fine_range, get_violation

RANGE_BASIS = "默认划分：按规则配置 discretion_split 划分案件事实对应的法定罚款幅度，不是法定裁量基准"


def _statutory(code: str, penalty_tier_name: str) -> tuple[int, int] | None:
    """The fine range the statutory tier sets on the party the catalogue names for the violation."""
    party = get_violation(code).penalised_party
    ranges = [(p.fine_min, p.fine_max) for p in tier_penalties(code, penalty_tier_name)
              if p.kind == "fine" and p.target == party and p.fine_min is not None]
    return ranges[0] if ranges else None


def decide_discretion(inputs: dict, *, profile: str | None = None, on: date | None = None) -> dict:
    """The tier for the circumstances; with a `violation_code`, also that tier's fine range, a split of the range
    of the statutory tier (first finding, 逾期未改正, 情节严重) the `penalty_tier` table picks from the facts."""
    checked, version = prepare("discretion", inputs, profile=profile, on=on)
    tier = decide(load_table("discretion"), {**version.table_inputs(), **checked})["tier"]
    code = checked["violation_code"]
    if code is None:
        return {"tier": tier, "tier_label": TIER_LABELS[tier]}
    statutory_tier = penalty_tier(checked["overdue_uncorrected"], checked["serious_circumstances"])
    return {
        **fine_range(code, tier, version, _statutory(code, statutory_tier)).as_dict(),
        "violation_code": code,
        "penalty_tier": statutory_tier,
        "penalty_tier_label": PENALTY_TIER_LABELS[statutory_tier],
        "range_basis": RANGE_BASIS,
    }
