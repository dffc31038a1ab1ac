"""The demo county's register of enforcement targets (一企一档) and its annual plans, for `zhifa serve --demo`.

The units come from a data file and are entered by a county officer through the register's own service, checked
as a form's entry is. The plans go through the plans' service and the `annual_plan` steps as on the pages: this
year's plans of the county bureau (its county-level units of the whole county) and of 泉江镇 (its township-level
units), drawn and approved in the first days of January, so the worker starts their visits as their months begin;
and, in the last two months of the year, the county's draft for next year, drawn and waiting to be submitted. The
register is entered before this year's plans are drawn. Each part is added only where missing, so starting the demo
again adds nothing.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time
from pathlib import Path

import yaml
from sqlmodel import select

from api.identity.models import User
from api.plans.models import InspectionPlan
from api.plans.service import create_plan
from api.services import task_inbox
from api.targets.models import Target
from api.targets.service import create_target
from engine import clock
from engine.calendar import SHANGHAI
from engine.db import read_session
from engine.runtime import Runtime

logger = logging.getLogger(__name__)

REGISTER_FILE = Path(__file__).resolve().parent / "data" / "demo" / "register.yaml"
NEXT_YEAR_FROM_MONTH = 11  # from November the county drafts next year's plan
# (drafter, approver, approval reference): the county's plan is approved by the head; a township's by its Party
# committee and government, whose minutes the township's officer registers (DOMAIN.md §2.1, I0)
THIS_YEARS_PLANS = (("county1", "head", None), ("quanjiang1", "quanjiang1", "泉党政纪〔{year}〕2号"))


def seed_register(engine, users: dict[str, User], path: Path = REGISTER_FILE) -> int:
    """Enter the file's units that are not in the register yet (by credit code); returns how many."""
    units = yaml.safe_load(path.read_text(encoding="utf-8"))["units"]
    with read_session(engine) as session:
        known = set(session.exec(select(Target.credit_code)).all())
    added = 0
    for unit in units:
        if unit["code"] not in known:
            create_target(engine, users["county1"], _entry(unit))
            added += 1
    return added


def _entry(unit: dict) -> dict:
    name, phone = unit["principal"]
    return {"credit_code": unit["code"], "name": unit["name"], "address": unit["address"],
            "township_id": unit["township"], "industry": unit["industry"], "risk_level": unit["risk"],
            "credit_level": unit["credit"], "standardisation": unit["standard"], "assigned_level": unit["level"],
            "key_target": unit["key"], "contacts": [{"name": name, "role": "principal", "phone": phone}]}


def seed_register_and_plans(runtime: Runtime, users: dict[str, User]) -> int:
    """The register and the plans that are missing; returns how many plans were added."""
    today = clock.now().astimezone(SHANGHAI).date()
    january = _moment(date(today.year, 1, 5))
    with clock.using(lambda: january):
        units = seed_register(runtime.engine, users)
    if units:
        logger.info("演示执法对象名录: 新增 %d 家单位", units)
    added = 0
    for drafter, approver, reference in THIS_YEARS_PLANS:
        added += _plan(runtime, users, drafter, today.year, january,
                       approval=(approver, _moment(date(today.year, 1, 8)), reference))
    if today.month >= NEXT_YEAR_FROM_MONTH:
        added += _plan(runtime, users, "county1", today.year + 1, clock.now(), approval=None)
    return added


def _moment(on: date) -> datetime:
    """9 o'clock on `on`, or now if that has not come yet."""
    return min(datetime.combine(on, time(9), tzinfo=SHANGHAI), clock.now())


def _plan(runtime: Runtime, users: dict[str, User], drafter: str, year: int, drawn_at: datetime,
          approval: tuple[str, datetime, str | None] | None) -> int:
    """Draw `drafter`'s agency's plan for `year` (a fixed seed) and, with `approval`, submit and approve it."""
    user = users[drafter]
    with read_session(runtime.engine) as session:
        if session.exec(select(InspectionPlan.id).where(InspectionPlan.agency_id == user.agency_id,
                                                        InspectionPlan.year == year)).first():
            return 0
    with clock.using(lambda: drawn_at):
        plan = create_plan(runtime, user, year, seed=year * 10_000 + 105)
        if approval is not None:
            _step(runtime, user, plan["case_id"], {
                "submitted_on": drawn_at.date().isoformat(),
                "plan_note": "重点检查对象全覆盖、每年检查2次; 其他对象按风险评分加权随机抽取30%, 每家1次; 执法人员双随机抽取"})
    if approval is not None:
        approver, approved_at, reference = approval
        with clock.using(lambda: approved_at):
            _step(runtime, users[approver], plan["case_id"], {
                "plan_approved": True, "approval_opinion": "同意, 按计划组织实施", "approved_on": approved_at.date().isoformat(),
                **({"approval_ref": reference.format(year=year)} if reference else {})})
    logger.info("演示年度计划: %s %d年度, %d 次检查%s", user.display_name, year, len(plan["visits"]),
                "(已公布)" if approval else "(草案)")
    return 1


def _step(runtime: Runtime, user: User, case_id: int, data: dict) -> None:
    """Complete the plan's open step in the user's inbox, as its task page does."""
    [task] = [t for t in task_inbox.inbox(runtime, user) if t.case_id == case_id]
    task_inbox.complete(runtime, user, task.id, data)
