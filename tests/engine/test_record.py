"""The full-process record: a hash chain per case that `zhifa record verify` checks."""

import os
import subprocess
import sys

import sqlalchemy as sa
from sqlmodel import Session

from engine import record
from engine.models import Case
from engine.vocab import Role
from tests.conftest import ENGINE_MODELS
from tests.factories import actor


def run_verify(db_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "ZHIFA_DATABASE_URL": db_url, "ZHIFA_BPMN_DIR": str(ENGINE_MODELS)}
    return subprocess.run([sys.executable, "-m", "api", "record", "verify", *args], env=env, capture_output=True, text=True, timeout=60)


def two_cases(runtime, agencies):
    officer = actor(Role.county_officer, agencies.county)
    ids = []
    for summary in ("甲", "乙"):
        view = runtime.start_case("approval", agency_id=agencies.county.id, actor=officer, kind="case")
        runtime.complete_task(view.tasks[0].id, {"summary": summary, "reply_by": "2026-03-10"}, officer)
        ids.append(view.case.id)
    return ids


def test_each_event_hash_covers_the_previous_one(runtime, agencies, frozen_clock):
    first, _ = two_cases(runtime, agencies)
    with Session(runtime.engine) as session:
        started, completed = record.events(session, first)
    assert started.prev_hash == record.GENESIS and completed.prev_hash == started.hash
    assert completed.hash == record.compute_hash(completed)


def test_verify_names_the_event_altered_in_the_database(runtime, agencies, frozen_clock, db_url):
    first, second = two_cases(runtime, agencies)
    ok = run_verify(db_url)
    assert ok.returncode == 0 and "校验通过" in ok.stdout
    with runtime.engine.begin() as conn:
        event_id = conn.execute(sa.text("SELECT id FROM record_event WHERE case_id = :c AND seq = 2"), {"c": second}).scalar_one()
        conn.execute(sa.text("UPDATE record_event SET inputs = :i WHERE id = :id"),
                     {"i": '{"summary": "乙(事后篡改)", "reply_by": "2026-03-10"}', "id": event_id})
    bad = run_verify(db_url)
    assert bad.returncode == 1
    assert f"案件 {second} 第 2 条记录(事件ID {event_id})内容与哈希不符" in bad.stderr
    assert f"案件 {first} " not in bad.stderr
    assert run_verify(db_url, str(first)).returncode == 0


def test_verify_notices_a_deleted_event(runtime, agencies, frozen_clock, db_url):
    first, _ = two_cases(runtime, agencies)
    with runtime.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM record_event WHERE case_id = :c AND seq = 1"), {"c": first})
    bad = run_verify(db_url, str(first))
    assert bad.returncode == 1 and "序号不连续" in bad.stderr


def test_verify_notices_the_newest_event_deleted(runtime, agencies, frozen_clock, db_url):
    """The chain alone cannot show a missing tail; the case row's head (seq, hash) does."""
    first, second = two_cases(runtime, agencies)
    with runtime.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM record_event WHERE case_id = :c AND seq = 2"), {"c": second})
    bad = run_verify(db_url)
    assert bad.returncode == 1 and f"案件 {second} 第 2 条记录" in bad.stderr and "最新记录被删除" in bad.stderr
    assert run_verify(db_url, str(first)).returncode == 0


def test_verify_takes_a_case_number_as_printed(runtime, agencies, frozen_clock, db_url):
    first, _ = two_cases(runtime, agencies)
    with Session(runtime.engine) as session:
        number = session.get(Case, first).number
    assert number.startswith("（") and "〔" in number
    ok = run_verify(db_url, number)
    assert ok.returncode == 0 and ok.stdout.strip() == f"校验通过: 案件 {number}的全过程记录完整(哈希链与签名锚点一致, 任务表与案件状态与记录相符)"
    typed = number.replace("（", "(").replace("）", ")").replace("〔", "[").replace("〕", "]")
    assert run_verify(db_url, typed).returncode == 0


def test_verify_of_an_unknown_case_is_an_error(runtime, agencies, frozen_clock, db_url):
    two_cases(runtime, agencies)
    for unknown in ("（遂）应急立〔2026〕99号", "999"):
        result = run_verify(db_url, unknown)
        assert result.returncode == 1, result.stdout
        assert "校验通过" not in result.stdout
        assert f"错误 [not_found]: 案件「{unknown}」不存在" in result.stderr


def test_verify_checks_the_inbox_and_case_columns_against_the_record_and_workflow(runtime, agencies, frozen_clock, db_url):
    """Someone with database access marks an open task done, reopens another's completed task and edits a status."""
    first, second = two_cases(runtime, agencies)
    officer = actor(Role.county_officer, agencies.county)
    third = runtime.start_case("approval", agency_id=agencies.county.id, actor=officer, kind="case").case.id
    assert run_verify(db_url).returncode == 0
    with runtime.engine.begin() as conn:
        conn.execute(sa.text("UPDATE task SET status = 'completed' WHERE case_id = :c AND status = 'ready'"), {"c": third})
        conn.execute(sa.text("UPDATE task SET status = 'ready' WHERE case_id = :c AND status = 'completed'"), {"c": first})
        conn.execute(sa.text("UPDATE \"case\" SET completed = NOT completed WHERE id = :c"), {"c": second})
    bad = run_verify(db_url)
    assert bad.returncode == 1
    lines = bad.stderr
    assert f"案件 {third} 的任务「" in lines and "标记为已办理, 但全过程记录中没有办理事件" in lines
    assert f"案件 {first} 的任务「" in lines and "已办理, 但任务表中不是已办理状态" in lines
    assert f"案件 {first} 的待办「" in lines and "流程中并无此待办" in lines
    assert f"案件 {second} 的办结标志与记录不符" in lines
    assert run_verify(db_url, str(first)).returncode == 1
