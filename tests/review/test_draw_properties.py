"""The draw and cross review over many generated inputs (hypothesis): the same seed and inputs give the same
sample and reviewers whatever order the inputs come in; always-include files are always in; each unit gets its
share, at least the minimum; no reviewer gets a file of their own unit or a case they took part in."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from api.casefile_review.review_draw import (
    RANDOM,
    Candidate,
    DrawRules,
    Reviewer,
    assign_reviewers,
    draw,
    inputs_record,
    replay,
    target_size,
)
from engine.errors import ValidationFailed

FLAGS = ("hearing", "major", "referral", "remedy")
UNITS = (1, 2, 3, 4)

candidates_st = st.lists(
    st.builds(Candidate, case_id=st.integers(1, 400), unit_id=st.sampled_from(UNITS),
              flags=st.lists(st.sampled_from(FLAGS), unique=True, max_size=2).map(tuple)),
    max_size=60, unique_by=lambda c: c.case_id)
rules_st = st.builds(DrawRules, share_percent=st.integers(1, 100), minimum_per_unit=st.integers(0, 6),
                     always_include=st.lists(st.sampled_from(FLAGS), unique=True).map(tuple))
reviewers_st = st.lists(st.builds(Reviewer, user_id=st.integers(1000, 1030), unit_id=st.sampled_from(UNITS)),
                        min_size=1, max_size=12, unique_by=lambda r: r.user_id)
seed_st = st.text(alphabet="0123456789abcdef", min_size=8, max_size=32)


@settings(max_examples=300, deadline=None)
@given(seed=seed_st, candidates=candidates_st, rules=rules_st, order=st.randoms(use_true_random=False))
def test_the_draw_is_reproducible_and_keeps_the_plan(seed, candidates, rules, order):
    sample = draw(seed, candidates, rules)
    shuffled = list(candidates)
    order.shuffle(shuffled)
    assert draw(seed, shuffled, rules) == sample
    chosen = {d.case_id for d in sample}
    for unit in UNITS:
        files = [c for c in candidates if c.unit_id == unit]
        always = {c.case_id for c in files if set(c.flags) & set(rules.always_include)}
        drawn = [d for d in sample if d.unit_id == unit]
        assert always <= chosen
        assert len(drawn) == max(target_size(len(files), rules), len(always))
        assert len(drawn) >= min(len(files), rules.minimum_per_unit)
        assert all((d.reasons == (RANDOM,)) == (d.case_id not in always) for d in drawn)


@settings(max_examples=300, deadline=None)
@given(seed=seed_st, candidates=candidates_st, rules=rules_st, reviewers=reviewers_st, data=st.data())
def test_cross_review_never_gives_a_reviewer_their_own_unit_or_a_case_they_took_part_in(seed, candidates, rules,
                                                                                        reviewers, data):
    ids = [r.user_id for r in reviewers]
    participants = {c.case_id: frozenset(data.draw(st.lists(st.sampled_from(ids), max_size=3))) for c in candidates}
    sample = draw(seed, candidates, rules)
    units = {r.user_id: r.unit_id for r in reviewers}
    try:
        assigned = assign_reviewers(seed, sample, reviewers, participants)
    except ValidationFailed as exc:
        assert exc.code == "no_eligible_reviewer"
        stuck = exc.details["case_ids"]
        by_case = {d.case_id: d for d in sample}
        assert stuck and all(units[r] == by_case[c].unit_id or r in participants[c] for c in stuck for r in ids)
        return
    assert set(assigned) == {d.case_id for d in sample}
    for drawn in sample:
        reviewer = assigned[drawn.case_id]
        assert units[reviewer] != drawn.unit_id
        assert reviewer not in participants[drawn.case_id]
    assert assign_reviewers(seed, list(reversed(sample)), list(reversed(reviewers)), participants) == assigned
    record = inputs_record(candidates, rules, reviewers, participants)
    assert replay(seed, record) == (sample, assigned)


def test_a_different_seed_draws_a_different_sample():
    candidates = [Candidate(i, 1) for i in range(1, 101)]
    rules = DrawRules(10, 3)
    samples = {tuple(d.case_id for d in draw(seed, candidates, rules)) for seed in ("a1", "b2", "c3", "d4")}
    assert len(samples) == 4 and all(len(s) == 10 for s in samples)


@pytest.mark.parametrize(("count", "share", "minimum", "expected"), [(100, 10, 3, 10), (12, 10, 3, 3), (2, 10, 3, 2),
                                                                    (31, 10, 3, 4), (0, 10, 3, 0)])
def test_the_share_is_rounded_up_and_at_least_the_minimum(count, share, minimum, expected):
    assert target_size(count, DrawRules(share, minimum)) == expected
