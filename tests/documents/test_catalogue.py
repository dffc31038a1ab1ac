from pathlib import Path

import pytest

from documents.catalogue import CATALOGUE_FILE, Signer, get_catalogue, load_catalogue
from engine.errors import ModelError, NotFound

# Ids already used by BPMN files must stay stable.
BPMN_IDS = {
    "inspection_record": ("现场检查记录", "检记"),
    "rectification_order": ("责令限期整改指令书", "责改"),
    "reinspection_opinion": ("整改复查意见书", "复查"),
    "case_transfer_letter": ("案件移送书", "移"),
    "onsite_measures_decision": ("现场处理措施决定书", "现决"),
    "filing_approval": ("立案审批表", "立审"),
    "penalty_notice": ("行政处罚告知书", "罚告"),
    "hearing_notice": ("听证告知书", "听告"),
    "penalty_decision": ("行政处罚决定书", "罚"),
    "simple_penalty_decision": ("当场处罚决定书", "罚当"),
    "no_penalty_decision": ("不予行政处罚决定书", "不罚"),
    "service_receipt": ("文书送达回执", "回"),
    "legal_review_opinion": ("法制审核意见书", "法审"),
    "collective_discussion_record": ("行政处罚集体讨论记录", "罚集"),
    "payment_reminder": ("催告书", "催"),
    "enforcement_application": ("强制执行申请书", "强执"),
    "closing_approval": ("结案审批表", "结"),
    "criminal_referral_letter": ("涉嫌犯罪案件移送书", "涉"),
    "referral_report": ("涉嫌犯罪案件调查报告", None),
    "reconsideration_request": ("提请复议书", "提复"),
    "supervision_suggestion": ("立案监督建议书", "监建"),
    "publication_withdrawal_notice": ("撤回公示通知书", None),
}


@pytest.mark.parametrize(("doc_id", "title_code"), BPMN_IDS.items())
def test_documents_have_title_and_code(doc_id, title_code):
    doc = get_catalogue().get(doc_id)
    assert (doc.title, doc.code) == title_code


def test_records_have_no_number():
    catalogue = get_catalogue()
    for doc_id in ("inquiry_record", "site_survey_record", "hearing_record", "statement_defence_record"):
        assert catalogue.get(doc_id).code is None


def test_archive_order_follows_domain():
    order = [d.id for d in get_catalogue().in_archive_order()]
    expected_sequence = [
        "dossier_contents",
        "penalty_decision",
        "filing_approval",
        "inquiry_record",
        "site_survey_record",
        "sampling_voucher",
        "preservation_notice",
        "inspection_record",
        "rectification_order",
        "reinspection_opinion",
        "coercive_measures_decision",
        "appraisal_commission",
        "penalty_notice",
        "statement_defence_record",
        "hearing_record",
        "case_handling_approval",
        "collective_discussion_record",
        "payment_reminder",
        "payment_deferral_decision",
        "service_receipt",
        "enforcement_application",
        "closing_approval",
        "dossier_notes",
    ]
    positions = [order.index(doc_id) for doc_id in expected_sequence]
    assert positions == sorted(positions)


def test_fields_signers_and_labels():
    record = get_catalogue().get("inspection_record")
    assert record.signers == (Signer.officers, Signer.site_responsible)
    started = record.field("started_at")
    assert (started.label, started.type, started.required) == ("检查开始时间", "datetime", True)
    assert record.field("signature_refused").required is False
    items = get_catalogue().get("rectification_order").field("rectification_items")
    assert [c.label for c in items.columns] == ["存在问题", "违反的规定", "整改要求", "整改期限"]


def test_numbering_and_remedies_config():
    catalogue = get_catalogue()
    assert catalogue.numbering.issuers["suichuan_em"].short == "遂"
    assert catalogue.remedies.reconsideration_body == "遂川县人民政府"
    assert catalogue.remedies.reconsideration_days == 60


def test_unknown_document_id():
    with pytest.raises(NotFound) as err:
        get_catalogue().get("no_such_document")
    assert "no_such_document" in err.value.message


def test_broken_catalogue_names_the_problem(tmp_path: Path):
    source = CATALOGUE_FILE.read_text(encoding="utf-8")
    broken = tmp_path / "catalogue.yaml"
    broken.write_text(source.replace("type: longtext", "type: essay", 1), encoding="utf-8")
    with pytest.raises(ModelError) as err:
        load_catalogue(broken)
    assert "catalogue.yaml" in err.value.message
    duplicate = tmp_path / "dup.yaml"
    duplicate.write_text(source.replace("id: inspection_plan", "id: inspection_record"), encoding="utf-8")
    with pytest.raises(ModelError) as err:
        load_catalogue(duplicate)
    assert "duplicate document ids" in err.value.message


@pytest.mark.parametrize(("original", "broken", "problem"), [
    ("type: enum, labels: signature,", "type: enum,", "`labels` are required for enum"),
    ("type: enum, labels: signature,", "type: enum, labels: moods,", "no label table moods"),
    ("type: enum, labels: signature,", "type: text, labels: signature,", "`labels` are required for enum and only for enum"),
])
def test_an_enum_field_names_an_existing_label_table(tmp_path: Path, original, broken, problem):
    source = CATALOGUE_FILE.read_text(encoding="utf-8")
    assert original in source
    path = tmp_path / "catalogue.yaml"
    path.write_text(source.replace(original, broken, 1), encoding="utf-8")
    with pytest.raises(ModelError) as err:
        load_catalogue(path)
    assert problem in err.value.message
