"""`zhifa demo` on the embedded defaults: one case through every step, ending with the case number."""

import os
import subprocess
import sys

from sqlmodel import Session, select

from engine import record
from engine.db import get_engine
from engine.models import Case


def test_demo_drives_an_inspection_and_the_county_case_to_archive(zhifa_env):
    result = subprocess.run([sys.executable, "-m", "api", "demo"], env={**os.environ, "ZHIFA_DATA_DIR": str(zhifa_env)},
                            capture_output=True, text=True, timeout=300, cwd="/")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[-1] == "（遂）应急立〔2026〕1号"
    assert "刘建华(乡镇(园区)执法人员): 现场检查 → 整改中" in result.stdout
    assert "罗文静(法制审核人员): 法制审核 → 集体讨论中" in result.stdout
    assert "立卷归档 → 已归档" in result.stdout
    engine = get_engine(f"sqlite:///{zhifa_env / 'zhifa.db'}")
    with Session(engine) as session:
        county = session.exec(select(Case).where(Case.number == lines[-1])).one()
        inspection = session.get(Case, county.parent_case_id)
        assert (inspection.outcome, county.status, county.outcome) == ("county", "archived", "penalised")
        assert record.verify(session) == []
    assert (zhifa_env / "objects").is_dir()
