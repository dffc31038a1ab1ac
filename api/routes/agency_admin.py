from typing import Annotated

from fastapi import APIRouter, Path

from api import schemas
from api.deps import RuntimeDep, UserDep
from api.error_responses import ERROR_RESPONSES
from api.services import agencies

router = APIRouter(prefix="/agencies", tags=["机构管理"], responses=ERROR_RESPONSES)
AgencyId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/managed", response_model=list[schemas.AgencyOut], summary="本人可管理的执法机构(管理员)")
def managed_agencies(user: UserDep, runtime: RuntimeDep):
    return agencies.list_agencies(runtime.engine, user)


@router.post("", response_model=schemas.AgencyOut, status_code=201, summary="新建乡镇或园区(县局管理员)")
def create_agency(body: agencies.AgencyCreateIn, user: UserDep, runtime: RuntimeDep):
    return agencies.create_agency(runtime.engine, user, body)


@router.patch("/{agency_id}", response_model=schemas.AgencyOut, summary="修改机构名称、机关代字、印章名称(管理员)")
def update_agency(agency_id: AgencyId, body: agencies.AgencyUpdateIn, user: UserDep, runtime: RuntimeDep):
    return agencies.update_agency(runtime.engine, user, agency_id, body)
