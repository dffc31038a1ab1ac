"""major_decision (DOMAIN.md §4 M1–M7): each row and their precedence."""

import pytest

from engine.rules.dmn import evaluate

from .conftest import FILED

NONE_OF_THEM = {
    "public_interest": False, "hearing_held": False, "complex_case": False, "hearing_eligible": False,
    "penalty_kinds": ["fine"], "daily_fine": False, "catalogue_item": None,
}
MAJOR = {"major": True, "legal_review": True, "collective_discussion": True}
REVIEW_ONLY = {"major": True, "legal_review": True, "collective_discussion": False}
ORDINARY = {"major": False, "legal_review": False, "collective_discussion": False}


def major(profile="jiangxi", **changes):
    return evaluate("major_decision", {**NONE_OF_THEM, **changes}, profile=profile, on=FILED)


@pytest.mark.parametrize(
    "changes",
    [
        {"public_interest": True},                                # M1
        {"hearing_held": True},                                   # M2
        {"complex_case": True},                                   # M3
        {"hearing_eligible": True},                               # M4
        {"penalty_kinds": ["close"]},                             # M5 closure
        {"daily_fine": True},                                     # M5 daily fines
        {"catalogue_item": "mitigated_penalty"},                  # M6, catalogue asks for discussion
    ],
)
def test_rows_m1_to_m6_make_the_decision_major(changes):
    assert major(**changes) == MAJOR


def test_m7_none_of_the_above():
    assert major() == ORDINARY


def test_catalogue_is_per_profile():
    # the national profile has no local catalogue: the same item is an ordinary decision
    assert major("national", catalogue_item="mitigated_penalty") == ORDINARY
    assert major("jiangxi", catalogue_item="not_in_the_catalogue") == ORDINARY


def test_catalogue_item_without_discussion_needs_review_only(draft_profile):
    path = draft_profile(major_catalogue=[
        {"code": "referral_declined", "name": "拟不移送司法机关", "collective_discussion": False}])
    assert major(path, catalogue_item="referral_declined") == REVIEW_ONLY
    # precedence: an earlier row (M4) that asks for discussion wins over the review-only catalogue row
    assert major(path, catalogue_item="referral_declined", hearing_eligible=True) == MAJOR


def test_e2_major_follows_hearing_eligibility_under_each_profile():
    for profile, expected in (("jiangxi", MAJOR), ("national", ORDINARY)):
        eligible = evaluate("hearing_eligible", {"party_type": "person", "fine_amount": 10000,
                                                 "penalty_kinds": ["fine"]}, profile=profile, on=FILED)
        assert major(profile, **eligible) == expected
