"""Issue 10: in December 2026 no official holiday data exists for 2027, yet cases must move on.

A deadline in 2027 is computed from the statutory holidays and marked provisional (inbox and case);
when official data for 2027 arrives, `zhifa holidays refresh` (or the worker at start) recomputes the
open provisional deadlines, records each change and reports it.
"""

from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session
from typer.testing import CliRunner

from api.bootstrap import build_runtime, worker_passes
from api.cli import app as zhifa
from api.identity.security import issue_token
from api.web.session import SESSION_COOKIE
from engine import holiday_data, record
from engine.calendar import SHANGHAI
from engine.db import get_engine
from engine.settings import get_settings
from tests.procedure.inspection_steps import record as inspection_record

PARTY = {"kind": "unit", "name": "遂川县林峰木业有限公司", "credit_code": "91360827MA35XXXX1K", "address": "遂川县泉江镇工业大道8号",
         "legal_representative": "王林峰"}
PROBLEM = {"description": "作业场所未设置安全警示标志", "provision": "《安全生产法》第三十五条", "violation_code": "SPL-099-1-01"}
STATUTORY = "《全国年节及纪念日放假办法》(2024年修订)推算"
# A made-up 2027 arrangement for the test (the real notice is not published yet): 24 February and 8 March off.
YEAR_2027 = "year: 2027\nsource: 测试用2027年安排(虚构)\nholidays: [2027-01-01, 2027-02-24, 2027-03-08]\n"


@pytest.fixture
def runtime(db_url):
    """The real procedure models (the other API tests run on small test models)."""
    engine = get_engine(db_url)
    yield build_runtime(engine=engine)
    engine.dispose()


@pytest.fixture
def holidays_dir(monkeypatch, tmp_path):
    directory = tmp_path / "holidays"
    directory.mkdir()
    monkeypatch.setenv("ZHIFA_HOLIDAYS_DIR", str(directory))
    get_settings.cache_clear()
    yield directory
    monkeypatch.delenv("ZHIFA_HOLIDAYS_DIR")
    get_settings.cache_clear()
    holiday_data.clear_caches()


def on(frozen_clock, day: str) -> None:
    """Office hours on `day`; before the real time of writing (a token issued later than now is refused)."""
    frozen_clock.at = datetime.fromisoformat(f"{day}T08:00:00").replace(tzinfo=SHANGHAI)


def inbox_task(client, headers, case_id: int, name: str) -> dict:
    [task] = [t for t in client.get("/api/v1/tasks", headers=headers).json() if t["case_id"] == case_id and t["name"] == name]
    return task


def complete(client, headers, case_id: int, name: str, data: dict):
    task = inbox_task(client, headers, case_id, name)
    return client.post(f"/api/v1/tasks/{task['id']}/complete", headers=headers, json={"data": data})


def file_general_case(client, auth, world, day: str) -> int:
    started = client.post("/api/v1/cases", headers=auth("c1"), json={
        "process": "general_procedure", "party": PARTY, "title": "未设置安全警示标志",
        "data": {"case_source_kind": "report", "case_source_ref": "遂应急举〔2026〕19号"}})
    assert started.status_code == 201, started.text
    case_id = started.json()["case"]["id"]
    filing = complete(client, auth("c1"), case_id, "填写立案审批表", {
        "case_name": "遂川县林峰木业有限公司未设置安全警示标志案", "case_source": "群众举报",
        "case_summary": "群众举报锯木车间未设置安全警示标志", "suspected_provisions": "《安全生产法》第三十五条",
        "officer_opinion": "建议立案调查", "officers": [world.officer("c1"), world.officer("c2")], "contact": "0796-6300001"})
    assert filing.status_code == 200, filing.text
    approval = complete(client, auth("head"), case_id, "审批立案",
                        {"filing_approved": True, "head_opinion": "同意立案", "approved_on": day})
    assert approval.status_code == 200, approval.text
    return case_id


def test_inspection_with_a_rectification_deadline_in_2027_moves_on_with_a_provisional_due_date(client, auth, world,
                                                                                              frozen_clock):
    on(frozen_clock, "2026-12-05")
    officers = [world.officer("t1a"), world.officer("t1b")]
    started = client.post("/api/v1/cases", headers=auth("t1a"), json={"process": "inspection", "party": PARTY})
    case_id = started.json()["case"]["id"]
    onsite = complete(client, auth("t1a"), case_id, "现场检查", inspection_record(
        "2026-12-05", [PROBLEM], party=PARTY, order_rectification=True) | {"officers": officers})
    assert onsite.status_code == 200, onsite.text
    order = complete(client, auth("t1a"), case_id, "责令限期整改", {"officers": officers, "inspection_date": "2026-12-05",
                     "rectification_items": [{"problem": PROBLEM["description"], "provision": PROBLEM["provision"],
                                              "requirement": "在锯木车间设置明显的安全警示标志", "deadline": "2027-01-04"}]})
    assert order.status_code == 200, order.text

    applied = complete(client, auth("t1a"), case_id, "登记单位提前申请复查", {"applied_on": "2026-12-05", "applicant": "王林峰"})

    assert applied.status_code == 200, applied.text  # was 409 workflow_error "缺少2027年节假日安排数据"
    reinspection = inbox_task(client, auth("t1a"), case_id, "整改复查")
    assert (reinspection["due_on"], reinspection["due_provisional"]) == ("2027-01-14", True)  # 10 days after 01-04
    # the web inbox and the case page say the deadline is provisional
    browser = TestClient(client.app, follow_redirects=False)
    browser.cookies.set(SESSION_COOKIE, issue_token(world.id("t1a")).token)
    for page in ("/", f"/cases/{case_id}"):
        html = browser.get(page).text
        assert "期限 2027年1月14日" in html and "期限暂定" in html, page


def test_general_case_filed_in_december_2026_gets_a_provisional_90_day_limit_in_2027(client, auth, world, frozen_clock,
                                                                                      runtime):
    on(frozen_clock, "2026-12-06")
    case_id = file_general_case(client, auth, world, "2026-12-06")

    investigation = inbox_task(client, auth("c1"), case_id, "调查取证")
    # 2026-12-06 + 90 days = Saturday 2027-03-06 → Monday 2027-03-08 by the statutory holidays
    assert (investigation["due_on"], investigation["due_provisional"]) == ("2027-03-08", True)
    case = client.get(f"/api/v1/cases/{case_id}", headers=auth("c1")).json()["case"]
    assert case["next_due_provisional"] is True  # the 80-day reminder falls in 2027 too
    ledger = runtime.get_case(case_id).data["provisional_deadlines"]
    assert ledger["decision_due"]["value"] == "2027-03-08"
    assert STATUTORY in ledger["decision_due"]["holiday_data"]


def test_official_2027_data_moves_the_provisional_deadlines_and_the_record_says_so(client, auth, world, frozen_clock,
                                                                                   runtime, holidays_dir, db_url,
                                                                                   monkeypatch):
    on(frozen_clock, "2026-12-06")
    case_id = file_general_case(client, auth, world, "2026-12-06")
    (holidays_dir / "2027.yaml").write_text(YEAR_2027, encoding="utf-8")
    monkeypatch.setenv("ZHIFA_DATABASE_URL", db_url)
    get_settings.cache_clear()

    result = CliRunner().invoke(zhifa, ["holidays", "refresh"])

    assert result.exit_code == 0, result.output
    assert "decision_due: 2027-03-08 → 2027-03-09" in result.stdout
    assert "调查取证: 2027-03-08 → 2027-03-09" in result.stdout
    # the 80-day reminder timer: day end of Wednesday 24 February, now a day off, moves to the 25th
    assert "办案期限届满前10日提醒: 2027-02-25T00:00:00+08:00 → 2027-02-26T00:00:00+08:00" in result.stdout
    case = client.get(f"/api/v1/cases/{case_id}", headers=auth("c1")).json()["case"]
    assert (case["next_due"], case["next_due_provisional"]) == ("2027-02-26T00:00:00+08:00", False)
    investigation = inbox_task(client, auth("c1"), case_id, "调查取证")
    assert (investigation["due_on"], investigation["due_provisional"]) == ("2027-03-09", False)
    assert "provisional_deadlines" not in runtime.get_case(case_id).data or \
        "decision_due" not in runtime.get_case(case_id).data["provisional_deadlines"]
    assert runtime.get_case(case_id).data["decision_due"] == "2027-03-09"
    with Session(runtime.engine) as session:
        [event] = [e for e in record.events(session, case_id) if e.kind == "deadlines_recomputed"]
    assert {"field": "decision_due", "from": "2027-03-08", "to": "2027-03-09", "provisional": False,
            "holiday_data": "测试用2027年安排(虚构)"} in event.inputs["moves"]
    with Session(runtime.engine) as session:
        assert record.verify(session, case_id) == []

    again = CliRunner().invoke(zhifa, ["holidays", "refresh"])
    assert again.exit_code == 0 and "没有期限发生变动" in again.stdout


def test_the_worker_recomputes_provisional_deadlines_when_it_starts(client, auth, world, frozen_clock, runtime,
                                                                    holidays_dir):
    on(frozen_clock, "2026-12-06")
    case_id = file_general_case(client, auth, world, "2026-12-06")
    (holidays_dir / "2027.yaml").write_text(YEAR_2027, encoding="utf-8")

    with worker_passes(runtime, get_settings().model_copy(update={"pdf_rendition": False})):
        pass

    assert inbox_task(client, auth("c1"), case_id, "调查取证")["due_on"] == "2027-03-09"
