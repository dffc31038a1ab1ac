"""SPL Arts. 94/95/99 double penalty: one case fines the unit and its directly responsible person. Each is the
party of a decision of his own (two numbers in the 罚 series), is told by a 告知书 of his own before it (APL
Arts. 44/45/63, docs/DOUBLE_PENALTY.md) and is served it with a 送达回执 of his own; leaving a person out is refused."""

import pytest
from sqlmodel import Session, select

from documents.models import IssuedDocument
from engine.errors import ValidationFailed
from tests.procedure import steps
from tests.procedure.test_penalty_tiers import NOTICE_TO_PERSON, PERSON, PERSON_DECISION, _report, _to_report


def _refused(case, name: str, data: dict, on: str) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as refused:
        case.complete(name, data, on=on)
    assert name in case.ready()  # nothing moved
    return refused.value


def _issued(case) -> list[IssuedDocument]:
    with Session(case.runtime.engine) as session:
        return list(session.exec(select(IssuedDocument).where(IssuedDocument.case_id == case.case.id)).all())


def _to_decision(case):
    case = _to_report(case)
    case.complete("制作案件调查报告和处理呈批表", _report(60000, 15000, overdue_uncorrected=True), on="2026-03-16")
    case.complete("审批处理意见", steps.handling("2026-03-17", "penalty"), on="2026-03-17")
    error = _refused(case, "送达行政处罚告知书和听证告知书", steps.notice("2026-03-18"), "2026-03-18")
    assert error.code == "responsible_person_not_notified"
    case.complete("送达行政处罚告知书和听证告知书", steps.notice("2026-03-18") | NOTICE_TO_PERSON, on="2026-03-18")
    [told] = case.data["person_notices"]
    assert set(told["documents"]) == {"penalty_notice", "hearing_notice", "service_receipt"}
    assert told["documents"]["penalty_notice"] != case.data["documents"]["penalty_notice"]
    case.wait_until("2026-03-30")
    case.refresh()
    if "法制审核" in case.ready():
        case.complete("法制审核", steps.legal_review("2026-03-30", True), on="2026-03-30")
    if "集体讨论" in case.ready():
        case.complete("集体讨论", steps.discussion("2026-03-31"), on="2026-03-31")
    return case, told


def test_unit_and_person_each_get_a_numbered_decision_and_a_receipt(county_case):
    case, told = _to_decision(county_case)
    decision = {**steps.decision(["fine"], 60000), "decided_responsible_persons_fine": 15000}
    assert _refused(case, "作出行政处罚决定", decision, "2026-04-01").code == "responsible_person_missing"
    stranger = [{**PERSON_DECISION[0], "party": {**PERSON, "name": "李某", "id_number": "360827198001010012"}}]
    error = _refused(case, "作出行政处罚决定", {**decision, "responsible_persons": stranger}, "2026-04-01")
    assert error.code == "responsible_person_not_notified"  # never told: APL Art. 62
    wrong_fine = [{**PERSON_DECISION[0], "fine_amount": 12000}]
    error = _refused(case, "作出行政处罚决定", {**decision, "responsible_persons": wrong_fine}, "2026-04-01")
    assert error.code == "responsible_person_fine_mismatch"
    case.complete("作出行政处罚决定", {**decision, "responsible_persons": PERSON_DECISION}, on="2026-04-01")

    [person] = case.data["responsible_persons"]
    unit_number = case.data["documents"]["penalty_decision"]
    assert unit_number.endswith("罚〔2026〕1号") and person["document_number"].endswith("罚〔2026〕2号")
    [issued] = [d for d in _issued(case) if d.number == person["document_number"]]
    assert issued.doc_id == "responsible_person_penalty_decision" and issued.title == "行政处罚决定书"
    fields = issued.snapshot["fields"]
    assert fields["party"]["name"] == "王某" and fields["party"]["id_number"] == PERSON["id_number"]
    assert fields["fine_amount"] == 15000 and fields["penalty"] == "罚款15000元"
    assert told["documents"]["penalty_notice"] in fields["procedure_account"]  # his own notice, not the unit's
    assert case.data["documents"]["penalty_notice"] not in fields["procedure_account"]

    service = steps.service("2026-04-02", case.data)
    assert _refused(case, "送达行政处罚决定书", service, "2026-04-02").code == "responsible_person_not_served"
    to_person = {**service, "party": PERSON, "recipient": "王某",
                 "served_documents": [{"title": "行政处罚决定书", "number": person["document_number"]}]}
    case.complete("送达行政处罚决定书", {**service, "person_services": [to_person]}, on="2026-04-02")
    receipts = [d for d in _issued(case) if d.doc_id == "service_receipt"]  # each party's notices', then decision's
    assert len({d.number for d in receipts}) == len(receipts) == 4
    assert [d.snapshot["fields"]["party"]["name"] for d in receipts[:2]] == ["遂川县某木业有限公司", "王某"]
    assert {d.snapshot["fields"]["party"]["name"] for d in receipts[2:]} == {"王某", "遂川县某木业有限公司"}
