"""Model expressions run in a restricted environment: task data and the engine's helpers, nothing else."""

import pytest

from engine import scripting
from engine.errors import ValidationFailed
from engine.rules import environment


@pytest.mark.parametrize("expression", ["__import__('os').getcwd()", "open('/etc/passwd').read()",
                                        "eval('1')", "getattr(today, '__globals__')"])
def test_no_imports_files_or_introspection(expression):
    """Unknown names read as None (a form field left out), so none of these can even be called."""
    with pytest.raises(TypeError, match="'NoneType' object is not callable"):
        scripting.evaluate(expression, {})


def test_helpers_and_task_data_are_visible_and_missing_fields_read_as_none():
    data = {"items": [{"deadline": "2026-03-16"}, {"deadline": "2026-03-13"}], "fine": 15000}
    assert scripting.evaluate("deadline(latest_date(items, 'deadline'), 10)", data) == "2026-03-26"
    assert environment.evaluate("fine <= statutory_range('SPL-099-1-01')[1] and opinion is None", data) is True


def test_case_data_cannot_point_the_profile_loader_at_a_file():
    assert environment.profile_values("2026-03-02", "national")["hearing_threshold_org"] == 50000
    with pytest.raises(ValidationFailed):
        environment.profile_values("2026-03-02", "../../etc/zhifa.yaml")
