"""Concurrent completions of one task on PostgreSQL: exactly one wins, the others get a conflict."""

import threading

import pytest
from sqlmodel import Session

from engine import record
from engine.errors import Conflict
from engine.vocab import Role
from tests.factories import actor


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_same_task_completed_by_eight_workers_at_once(runtime, agencies, frozen_clock):
    view = runtime.start_case("approval", agency_id=agencies.county.id, actor=actor(Role.county_officer, agencies.county), kind="case")
    task_id = view.tasks[0].id
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def complete(n: int) -> None:
        barrier.wait()
        try:
            runtime.complete_task(task_id, {"summary": f"第{n}位办案人员的摘要", "reply_by": "2026-03-10"},
                                  actor(Role.county_officer, agencies.county, user_id=n))
            outcomes.append("won")
        except Conflict as exc:
            outcomes.append(exc.code)

    threads = [threading.Thread(target=complete, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["task_conflict"] * 7 + ["won"]
    with Session(runtime.engine) as session:
        completed = [e for e in record.events(session, view.case.id) if e.kind == "task_completed"]
        assert len(completed) == 1
        assert record.verify(session) == []
    after = runtime.get_case(view.case.id)
    assert [t.name for t in after.tasks] == ["审批"]
