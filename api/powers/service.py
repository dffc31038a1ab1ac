"""Power lists (权力清单 / 委托事项): read a township's or park's list as in force on a day, with every change;
the county bureau's officers and head add items, end them from a date, and attach the entrustment letter."""

from __future__ import annotations

import io
from datetime import date
from typing import Annotated, Literal

import sqlalchemy as sa
from pydantic import Field
from sqlmodel import Session, select

from api import schemas
from api.identity.models import User
from api.identity.service import actor_for
from api.targets import target_permissions
from engine import clock
from engine.calendar import SHANGHAI
from engine.db import read_session, transaction
from engine.errors import NotFound, ValidationFailed
from engine.models import Agency
from engine.objects import ObjectStore
from engine.powers import power_edits, power_list
from engine.powers.models import PowerItem, PowerListChange
from engine.vocab import AgencyKind, Role

MAX_LETTER_BYTES = 20 * 1024 * 1024
Code = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]


class PowerItemIn(schemas.Strict):
    item_code: Code = Field(title="事项编码")
    name: Annotated[schemas.Text, Field(min_length=1, max_length=200, title="事项名称")]
    mode: Literal["entrusted", "delegated"] = Field(title="方式: entrusted 委托(以县局名义) / delegated 赋权(以本机关名义)")
    violation_codes: Annotated[list[Code], Field(min_length=1, max_length=50, title="违法行为代码")]
    penalty_kinds: Annotated[list[Annotated[str, Field(max_length=40)]], Field(min_length=1, max_length=8,
                                                                               title="处罚种类")]
    valid_from: date = Field(title="生效日期")
    valid_until: date | None = Field(default=None, title="有效期截止日")


class PowerEndIn(schemas.Strict):
    effective_on: date = Field(title="自该日起不再委托(赋权)")


def _agency(session: Session, user: User, agency_id: int) -> Agency:
    agency = session.get(Agency, agency_id)
    if agency is None or agency.id not in target_permissions.register_agency_ids(session, user) \
            or agency.kind == AgencyKind.county_bureau:
        raise NotFound("乡镇(园区)的执法事项清单不存在或无权查看", code="power_list_not_found",
                       details={"agency_id": agency_id})
    return agency


def _item_row(item: PowerItem) -> dict:
    return {"id": item.id, **power_list.item_out(item), "valid_from": item.valid_from.isoformat(),
            "valid_until": item.valid_until.isoformat() if item.valid_until else None,
            "letter_name": item.letter_name, "letter_sha256": item.letter_sha256}


def list_powers(engine: sa.Engine, user: User, agency_id: int, on: date | None = None) -> dict:
    on = on or clock.now().astimezone(SHANGHAI).date()
    with read_session(engine) as session:
        agency = _agency(session, user, agency_id)
        listing = power_list.snapshot(session, agency.id, on)
        items = [_item_row(i) for i in power_list.in_force(session, agency.id, on)] if listing["version"] else \
            listing["items"]
        changes = session.exec(select(PowerListChange).where(PowerListChange.agency_id == agency.id)
                               .order_by(PowerListChange.version)).all()
        return {"agency_id": agency.id, "agency_name": agency.name, "on": on.isoformat(), "version": listing["version"],
                "source": listing["source"], "items": items,
                "changes": [{"version": c.version, "action": c.action, "item_id": c.item_id,
                             "effective_on": c.effective_on.isoformat(), "recorded_at": c.recorded_at.isoformat(),
                             "user_name": c.user_name, "detail": c.detail} for c in changes]}


def _keeper(session: Session, user: User) -> None:
    target_permissions.require_county_head_or_officer(session, user, "执法人员或负责人维护执法事项清单")


def _actor(user: User):
    return actor_for(user, Role.agency_head if user.has_role(Role.agency_head) else Role.county_officer)


def add_item(engine: sa.Engine, user: User, agency_id: int, body: PowerItemIn) -> dict:
    with transaction(engine) as session:
        _keeper(session, user)
        agency = _agency(session, user, agency_id)
        item, version = power_edits.add_item(session, agency.id, body.model_dump(), _actor(user))
        return {**_item_row(item), "version": version}


def _item(session: Session, user: User, item_id: int) -> PowerItem:
    item = session.get(PowerItem, item_id)
    if item is None:
        raise NotFound("执法事项不存在或无权查看", code="power_item_not_found", details={"item_id": item_id})
    _agency(session, user, item.agency_id)
    return item


def end_item(engine: sa.Engine, user: User, item_id: int, body: PowerEndIn) -> dict:
    with transaction(engine) as session:
        _keeper(session, user)
        item = _item(session, user, item_id)
        version = power_edits.end_item(session, item, body.effective_on, _actor(user))
        return {**_item_row(item), "version": version}


def attach_letter(engine: sa.Engine, store: ObjectStore, user: User, item_id: int, content: bytes, name: str) -> dict:
    """The entrustment letter (委托书) as published: stored once in object storage, its SHA-256 on the item."""
    with read_session(engine) as session:
        _keeper(session, user)
        _item(session, user, item_id)
    if not content:
        raise ValidationFailed("委托书文件为空", code="power_letter_empty")
    stored = store.put_stream(io.BytesIO(content), max_bytes=MAX_LETTER_BYTES, content_type="application/pdf")
    with transaction(engine) as session:
        version = power_edits.attach_letter(session, item_id, stored.key, stored.sha256, name, _actor(user))
        return {**_item_row(session.get(PowerItem, item_id)), "version": version}
