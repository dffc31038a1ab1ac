"""Changes to a power list, each effective-dated and recorded with a new list version.

The first change recorded for an agency writes down the default list it had until then (engine.powers.power_list)
as items of its own, so the change applies to what the agency actually had. Removing an item ends it: it stays
in force until the day before `effective_on`, so a case filed earlier keeps it, and cases keep their snapshot anyway.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session

from engine import clock
from engine.calendar import SHANGHAI
from engine.errors import Conflict, NotFound, ValidationFailed
from engine.models import Actor
from engine.powers.models import PowerItem, PowerListChange
from engine.powers.power_list import MODES, default_items, version_of
from engine.rules.contracts import PENALTY_KINDS
from engine.rules.violations import catalogue

DEFAULT_SINCE = date(2021, 1, 1)  # 遂办字〔2021〕9号


def _record(session: Session, item: PowerItem, action: str, effective_on: date, actor: Actor, detail: dict) -> int:
    version = version_of(session, item.agency_id) + 1
    session.add(PowerListChange(agency_id=item.agency_id, version=version, action=action, item_id=item.id,
                                effective_on=effective_on, recorded_at=clock.now(), user_id=actor.user_id,
                                user_name=actor.name, detail=detail))
    session.flush()
    return version


def _materialise_default(session: Session, agency_id: int, actor: Actor) -> None:
    if version_of(session, agency_id):
        return
    for listed in default_items():
        item = PowerItem(agency_id=agency_id, valid_from=DEFAULT_SINCE, **listed)
        session.add(item)
        session.flush()
        _record(session, item, "added", DEFAULT_SINCE, actor, {"source": "default", **listed})


def check_item(values: dict) -> list[dict]:
    problems = []
    if values["mode"] not in MODES:
        problems.append({"field": "mode", "message": f"方式应为{'、'.join(MODES.values())}之一"})
    unknown = [code for code in values["violation_codes"] if code not in catalogue()]
    if unknown or not values["violation_codes"]:
        problems.append({"field": "violation_codes", "message": f"违法行为代码不在违法行为清单中: {'、'.join(unknown)}"
                         if unknown else "至少列出一个违法行为代码"})
    kinds = [kind for kind in values["penalty_kinds"] if kind not in PENALTY_KINDS]
    if kinds or not values["penalty_kinds"]:
        problems.append({"field": "penalty_kinds", "message": f"处罚种类不在可选值中: {'、'.join(kinds)}"
                         if kinds else "至少列出一种处罚种类"})
    if values.get("valid_until") and values["valid_until"] < values["valid_from"]:
        problems.append({"field": "valid_until", "message": "有效期截止日不能早于起始日"})
    return problems


def add_item(session: Session, agency_id: int, values: dict, actor: Actor) -> tuple[PowerItem, int]:
    problems = check_item(values)
    if problems:
        raise ValidationFailed("；".join(p["message"] for p in problems), code="power_item_invalid", details=problems)
    _materialise_default(session, agency_id, actor)
    item = PowerItem(agency_id=agency_id, **values)
    session.add(item)
    session.flush()
    detail = {key: (value.isoformat() if isinstance(value, date) else value) for key, value in values.items()}
    return item, _record(session, item, "added", values["valid_from"], actor, detail)


def end_item(session: Session, item: PowerItem, effective_on: date, actor: Actor) -> int:
    """The item is no longer in force from `effective_on` (it was until the day before)."""
    if effective_on <= item.valid_from:
        raise ValidationFailed("取消日期应晚于该事项的生效日期", code="power_item_invalid",
                               details=[{"field": "effective_on", "message": "取消日期应晚于该事项的生效日期"}])
    if item.valid_until is not None and item.valid_until < effective_on:
        raise Conflict("该事项已不在有效期内", code="power_item_ended", details={"item_id": item.id})
    item.valid_until = effective_on - timedelta(days=1)
    session.add(item)
    return _record(session, item, "ended", effective_on, actor, {"item_code": item.item_code,
                                                                 "valid_until": item.valid_until.isoformat()})


def attach_letter(session: Session, item_id: int, key: str, sha256: str, name: str, actor: Actor) -> int:
    item = session.get(PowerItem, item_id)
    if item is None:
        raise NotFound("执法事项不存在或无权查看", code="power_item_not_found", details={"item_id": item_id})
    item.letter_object_key, item.letter_sha256, item.letter_name = key, sha256, name
    session.add(item)
    today = clock.now().astimezone(SHANGHAI).date()
    return _record(session, item, "letter", today, actor, {"letter_sha256": sha256, "letter_name": name})
