"""Inspections that lead to a case: start one, fill in its forms, and follow the case it opens."""

from __future__ import annotations

from sqlmodel import Session, select

from engine.models import Case
from engine.vocab import AgencyKind, Role
from tests.factories import actor
from tests.procedure import steps
from tests.procedure.driver import CaseDriver

FURNITURE_PLANT = {"name": "遂川县林峰家具厂", "credit_code": "91360827MA35XXXX1K", "address": "遂川县泉江镇工业大道8号",
                   "legal_representative": "王林峰", "phone": "0796-6300000"}


def start_inspection(runtime, clock, agency, county, day: str, party: dict = FURNITURE_PLANT) -> CaseDriver:
    """An inspection of `party` by `agency`'s officers, started on `day`."""
    driver = CaseDriver(runtime, clock, agency, county, process_id="inspection")
    driver.on(day)
    role = Role.county_officer if agency.kind == AgencyKind.county_bureau else Role.township_officer
    driver.view = runtime.start_case("inspection", agency_id=agency.id, actor=actor(role, agency), kind="inspection",
                                     data={"party": party}, party_name=party["name"], title="日常检查")
    return driver


def record(day: str, problems: list[dict], party: dict = FURNITURE_PLANT, order_rectification: bool = False) -> dict:
    """A 现场检查记录 signed by the unit's responsible person."""
    return {"party": party, "place": f"{party['address']}生产车间", "started_at": f"{day}T09:00", "ended_at": f"{day}T11:30",
            "officers": steps.OFFICERS, "site_responsible": party["legal_representative"],
            "unit_attendees": [{"role": "principal", "name": party["legal_representative"], "post": "厂长"}],
            "checked_items": "安全生产责任制、教育培训、现场作业、设备设施", "findings": "见问题清单", "problems": problems,
            "handling": "责令限期整改" if order_rectification else "提出处理意见", "order_rectification": order_rectification,
            "unit_signature": "signed"}


def assessment(**overrides) -> dict:
    """The officers' handling opinion (违法行为处理意见): the jurisdiction table's inputs."""
    data = {"facts": "主要负责人未组织制定并实施本单位安全生产教育和培训计划", "violation_code": "SPL-094-1",
            "penalised_party": "principal", "penalty_kinds": ["fine"], "accident": False, "crime_suspected": False,
            "in_em_scope": True, "target_assigned_level": "county", "handling_opinion": "建议立案处罚"}
    return data | overrides


def linked_case(inspection: CaseDriver, process_id: str) -> CaseDriver:
    """The case the ended inspection (or case) opened, driven from its current state."""
    with Session(inspection.runtime.engine) as session:
        child = session.exec(select(Case).where(Case.parent_case_id == inspection.case.id)).one()
    assert child.process_id == process_id
    driver = CaseDriver(inspection.runtime, inspection.clock, _agency(inspection, child.agency_id), inspection.county,
                        process_id=process_id)
    driver.view = inspection.runtime.get_case(child.id)
    return driver


def _agency(driver: CaseDriver, agency_id: int):
    return driver.agency if driver.agency.id == agency_id else driver.county
