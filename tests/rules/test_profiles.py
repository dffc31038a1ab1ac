"""Profiles: effective-dated versions and their validation."""

from datetime import date

import pytest

from engine.errors import ModelError, NotFound, ValidationFailed
from engine.rules.profiles import available_profiles, load_profile

VALUES = """
      hearing_threshold_person: {person}
      hearing_threshold_org: 20000
      hearing_threshold_inclusive: true
      simple_limit_person: 200
      simple_limit_org: 3000
      simple_limit_inclusive: true
      statement_defence_days: 3
      major_catalogue: []
      discretion_split: ["1/3", "2/3"]
"""


def two_versions(first: str, second: str) -> str:
    return (f"name: draft\ntitle: 试行配置\nversions:\n"
            f"  - effective_from: {second}\n    basis: 第二版\n    values:{VALUES.format(person=5000)}"
            f"  - effective_from: {first}\n    basis: 第一版\n    values:{VALUES.format(person=3000)}")


def test_shipped_profiles():
    assert available_profiles() == ["jiangxi", "national"]
    jiangxi = load_profile("jiangxi").version_on(date(2024, 1, 1)).table_inputs()
    assert (jiangxi["hearing_threshold_person"], jiangxi["hearing_threshold_org"]) == (3000, 20000)
    assert jiangxi["hearing_threshold_inclusive"] is True and jiangxi["simple_limit_inclusive"] is True
    assert jiangxi["statement_defence_days"] == 3
    assert jiangxi["major_catalogue_items"] == ["mitigated_penalty"]
    national = load_profile("national").version_on(date(2024, 1, 1)).table_inputs()
    assert (national["hearing_threshold_person"], national["hearing_threshold_org"]) == (20000, 50000)
    assert (national["simple_limit_person"], national["simple_limit_org"]) == (200, 3000)


def test_version_in_force_switches_on_its_effective_date(draft_profile):
    profile = load_profile(draft_profile(two_versions("2020-01-01", "2025-06-01")))
    assert profile.version_on(date(2025, 5, 31)).values["hearing_threshold_person"] == 3000
    assert profile.version_on(date(2025, 6, 1)).values["hearing_threshold_person"] == 5000


def test_before_the_first_version_is_a_clear_error():
    with pytest.raises(ValidationFailed) as caught:
        load_profile("jiangxi").version_on(date(2021, 7, 14))
    assert caught.value.message == (
        "规则配置“江西省”(jiangxi) 在 2021-07-14 没有生效的版本（最早版本自 2021-07-15 起施行）")


def test_unknown_profile():
    with pytest.raises(NotFound) as caught:
        load_profile("shanghai")
    assert "找不到规则配置 shanghai" in caught.value.message


def test_broken_profiles_name_the_problem(draft_profile):
    with pytest.raises(ModelError) as caught:
        load_profile(draft_profile(two_versions("2020-01-01", "2020-01-01")))
    assert "effective_from 相同" in caught.value.message
    with pytest.raises(ModelError) as caught:
        load_profile(draft_profile(two_versions("2020-01-01", "2025-06-01").replace(
            "hearing_threshold_org: 20000", "hearing_threshold_org: -1", 1)))
    assert "hearing_threshold_org" in caught.value.message
