"""Issue 15: the jurisdiction table reads the township's power list (权力清单/委托事项), not a list of codes.

An item removed from a township's list routes the next case up to the county, while an inspection started
before the change keeps the list version in force when it started.
"""

from datetime import date

from sqlmodel import select

from engine.db import transaction
from engine.models import Actor
from engine.powers import power_edits
from engine.powers.models import PowerItem
from engine.vocab import Role
from tests.procedure.inspection_steps import assessment, linked_case, record, start_inspection

TRAINING_PLAN = {"description": "主要负责人未组织制定本单位安全生产教育和培训计划", "provision": "《安全生产法》第二十一条第三项",
                 "violation_code": "SPL-094-1"}
COUNTY_HEAD = Actor(user_id=99, name="陈志刚", role=Role.agency_head, agency_id=1)


def to_assessment(runtime, clock, agencies, day):
    inspection = start_inspection(runtime, clock, agencies.township, agencies.county, day)
    inspection.complete("现场检查", record(day, [TRAINING_PLAN]))
    return inspection


def end_principal_item(engine, township_id: int, effective_on: date) -> None:
    with transaction(engine) as session:
        power_edits.add_item(session, township_id, {  # the first change also writes down the default list
            "item_code": "QJ-SAF", "name": "安全生产管理人员未履职(赋权)", "mode": "delegated",
            "violation_codes": ["SPL-096-1-SAF"], "penalty_kinds": ["warning", "fine"],
            "valid_from": effective_on, "valid_until": None}, COUNTY_HEAD)
        item = session.exec(select(PowerItem).where(PowerItem.agency_id == township_id,
                                                    PowerItem.item_code == "SPL-094-1")).one()
        power_edits.end_item(session, item, effective_on, COUNTY_HEAD)


def test_an_item_removed_from_the_list_routes_the_next_case_up_and_an_earlier_case_keeps_its_version(
        runtime, agencies, frozen_clock):
    before = to_assessment(runtime, frozen_clock, agencies, "2026-06-01")
    assert before.data["power_list"]["version"] == 0 and before.data["power_list"]["source"] == "default"

    end_principal_item(runtime.engine, agencies.township.id, date(2026, 6, 2))
    after = to_assessment(runtime, frozen_clock, agencies, "2026-06-02")
    assert after.data["power_list"]["version"] == 5  # 3 default items written down, 1 added, 1 ended
    assert "SPL-094-1" not in {c for i in after.data["power_list"]["items"] for c in i["violation_codes"]}

    after.complete("违法行为处理意见", assessment())
    assert (after.data["entrusted_item"], after.data["route"], after.case.outcome) == (False, "county", "county")
    assert linked_case(after, "general_procedure").case.agency_id == agencies.county.id  # reported to the county

    before.complete("违法行为处理意见", assessment(), on="2026-06-03")
    assert (before.data["entrusted_item"], before.data["route"], before.case.outcome) == (True, "entrusted", "entrusted")
    assert before.data["power_item"] == {"item_code": "SPL-094-1", "mode": "entrusted", "list_version": 0}


def test_a_delegated_item_added_to_the_list_is_handled_by_the_township(runtime, agencies, frozen_clock):
    end_principal_item(runtime.engine, agencies.township.id, date(2026, 6, 1))
    inspection = start_inspection(runtime, frozen_clock, agencies.township, agencies.county, "2026-06-01")
    safety = {**TRAINING_PLAN, "violation_code": "SPL-096-1-SAF", "description": "安全生产管理人员未如实记录隐患排查治理情况"}
    inspection.complete("现场检查", record("2026-06-01", [safety]))
    inspection.complete("违法行为处理意见", assessment(violation_code="SPL-096-1-SAF", penalised_party="safety_manager"))
    assert inspection.data["route"] == "entrusted"
    assert inspection.data["power_item"] == {"item_code": "QJ-SAF", "mode": "delegated", "list_version": 5}
