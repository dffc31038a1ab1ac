"""The model properties of a case's task, from the process version the case runs on."""

from __future__ import annotations

from sqlmodel import Session

from engine.models import Case, Task
from engine.runtime import Runtime
from engine.specs import TaskInfo


def task_info(runtime: Runtime, session: Session, case: Case, task: Task) -> TaskInfo:
    return runtime.process_of(session, case).tasks[task.bpmn_id]
