"""hearing_eligible (DOMAIN.md §5 H1–H8) at every threshold under both profiles."""

import pytest

from engine.rules.dmn import evaluate

from .conftest import FILED


def hearing(profile, party_type, fine=0, kinds=("fine",), confiscation=0):
    inputs = {"party_type": party_type, "fine_amount": fine, "penalty_kinds": list(kinds),
              "confiscation_value": confiscation}
    return evaluate("hearing_eligible", inputs, profile=profile, on=FILED)["hearing_eligible"]


@pytest.mark.parametrize(
    "profile, party_type, fine, expected",
    [
        ("jiangxi", "person", 2999, False),
        ("jiangxi", "person", 3000, True),
        ("jiangxi", "person", 3001, True),
        ("jiangxi", "organization", 19999, False),
        ("jiangxi", "organization", 20000, True),
        ("national", "person", 3000, False),
        ("national", "person", 19999, False),
        ("national", "person", 20000, True),
        ("national", "organization", 20000, False),
        ("national", "organization", 49999, False),
        ("national", "organization", 50000, True),
    ],
)
def test_fine_thresholds_h1_h2(profile, party_type, fine, expected):
    assert hearing(profile, party_type, fine) is expected


@pytest.mark.parametrize(
    "profile, party_type, value, expected",
    [
        ("jiangxi", "person", 2999, False),
        ("jiangxi", "person", 3000, True),
        ("jiangxi", "organization", 19999, False),
        ("jiangxi", "organization", 20000, True),
        ("national", "person", 19999, False),
        ("national", "person", 20000, True),
        ("national", "organization", 49999, False),
        ("national", "organization", 50000, True),
    ],
)
def test_confiscation_thresholds_h3(profile, party_type, value, expected):
    assert hearing(profile, party_type, kinds=["confiscation"], confiscation=value) is expected


@pytest.mark.parametrize("profile", ["jiangxi", "national"])
@pytest.mark.parametrize(
    "kind", ["suspend_production", "close", "restrict_practice", "revoke_license", "suspend_license"]
)
def test_heavy_penalty_kinds_h4_h5_h6_regardless_of_amount(profile, kind):
    assert hearing(profile, "organization", kinds=[kind]) is True
    assert hearing(profile, "person", fine=100, kinds=["fine", kind]) is True


@pytest.mark.parametrize("profile", ["jiangxi", "national"])
def test_warning_only_or_no_penalty_h7_h8(profile):
    assert hearing(profile, "person", kinds=["warning"]) is False
    assert hearing(profile, "organization", kinds=[]) is False


def test_e2_safety_manager_fined_10000_depends_on_profile():
    # DOMAIN.md §12 E2: SPL Art. 96, fine 10,000 on the safety manager.
    assert hearing("jiangxi", "person", 10000) is True
    assert hearing("national", "person", 10000) is False


def test_jiangxi_is_the_default_profile():
    inputs = {"party_type": "person", "fine_amount": 3000, "penalty_kinds": ["fine"]}
    assert evaluate("hearing_eligible", inputs, on=FILED) == {"hearing_eligible": True}


def test_profile_named_in_the_inputs():
    inputs = {"party_type": "person", "fine_amount": 3000, "penalty_kinds": ["fine"], "profile": "national"}
    assert evaluate("hearing_eligible", inputs, on=FILED) == {"hearing_eligible": False}


def test_thresholds_and_boundary_reading_come_from_the_profile(draft_profile):
    path = draft_profile(hearing_threshold_person=5000, hearing_threshold_org=30000, hearing_threshold_inclusive=False)
    assert hearing(path, "person", 5000) is False
    assert hearing(path, "person", 5001) is True
    assert hearing(path, "organization", 30000) is False
    assert hearing(path, "organization", 30001) is True
    assert hearing(path, "organization", kinds=["confiscation"], confiscation=30000) is False
    assert hearing(path, "organization", kinds=["confiscation"], confiscation=30001) is True
