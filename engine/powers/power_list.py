"""Power lists as the jurisdiction table sees them.

A township's or park's list in force on a day is the items whose validity covers that day. A case started in
that agency carries a snapshot of it (`power_list`: the list version and its items) from its start, so a later
change never moves a case already filed. When a step gives the violation and the proposed penalty kinds, the
fact `entrusted_item` is computed from the case's snapshot: True when an item in force covers the violation code
and every proposed penalty kind, False when none does, None when no code was given (the table then judges by
the penalised party). The table itself lists no codes (bpmn/jurisdiction.dmn).

An agency for which no list was ever recorded has the default list: the violation catalogue's entries flagged
`township_entrusted` (遂办字〔2021〕9号), entrusted, with warnings and fines.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from engine.models import Agency
from engine.powers.models import PowerItem, PowerListChange
from engine.rules.violations import catalogue
from engine.vocab import AgencyKind

DEFAULT_PENALTY_KINDS = ["warning", "fine"]
MODES = {"entrusted": "委托(以县应急管理局名义)", "delegated": "赋权(以本机关名义)"}


def default_items() -> list[dict]:
    return [{"item_code": code, "name": violation.title_zh, "mode": "entrusted", "violation_codes": [code],
             "penalty_kinds": list(DEFAULT_PENALTY_KINDS)}
            for code, violation in catalogue().items() if violation.township_entrusted]


def item_out(item: PowerItem) -> dict:
    return {"item_code": item.item_code, "name": item.name, "mode": item.mode,
            "violation_codes": list(item.violation_codes), "penalty_kinds": list(item.penalty_kinds)}


def version_of(session: Session, agency_id: int) -> int:
    return session.scalar(select(sa.func.max(PowerListChange.version))
                          .where(PowerListChange.agency_id == agency_id)) or 0


def in_force(session: Session, agency_id: int, on: date) -> list[PowerItem]:
    return list(session.exec(select(PowerItem).where(
        PowerItem.agency_id == agency_id, PowerItem.valid_from <= on,
        sa.or_(PowerItem.valid_until.is_(None), PowerItem.valid_until >= on)).order_by(PowerItem.item_code)))


def snapshot(session: Session, agency_id: int, on: date) -> dict:
    version = version_of(session, agency_id)
    if version == 0:
        return {"version": 0, "source": "default", "on": on.isoformat(), "items": default_items()}
    return {"version": version, "source": "recorded", "on": on.isoformat(),
            "items": [item_out(item) for item in in_force(session, agency_id, on)]}


def case_facts(session: Session, agency: Agency, on: date) -> dict:
    """What a case started in `agency` on `on` keeps: the list in force (townships and parks only)."""
    if AgencyKind(agency.kind) == AgencyKind.county_bureau:
        return {}
    return {"power_list": snapshot(session, agency.id, on)}


def covering_item(items: list[dict], violation_code: Any, penalty_kinds: Any) -> dict | None:
    kinds = set(penalty_kinds) if isinstance(penalty_kinds, list) else set()
    return next((item for item in items if violation_code in item["violation_codes"]
                 and kinds <= set(item["penalty_kinds"])), None)


def entrusted_item(items: list[dict], violation_code: Any, penalty_kinds: Any) -> bool | None:
    """The jurisdiction table's `entrusted_item` fact for a list's items (see the module docstring)."""
    if not isinstance(violation_code, str) or not violation_code:
        return None
    return covering_item(items, violation_code, penalty_kinds) is not None


def step_facts(workflow_data: dict, data: dict) -> dict:
    """The facts a step adds when it names a violation in a case that carries a list snapshot."""
    if "violation_code" not in data:
        return {}
    listing = workflow_data.get("power_list")
    if not isinstance(listing, dict):  # a county bureau's case: no list, the table routes by who found it
        return {"entrusted_item": None, "power_item": None}
    code, kinds = data.get("violation_code"), data.get("penalty_kinds")
    item = covering_item(listing["items"], code, kinds) if isinstance(code, str) and code else None
    return {"entrusted_item": entrusted_item(listing["items"], code, kinds),
            "power_item": {"item_code": item["item_code"], "mode": item["mode"], "list_version": listing["version"]}
            if item else None}
