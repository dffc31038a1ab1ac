from datetime import date

import pytest

# A filing date on which both profiles have a version in force.
FILED = date(2024, 3, 1)


@pytest.fixture
def draft_profile(tmp_path):
    """Write a draft profile file and return its path (load_profile accepts a .yaml path)."""

    def write(text: str) -> str:
        path = tmp_path / "draft.yaml"
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write
