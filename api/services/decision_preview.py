"""Evaluating a DMN decision table outside a case (e.g. to preview a fine range)."""

from __future__ import annotations

import re

from api import authz, schemas
from api.identity.models import User
from engine.errors import NotFound
from engine.rules.table_decision import decide_table

TABLE_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


def evaluate(user: User, table: str, body: schemas.DecisionIn) -> schemas.DecisionOut:
    authz.require_case_user(user)
    if not TABLE_ID.match(table):
        raise NotFound(f"决策表 {table} 不存在", details={"table": table})
    outputs = decide_table(table, body.inputs, profile=body.profile, on=body.on)
    return schemas.DecisionOut(table=table, outputs=outputs)
