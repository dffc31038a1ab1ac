"""Issue 15, the officer draw of cross and special inspections: reproducible from its seed; over many draws every
inspection has two different certified officers with certificates valid through the batch's day and no declared
conflict with the unit, from the agency of the unit's level (special) or from another township (cross)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from api.plans.batch_draw import draw_batch

COUNTY, TOWNSHIPS = 1, [2, 3, 4]


@st.composite
def batch_inputs(draw_value):
    kind = draw_value(st.sampled_from(["cross", "special"]))
    n_targets = draw_value(st.integers(1, 15))
    targets = [{"id": i, "township_id": draw_value(st.sampled_from(TOWNSHIPS)),
                "assigned_level": "township" if kind == "cross" else draw_value(st.sampled_from(["county", "township"]))}
               for i in range(1, n_targets + 1)]
    officers = [{"id": 100 + i, "agency_id": draw_value(st.sampled_from([COUNTY, *TOWNSHIPS])),
                 "certificate_no": draw_value(st.sampled_from(["赣0001", None, "赣0002"])),
                 "certificate_expires": draw_value(st.sampled_from([None, "2026-01-31", "2027-12-31"]))}
                for i in range(draw_value(st.integers(0, 16)))]
    conflicts = draw_value(st.lists(st.tuples(st.sampled_from([o["id"] for o in officers] or [0]),
                                              st.integers(1, n_targets)), max_size=8))
    return {"kind": kind, "county_agency_id": COUNTY, "filters": {}, "valid_through": "2026-03-02", "targets": targets,
            "officers": officers, "conflicts": [list(c) for c in conflicts]}


@settings(max_examples=300, deadline=None)
@given(inputs=batch_inputs(), seed=st.integers(0, 2**63 - 1))
def test_every_drawn_pair_is_eligible_and_from_the_right_agency(inputs, seed):
    result = draw_batch(inputs, seed)
    assert result == draw_batch(inputs, seed)
    officers = {o["id"]: o for o in inputs["officers"]}
    conflicts = {tuple(c) for c in inputs["conflicts"]}
    targets = {t["id"]: t for t in inputs["targets"]}
    assert {e["target_id"] for e in result["entries"]} | {p["target_id"] for p in result["problems"]} == set(targets)
    for entry in result["entries"]:
        target = targets[entry["target_id"]]
        if inputs["kind"] == "cross":
            assert entry["case_agency_id"] == COUNTY and entry["officer_agency_id"] != target["township_id"]
        else:
            level_agency = COUNTY if target["assigned_level"] == "county" else target["township_id"]
            assert entry["case_agency_id"] == entry["officer_agency_id"] == level_agency
        first, second = entry["officers"]
        assert first != second
        for officer_id in entry["officers"]:
            officer = officers[officer_id]
            assert officer["agency_id"] == entry["officer_agency_id"] and officer["certificate_no"]
            assert officer["certificate_expires"] >= "2026-03-02"
            assert (officer_id, target["id"]) not in conflicts
