"""E9 (DOMAIN.md §12, §3 R1): at a township inspection a boiler is found overdue for its statutory
inspection. Special equipment is market regulation's business, not emergency management's: the table
routes it to transfer, the township officers issue a 案件移送书 to the county market-regulation bureau,
and the inspection ends as transferred without opening any case.
"""

from sqlmodel import Session, select

from engine import record as case_record
from engine.models import Case
from engine.vocab import CaseStatus
from tests.procedure.inspection_steps import assessment, record, start_inspection

BOILER = {"description": "1台燃煤蒸汽锅炉(编号GL-01)超过定期检验有效期仍在使用", "provision": "《特种设备安全法》第四十条第三款",
          "violation_code": None}


def test_e9_special_equipment_is_transferred_to_market_regulation(runtime, agencies, frozen_clock):
    inspection = start_inspection(runtime, frozen_clock, agencies.township, agencies.county, "2026-06-01")
    inspection.complete("现场检查", record("2026-06-01", [BOILER]))
    inspection.complete("违法行为处理意见", assessment(
        facts="锅炉超过定期检验有效期仍在使用,属特种设备安全监督管理事项", violation_code=None, penalised_party="unit",
        in_em_scope=False, handling_opinion="移送市场监督管理部门"))
    assert inspection.data["route"] == "transfer" and inspection.ready() == ["制作案件移送书"]
    inspection.complete("制作案件移送书", {
        "receiving_agency": "遂川县市场监督管理局", "transfer_reason": "锅炉属特种设备,定期检验由市场监督管理部门监督管理(《特种设备安全法》第四十条)",
        "materials": "现场检查记录1份、现场照片3张", "contact": "王强 0796-6300001"}, on="2026-06-02")

    assert (inspection.case.outcome, inspection.case.status, inspection.view.tasks) == ("transfer", CaseStatus.transferred, [])
    assert inspection.path == ["现场检查", "违法行为处理意见", "制作案件移送书"]
    assert {step.role for step in inspection.steps} == {"township_officer"}
    assert inspection.documents() == ["inspection_record", "case_transfer_letter"]
    # issued in the county bureau's name and series, although the township's officers made it
    assert inspection.data["documents"]["case_transfer_letter"] == "（遂）应急移〔2026〕1号"
    with Session(runtime.engine) as session:
        assert session.exec(select(Case).where(Case.parent_case_id == inspection.case.id)).all() == []
        [transfer] = [event for event in case_record.events(session, inspection.case.id)
                      if event.task_name == "制作案件移送书"]
        assert [output["doc_id"] for output in transfer.outputs] == ["case_transfer_letter"]
