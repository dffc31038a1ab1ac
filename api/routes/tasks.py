from typing import Annotated

from fastapi import APIRouter, Path

from api import schemas
from api.deps import IdempotencyDep, RuntimeDep, UserDep
from api.error_responses import ERROR_RESPONSES
from api.idempotency.replay import fingerprint
from api.services import record_issuing, task_inbox
from api.services.presenters import step_out

router = APIRouter(prefix="/tasks", tags=["任务"], responses=ERROR_RESPONSES)
TaskId = Annotated[str, Path(min_length=1, max_length=36, pattern=r"^[0-9a-fA-F-]+$")]


@router.get("", response_model=list[schemas.TaskOut], summary="我的待办, 按期限排序")
def inbox(user: UserDep, runtime: RuntimeDep):
    return task_inbox.inbox(runtime, user)


@router.get("/{task_id}", response_model=schemas.TaskDetail, summary="任务及其表单")
def task_detail(task_id: TaskId, user: UserDep, runtime: RuntimeDep):
    return task_inbox.task_detail(runtime, user, task_id)


@router.post("/{task_id}/complete", response_model=schemas.CaseStepOut, summary="办理任务")
def complete(task_id: TaskId, body: schemas.CompleteIn, user: UserDep, runtime: RuntimeDep, once: IdempotencyDep):
    return once.run(lambda alongside: step_out(task_inbox.complete(runtime, user, task_id, body.data, alongside=alongside)),
                    asked=fingerprint(body), answer=step_out, status_code=200)


@router.post("/{task_id}/records/{doc_id}", response_model=schemas.RecordOut, status_code=201,
             summary="在本环节办结前逐份制作笔录、凭证(询问笔录、勘验笔录、抽样取证凭证、现场笔录、先行登记保存证据通知书)")
def issue_record(task_id: TaskId, doc_id: Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]{0,63}$")],
                 body: schemas.CompleteIn, user: UserDep, runtime: RuntimeDep):
    return record_issuing.issue(runtime, user, task_id, doc_id, body.data)
