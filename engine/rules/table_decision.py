"""Evaluating a decision table outside a case: `zhifa decide` and `POST /api/v1/decisions/{table}` both call this.

Every table runs on `engine.rules.dmn` (as its business-rule task would in a process); the
`discretion` table's answer also carries the fine range of the tier when a violation is named; `jurisdiction`
without `entrusted_item` gets it from the default power list (engine.powers.power_list).
"""

from __future__ import annotations

from datetime import date

from engine.powers.power_list import default_items, entrusted_item
from engine.rules.discretion import decide_discretion
from engine.rules.dmn import evaluate


def decide_table(table_id: str, inputs: dict, *, profile: str | None = None, on: date | None = None) -> dict:
    if table_id == "discretion":
        return decide_discretion(inputs, profile=profile, on=on)
    if table_id == "jurisdiction" and "entrusted_item" not in inputs:  # outside a case: the default list
        inputs = {**inputs, "entrusted_item": entrusted_item(default_items(), inputs.get("violation_code"),
                                                             inputs.get("penalty_kinds"))}
    return evaluate(table_id, inputs, profile=profile, on=on)
