"""Drive one case of a procedure model through the real runtime, step by step, by task name.

A scenario reads as the case file does: on a date, someone completes the task named so-and-so
with this data. The driver moves the frozen clock to that date, completes the one ready task of
that name as a user in the task's role, and keeps the path so the scenario can assert it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from engine.clock import FrozenClock
from engine.models import Agency
from engine.runtime import CaseView, Runtime
from engine.vocab import Lane, Role
from tests.conftest import SHANGHAI
from tests.factories import actor

WORKING_HOURS = time(10, 0)


@dataclass(frozen=True)
class Step:
    """One completed task as the inbox showed it."""

    name: str
    role: str
    documents: tuple[str, ...]
    due_on: date | None


class CaseDriver:
    def __init__(self, runtime: Runtime, clock: FrozenClock, agency: Agency, county: Agency,
                 process_id: str = "general_procedure", kind: str = "case"):
        self.runtime = runtime
        self.clock = clock
        self.agency = agency
        self.county = county
        self.process_id = process_id
        self.kind = kind  # the case number series (settings.case_number_patterns)
        self.steps: list[Step] = []
        self.view: CaseView | None = None

    # ---- time -------------------------------------------------------------
    def on(self, day: str) -> None:
        """Move the clock forward to 10:00 Asia/Shanghai on `day`."""
        moment = datetime.combine(date.fromisoformat(day), WORKING_HOURS, tzinfo=SHANGHAI)
        assert moment >= self.clock.at, f"the clock cannot go back from {self.clock.at} to {moment}"
        self.clock.at = moment

    def wait_until(self, day: str) -> list[int]:
        """Let time pass to `day` and run the timer worker; returns the ids of the cases it fired."""
        self.on(day)
        fired = self.runtime.fire_due()
        self.refresh()
        return fired

    # ---- case -------------------------------------------------------------
    def start(self, day: str, data: dict | None = None, title: str = "", party_name: str = "") -> CaseView:
        self.on(day)
        self.view = self.runtime.start_case(
            self.process_id, agency_id=self.agency.id, kind=self.kind, data=data or {}, title=title, party_name=party_name,
            actor=actor(self._role_for(Lane.case_officer), self.agency),
        )
        return self.view

    def refresh(self) -> CaseView:
        self.view = self.runtime.get_case(self.view.case.id)
        return self.view

    @property
    def case(self):
        return self.view.case

    @property
    def data(self) -> dict:
        return self.view.data

    def ready(self) -> list[str]:
        """Names of the tasks in the case's inboxes, sorted."""
        return sorted(task.name for task in self.view.tasks)

    def task(self, name: str):
        matching = [task for task in self.view.tasks if task.name == name]
        assert len(matching) == 1, f"expected one ready task named {name!r}, ready: {self.ready()}"
        return matching[0]

    def complete(self, name: str, data: dict, *, on: str | None = None) -> CaseView:
        """Complete the ready task called `name` as a user in its lane's role."""
        if on:
            self.on(on)
        task = self.task(name)
        agency = self.agency if task.agency_id == self.agency.id else self.county
        user = actor(Role(task.role), agency, user_id=len(self.steps) + 1)
        info = self.runtime.specs.latest(self.process_id).tasks[task.bpmn_id]
        self.view = self.runtime.complete_task(task.id, data, user)
        self.steps.append(Step(task.name, task.role, info.documents, task.due_on))
        return self.view

    # ---- what happened ----------------------------------------------------
    @property
    def path(self) -> list[str]:
        return [step.name for step in self.steps]

    def step(self, name: str, occurrence: int = 0) -> Step:
        return [step for step in self.steps if step.name == name][occurrence]

    def documents(self) -> list[str]:
        """Every document the completed steps declared, in order, without repeats."""
        seen: list[str] = []
        for step in self.steps:
            seen.extend(doc for doc in step.documents if doc not in seen)
        return seen

    def _role_for(self, lane: Lane) -> Role:
        if lane == Lane.case_officer:
            return Role.county_officer if self.agency.id == self.county.id else Role.township_officer
        return Role(lane.value)
