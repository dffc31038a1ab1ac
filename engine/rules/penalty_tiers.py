"""The law's penalty tiers per violation (`engine/data/penalty_tiers.csv`): for each tier the
`penalty_tier` table picks (first finding, 逾期未改正, 情节严重), which penalties the article sets on
whom (the unit, its directly responsible persons, or the person penalised), whether each is
mandatory, and the fine range. An `order_correction` row (责令改正, not a penalty) marks a tier at which
the article orders correction only, so any penalty there is one the law does not provide.

A violation the tier list does not cover keeps the violations catalogue's statutory range at every
tier, with the fine optional.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

from engine.rules.violations import get_violation
from engine.settings import PACKAGE_DIR

TIERS_PATH = PACKAGE_DIR / "data" / "penalty_tiers.csv"

TIER_LABELS = {"first_finding": "首次发现", "overdue": "逾期未改正", "serious": "逾期未改正且情节严重"}
TARGET_LABELS = {
    "unit": "生产经营单位",
    "responsible_persons": "直接负责的主管人员和其他直接责任人员",
    "principal": "主要负责人",
    "other_responsible": "其他负责人",
    "safety_manager": "安全生产管理人员",
}
KIND_LABELS = {
    "warning": "警告", "fine": "罚款", "confiscation": "没收违法所得、非法财物", "suspend_production": "责令停产停业整顿",
    "close": "责令关闭", "revoke_license": "吊销许可证件", "suspend_license": "暂扣许可证件", "restrict_practice": "限制从业",
}
ROW_KIND_LABELS = KIND_LABELS | {"order_correction": "责令改正（不予处罚）"}


@dataclass(frozen=True)
class TierPenalty:
    code: str
    tier: str
    target: str
    kind: str
    mandatory: bool
    fine_min: int | None
    fine_max: int | None
    basis_zh: str


def _amount(text: str) -> int | None:
    return int(text) if text.strip() else None


@lru_cache(maxsize=1)
def tier_list() -> dict[tuple[str, str], tuple[TierPenalty, ...]]:
    rows: dict[tuple[str, str], list[TierPenalty]] = {}
    with TIERS_PATH.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            penalty = TierPenalty(code=row["code"], tier=row["tier"], target=row["target"], kind=row["penalty_kind"],
                                  mandatory=row["mandatory"] == "true", fine_min=_amount(row["fine_min_yuan"]),
                                  fine_max=_amount(row["fine_max_yuan"]), basis_zh=row["basis_zh"])
            rows.setdefault((penalty.code, penalty.tier), []).append(penalty)
    return {key: tuple(value) for key, value in rows.items()}


def tier_penalties(code: str, tier: str) -> tuple[TierPenalty, ...]:
    """The penalties of `tier` for violation `code`; the catalogue's statutory range when the list has no tiers for it."""
    listed = tier_list().get((code, tier))
    if listed is not None:
        return listed
    violation = get_violation(code)
    if violation.fine_min_yuan is None or violation.fine_max_yuan is None:
        return ()
    return (TierPenalty(code, tier, violation.penalised_party, "fine", False, violation.fine_min_yuan,
                        violation.fine_max_yuan, f"{violation.penalty_provision}（违法行为清单的法定幅度）"),)


def is_tiered(code: str) -> bool:
    return any(key[0] == code for key in tier_list())
