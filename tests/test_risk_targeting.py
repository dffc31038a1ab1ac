"""Issue 15, risk-based targeting: a target's score is the configured weights applied to its register fields and
history (parts add up, more history never lowers it); a risk-weighted draw reproduces from its seed, keeps the
random share and the key targets, carries each drawn target's score, and over many seeds draws high-risk units
more often than low-risk ones."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from api.plans.draw import draw, load_config
from api.targets.risk import load_weights, score
from api.targets.vocabulary import CREDIT_LEVELS, RISK_LEVELS

WEIGHTS = load_weights()
HISTORY = st.fixed_dictionaries({k: st.integers(0, 40) for k in ("hazards", "penalties", "accidents")})
TARGET = st.fixed_dictionaries({"risk_level": st.sampled_from(list(RISK_LEVELS)),
                                "credit_level": st.sampled_from([None, *CREDIT_LEVELS])})


@settings(max_examples=300, deadline=None)
@given(target=TARGET, history=HISTORY, more=st.sampled_from(["hazards", "penalties", "accidents"]))
def test_the_score_is_the_sum_of_its_parts_and_more_history_never_lowers_it(target, history, more):
    result = score(target, history, WEIGHTS)
    assert result["score"] == sum(result["parts"].values()) and min(result["parts"].values()) >= 0
    assert result["parts"]["risk_level"] == WEIGHTS["risk_level"][target["risk_level"]]
    assert score(target, history | {more: history[more] + 1}, WEIGHTS)["score"] >= result["score"]


def test_the_configured_weights_rank_a_major_risk_untrustworthy_unit_above_a_low_risk_trustworthy_one():
    risky = score({"risk_level": "major", "credit_level": "untrustworthy"}, {"hazards": 2, "penalties": 1}, WEIGHTS)
    calm = score({"risk_level": "low", "credit_level": "trustworthy"}, {}, WEIGHTS)
    assert risky == {"score": 40 + 20 + 2 * 3 + 8, "parts": {"risk_level": 40, "credit_level": 20, "hazards": 6,
                                                              "penalties": 8, "accidents": 0}}
    assert calm["score"] == 0


def _inputs(scores: list[int], key: set[int] = frozenset(), share: float = 0.3) -> dict:
    return {"year": 2027, "agency_id": 2, "conflicts": [],
            "config": load_config() | {"random_share": share, "weight_by_risk": True},
            "targets": [{"id": i, "key_target": i in key, "standardisation": "level3", "risk_level": "general",
                         "industry": "industry_trade", "risk_score": s} for i, s in enumerate(scores, start=1)],
            "officers": [{"id": 100 + i, "agency_id": 2, "certificate_no": f"赣{i}", "certificate_expires": "2028-12-31"}
                         for i in range(3)]}


@settings(max_examples=200, deadline=None)
@given(scores=st.lists(st.integers(0, 120), min_size=1, max_size=25), seed=st.integers(0, 2**63 - 1),
       share=st.sampled_from([0.0, 0.3, 0.5, 1.0]), key=st.sets(st.integers(1, 25), max_size=5))
def test_a_risk_weighted_draw_reproduces_keeps_its_share_and_shows_each_score(scores, seed, share, key):
    inputs = _inputs(scores, key, share)
    result = draw(inputs, seed)
    assert result == draw(inputs, seed)
    planned = {e["target_id"]: e for e in result["entries"]}
    others = [t for t in inputs["targets"] if not t["key_target"]]
    assert len([t for t in others if t["id"] in planned]) == -(-len(others) * share // 1)
    assert all(t["id"] in planned for t in inputs["targets"] if t["key_target"])
    assert all(planned[t["id"]]["risk_score"] == t["risk_score"] for t in inputs["targets"] if t["id"] in planned)


def test_over_many_seeds_high_risk_units_are_drawn_more_often():
    """Ten units, five scoring 60 and five scoring 1; three drawn a year: the risky ones are drawn far more often."""
    inputs = _inputs([60] * 5 + [1] * 5)
    counts = Counter(e["target_id"] for seed in range(400) for e in draw(inputs, seed)["entries"])
    risky, calm = sum(counts[i] for i in range(1, 6)), sum(counts[i] for i in range(6, 11))
    assert risky + calm == 400 * 3
    assert risky > 10 * calm
    uniform = _inputs([60] * 5 + [1] * 5)
    uniform["config"]["weight_by_risk"] = False
    spread = Counter(e["target_id"] for seed in range(400) for e in draw(uniform, seed)["entries"])
    assert sum(spread[i] for i in range(6, 11)) > 400  # without weighting the calm half gets about half
