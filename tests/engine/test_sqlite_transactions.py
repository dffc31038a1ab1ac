"""SQLite: writing transactions queue on the write lock taken at BEGIN; a read session never takes it."""

import threading

import pytest
from sqlmodel import select

from engine.db import read_session
from engine.errors import Conflict
from engine.models import Agency
from engine.vocab import AgencyKind, Role
from tests.factories import actor


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_same_task_completed_by_eight_workers_at_once_on_sqlite(runtime, agencies, frozen_clock):
    """Each completion begins IMMEDIATE, so the others wait their turn and then find the task done."""
    view = runtime.start_case("approval", agency_id=agencies.county.id, actor=actor(Role.county_officer, agencies.county), kind="case")
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def complete(n: int) -> None:
        barrier.wait()
        try:
            runtime.complete_task(view.tasks[0].id, {"summary": f"第{n}位办案人员的摘要", "reply_by": "2026-03-10"},
                                  actor(Role.county_officer, agencies.county, user_id=n))
            outcomes.append("won")
        except Conflict as exc:
            outcomes.append(exc.code)
        except Exception as exc:  # e.g. "database is locked" from a read lock that could not be upgraded
            outcomes.append(type(exc).__name__)

    threads = [threading.Thread(target=complete, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["task_conflict"] * 7 + ["won"]
    assert [t.name for t in runtime.get_case(view.case.id).tasks] == ["审批"]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_read_session_refuses_to_write(runtime):
    with read_session(runtime.engine) as session, pytest.raises(RuntimeError, match="does not write"):
        session.add(Agency(code="X", name="某乡", short_name="某", kind=AgencyKind.township))
        session.flush()
    with read_session(runtime.engine) as session:
        assert session.exec(select(Agency)).all() == []
