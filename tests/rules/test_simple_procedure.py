"""simple_procedure (APL Arts. 51–52) at every limit under both profiles."""

from datetime import date

import pytest

from engine.rules.dmn import evaluate
from engine.rules.violations import catalogue

from .conftest import FILED


def simple(profile, party_type, fine, kinds=("fine",), facts_certain=True, on=FILED):
    inputs = {"party_type": party_type, "fine_amount": fine, "penalty_kinds": list(kinds),
              "facts_certain": facts_certain}
    return evaluate("simple_procedure", inputs, profile=profile, on=on)["simple"]


@pytest.mark.parametrize("profile", ["jiangxi", "national"])
@pytest.mark.parametrize(
    "party_type, fine, expected",
    [
        ("person", 200, True),
        ("person", 201, False),
        ("organization", 3000, True),
        ("organization", 3001, False),
    ],
)
def test_fine_limits(profile, party_type, fine, expected):
    assert simple(profile, party_type, fine) is expected


@pytest.mark.parametrize("profile", ["jiangxi", "national"])
def test_e4_warning_plus_2000_on_a_unit_is_simple_3500_is_not(profile):
    assert simple(profile, "organization", 2000, kinds=["warning", "fine"]) is True
    assert simple(profile, "organization", 3500, kinds=["warning", "fine"]) is False


@pytest.mark.parametrize("profile", ["jiangxi", "national"])
def test_warning_alone_is_simple(profile):
    assert simple(profile, "person", 0, kinds=["warning"]) is True


@pytest.mark.parametrize("profile", ["jiangxi", "national"])
def test_facts_not_certain_other_kinds_or_no_penalty_are_not_simple(profile):
    assert simple(profile, "person", 100, facts_certain=False) is False
    assert simple(profile, "organization", 0, kinds=["warning", "suspend_production"]) is False
    assert simple(profile, "organization", 0, kinds=[]) is False


@pytest.mark.parametrize("profile", ["jiangxi", "national"])
def test_township_cases_under_spl_94_96_never_qualify(profile):
    entrusted = [violation for violation in catalogue().values() if violation.township_entrusted]
    assert sorted(violation.code for violation in entrusted) == ["SPL-094-1", "SPL-096-1-OTH", "SPL-096-1-SAF"]
    for violation in entrusted:
        assert simple(profile, "person", violation.fine_min_yuan, kinds=["warning", "fine"]) is False


def test_limits_before_the_2021_penalty_law_under_the_national_profile():
    # APL (1996) Art. 33: 50 yuan for citizens, 1,000 for organisations; APL (2021) from 2021-07-15.
    assert simple("national", "person", 150, on=date(2021, 7, 14)) is False
    assert simple("national", "person", 50, on=date(2021, 7, 14)) is True
    assert simple("national", "organization", 1001, on=date(2021, 7, 14)) is False
    assert simple("national", "person", 150, on=date(2021, 7, 15)) is True
    assert simple("national", "organization", 1001, on=date(2021, 7, 15)) is True
