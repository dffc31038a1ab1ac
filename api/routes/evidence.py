from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from api.deps import IdempotencyDep, RuntimeDep, SettingsDep, StoreDep, UserDep
from api.downloads import BINARY, STORAGE_DOWN, download_response
from api.error_responses import ERROR_RESPONSES
from api.idempotency.replay import fingerprint
from api.services import evidence_files
from api.services.evidence_upload_form import upload_request_schema

router = APIRouter(tags=["证据"], responses=ERROR_RESPONSES)
DbId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.post("/cases/{case_id}/evidence", response_model=evidence_files.EvidenceItemOut, status_code=201,
             summary="上传证据(流式 multipart 表单, 证据信息在前, 文件在最后)",
             openapi_extra={"requestBody": upload_request_schema()}, responses=STORAGE_DOWN)
async def upload(case_id: DbId, request: Request, user: UserDep, runtime: RuntimeDep, settings: SettingsDep,
                 store: StoreDep, once: IdempotencyDep):
    # a retry with the same key is answered before its body is read, so the key stands for the first upload
    return await once.run_async(
        lambda alongside: evidence_files.upload(request, runtime.engine, store, settings, user, case_id, alongside=alongside),
        asked=fingerprint("upload"), answer=lambda item: item, status_code=201)


@router.get("/cases/{case_id}/evidence", response_model=list[evidence_files.EvidenceItemOut], summary="案件的证据清单")
def list_evidence(case_id: DbId, user: UserDep, runtime: RuntimeDep):
    return evidence_files.list_items(runtime.engine, user, case_id)


@router.get("/evidence/{evidence_id}/download", response_class=Response, summary="下载证据(每次下载记入全过程记录)",
            responses={200: {"content": {"*/*": BINARY}, "description": "文件内容(本地存储)"},
                       307: {"description": "转到短时有效的下载地址(S3 存储)"}, **STORAGE_DOWN})
def download(evidence_id: DbId, user: UserDep, runtime: RuntimeDep, store: StoreDep):
    return download_response(evidence_files.download(runtime.engine, store, user, evidence_id))
