"""HTTP routes of the power lists (thin: the work is in api.powers.service)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from api.deps import RuntimeDep, StoreDep, UserDep
from api.downloads import BINARY
from api.error_responses import ERROR_RESPONSES
from api.powers import service
from engine.errors import TooLarge

router = APIRouter(prefix="/powers", tags=["执法事项清单"], responses=ERROR_RESPONSES)
AgencyId = Annotated[int, Path(ge=1, le=2**31 - 1)]
ItemId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/{agency_id}", summary="乡镇(园区)执法事项清单(某日有效的版本及全部变更记录)")
def list_powers(agency_id: AgencyId, user: UserDep, runtime: RuntimeDep,
                on: Annotated[date | None, Query(description="默认为今天")] = None) -> dict[str, Any]:
    return service.list_powers(runtime.engine, user, agency_id, on)


@router.post("/{agency_id}/items", status_code=201, summary="增加委托或赋权事项(县局)")
def add_item(agency_id: AgencyId, body: service.PowerItemIn, user: UserDep, runtime: RuntimeDep) -> dict[str, Any]:
    return service.add_item(runtime.engine, user, agency_id, body)


@router.post("/items/{item_id}/end", summary="自某日起取消委托或赋权事项(县局)")
def end_item(item_id: ItemId, body: service.PowerEndIn, user: UserDep, runtime: RuntimeDep) -> dict[str, Any]:
    return service.end_item(runtime.engine, user, item_id, body)


@router.put("/items/{item_id}/letter", summary="上传委托书(县局; 存入对象存储并记录 SHA-256)",
            openapi_extra={"requestBody": {"content": {"application/octet-stream": BINARY}, "required": True}})
async def attach_letter(item_id: ItemId, request: Request, user: UserDep, runtime: RuntimeDep, store: StoreDep,
                        name: Annotated[str, Query(min_length=1, max_length=200, pattern=r"^[^/\\\x00]+$")]
                        = "委托书.pdf") -> dict[str, Any]:
    content = bytearray()
    async for chunk in request.stream():
        content += chunk
        if len(content) > service.MAX_LETTER_BYTES:
            raise TooLarge("委托书文件不能超过20 MB", details={"limit": service.MAX_LETTER_BYTES})
    return service.attach_letter(runtime.engine, store, user, item_id, bytes(content), name)
