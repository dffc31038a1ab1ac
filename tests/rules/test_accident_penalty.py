"""The accident_penalty table: which catalogue entries and which income share a graded accident brings."""

import pytest

from engine.errors import ValidationFailed
from engine.rules.dmn import evaluate
from engine.rules.violations import get_violation

from .conftest import FILED


@pytest.mark.parametrize("grade, unit_code, unit_range, principal_code, rate", [
    ("general", "SPL-114-1-01", (300000, 1000000), "SPL-095-1-01", 40),
    ("larger", "SPL-114-1-02", (1000000, 2000000), "SPL-095-1-02", 60),
    ("major", "SPL-114-1-03", (2000000, 10000000), "SPL-095-1-03", 80),
    ("especially_major", "SPL-114-1-04", (10000000, 20000000), "SPL-095-1-04", 100),
])
def test_each_grade(grade, unit_code, unit_range, principal_code, rate):
    result = evaluate("accident_penalty", {"accident_grade": grade}, on=FILED)
    assert result == {"accident_unit_violation_code": unit_code, "principal_violation_code": principal_code,
                      "principal_fine_rate": rate}
    unit = get_violation(result["accident_unit_violation_code"])
    assert (unit.fine_min_yuan, unit.fine_max_yuan) == unit_range


def test_an_unknown_grade_is_refused_naming_the_input():
    with pytest.raises(ValidationFailed) as err:
        evaluate("accident_penalty", {"accident_grade": "small"}, on=FILED)
    assert "事故等级" in err.value.message
