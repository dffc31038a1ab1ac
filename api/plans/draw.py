"""The double-random draw (双随机) of an annual plan, as a pure function of its recorded inputs and seed.

Key targets are all in the plan; of the others a share is drawn at random. Each target gets visits in distinct
months, never more in a year than the cap of its class (configuration, api/data/plan_draw.yaml). Each visit gets
a random pair of officers: two different certified officers of the plan's agency whose certificates are valid
to the end of the visit's month, neither of whom declared a conflict with the unit (回避).

With `weight_by_risk` in the configuration and a `risk_score` on every target (api.targets.risk), the random share
is drawn with probability weighted by the score (each target's key is u ** (1 / weight), the highest keys win;
a score below `min_weight` counts as `min_weight`, so low-risk units can still be drawn), and each entry carries
its score.

`draw(inputs, seed)` uses only `random.Random(seed)` over inputs in a fixed order, so the same inputs and seed
give the same plan (`zhifa plan redraw` checks a stored plan this way).
"""

from __future__ import annotations

import calendar
import math
import random
from datetime import date
from pathlib import Path

import yaml

CONFIG_FILE = Path(__file__).resolve().parent.parent / "data" / "plan_draw.yaml"


def load_config(path: Path = CONFIG_FILE) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def eligible_pool(inputs: dict, agency_id: int, target_id: int, valid_through: str) -> list[int]:
    """Certified officers of `agency_id` with certificates valid through `valid_through` (ISO date) and without a
    declared conflict with the unit (回避), by id."""
    conflicted = {user_id for user_id, conflict_target in inputs["conflicts"] if conflict_target == target_id}
    return sorted(officer["id"] for officer in inputs["officers"]
                  if officer["agency_id"] == agency_id and officer["certificate_no"]
                  and (officer["certificate_expires"] or "") >= valid_through and officer["id"] not in conflicted)


def eligible_officers(inputs: dict, target_id: int, month: int) -> list[int]:
    """Officers who may inspect `target_id` in `month`: certified, valid to the month's end, of the plan's
    agency, and without a declared conflict with the unit."""
    return eligible_pool(inputs, inputs["agency_id"], target_id, month_end(inputs["year"], month).isoformat())


def visits_for(target: dict, config: dict) -> int:
    wanted = config["key_target_visits"] if target["key_target"] else config["random_visits"]
    return max(1, min(wanted, config["caps"][target["standardisation"]], 12))


def draw(inputs: dict, seed: int) -> dict:
    """{"entries": [{target_id, key_target, visits: [{month, officers: [id, id]}]}], "problems": [...]}"""
    rng = random.Random(seed)
    config = inputs["config"]
    targets = sorted(inputs["targets"], key=lambda t: t["id"])
    others = [t for t in targets if not t["key_target"]]
    share = math.ceil(len(others) * config["random_share"])
    drawn_ids = {t["id"] for t in _sample(rng, others, share, config)}
    chosen = [t for t in targets if t["key_target"] or t["id"] in drawn_ids]
    entries, problems = [], []
    for target in chosen:
        months = sorted(rng.sample(range(1, 13), visits_for(target, config)))
        visits = []
        for month in months:
            pool = eligible_officers(inputs, target["id"], month)
            if len(pool) < 2:
                problems.append({"target_id": target["id"], "month": month,
                                 "message": f"{month}月可抽取的执法人员不足两名(须持有效执法证且未申请回避)"})
                visits.append({"month": month, "officers": []})
                continue
            visits.append({"month": month, "officers": sorted(rng.sample(pool, 2))})
        entry = {"target_id": target["id"], "key_target": target["key_target"], "visits": visits}
        if "risk_score" in target:
            entry["risk_score"] = target["risk_score"]
        entries.append(entry)
    return {"entries": entries, "problems": problems}


def risk_weighted(targets: list[dict], config: dict) -> bool:
    return bool(config.get("weight_by_risk")) and all("risk_score" in t for t in targets)


def _sample(rng: random.Random, others: list[dict], share: int, config: dict) -> list[dict]:
    """`share` of `others`: uniformly, or weighted by risk score (Efraimidis–Spirakis keys, ties by id)."""
    if not risk_weighted(others, config):
        return rng.sample(others, share)
    floor = config.get("min_weight", 1)
    keyed = [(rng.random() ** (1 / max(t["risk_score"], floor)), -t["id"], t) for t in others]
    return [t for _, _, t in sorted(keyed, key=lambda k: k[:2], reverse=True)[:share]]
