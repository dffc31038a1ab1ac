"""The violation catalogue (违法行为清单, `zhifa/data/violations.csv`) and fine ranges per discretion tier.

The catalogue gives only the statutory range of the base fine. No official discretion benchmark
(应急〔2024〕90号, the Jiangxi benchmark) is loaded, so the tier ranges are a configurable DEFAULT
split of that statutory range (the profile's `discretion_split`, thirds by default), not law.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache

from engine.errors import NotFound, ValidationFailed
from engine.rules.profiles import ProfileVersion
from engine.settings import PACKAGE_DIR

CATALOGUE_PATH = PACKAGE_DIR / "data" / "violations.csv"

TIERS = ("lighter", "standard", "heavier")
TIER_LABELS = {"lighter": "从轻", "standard": "一般", "heavier": "从重"}


@dataclass(frozen=True)
class Violation:
    code: str
    title_zh: str
    violated_provision: str
    penalty_provision: str
    penalised_party: str
    penalty_kinds: tuple[str, ...]
    fine_min_yuan: int | None  # None: the fine is not a fixed range (see notes_zh)
    fine_max_yuan: int | None
    correction_first: bool
    township_entrusted: bool
    notes_zh: str


@dataclass(frozen=True)
class FineRange:
    tier: str
    fine_min: int
    fine_max: int
    statutory_min: int
    statutory_max: int

    def as_dict(self) -> dict:
        return {
            "tier": self.tier,
            "tier_label": TIER_LABELS[self.tier],
            "fine_min": self.fine_min,
            "fine_max": self.fine_max,
            "statutory_min": self.statutory_min,
            "statutory_max": self.statutory_max,
        }


def _amount(text: str) -> int | None:
    return int(text) if text.strip() else None


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Violation]:
    with CATALOGUE_PATH.open(encoding="utf-8", newline="") as handle:
        return {
            row["code"]: Violation(
                code=row["code"],
                title_zh=row["title_zh"],
                violated_provision=row["violated_provision"],
                penalty_provision=row["penalty_provision"],
                penalised_party=row["penalised_party"],
                penalty_kinds=tuple(kind for kind in row["penalty_kinds"].split(";") if kind),
                fine_min_yuan=_amount(row["fine_min_yuan"]),
                fine_max_yuan=_amount(row["fine_max_yuan"]),
                correction_first=row["correction_first"] == "true",
                township_entrusted=row["township_entrusted"] == "true",
                notes_zh=row["notes_zh"],
            )
            for row in csv.DictReader(handle)
        }


def get_violation(code: str) -> Violation:
    try:
        return catalogue()[code]
    except KeyError:
        raise NotFound(f"违法行为清单中没有代码 {code}", details={"violation_code": code}) from None


def _round_yuan(value: Fraction) -> int:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def fine_range(code: str, tier: str, version: ProfileVersion, statutory: tuple[int, int] | None = None) -> FineRange:
    """The fine range of `tier` for violation `code`: a configurable default split of the statutory range
    (the catalogue's, or `statutory`, the range of the statutory tier the case's facts select).

    Tiers meet at min + (max - min) * split, rounded to whole yuan; neighbouring tiers share the
    boundary amount, as benchmarks written "X元以上Y元以下" do.
    """
    if tier not in TIERS:
        raise ValidationFailed(f"裁量档次 {tier} 无效，可选值：{', '.join(TIERS)}", details={"tier": tier})
    violation = get_violation(code)
    low, high = statutory or (violation.fine_min_yuan, violation.fine_max_yuan)
    if low is None or high is None:
        raise ValidationFailed(
            f"违法行为 {code}（{violation.title_zh}）没有固定的罚款幅度，按清单说明计罚：{violation.notes_zh}",
            code="no_fixed_fine_range",
            details={"violation_code": code},
        )
    lower, upper = version.discretion_split
    cuts = [Fraction(low), low + (high - low) * lower, low + (high - low) * upper, Fraction(high)]
    edges = [_round_yuan(cut) for cut in cuts]
    index = TIERS.index(tier)
    return FineRange(tier, edges[index], edges[index + 1], low, high)
