"""Evaluating a decision table outside a case: `zhifa decide` and `POST /api/v1/decisions/{table}` both call this.

Every table runs on `engine.rules.dmn` (as its business-rule task would in a process); the
`discretion` table's answer also carries the fine range of the tier when a violation is named.
"""

from __future__ import annotations

from datetime import date

from engine.rules.discretion import decide_discretion
from engine.rules.dmn import evaluate


def decide_table(table_id: str, inputs: dict, *, profile: str | None = None, on: date | None = None) -> dict:
    if table_id == "discretion":
        return decide_discretion(inputs, profile=profile, on=on)
    return evaluate(table_id, inputs, profile=profile, on=on)
