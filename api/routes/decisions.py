from typing import Annotated

from fastapi import APIRouter, Path

from api import schemas
from api.deps import UserDep
from api.error_responses import ERROR_RESPONSES
from api.services import decision_preview

router = APIRouter(prefix="/decisions", tags=["决策表"], responses=ERROR_RESPONSES)


@router.post("/{table}", response_model=schemas.DecisionOut, summary="按决策表(DMN)求值")
def evaluate(table: Annotated[str, Path(max_length=64)], body: schemas.DecisionIn, user: UserDep):
    return decision_preview.evaluate(user, table, body)
