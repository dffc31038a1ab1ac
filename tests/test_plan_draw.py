"""Issue 15, the double-random draw of an annual plan: reproducible from its seed; over many draws every visit has
two different certified officers of the plan's agency with certificates valid through the visit's month, never one
who declared a conflict with the unit; key targets are all covered; no target exceeds its class's cap."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from api.plans.draw import draw, load_config, month_end

AGENCY = 2
STANDARDISATION = ["level1", "level2", "level3", "ungraded"]


@st.composite
def plan_inputs(draw_value):
    n_targets = draw_value(st.integers(1, 25))
    targets = [{"id": i, "key_target": draw_value(st.booleans()), "standardisation": draw_value(st.sampled_from(STANDARDISATION)),
                "risk_level": "general", "industry": "industry_trade"} for i in range(1, n_targets + 1)]
    n_officers = draw_value(st.integers(0, 8))
    officers = [{"id": 100 + i, "agency_id": draw_value(st.sampled_from([AGENCY, AGENCY, 3])),
                 "certificate_no": draw_value(st.sampled_from(["赣0001", "赣0002", None])),
                 "certificate_expires": draw_value(st.sampled_from([None, "2027-03-31", "2027-08-15", "2028-12-31"]))}
                for i in range(n_officers)]
    conflicts = draw_value(st.lists(st.tuples(st.sampled_from([o["id"] for o in officers] or [0]),
                                              st.integers(1, n_targets)), max_size=10))
    config = load_config() | {"key_target_visits": draw_value(st.integers(1, 8)), "random_visits": draw_value(st.integers(1, 8)),
                              "random_share": draw_value(st.sampled_from([0.0, 0.3, 0.5, 1.0]))}
    return {"year": 2027, "agency_id": AGENCY, "targets": targets, "officers": officers,
            "conflicts": [list(c) for c in conflicts], "config": config}


@settings(max_examples=300, deadline=None)
@given(inputs=plan_inputs(), seed=st.integers(0, 2**63 - 1))
def test_every_drawn_pair_is_two_certified_officers_of_the_agency_without_a_conflict(inputs, seed):
    result = draw(inputs, seed)
    officers = {o["id"]: o for o in inputs["officers"]}
    conflicts = {tuple(c) for c in inputs["conflicts"]}
    for entry in result["entries"]:
        for visit in entry["visits"]:
            if not visit["officers"]:
                assert {"target_id": entry["target_id"], "month": visit["month"]} in [
                    {k: p[k] for k in ("target_id", "month")} for p in result["problems"]]
                continue
            first, second = visit["officers"]
            assert first != second
            for officer_id in visit["officers"]:
                officer = officers[officer_id]
                assert officer["agency_id"] == AGENCY and officer["certificate_no"]
                assert officer["certificate_expires"] >= month_end(2027, visit["month"]).isoformat()
                assert (officer_id, entry["target_id"]) not in conflicts


@settings(max_examples=300, deadline=None)
@given(inputs=plan_inputs(), seed=st.integers(0, 2**63 - 1))
def test_key_targets_are_all_covered_and_no_class_cap_is_exceeded(inputs, seed):
    result = draw(inputs, seed)
    caps = inputs["config"]["caps"]
    planned = {entry["target_id"]: entry for entry in result["entries"]}
    for target in inputs["targets"]:
        if target["key_target"]:
            assert target["id"] in planned and planned[target["id"]]["visits"]
        if target["id"] in planned:
            months = [v["month"] for v in planned[target["id"]]["visits"]]
            assert 1 <= len(months) <= caps[target["standardisation"]]
            assert len(set(months)) == len(months)
    others = [t for t in inputs["targets"] if not t["key_target"]]
    drawn_others = [t for t in others if t["id"] in planned]
    assert len(drawn_others) == -(-len(others) * inputs["config"]["random_share"] // 1)


@settings(max_examples=100, deadline=None)
@given(inputs=plan_inputs(), seed=st.integers(0, 2**63 - 1))
def test_the_same_inputs_and_seed_draw_the_same_plan(inputs, seed):
    assert draw(inputs, seed) == draw(inputs, seed)


def test_a_fixed_seed_draws_a_fixed_plan():
    """The draw does not depend on anything but its inputs and seed (a stored plan redraws exactly)."""
    inputs = {"year": 2027, "agency_id": AGENCY, "conflicts": [[101, 2]], "config": load_config(),
              "targets": [{"id": i, "key_target": i == 1, "standardisation": "level3", "risk_level": "general",
                           "industry": "industry_trade"} for i in range(1, 5)],
              "officers": [{"id": 100 + i, "agency_id": AGENCY, "certificate_no": f"赣{i}", "certificate_expires": "2028-12-31"}
                           for i in range(3)]}
    assert draw(inputs, 20270101) == {"entries": [
        {"target_id": 1, "key_target": True, "visits": [{"month": 4, "officers": [100, 101]},
                                                         {"month": 11, "officers": [100, 101]}]},
        {"target_id": 4, "key_target": False, "visits": [{"month": 10, "officers": [100, 101]}]},
    ], "problems": []}
