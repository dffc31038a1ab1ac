"""The officer draw of a batch of inspections the county organises, as a pure function of its inputs and seed.

- 专项检查 (special): every target of the filtered set is inspected by the agency of its assigned level (a township-
  level unit by its township or park, a county-level unit by the county bureau), by a random pair of that agency's
  officers.
- 交叉检查 (cross): the townships (and park) of the targets are put in a random order and each one's targets are
  inspected by the officers of the next one in that order (never its own); the case is the county bureau's, which
  organises it, and the drawn township officers are added to it (as in a joint inspection).

The officer pair is drawn as in the annual plan (api.plans.draw.eligible_pool: two certified officers with
certificates valid through the batch's last day, neither with a declared conflict with the unit). Only
`random.Random(seed)` over inputs in a fixed order is used, so the same inputs and seed give the same batch.
"""

from __future__ import annotations

import random

from api.plans.draw import eligible_pool

KINDS = {"cross": "交叉检查", "special": "专项检查"}


def cross_pairing(rng: random.Random, townships: list[int]) -> dict[int, int]:
    """{township: the township whose officers inspect it}: a random cycle, so none inspects itself."""
    order = sorted(townships)
    rng.shuffle(order)
    return {order[i]: order[(i + 1) % len(order)] for i in range(len(order))} if len(order) > 1 else {}


def draw_batch(inputs: dict, seed: int) -> dict:
    """{"pairing": {township: inspecting agency}, "entries": [{target_id, case_agency_id, officer_agency_id,
    officers: [id, id]}], "problems": [...]}"""
    rng = random.Random(seed)
    targets = sorted(inputs["targets"], key=lambda t: t["id"])
    county = inputs["county_agency_id"]
    pairing = {}
    if inputs["kind"] == "cross":
        pairing = cross_pairing(rng, sorted({t["township_id"] for t in targets}))
    entries, problems = [], []
    for target in targets:
        if inputs["kind"] == "cross":
            case_agency, officer_agency = county, pairing.get(target["township_id"])
        else:
            case_agency = county if target["assigned_level"] == "county" else target["township_id"]
            officer_agency = case_agency
        pool = eligible_pool(inputs, officer_agency, target["id"], inputs["valid_through"]) if officer_agency else []
        if len(pool) < 2:
            problems.append({"target_id": target["id"], "agency_id": officer_agency,
                             "message": "可抽取的执法人员不足两名(须持有效执法证且未申请回避)" if officer_agency
                             else "交叉检查至少需要两个乡镇(园区)的执法对象"})
            continue
        entries.append({"target_id": target["id"], "case_agency_id": case_agency, "officer_agency_id": officer_agency,
                        "officers": sorted(rng.sample(pool, 2))})
    return {"pairing": {str(k): v for k, v in pairing.items()}, "entries": entries, "problems": problems}
