"""Published text never shows a natural person's ID or phone number, home address or full name (DOMAIN.md §9).

Parties are generated: 18-digit ID numbers with their check digit and old 15-digit ones, mobile numbers in
several spellings and landlines, addresses, all also embedded in the free text of the decision.
"""

import re
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, SQLModel, create_engine

from api.services.publications import public_page
from documents.publication.publishing import penalty_decision_text, publish
from documents.publication.redaction import Redaction

REGIONS = ["360827", "360802", "110105", "440305", "510107", "360100"]
SURNAMES = ["刘", "张", "李", "王", "钟", "欧阳", "司马"]
GIVEN = "建国伟娜敏强华明丽军平芳勇杰"
PLACES = ["泉江镇龙泉大道", "雩田镇人民路", "枚江镇新村", "工业园区泉江大道", "戴家埔乡上坪村"]
FILLER = st.text(alphabet="经查该当事人在生产经营中未按规定组织培训并", min_size=0, max_size=12)
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def check_digit(first17: str) -> str:
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS)) % 11]


@st.composite
def id_numbers(draw) -> str:
    region = draw(st.sampled_from(REGIONS))
    born = date(1940, 1, 1) + timedelta(days=draw(st.integers(0, 25000)))
    sequence = f"{draw(st.integers(0, 999)):03d}"
    if draw(st.booleans()):
        first17 = f"{region}{born:%Y%m%d}{sequence}"
        return first17 + check_digit(first17)
    return f"{region}{born:%y%m%d}{sequence}"  # the old 15-digit number


@st.composite
def phone_numbers(draw) -> tuple[str, str]:
    """(as written, its digits without country code)."""
    if draw(st.integers(0, 4)) == 4:
        area = draw(st.sampled_from(["0796", "0791", "010", "021"]))
        number = str(draw(st.integers(2000000, 89999999)))
        return f"{area}{draw(st.sampled_from(['-', ' ', '']))}{number}", area + number
    mobile = f"1{draw(st.sampled_from('3456789'))}{draw(st.integers(0, 999999999)):09d}"
    a, b, c = mobile[:3], mobile[3:7], mobile[7:]
    spelling = draw(st.sampled_from([mobile, f"+86 {a} {b} {c}", f"{a}-{b}-{c}", f"+86{mobile}", f"{a} {b} {c}"]))
    return spelling, mobile


@st.composite
def person_cases(draw) -> tuple[dict, list[str], list[str], str]:
    """Decision data for a natural person, the secrets' digit strings, the words that must not appear, the name."""
    name = draw(st.sampled_from(SURNAMES)) + "".join(draw(st.lists(st.sampled_from(GIVEN), min_size=1, max_size=2)))
    id_number = draw(id_numbers())
    phone, phone_digits = draw(phone_numbers())
    other_phone, other_digits = draw(phone_numbers())
    address = f"遂川县{draw(st.sampled_from(PLACES))}{draw(st.integers(1, 999))}号"
    facts = (f"{draw(FILLER)}当事人{name}（身份证号码{id_number}，联系电话{phone}，住{address}）{draw(FILLER)}"
             f"，另留电话{other_phone}{draw(FILLER)}")
    party = {"kind": "person", "name": name, "id_number": id_number, "phone": phone, "address": address}
    data = {"party": party, "facts": facts, "violated_provisions": "《中华人民共和国安全生产法》第二十一条",
            "penalty_basis": "《中华人民共和国安全生产法》第九十四条", "penalty": f"对{name}处以罚款（联系电话{other_phone}）",
            "agency_name": "遂川县应急管理局", "decided_on": "2026-03-23", "filed_on": "2026-03-02",
            "documents": {"penalty_decision": "（遂）应急罚〔2026〕12号"}}
    return data, [id_number.upper(), phone_digits, other_digits], [address], name


def exposed(text: str, secrets: list[str], words: list[str], name: str) -> list[str]:
    """What of the person's identifying data the text shows (digits compared without spaces, hyphens or +)."""
    digits = re.sub(r"[\s\-+()（）]", "", text).upper()
    found = [secret for secret in secrets if secret in digits]
    found += [word for word in words if word in text]
    return found + ([name] if name in text else [])


@given(person_cases())
@settings(max_examples=300, deadline=None)
def test_no_id_or_phone_number_address_or_full_name_is_published(case):
    data, secrets, words, name = case
    title, text = penalty_decision_text(data, Redaction("surname", "test"))
    assert exposed(title + "\n" + text, secrets, words, name) == []
    assert "被处罚人：" + name[:2 if name.startswith(("欧阳", "司马")) else 1] + "某" in text


@pytest.fixture
def publication_db(tmp_path):
    import documents.publication.models  # noqa: F401  (registers the table)

    engine = create_engine(f"sqlite:///{tmp_path / 'publication.db'}")
    SQLModel.metadata.create_all(engine)
    yield engine
    engine.dispose()


@given(person_cases())
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_public_feed_shows_no_id_or_phone_number(publication_db, frozen_clock, case):
    data, secrets, words, name = case
    with Session(publication_db) as session:
        publish(session, case_id=1, kind="penalty_decision", data=data)
        session.commit()
    page = public_page(publication_db, page_size=100)
    feed = page.model_dump_json()
    assert page.total >= 1 and exposed(feed, secrets, words, name) == []


def test_a_unit_is_published_with_its_name_credit_code_and_representative_in_full():
    party = {"kind": "unit", "name": "遂川县宏达家具厂", "credit_code": "913608270000000012",
             "legal_representative": "刘建国", "address": "遂川县工业园区泉江大道88号", "phone": "0796-6312345"}
    data = {"party": party, "facts": "遂川县宏达家具厂（统一社会信用代码913608270000000012）未制定培训计划，联系电话0796-6312345。",
            "penalty": "罚款25000元", "agency_name": "遂川县应急管理局", "decided_on": "2026-03-23"}
    _title, text = penalty_decision_text(data, Redaction("surname", "test"))
    assert "被处罚单位：遂川县宏达家具厂" in text and "统一社会信用代码：913608270000000012" in text
    assert "法定代表人：刘建国" in text
    assert "（统一社会信用代码913608270000000012）" in text  # in the facts too, in full
    assert "0796-6312345" not in text and "罚款25000元" in text


def test_the_full_name_rule_publishes_the_name_and_trade_secrets_are_never_published():
    data = {"party": {"kind": "person", "name": "刘建国", "id_number": "360827197501010011"},
            "facts": "刘建国的配方工艺为某某", "penalty": "罚款2000元", "trade_secret_fields": ["facts"],
            "agency_name": "遂川县应急管理局"}
    _title, text = penalty_decision_text(data, Redaction("full", "test"))
    assert "被处罚人：刘建国" in text and "配方工艺" not in text
    assert "主要违法事实：（涉及商业秘密，不予公开）" in text
