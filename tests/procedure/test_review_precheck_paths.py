"""The pre-check items that only some paths reach, on cases driven down those paths: preserved evidence left
undecided past 7 working days, and a suspected crime referred to the police (or, in the file, not referred)."""

from __future__ import annotations

from dataclasses import replace

from documents.case_review.case_file import load_case_file
from documents.case_review.precheck import precheck
from engine.db import read_session
from engine.models import Case
from tests.procedure import steps
from tests.procedure.test_e6_referral import referred
from tests.procedure.test_general_procedure_paths import filed


def items(case, change=None) -> dict[str, dict]:
    runtime = case.runtime
    with read_session(runtime.engine) as session:
        row = session.get(Case, case.case.id)
        file = load_case_file(session, row, case.refresh().data, runtime.process_of(session, row).tasks, lambda uid: None)
    result = precheck(change(file) if change else file).as_dict()
    return {item["code"]: item for item in result["items"]}


def test_preserved_evidence_left_undecided_past_seven_working_days_is_flagged(county_case):
    case = filed(county_case)
    case.complete("调查取证", steps.investigation(preservation=True), on="2026-03-09")
    case.complete("审批先行登记保存", steps.approve("2026-03-09", "preservation_approved"))
    case.complete("先行登记保存证据", {"officers": steps.OFFICERS, "preserved_on": "2026-03-10", "storage_place": "厂区仓库",
                                       "preserved_items": [{"name": "配电箱", "quantity": "1台"}]}, on="2026-03-10")
    assert items(case)["preservation_deadline"]["status"] == "not_applicable"  # still within the 7 working days
    case.wait_until("2026-03-20")
    case.complete("逾期解除先行登记保存", {"notice_number": case.data["documents"]["preservation_notice"],
                                           "handling": "逾期未作出处理决定，解除先行登记保存，证据已返还当事人"})
    item = items(case)["preservation_deadline"]
    assert (item["status"], item["message"]) == ("failed", "2026-03-10先行登记保存的证据未在7个工作日内(2026-03-19)作出处理决定")
    assert item["evidence"][1] == {"kind": "deadline", "what": "先行登记保存处理决定", "from": "2026-03-10",
                                   "due": "2026-03-19", "done": None}


def test_a_suspected_crime_referred_to_the_police_passes_and_the_same_file_without_the_transfer_is_a_veto(county_case):
    case = referred(county_case)
    case.complete("成立专案组并制作移送报告", steps.referral_team("2026-04-13"))
    case.complete("审批是否移送公安机关", steps.referral_approval("2026-04-15"), on="2026-04-15")
    case.complete("移送公安机关并抄送检察院", steps.referral_transfer(steps.at("2026-04-16", 9), "2026-04-16"),
                  on="2026-04-16")
    item = items(case)["referral_made"]
    assert (item["status"], item["message"], item["evidence"][0]["step"]) == (
        "passed", "已移送公安机关(遂川县公安局)", "移送公安机关并抄送检察院")

    def without_transfer(file):
        return replace(file, steps=tuple(s for s in file.steps if s.name != "移送公安机关并抄送检察院"))
    item = items(case, without_transfer)["referral_made"]
    assert (item["status"], item["veto_item"], item["score"]) == ("failed", True, 0)
