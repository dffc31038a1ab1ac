"""The process version a case runs on, parsed from the stored files when it is not loaded."""

from __future__ import annotations

from sqlmodel import Session

from zhifa.engine.models import Case, ProcessVersion, Task
from zhifa.engine.runtime import Runtime
from zhifa.engine.specs import LoadedProcess, TaskInfo
from zhifa.errors import ModelError


def process_of(runtime: Runtime, session: Session, case: Case) -> LoadedProcess:
    try:
        return runtime.specs.version(case.version_id, case.process_id)
    except ModelError:
        stored = session.get(ProcessVersion, case.version_id)
        return runtime.specs.version(case.version_id, case.process_id, stored.files)


def task_info(runtime: Runtime, session: Session, case: Case, task: Task) -> TaskInfo:
    return process_of(runtime, session, case).tasks[task.bpmn_id]
