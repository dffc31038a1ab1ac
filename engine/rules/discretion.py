"""Discretion (裁量): the `discretion` table picks the tier; the fine range comes from the catalogue.

The tier ranges are a configurable DEFAULT split of the statutory range (profile `discretion_split`,
thirds by default), not law: no official benchmark (应急〔2024〕90号, the Jiangxi benchmark) is loaded.
"""

from __future__ import annotations

from datetime import date

from engine.rules.dmn import decide, load_table, prepare
from engine.rules.violations import TIER_LABELS, fine_range

RANGE_BASIS = "默认划分：按规则配置 discretion_split 划分违法行为清单的法定罚款幅度，不是法定裁量基准"


def decide_discretion(inputs: dict, *, profile: str | None = None, on: date | None = None) -> dict:
    """The tier for the circumstances; with a `violation_code`, also that tier's fine range."""
    checked, version = prepare("discretion", inputs, profile=profile, on=on)
    tier = decide(load_table("discretion"), {**version.table_inputs(), **checked})["tier"]
    if checked["violation_code"] is None:
        return {"tier": tier, "tier_label": TIER_LABELS[tier]}
    return {
        **fine_range(checked["violation_code"], tier, version).as_dict(),
        "violation_code": checked["violation_code"],
        "range_basis": RANGE_BASIS,
    }
