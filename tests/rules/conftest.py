from datetime import date

import pytest
import yaml

# A filing date on which both profiles have a version in force.
FILED = date(2024, 3, 1)


DRAFT_VALUES = {
    "hearing_threshold_person": 3000, "hearing_threshold_org": 20000, "hearing_threshold_inclusive": True,
    "simple_limit_person": 200, "simple_limit_org": 3000, "simple_limit_inclusive": True,
    "statement_defence_days": 3, "major_catalogue": [], "discretion_split": ["1/3", "2/3"],
}


@pytest.fixture
def draft_profile(tmp_path):
    """Write a draft profile file and return its path (load_profile accepts a .yaml path).

    Either the whole YAML text, or values overriding a one-version draft with the Jiangxi figures.
    """

    def write(text: str | None = None, **values) -> str:
        if text is None:
            version = {"effective_from": date(2020, 1, 1), "basis": "测试", "values": {**DRAFT_VALUES, **values}}
            text = yaml.safe_dump({"name": "draft", "title": "试行配置", "versions": [version]}, allow_unicode=True)
        path = tmp_path / "draft.yaml"
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write
