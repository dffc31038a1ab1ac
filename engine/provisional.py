"""Provisional deadlines in a case: dates computed with holiday data no official notice covers yet.

Scripts and timers compute deadlines with the helpers of `engine.scripting`. When the calendar had
to answer provisionally, the helper notes the computation here; after the step the runtime files
each noted computation under the case-data key its result was stored in. The ledger lives in the
case data (`provisional_deadlines`: key → value, how it was computed, which holiday data), so the
case shows what is provisional, and `recompute` can redo each entry once official data arrives.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.util.task import TaskState

from engine import calendar
from engine.timers import PROVISIONAL_MARK as TIMER_MARK
from engine.timers import EngineTimeDate

LEDGER_KEY = "provisional_deadlines"
STATE_MARKS = (LEDGER_KEY, TIMER_MARK)  # text in a serialized workflow that has something provisional


@dataclass(frozen=True)
class Computation:
    helper: str  # "deadline" (start, days, working) or "months_later" (start, months)
    arguments: tuple
    value: str
    holiday_data: str


_noted: ContextVar[list[Computation] | None] = ContextVar("provisional_noted", default=None)


@contextmanager
def noting() -> Iterator[list[Computation]]:
    """Collect the provisional computations made inside the block."""
    noted: list[Computation] = []
    token = _noted.set(noted)
    try:
        yield noted
    finally:
        _noted.reset(token)


def note(helper: str, arguments: tuple, value: str, basis: calendar.HolidayBasis) -> None:
    noted = _noted.get()
    if basis.provisional and noted is not None:
        noted.append(Computation(helper, arguments, value, basis.label))


def ledger(workflow: BpmnWorkflow) -> dict:
    return dict(workflow.data.get(LEDGER_KEY) or {})


def file_noted(workflow: BpmnWorkflow, noted: list[Computation], entered: set[str]) -> None:
    """File each noted computation under the data keys that now hold its result (not keys a user entered)."""
    if not noted:
        return
    by_value = {computation.value: computation for computation in noted}
    entries = ledger(workflow)
    for key, value in _current_values(workflow).items():
        computation = by_value.get(value) if isinstance(value, str) else None
        if computation is not None and key not in entered and key != LEDGER_KEY:
            entries[key] = {"value": value, "helper": computation.helper,
                            "arguments": [a.isoformat() if isinstance(a, date) else a for a in computation.arguments],
                            "holiday_data": computation.holiday_data}
    if entries:
        workflow.data[LEDGER_KEY] = entries


def provisional_value(workflow: BpmnWorkflow, value: date) -> str | None:
    """The holiday data behind `value` if it is a provisional deadline of this case, else None."""
    for entry in ledger(workflow).values():
        if entry["value"] == value.isoformat():
            return entry["holiday_data"]
    return None


def recompute(workflow: BpmnWorkflow) -> tuple[list[dict], bool]:
    """Redo the case's provisional deadlines and date timers with the holiday data known now.

    Returns the moves (what, from, to, with which data) and whether anything in the workflow changed.
    """
    moves: list[dict] = []
    entries = ledger(workflow)
    changed = False
    for key, entry in list(entries.items()):
        with calendar.holiday_basis() as basis:
            value = _redo(entry["helper"], entry["arguments"])
        if value != entry["value"]:
            _replace(workflow, key, entry["value"], value)
            moves.append({"field": key, "from": entry["value"], "to": value, "provisional": basis.provisional,
                          "holiday_data": basis.label})
        if basis.provisional:
            entries[key] = {**entry, "value": value, "holiday_data": basis.label}
        else:
            del entries[key]
        changed = True
    if entries:
        workflow.data[LEDGER_KEY] = entries
    elif changed:
        del workflow.data[LEDGER_KEY]
    timer_moves = _recompute_timers(workflow)
    return moves + timer_moves, changed or bool(timer_moves)


def _redo(helper: str, arguments: list) -> str:
    start = date.fromisoformat(arguments[0])
    if helper == "months_later":
        return calendar.deadline(calendar.add_months(start, int(arguments[1])), 0).isoformat()
    return calendar.deadline(start, int(arguments[1]), working=bool(arguments[2])).isoformat()


def _replace(workflow: BpmnWorkflow, key: str, old: str, new: str) -> None:
    if workflow.data.get(key) == old:
        workflow.data[key] = new
    for task in workflow.get_tasks():
        if task.data.get(key) == old:
            task.data[key] = new


def _recompute_timers(workflow: BpmnWorkflow) -> list[dict]:
    """Date timers evaluate their expression again (duration timers count from when they started: kept)."""
    moves = []
    for task in list(workflow.event_manager.tasks.values()):
        definition = task.task_spec.event_definition
        if not isinstance(definition, EngineTimeDate):
            continue
        old = task._get_internal_data("event_value")
        task.internal_data.pop("event_value", None)
        task.internal_data.pop(TIMER_MARK, None)
        with calendar.holiday_basis() as basis:
            definition.has_fired(task)
        new = task._get_internal_data("event_value")
        if new != old:
            moves.append({"timer": task.task_spec.bpmn_name or task.task_spec.bpmn_id, "from": old, "to": new,
                          "provisional": basis.provisional, "holiday_data": basis.label})
    return moves


def timer_is_provisional(workflow: BpmnWorkflow, due: datetime | None) -> bool:
    """Whether the timer due at `due` was computed from provisional holiday data, or is the day end of a provisional date."""
    if due is None:
        return False
    values = {entry["value"] for entry in ledger(workflow).values()}
    for task in workflow.event_manager.tasks.values():
        try:
            when = TimerEventDefinition.get_datetime(task._get_internal_data("event_value"))
        except (TypeError, ValueError):
            continue
        if when != due:
            continue
        if task._get_internal_data(TIMER_MARK):
            return True
        if (when.astimezone(calendar.SHANGHAI) - timedelta(seconds=1)).date().isoformat() in values:
            return True
    return False


def _current_values(workflow: BpmnWorkflow) -> dict:
    """What the case knows now: the workflow data, the last completed task's data, and the open tasks' data."""
    values = dict(workflow.data)
    done = workflow.get_tasks(state=TaskState.COMPLETED)
    if done:
        values.update(max(done, key=lambda t: t.last_state_change).data)
    for task in workflow.get_tasks(state=TaskState.READY | TaskState.WAITING):
        values.update(task.data)
    return values
