"""Cases for `zhifa serve --demo`: a few cases, each stopped at a stage, so every demo login finds work.

Each is the demo's own story (`api.demo.SCRIPT`) for a different enterprise, replayed up to a step,
its dates moved by whole weeks so that its last step falls in the week before today: an
inspection awaiting re-inspection (township officer), a county case awaiting the head's filing
approval, one awaiting legal review, one awaiting payment (county officer), and an archived case
the head assigns to the supervisor for case-file review (案卷评查); and a review plan (案卷评查方案) of the
past year's files, approved, so the supervisor can draw a sample on the first visit; and the register of the
county's units with this year's annual plans (api.demo_register). A stage whose enterprise already
has a case is not seeded again, so starting the demo twice adds nothing. A stage that cannot be
reached (a deadline in a year the holiday data does not cover yet) is logged and left where it stopped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, select

from api import authz
from api.casefile_review.models import ReviewPlan
from api.casefile_review.review_plans import Approval, PlanDraft, approve_plan, create_plan
from api.demo import SCRIPT, RuntimeDriver, demo_users, simulated_time
from api.demo_register import seed_register_and_plans
from api.identity.models import User
from api.services.case_handling import assign_reviewer
from engine import clock
from engine.calendar import SHANGHAI
from engine.errors import ZhifaError
from engine.models import Case
from engine.runtime import Runtime
from engine.vocab import CaseStatus

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Stage:
    party: dict
    before: str | None  # the script runs up to this step (None: to the end)
    reviewer: str | None = None  # the supervisor the head assigns the archived file to


def _party(name: str, credit_code: str, address: str, representative: str) -> dict:
    return {"kind": "unit", "name": name, "credit_code": credit_code, "address": address,
            "legal_representative": representative, "phone": "0796-6300000"}


STAGES = (
    Stage(_party("遂川县恒顺竹木制品厂", "91360827MA35R8QX2A", "遂川县泉江镇竹木加工区6号", "刘恒顺"), before="整改复查"),
    Stage(_party("遂川县金源石材有限公司", "91360827MA37K2PW5C", "遂川县泉江镇石材园12号", "钟金源"), before="审批立案"),
    Stage(_party("遂川县宏发五金加工厂", "91360827MA38D4TN6E", "遂川县泉江镇五金街3号", "郭宏发"), before="法制审核"),
    Stage(_party("遂川县绿源茶业有限公司", "91360827MA39F6UR7G", "遂川县泉江镇茶园路8号", "肖绿源"), before="登记罚款缴纳"),
    Stage(_party("遂川县鑫达建材有限公司", "91360827MA3AH8WX8J", "遂川县泉江镇建材市场1号", "罗鑫达"), before=None,
          reviewer="supervisor"),
)


def _steps(stage: Stage):
    if stage.before is None:
        return SCRIPT
    return SCRIPT[:[step.task for step in SCRIPT].index(stage.before)]


def _shift(stage: Stage) -> timedelta:
    """Whole weeks that put the stage's last step in the seven days before today (the script's weekdays kept)."""
    steps = _steps(stage)
    last = simulated_time(steps[-1].day, len(steps))
    return timedelta(weeks=(clock.now() - last).days // 7)


def _seeded(runtime: Runtime, stage: Stage) -> bool:
    with Session(runtime.engine) as session:
        return session.exec(select(Case.id).where(Case.party_name == stage.party["name"])).first() is not None


def seed_demo_cases(runtime: Runtime) -> int:
    """Drive the stages that are not in the database yet; returns how many were added."""
    users = demo_users(runtime)
    added = 0
    for stage in STAGES:
        if _seeded(runtime, stage):
            continue
        driver = RuntimeDriver(runtime, logger.debug, users, shift=_shift(stage))
        try:
            view = driver.play(stage.party, list(_steps(stage)))
        except ZhifaError as exc:  # e.g. a deadline in a year without holiday data: the service still starts
            where = f"停在「{CaseStatus(driver.view.case.status).label}」" if driver.view else "未能开始"
            logger.warning("演示案件（%s）%s: %s", stage.party["name"], where, exc.message)
            continue
        if stage.reviewer:
            assign_reviewer(runtime.engine, users["head"], view.case.id, users[stage.reviewer].id)
        logger.info("演示案件 %s（%s）: %s", view.case.number or "（待立案）", stage.party["name"], CaseStatus(view.case.status).label)
        added += 1
    seed_review_plan(runtime, users)
    seed_register_and_plans(runtime, users)
    return added


def seed_review_plan(runtime: Runtime, users: dict[str, User]) -> bool:
    """The supervisor's plan for the files of the past year of the county and its townships, approved by the head
    and waiting for the draw; none if a plan exists already."""
    with Session(runtime.engine) as session:
        if session.exec(select(ReviewPlan.id)).first() is not None:
            return False
        units = authz.jurisdiction_ids(session, authz.agency_of(session, users["supervisor"]))
    on = clock.now().astimezone(SHANGHAI).date()
    draft = PlanDraft(title=f"{on.year}年度行政执法案卷评查", period_from=on - timedelta(days=365), period_to=on,
                      unit_ids=units, share_percent=20, minimum_per_unit=1, township_reviewers=True)
    plan = create_plan(runtime, users["supervisor"], draft)
    approve_plan(runtime, users["head"], plan.id, Approval(head_opinion="同意按方案开展评查"))
    logger.info("演示评查方案「%s」: 待抽取案卷", draft.title)
    return True
