from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import RuntimeDep, SettingsDep, StoreDep, UserDep
from api.downloads import BINARY, STORAGE_DOWN, download_response
from api.error_responses import ERROR_RESPONSES
from api.services import document_files

router = APIRouter(tags=["文书"], responses=ERROR_RESPONSES)
DbId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/cases/{case_id}/documents", response_model=list[document_files.DocumentFileOut],
            summary="案件的执法文书, 及已生成的文件格式")
def list_documents(case_id: DbId, user: UserDep, runtime: RuntimeDep):
    return document_files.list_documents(runtime.engine, user, case_id)


@router.get("/documents/{document_id}/download", summary="下载文书 .docx 或 .pdf(每次下载记入全过程记录)",
            responses={200: {"content": {media: BINARY for media in document_files.CONTENT_TYPES.values()},
                             "description": "文书文件"}, **STORAGE_DOWN})
def download(document_id: DbId, user: UserDep, runtime: RuntimeDep, settings: SettingsDep, store: StoreDep,
             format: Annotated[document_files.Format, Query(description="文件格式")] = "docx"):
    return download_response(document_files.download(runtime.engine, store, settings, user, document_id, format))
