"""Timers fired by separate `zhifa worker` processes under a controlled clock."""

import os
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.app import create_app
from api.bootstrap import object_store
from documents.models import IssuedDocument
from engine import clock
from engine.db import transaction
from engine.models import Case, RecordEvent, WorkflowState
from engine.scheduler import READY
from engine.settings import get_settings
from engine.vocab import Role
from engine.work_items import failures
from tests.conftest import ENGINE_MODELS, SHANGHAI
from tests.engine.test_inspection_stage import PROBLEM, Driver, record_data
from tests.factories import actor


def worker_env(db_url: str, now: datetime) -> dict:
    return {**os.environ, "ZHIFA_DATABASE_URL": db_url, "ZHIFA_BPMN_DIR": str(ENGINE_MODELS),
            "ZHIFA_NOW": now.isoformat(), "ZHIFA_ALLOW_CLOCK_OVERRIDE": "1", "ZHIFA_WORKER_POLL_SECONDS": "0.5"}


def case_waiting_for_timer(runtime, agencies, reply_by: str) -> int:
    view = runtime.start_case("approval", agency_id=agencies.county.id, actor=actor(Role.county_officer, agencies.county), kind="case")
    view = runtime.complete_task(view.tasks[0].id, {"summary": "摘要", "reply_by": reply_by}, actor(Role.county_officer, agencies.county))
    return view.case.id


def timer_events(runtime, case_id: int) -> list[RecordEvent]:
    with Session(runtime.engine) as session:
        return list(session.exec(select(RecordEvent).where(RecordEvent.case_id == case_id, RecordEvent.kind == "timer_fired")))


def test_worker_process_fires_a_due_timer_once_it_is_due(runtime, agencies, frozen_clock, db_url):
    """Never before its due time, and by itself (how soon after is a benchmark: bench/bench_timers.py); the worker
    says when it is up."""
    case_id = case_waiting_for_timer(runtime, agencies, "2026-03-04")
    due = datetime(2026, 3, 5, 0, 0, tzinfo=SHANGHAI)
    with Session(runtime.engine) as session:
        assert session.get(Case, case_id).next_due.replace(tzinfo=timezone.utc) == due
    worker = subprocess.Popen([sys.executable, "-m", "api", "worker"], env=worker_env(db_url, due - timedelta(seconds=3)),
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while not timer_events(runtime, case_id) and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        worker.terminate()
        _, stderr = worker.communicate(timeout=10)
    [fired] = timer_events(runtime, case_id)
    assert timedelta(0) <= fired.at.replace(tzinfo=timezone.utc) - due, stderr.decode()
    assert READY in stderr.decode()  # the line a supervisor (or bench/bench_timers.py) waits for
    clock.set_clock(lambda: due + timedelta(minutes=1))
    assert runtime.get_case(case_id).case.outcome == "timed_out"


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_two_workers_share_due_timers_without_double_firing(runtime, agencies, frozen_clock, db_url):
    case_ids = [case_waiting_for_timer(runtime, agencies, "2026-03-04") for _ in range(30)]
    after_due = datetime(2026, 3, 5, 0, 0, 5, tzinfo=SHANGHAI)
    workers = [subprocess.Popen([sys.executable, "-m", "api", "worker", "--once"], env=worker_env(db_url, after_due),
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for _ in range(2)]
    for worker in workers:
        assert worker.wait(timeout=120) == 0, worker.stderr.read().decode()
    fired = {case_id: len(timer_events(runtime, case_id)) for case_id in case_ids}
    assert set(fired.values()) == {1}
    with Session(runtime.engine) as session:
        assert all(session.get(Case, cid).outcome == "timed_out" for cid in case_ids)


def test_a_case_whose_timers_fail_is_kept_aside_and_the_other_cases_fire(runtime, agencies, frozen_clock, db_url,
                                                                          monkeypatch):
    monkeypatch.setenv("ZHIFA_WORKER_MAX_ATTEMPTS", "3")
    get_settings.cache_clear()
    broken = case_waiting_for_timer(runtime, agencies, "2026-03-03")  # due first
    good = case_waiting_for_timer(runtime, agencies, "2026-03-04")
    with transaction(runtime.engine) as session:  # its stored workflow state no longer loads
        session.get(WorkflowState, broken).state = '{"damaged": '
    frozen_clock.advance(days=3)

    assert runtime.fire_due() == [good]
    assert runtime.get_case(good).case.outcome == "timed_out"
    assert runtime.fire_due() == []  # the broken case waits for its next attempt
    frozen_clock.advance(minutes=1)
    assert runtime.fire_due() == []
    frozen_clock.advance(minutes=2)
    assert runtime.fire_due() == []
    frozen_clock.advance(days=1)
    assert runtime.fire_due() == []  # given up after three attempts
    with Session(runtime.engine) as session:
        [failure] = failures(session)
        assert session.get(Case, broken).revision == 2  # untouched
    assert not timer_events(runtime, broken)
    assert (failure.pass_name, failure.item_id, failure.attempts) == ("timer", broken, 3)
    assert failure.last_error.startswith("JSONDecodeError")

    status = subprocess.run([sys.executable, "-m", "api", "worker", "--status"], env=worker_env(db_url, frozen_clock()),
                            capture_output=True, text=True, timeout=60)
    assert status.returncode == 1, status.stderr
    assert status.stdout.splitlines()[:2] == ["处理失败的项目 1 个, 其中已停止重试 1 个:",
                                              f"定时器: 案件 {broken} 已失败 3 次, 已停止重试"]
    assert status.stdout.splitlines()[2].startswith("    最近一次错误: JSONDecodeError")
    ready = TestClient(create_app(runtime)).get("/api/v1/ready").json()
    assert [(f["kind"], f["item_id"], f["case_id"], f["message"]) for f in ready["worker_failures"]] == [
        ("timer", broken, broken, f"定时器: 案件 {broken} 已失败 3 次, 已停止重试")]


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_two_workers_render_each_document_once(inspection_runtime, frozen_clock, db_url):
    runtime, agencies = inspection_runtime
    for _ in range(30):
        Driver(runtime, agencies.township, Role.township_officer).do("现场检查", record_data([PROBLEM]))
    env = {**os.environ, "ZHIFA_DATABASE_URL": db_url, "ZHIFA_NOW": frozen_clock().isoformat(),
           "ZHIFA_ALLOW_CLOCK_OVERRIDE": "1"}
    workers = [subprocess.Popen([sys.executable, "-m", "api", "worker", "--once"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for _ in range(2)]
    for worker in workers:
        assert worker.wait(timeout=300) == 0, worker.stderr.read().decode()
    with Session(runtime.engine) as session:
        documents = session.exec(select(IssuedDocument)).all()
        rendered = session.exec(select(RecordEvent).where(RecordEvent.kind == "document_rendered")).all()
    assert len(documents) == 30 and all(d.docx_object_key for d in documents)
    assert sorted(e.inputs["document_id"] for e in rendered) == sorted(d.id for d in documents)
    stored = object_store().iter_keys(older_than=datetime(2100, 1, 1, tzinfo=timezone.utc))
    assert sorted(stored) == sorted(d.docx_object_key for d in documents)  # no document was rendered twice


def test_a_timer_falling_due_during_a_rendition_batch_fires_before_the_worker_goes_on(runtime, agencies, frozen_clock):
    """The timer pass runs again after every pass that did work: a backlog of documents does not hold a timer up."""
    from engine.scheduler import run_worker

    case_id = case_waiting_for_timer(runtime, agencies, "2026-03-04")
    due = datetime(2026, 3, 5, 0, 0, tzinfo=SHANGHAI)
    frozen_clock.at = due - timedelta(seconds=1)
    seen_by_next_pass = []

    batches = [5]  # one batch of documents pending

    def rendition_batch() -> int:  # a batch of documents takes time: the timer falls due meanwhile
        frozen_clock.at = due + timedelta(milliseconds=200)
        return batches.pop() if batches else 0

    def next_pass() -> int:
        seen_by_next_pass.append(len(timer_events(runtime, case_id)))
        return 0

    run_worker([runtime.fire_due, rendition_batch, next_pass], runtime.next_due, once=True)
    assert seen_by_next_pass[0] == 1
    assert runtime.get_case(case_id).case.outcome == "timed_out"
