from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse

from api.bootstrap import object_store
from api.deps import RuntimeDep, SettingsDep, UserDep
from api.errors import ERROR_RESPONSES
from api.schemas import ErrorBody
from api.services import uploads
from engine.objects import CHUNK_SIZE, ObjectStore, content_disposition

router = APIRouter(tags=["证据"], responses=ERROR_RESPONSES)
DbId = Annotated[int, Path(ge=1, le=2**31 - 1)]
BINARY = {"schema": {"type": "string", "format": "binary"}}
STORAGE_DOWN = {503: {"model": ErrorBody, "description": "对象存储暂时不可用(storage_unavailable)"}}


def get_store(request: Request) -> ObjectStore:
    """The app's object store, made from the settings on first use."""
    state = request.app.state
    if getattr(state, "object_store", None) is None:
        state.object_store = object_store()
    return state.object_store


StoreDep = Annotated[ObjectStore, Depends(get_store)]


def _chunks(stream):
    with stream:
        while chunk := stream.read(CHUNK_SIZE):
            yield chunk


def download_response(download: uploads.Download) -> Response:
    """A redirect to the presigned URL, or the stream sent as an attachment."""
    if download.url is not None:
        return RedirectResponse(download.url, status_code=307)
    headers = {"Content-Disposition": content_disposition(download.filename), "X-Content-Type-Options": "nosniff"}
    return StreamingResponse(_chunks(download.stream), media_type=download.content_type, headers=headers)


@router.post("/cases/{case_id}/evidence", response_model=uploads.EvidenceItemOut, status_code=201,
             summary="上传证据(流式 multipart 表单, 证据信息在前, 文件在最后)",
             openapi_extra={"requestBody": uploads.upload_request_schema()}, responses=STORAGE_DOWN)
async def upload(case_id: DbId, request: Request, user: UserDep, runtime: RuntimeDep, settings: SettingsDep,
                 store: StoreDep):
    return await uploads.upload(request, runtime.engine, store, settings, user, case_id)


@router.get("/cases/{case_id}/evidence", response_model=list[uploads.EvidenceItemOut], summary="案件的证据清单")
def list_evidence(case_id: DbId, user: UserDep, runtime: RuntimeDep):
    return uploads.list_items(runtime.engine, user, case_id)


@router.get("/evidence/{evidence_id}/download", response_class=Response, summary="下载证据(每次下载记入全过程记录)",
            responses={200: {"content": {"*/*": BINARY}, "description": "文件内容(本地存储)"},
                       307: {"description": "转到短时有效的下载地址(S3 存储)"}, **STORAGE_DOWN})
def download(evidence_id: DbId, user: UserDep, runtime: RuntimeDep, store: StoreDep):
    return download_response(uploads.download(runtime.engine, store, user, evidence_id))
