"""Archiving (C13): the file is frozen and its objects locked."""

from engine.vocab import CaseStatus
from tests.procedure import steps


def test_archiving_freezes_the_file_and_locks_its_objects(county_case):
    """After 立卷归档 (and the worker's outbox pass) the rendered documents carry COMPLIANCE retention."""
    import pytest
    from sqlmodel import Session, select

    from api.bootstrap import object_store
    from documents.models import IssuedDocument
    from documents.rendition import render_pending
    from engine import record
    from engine.errors import InvalidState
    from engine.outbox import apply_outbox

    case = county_case
    case.start("2026-03-02", {"party": {"kind": "unit", "name": "遂川县某木业有限公司"}}, party_name="遂川县某木业有限公司")
    case.complete("填写立案审批表", steps.filing("某木业公司案", "未设置警示标志", "《安全生产法》第九十九条"))
    case.complete("审批立案", steps.approve("2026-03-03", "filing_approved"), on="2026-03-03")
    case.complete("调查取证", steps.investigation(), on="2026-03-10")
    case.complete("制作案件调查报告和处理呈批表", steps.report(proposal="违法事实不能成立"), on="2026-03-16")
    case.complete("审批处理意见", steps.handling("2026-03-17", "not_established"), on="2026-03-17")
    store = object_store()
    assert render_pending(case.runtime.engine, store) > 0
    while case.ready():
        name = case.ready()[0]
        data = {"制作不予行政处罚决定书": lambda: {"ground": "违法事实不能成立", "ground_basis": "《中华人民共和国行政处罚法》第五十七条第一款第三项",
                                                  "education_given": True},
                "送达不予行政处罚决定书": lambda: steps.service("2026-03-19", case.data, "no_penalty_decision"),
                "填写结案审批表": steps.closing,
                "审批结案": lambda: steps.approve("2026-03-20", "closing_approved"),
                "立卷归档": lambda: steps.archive("2026-03-20")}[name]()
        case.complete(name, data, on="2026-03-20")
    assert case.case.status == CaseStatus.archived
    assert apply_outbox(case.runtime.engine, store) == 1
    with Session(case.runtime.engine) as session:
        retained = [e for e in record.events(session, case.case.id) if e.kind == "objects_retained"]
        keys = session.exec(select(IssuedDocument.docx_object_key).where(IssuedDocument.case_id == case.case.id,
                                                                          IssuedDocument.docx_object_key.is_not(None))).all()
    assert len(retained) == 1 and {o["name"] for o in retained[0].outputs} == set(keys)
    with pytest.raises(InvalidState) as err:
        store.delete(keys[0])
    assert err.value.code == "object_locked"
