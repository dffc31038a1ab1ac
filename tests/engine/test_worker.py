"""Timers fired by separate `zhifa worker` processes under a controlled clock."""

import os
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import Session, select

from engine import clock
from engine.models import Case, RecordEvent
from engine.vocab import Role
from tests.conftest import ENGINE_MODELS, SHANGHAI
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


def test_worker_process_fires_a_due_timer_within_two_seconds(runtime, agencies, frozen_clock, db_url):
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
    assert timedelta(0) <= fired.at.replace(tzinfo=timezone.utc) - due <= timedelta(seconds=2), stderr.decode()
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
