from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from documents.catalogue import get_catalogue
from documents.document_numbers import void_document
from documents.issuing import issue_documents
from documents.models import IssuedDocument
from engine.errors import InvalidState, ModelError, ValidationFailed

from .examples import ISSUED_AT, complete_values


def issue(session, doc_ids, *, case_id=1, values=None, issued_at=ISSUED_AT, agency="suichuan_em", catalogue=None):
    return issue_documents(
        session,
        case_id=case_id,
        agency_code=agency,
        doc_ids=doc_ids,
        values=values if values is not None else complete_values(),
        issued_at=issued_at,
        catalogue=catalogue,
    )


def test_numbers_follow_the_pattern_per_code_and_year(sqlite_session):
    first = issue(sqlite_session, ["inspection_record", "rectification_order"])
    assert [d.number for d in first] == ["（遂）应急检记〔2026〕1号", "（遂）应急责改〔2026〕1号"]
    second = issue(sqlite_session, ["rectification_order"], case_id=2)
    assert second[0].number == "（遂）应急责改〔2026〕2号"
    next_year = issue(sqlite_session, ["rectification_order"], issued_at=datetime(2027, 1, 4, tzinfo=ZoneInfo("Asia/Shanghai")))
    assert next_year[0].number == "（遂）应急责改〔2027〕1号"


def test_township_documents_carry_the_county_bureau_series(sqlite_session):
    issue(sqlite_session, ["penalty_decision"])
    township = issue(sqlite_session, ["penalty_decision"], agency="caolin_township")
    assert township[0].number == "（遂）应急罚〔2026〕2号"
    assert township[0].snapshot["issuer_name"] == "遂川县应急管理局"


def test_township_sub_series_by_configuration(sqlite_session):
    base = get_catalogue()
    config = base.numbering.model_dump()
    config["entrusted"] = {"caolin_township": {"issuer": "suichuan_em", "sub_series": "草林"}}
    numbering = type(base.numbering).model_validate(config)
    catalogue = base.model_copy(update={"numbering": numbering})
    issue(sqlite_session, ["penalty_decision"], catalogue=catalogue)
    township = issue(sqlite_session, ["penalty_decision"], agency="caolin_township", catalogue=catalogue)
    assert township[0].number == "（遂）应急罚(草林)〔2026〕1号"


def test_one_sequence_per_case_by_configuration(sqlite_session):
    base = get_catalogue()
    catalogue = base.model_copy(update={"numbering": base.numbering.model_copy(update={"scope": "case"})})
    docs = issue(sqlite_session, ["filing_approval", "penalty_notice", "penalty_decision"], case_id=7, catalogue=catalogue)
    assert [d.number for d in docs] == ["遂应急立〔2026〕3号-立审1", "遂应急立〔2026〕3号-罚告2", "遂应急立〔2026〕3号-罚3"]
    other_case = issue(sqlite_session, ["penalty_notice"], case_id=8, catalogue=catalogue)
    assert other_case[0].sequence == 1


def test_unnumbered_documents(sqlite_session):
    (record,) = issue(sqlite_session, ["inquiry_record"])
    assert record.number is None and record.sequence is None


def test_snapshot_holds_the_declared_fields(sqlite_session):
    (doc,) = issue(sqlite_session, ["penalty_decision"])
    sqlite_session.commit()
    stored = sqlite_session.exec(select(IssuedDocument)).one()
    snapshot = stored.snapshot
    assert snapshot["number"] == "（遂）应急罚〔2026〕1号"
    assert snapshot["issued_at"] == "2026-02-27T10:00:00+08:00"
    assert snapshot["fields"]["fine_amount"] == "25000"
    assert snapshot["fields"]["party"]["name"] == "遂川县宏达家具厂"
    assert snapshot["case"]["case_number"] == "遂应急立〔2026〕3号"
    # values the document does not declare are not copied into it
    assert "transcript" not in snapshot["fields"]


def test_missing_required_field_names_it_and_takes_no_number(sqlite_session):
    values = complete_values()
    del values["started_at"]
    with pytest.raises(ValidationFailed) as err:
        issue(sqlite_session, ["rectification_order", "inspection_record"], values=values)
    assert err.value.message == "「现场检查记录」缺少必填项：检查开始时间"
    assert err.value.details["field"] == "started_at"
    assert err.value.details["document"] == "inspection_record"
    (ok,) = issue(sqlite_session, ["rectification_order"])
    assert ok.number == "（遂）应急责改〔2026〕1号"


def test_nested_and_malformed_fields_are_named(sqlite_session):
    values = complete_values()
    values["rectification_items"][0]["deadline"] = ""
    with pytest.raises(ValidationFailed) as err:
        issue(sqlite_session, ["rectification_order"], values=values)
    assert err.value.message == "「责令限期整改指令书」缺少必填项：整改事项第1项的整改期限"
    assert err.value.details["field"] == "rectification_items[0].deadline"

    values = complete_values()
    values["fine_amount"] = "两万"
    with pytest.raises(ValidationFailed) as err:
        issue(sqlite_session, ["penalty_decision"], values=values)
    assert err.value.message == "「行政处罚决定书」格式不正确：罚款金额"

    values = complete_values()
    values["party"] = {"kind": "unit", "name": "  "}
    with pytest.raises(ValidationFailed) as err:
        issue(sqlite_session, ["penalty_notice"], values=values)
    assert err.value.message == "「行政处罚告知书」缺少必填项：当事人名称"


def test_dossier_parts_are_not_issued_by_steps(sqlite_session):
    with pytest.raises(ModelError):
        issue(sqlite_session, ["dossier_cover"])


def test_voided_number_stays_recorded_and_is_not_reused(sqlite_session):
    (first,) = issue(sqlite_session, ["penalty_notice"])
    voided = void_document(sqlite_session, first.id, reason="当事人名称有误", voided_at=ISSUED_AT)
    assert (voided.number, voided.void_reason) == ("（遂）应急罚告〔2026〕1号", "当事人名称有误")
    (second,) = issue(sqlite_session, ["penalty_notice"])
    assert second.number == "（遂）应急罚告〔2026〕2号"
    with pytest.raises(InvalidState):
        void_document(sqlite_session, first.id, reason="again", voided_at=ISSUED_AT)
    with pytest.raises(ValidationFailed):
        void_document(sqlite_session, second.id, reason=" ", voided_at=ISSUED_AT)


def test_rolled_back_step_gives_its_number_back(sqlite_session):
    issue(sqlite_session, ["penalty_decision"])
    sqlite_session.commit()
    issue(sqlite_session, ["penalty_decision"])
    sqlite_session.rollback()
    (doc,) = issue(sqlite_session, ["penalty_decision"])
    assert doc.number == "（遂）应急罚〔2026〕2号"
