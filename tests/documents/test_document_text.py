"""Every catalogue document, rendered from its complete example for a unit and for a person, reads as Chinese prose.

No choice of the ministry's formats is printed as written (「你（单位）」, 「陈述、申辩（听证）权利」, 「延期（分期）」,
「已看过（已向我宣读）」, 「法定代表人（负责人）」, a label offering 「查封/扣押」): the document says what applies.

The text a reader sees must carry no machine identifier (an enum value such as `signed`, a
field name such as `unit_signature`), no doubled bracket where a composed text wraps a number
that already starts with one (「检查发现（（遂泉）应急检〔2026〕2号）」), no half-width 「,」「;」「:」「(」「)」
next to Chinese characters, and no doubled 「。。」.

What counts as an identifier: a run of ASCII letters, digits and underscores that contains an
underscore, or that is three or more lower-case letters. Nothing else is reported, so these
legitimate ASCII texts pass without an allow-list: upper-case codes (统一社会信用代码
91360827MA35XXXX1K, a model number PQ-2, a violation code SPL-094-1), digits (account
numbers, phone numbers) and units of one or two letters (kg, mm, m³). Should a document ever
need a lower-case word (a URL, e-mail address), it goes into ALLOWED below, by name.
"""

import re

import pytest

from documents.catalogue import get_catalogue
from documents.labels import LABELS
from documents.render import render_docx

from .examples import ISSUED_AT, PARTY, PERSON_PARTY, complete_values
from .rendering_helpers import docx_text, issue_one

ALLOWED: frozenset[str] = frozenset()
IDENTIFIER = re.compile(r"(?<![A-Za-z0-9_])(?:[A-Za-z0-9]*_[A-Za-z0-9_]*|[a-z]{3,})(?![A-Za-z0-9_])")
DOUBLED_BRACKET = re.compile(r"[（(][（(]|[）)][）)]")
ALTERNATIVE = re.compile(r"（(?:单位|个人|听证|分期|延期|已向我宣读|负责人|法定代表人)）|[\u4e00-\u9fff]{2}/[\u4e00-\u9fff]{2}")
HALF_WIDTH_COMMA = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]\s*,\s*[\u3400-\u9fff]|[\u3400-\u9fff]\s*,\s*[\u3000-\u303f\uff00-\uffef]")
HALF_WIDTH_MARK = re.compile(r"[\u3400-\u9fff][;:()]|[;:()][\u3400-\u9fff]")
DOUBLED_STOP = re.compile(r"[。，；、][。]")

CATALOGUE = get_catalogue()
PARTIES = {"unit": PARTY, "person": PERSON_PARTY}


def has_party(doc_id: str) -> bool:
    return CATALOGUE.get(doc_id).field("party") is not None


CASES = [(doc.id, kind) for doc in CATALOGUE.documents for kind in PARTIES]


def rendered_text(session, doc_id: str, party: dict) -> str:
    values = complete_values(doc_id) | {"party": party}
    doc = CATALOGUE.get(doc_id)
    if doc.part_of_dossier:  # the dossier's own parts are rendered from a snapshot, never issued
        fields = {spec.name: values[spec.name] for spec in doc.fields if spec.name in values}
        snapshot = {"doc_id": doc_id, "number": None, "issuer_name": "遂川县应急管理局", "issued_at": ISSUED_AT.isoformat(),
                    "case": {"case_number": values["case_number"], "case_name": values["case_name"]}, "fields": fields}
    else:
        snapshot = issue_one(session, doc_id, values).snapshot
    return docx_text(render_docx(snapshot))


def problems(text: str) -> list[str]:
    found = [f"标识符 {m.group(0)}" for m in IDENTIFIER.finditer(text) if m.group(0) not in ALLOWED]
    found += [f"双重括号 {text[max(m.start() - 8, 0):m.end() + 8]}" for m in DOUBLED_BRACKET.finditer(text)]
    found += [f"半角逗号 {m.group(0)}" for m in HALF_WIDTH_COMMA.finditer(text)]
    found += [f"半角标点 {m.group(0)}" for m in HALF_WIDTH_MARK.finditer(text)]
    found += [f"重复句号 {text[max(m.start() - 4, 0):m.end()]}" for m in DOUBLED_STOP.finditer(text)]
    found += [f"未选定的选项 {text[max(m.start() - 6, 0):m.end() + 2]}" for m in ALTERNATIVE.finditer(text)]
    return found


@pytest.mark.parametrize(("doc_id", "party"), CASES)
def test_document_text_is_chinese_prose(sqlite_session, doc_id, party):
    assert problems(rendered_text(sqlite_session, doc_id, PARTIES[party])) == []


def test_the_checks_catch_what_they_name():
    assert problems("被检查单位负责人签字情况：signed；身份 principal；unit_signature") == [
        "标识符 signed", "标识符 principal", "标识符 unit_signature"]
    assert len(problems("检查发现（（遂泉）应急检〔2026〕2号））")) == 2
    assert len(problems("决定(（遂）应急罚〔2026〕1号）)")) == 3  # two doubled brackets, one half-width bracket
    assert problems("事实清楚, 证据确凿") == ["半角逗号 楚, 证"]
    assert problems("当事人(某公司)拒不整改;依据:第九十七条。。") == [
        "半角标点 人(", "半角标点 司)", "半角标点 改;", "半角标点 据:", "重复句号 九十七条。。"]
    assert problems("你（单位）应当陈述、申辩（听证）") == ["未选定的选项 你（单位）应当", "未选定的选项 当陈述、申辩（听证）"]
    assert problems("延期（分期）缴纳罚款，强制措施种类（查封/扣押），法定代表人（负责人）") == [
        "未选定的选项 延期（分期）缴纳", "未选定的选项 制措施种类（查封/扣押），", "未选定的选项 ，法定代表人（负责人）"]
    assert problems("统一社会信用代码91360827MA35XXXX1K，型号PQ-2，SPL-094-1，2kg，账号 1234 5678，m³") == []


def test_enum_values_print_their_chinese_labels(sqlite_session):
    text = rendered_text(sqlite_session, "inspection_record", PARTY)
    assert "被检查单位负责人签字情况：已签字" in text.splitlines()
    assert "主要负责人" in text and "安全生产管理人员" in text


def test_an_enum_value_outside_its_vocabulary_is_refused(sqlite_session):
    from engine.errors import ValidationFailed

    values = complete_values() | {"unit_signature": "maybe"}
    with pytest.raises(ValidationFailed) as refused:
        issue_one(sqlite_session, "inspection_record", values)
    assert refused.value.message == "「现场检查记录」格式不正确：被检查单位负责人签字情况"


def _choices(schema: dict, name: str) -> list[dict]:
    """The `oneOf` const/title choices of every property called `name`, at any depth of a form schema."""
    found = []
    for key, value in schema.items() if isinstance(schema, dict) else ():
        if key == "properties" and isinstance(value.get(name), dict) and "oneOf" in value[name]:
            found += value[name]["oneOf"]
        found += _choices(value, name) if isinstance(value, dict) else []
    return found


def test_every_form_choice_of_an_enum_field_has_the_same_label():
    import json

    from bpmn import MODELS_DIR

    specs = [spec for doc in CATALOGUE.documents for field in doc.fields for spec in (field, *field.columns)
             if spec.type == "enum"]
    assert specs
    for spec in specs:
        choices = [c for path in sorted((MODELS_DIR / "forms").glob("*.json"))
                   for c in _choices(json.loads(path.read_text(encoding="utf-8")), spec.name)]
        assert choices, spec.name
        assert {c["const"]: c["title"] for c in choices} == LABELS[spec.labels]


def test_every_signer_has_its_label():
    from documents.catalogue import Signer

    assert set(LABELS["signer"]) == {signer.value for signer in Signer}


def test_the_documents_say_what_applies_to_the_party(sqlite_session):
    unit = rendered_text(sqlite_session, "penalty_decision", PARTY)
    person = rendered_text(sqlite_session, "penalty_decision", PERSON_PARTY)
    assert "你单位的上述行为" in unit and "法定代表人：刘建国" in unit
    assert "你的上述行为" in person and "你单位" not in person and "法定代表人" not in person
    assert "出生日期：1975年1月1日" in person and "身份证号码：360827197501010011" in person


def test_the_decision_names_the_hearing_right_only_when_it_was_offered(sqlite_session):
    def decision(hearing: bool) -> str:
        values = complete_values() | {"hearing_eligible": hearing}
        return docx_text(render_docx(issue_one(sqlite_session, "penalty_decision", values).snapshot))

    assert "陈述、申辩和要求听证的权利" in decision(True)
    assert "陈述、申辩的权利" in decision(False) and "听证" not in decision(False).split("陈述、申辩的权利")[0][-30:]


def test_a_receipt_to_a_unit_names_the_unit_and_is_signed_by_its_representative(sqlite_session):
    unit = rendered_text(sqlite_session, "service_receipt", PARTY)
    assert "受送达人\n遂川县宏达家具厂" in unit and "签收人\n刘建国" in unit
    assert "受送达单位法定代表人（签名）" in unit
    assert "受送达人（签名）" in rendered_text(sqlite_session, "service_receipt", PERSON_PARTY)


def test_deferral_or_instalments_and_the_reading_of_the_record_follow_the_facts(sqlite_session):
    deferred = issue_one(sqlite_session, "payment_deferral_decision", complete_values() | {"instalments": None})
    split = issue_one(sqlite_session, "payment_deferral_decision", complete_values() | {"instalments": 2})
    assert (deferred.title, split.title) == ("延期缴纳罚款批准书", "分期缴纳罚款批准书")
    assert "你单位申请分期缴纳" in docx_text(render_docx(split.snapshot))
    read = rendered_text(sqlite_session, "inquiry_record", PARTY)
    aloud = docx_text(render_docx(issue_one(sqlite_session, "inquiry_record", complete_values() | {"read_aloud": "被询问人不识字"}).snapshot))
    assert "以上笔录我已看过，与我所说的一致。" in read and "宣读" not in read
    assert "以上笔录已向我宣读，与我所说的一致。" in aloud and "我已看过" not in aloud


def test_what_officers_type_reads_with_chinese_punctuation(sqlite_session):
    """Half-width marks typed between Chinese characters print full-width; free text that ends a paragraph is closed
    with 「。」 and an officer's own 「。」 is not doubled by the template's; times and amounts keep their marks."""
    typed = complete_values() | {
        "facts": "2026年2月20日 10:30,执法人员检查发现你厂(喷漆车间)未设置安全警示标志; 违法事实: 确凿",
        "proposed_penalty": "罚款人民币1,000元。",
        "education": "已对当事人进行安全生产法律法规教育。",
    }
    text = docx_text(render_docx(issue_one(sqlite_session, "penalty_decision", typed).snapshot))
    assert "经查，2026年2月20日 10:30，执法人员检查发现你厂（喷漆车间）未设置安全警示标志；违法事实：确凿。" in text.splitlines()
    assert problems(text) == []
    notice = docx_text(render_docx(issue_one(sqlite_session, "penalty_notice", typed).snapshot))
    assert "如下行政处罚：罚款人民币1,000元。" in notice and "。。" not in notice
    no_penalty = docx_text(render_docx(issue_one(sqlite_session, "no_penalty_decision", typed).snapshot))
    assert "已对当事人进行安全生产法律法规教育。" in no_penalty.splitlines() and "。。" not in no_penalty
