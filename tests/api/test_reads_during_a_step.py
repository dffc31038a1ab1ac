"""Reads never wait behind a step being written: on SQLite only a writing transaction takes the write lock."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import pytest

from tests.api.conftest import start_inspection


@dataclass
class HeldStep:
    """A task completion stopped inside its write transaction (in its step hook) until `finish`."""

    case_id: int
    release: threading.Event
    thread: threading.Thread
    outcome: dict = field(default_factory=dict)

    @property
    def open(self) -> bool:
        return self.thread.is_alive() and not self.outcome

    def finish(self):
        self.release.set()
        self.thread.join()
        return self.outcome["response"]


@pytest.fixture
def held_step(client, auth, world, runtime):
    started = start_inspection(client, auth("t1a"), world.agencies.township.id)
    writing, release = threading.Event(), threading.Event()

    def hold(context):
        writing.set()
        release.wait(timeout=300)

    runtime.step_hooks.append(hold)
    data = {"data": {"officers": [world.officer("t1a"), world.officer("t1b")], "findings": "消防通道堵塞"}}
    step = HeldStep(started["case"]["id"], release, threading.Thread(target=lambda: step.outcome.update(
        response=client.post(f"/api/v1/tasks/{started['tasks'][0]['id']}/complete", json=data, headers=auth("t1a")))))
    step.thread.start()
    assert writing.wait(timeout=300), "the completion never reached its step hook"
    yield step
    release.set()
    step.thread.join()
    runtime.step_hooks.remove(hold)


def test_inbox_case_page_record_and_lists_answer_while_a_completion_is_being_written(client, auth, held_step):
    case_id = held_step.case_id
    # the completion holds its write transaction; each read answers from the last committed state
    inbox = client.get("/api/v1/tasks", headers=auth("t1b"))
    assert [(t["name"], t["case_id"]) for t in inbox.json()] == [("现场检查", case_id)]
    page = client.get(f"/api/v1/cases/{case_id}", headers=auth("t1b"))
    assert [t["name"] for t in page.json()["tasks"]] == ["现场检查"]
    verified = client.post(f"/api/v1/cases/{case_id}/record/verify", headers=auth("c1")).json()
    assert (verified["intact"], verified["events"]) == (True, 1)
    assert [e["kind"] for e in client.get(f"/api/v1/cases/{case_id}/record", headers=auth("c1")).json()] == ["case_started"]
    assert client.get(f"/api/v1/cases/{case_id}/documents", headers=auth("t1a")).json() == []
    assert client.get(f"/api/v1/cases/{case_id}/evidence", headers=auth("t1a")).json() == []
    assert client.get("/api/v1/cases", headers=auth("c1")).json()["total"] == 1
    assert held_step.open  # every read above was answered while the step was still being written

    done = held_step.finish()
    assert done.status_code == 200, done.text
    assert [t["name"] for t in client.get(f"/api/v1/cases/{case_id}", headers=auth("t1a")).json()["tasks"]] == ["决定"]
