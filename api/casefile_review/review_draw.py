"""The draw (抽取) and cross review (交叉评查) as pure functions of a recorded seed and recorded inputs.

Given the same seed and the same candidates, `draw` returns the same sample and `assign_reviewers` the same
reviewers on any machine: each unit's random stream is `random.Random("<seed>/unit/<id>")` (string seeds are
hashed with SHA-512, stable across Python versions), and every list is sorted before it is drawn from.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from engine.errors import ValidationFailed

# always-include rules of a plan (DOMAIN.md §10) and how users read them
ALWAYS_INCLUDE = {"hearing": "举行听证的案件", "major": "重大执法决定案件", "referral": "涉嫌犯罪移送的案件",
                  "remedy": "经行政复议或行政诉讼的案件"}
RANDOM = "random"
REASON_LABELS = {**ALWAYS_INCLUDE, RANDOM: "随机抽取"}


@dataclass(frozen=True)
class Candidate:
    """A closed case file of a unit, with the always-include rules it meets."""

    case_id: int
    unit_id: int
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class DrawRules:
    share_percent: int
    minimum_per_unit: int
    always_include: tuple[str, ...] = ()


@dataclass(frozen=True)
class Drawn:
    case_id: int
    unit_id: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Reviewer:
    user_id: int
    unit_id: int


def target_size(count: int, rules: DrawRules) -> int:
    """The share of the unit's files, rounded up, at least the minimum, at most all of them."""
    share = -(-count * rules.share_percent // 100)
    return min(count, max(rules.minimum_per_unit, share))


def draw(seed: str, candidates: Iterable[Candidate], rules: DrawRules) -> list[Drawn]:
    """Per unit: every file an always-include rule names, then a random draw from the rest up to the target size."""
    by_unit: dict[int, list[Candidate]] = {}
    for candidate in candidates:
        by_unit.setdefault(candidate.unit_id, []).append(candidate)
    sample = []
    for unit_id in sorted(by_unit):
        files = sorted(by_unit[unit_id], key=lambda c: c.case_id)
        always = [(c, tuple(f for f in rules.always_include if f in c.flags)) for c in files]
        always = [(c, reasons) for c, reasons in always if reasons]
        included = {c.case_id for c, _ in always}
        rest = [c for c in files if c.case_id not in included]
        wanted = max(0, min(len(rest), target_size(len(files), rules) - len(always)))
        picked = random.Random(f"{seed}/unit/{unit_id}").sample(rest, wanted)
        sample += [Drawn(c.case_id, unit_id, reasons) for c, reasons in always]
        sample += [Drawn(c.case_id, unit_id, (RANDOM,)) for c in sorted(picked, key=lambda c: c.case_id)]
    return sorted(sample, key=lambda d: (d.unit_id, d.case_id))


def eligible(drawn: Drawn, reviewers: Iterable[Reviewer], participants: Mapping[int, frozenset[int]]) -> list[Reviewer]:
    """Never a file of the reviewer's own unit, never a case they took part in."""
    took_part = participants.get(drawn.case_id, frozenset())
    return [r for r in reviewers if r.unit_id != drawn.unit_id and r.user_id not in took_part]


def assign_reviewers(seed: str, sample: Iterable[Drawn], reviewers: Iterable[Reviewer],
                     participants: Mapping[int, frozenset[int]]) -> dict[int, int]:
    """Case id → reviewer's user id: the least-loaded eligible reviewer, ties broken by the seeded stream."""
    pool = sorted(set(reviewers), key=lambda r: r.user_id)
    rng = random.Random(f"{seed}/reviewers")
    load: Counter[int] = Counter()
    assigned, unassignable = {}, []
    for drawn in sorted(sample, key=lambda d: d.case_id):
        options = eligible(drawn, pool, participants)
        if not options:
            unassignable.append(drawn.case_id)
            continue
        least = min(load[r.user_id] for r in options)
        choice = rng.choice([r for r in options if load[r.user_id] == least])
        load[choice.user_id] += 1
        assigned[drawn.case_id] = choice.user_id
    if unassignable:
        raise ValidationFailed(f"{len(unassignable)}份案卷没有可交叉评查的人员(评查人员不得评查本单位或本人参与的案卷), "
                               "请增加评查人员或允许其他乡镇持证执法人员参加评查",
                               code="no_eligible_reviewer", details={"case_ids": unassignable})
    return assigned


def inputs_record(candidates: Iterable[Candidate], rules: DrawRules, reviewers: Iterable[Reviewer],
                  participants: Mapping[int, frozenset[int]]) -> dict:
    """Everything the draw read, as JSON: stored with the seed so the draw can be replayed."""
    return {"rules": {"share_percent": rules.share_percent, "minimum_per_unit": rules.minimum_per_unit,
                      "always_include": list(rules.always_include)},
            "candidates": [[c.case_id, c.unit_id, list(c.flags)] for c in sorted(candidates, key=lambda c: c.case_id)],
            "reviewers": [[r.user_id, r.unit_id] for r in sorted(set(reviewers), key=lambda r: r.user_id)],
            "participants": {str(k): sorted(v) for k, v in sorted(participants.items()) if v}}


def from_record(inputs: dict) -> tuple[list[Candidate], DrawRules, list[Reviewer], dict[int, frozenset[int]]]:
    rules = inputs["rules"]
    return ([Candidate(c, u, tuple(flags)) for c, u, flags in inputs["candidates"]],
            DrawRules(rules["share_percent"], rules["minimum_per_unit"], tuple(rules["always_include"])),
            [Reviewer(u, a) for u, a in inputs["reviewers"]],
            {int(k): frozenset(v) for k, v in inputs["participants"].items()})


def replay(seed: str, inputs: dict) -> tuple[list[Drawn], dict[int, int]]:
    candidates, rules, reviewers, participants = from_record(inputs)
    sample = draw(seed, candidates, rules)
    return sample, assign_reviewers(seed, sample, reviewers, participants)


def digest(seed: str, inputs: dict, sample: list[Drawn], reviewers: Mapping[int, int]) -> str:
    body = {"seed": seed, "inputs": inputs, "sample": [[d.case_id, d.unit_id, list(d.reasons)] for d in sample],
            "reviewers": {str(k): v for k, v in sorted(reviewers.items())}}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()
