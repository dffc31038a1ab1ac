"""Issue 12: the 行政处罚决定书 carries every element of APL Art. 59, the 听证告知书 refers to its 告知书.

The decision says how the party was told (citing the 告知书 and 听证告知书 by number) and how it used or
waived statement, defence and hearing; the discretion and its reasons; the bank and account fines are
paid into (Art. 67, from configuration); and the 加处罚款 clause citing Art. 72(1)(1).
"""

import pytest

from documents.issuing import issue_documents
from documents.render import render_docx
from engine.settings import get_settings

from .examples import ISSUED_AT, PERSON_PARTY, complete_values
from .rendering_helpers import docx_text

NOTICE = "（遂）应急罚告〔2026〕4号"
HEARING_NOTICE = "（遂）应急听告〔2026〕2号"


@pytest.fixture
def account(monkeypatch):
    monkeypatch.setenv("ZHIFA_FINE_PAYMENT_BANK", "中国农业银行遂川县支行")
    monkeypatch.setenv("ZHIFA_FINE_PAYMENT_ACCOUNT_NAME", "遂川县财政局非税收入汇缴结算户")
    monkeypatch.setenv("ZHIFA_FINE_PAYMENT_ACCOUNT", "14-123401040001234")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def issue(session, doc_ids, **case):
    values = complete_values() | {"notice_served_on": "2026-03-05", "documents": {}} | case
    issued = issue_documents(session, case_id=1, agency_code="suichuan_em", doc_ids=doc_ids, values=values,
                             issued_at=ISSUED_AT)
    return {d.doc_id: docx_text(render_docx(d.snapshot)) for d in issued}


def test_a_decision_after_a_waived_hearing_cites_the_notices_and_the_account(sqlite_session, account):
    text = issue(sqlite_session, ["penalty_decision"], party=PERSON_PARTY, statements=None, hearing_eligible=True, hearing_requested=False,
                 hearing_held=False, documents={"penalty_notice": NOTICE, "hearing_notice": HEARING_NOTICE})["penalty_decision"]
    assert (f"本机关于2026年3月5日以{NOTICE}行政处罚告知书、{HEARING_NOTICE}听证告知书告知你拟作出行政处罚的事实、理由、依据"
            "及你依法享有的陈述、申辩和要求听证的权利。你在规定期限内未提出陈述、申辩意见，视为放弃陈述、申辩权利。"
            "你在规定期限内未要求听证，视为放弃听证权利。") in text
    assert "裁量情节和理由：首次违法，按一般情节裁量。" in text
    assert ("你应当自收到本决定书之日起十五日内，将罚款缴至中国农业银行遂川县支行（户名：遂川县财政局非税收入汇缴结算户；"
            "账号：14-123401040001234）。") in text
    assert "依据《中华人民共和国行政处罚法》第七十二条第一款第一项的规定，每日按罚款数额的百分之三加处罚款" in text


def test_a_decision_after_a_statement_without_a_hearing_says_so(sqlite_session):
    text = issue(sqlite_session, ["penalty_decision"], hearing_eligible=False, statements="当事人称已整改",
                 review_result="申辩理由不能成立。", documents={"penalty_notice": NOTICE})["penalty_decision"]
    assert (f"本机关于2026年3月5日以{NOTICE}行政处罚告知书告知你单位拟作出行政处罚的事实、理由、依据及你单位依法享有的"
            "陈述、申辩的权利。你单位在规定期限内提出了陈述、申辩意见，经复核，申辩理由不能成立。") in text
    assert "听证" not in text.split("经复核")[0]
    assert "将罚款缴至中国银行遂川支行，账号 1234 5678 9012。" in text  # no account configured: the place the head named


def test_the_hearing_notice_refers_to_the_notice_served_with_it(sqlite_session):
    texts = issue(sqlite_session, ["penalty_notice", "hearing_notice"], hearing_eligible=True)
    notice_number = texts["penalty_notice"].splitlines()[2]
    hearing = texts["hearing_notice"]
    assert f"本机关已以{notice_number}行政处罚告知书告知你单位拟作出行政处罚的事实、理由和依据。" in hearing
    assert "经查，2026年2月20日，执法人员检查发现你厂主要负责人刘建国未组织制定本单位安全生产教育和培训计划。" in hearing
    assert ("你单位的上述行为违反了《中华人民共和国安全生产法》第二十一条第三项的规定，依据《中华人民共和国安全生产法》"
            "第九十四条第一款的规定，本机关拟对你单位作出如下行政处罚：对刘建国处以罚款。") in hearing


def test_the_collective_discussion_record_lists_each_member_by_role_with_opinion_and_signature(sqlite_session):
    text = issue(sqlite_session, ["collective_discussion_record"])["collective_discussion_record"]
    lines = text.splitlines()
    assert "参加讨论人员及意见：" in lines
    for row in (["周局长", "机关负责人", "同意承办人员的处理意见"], ["张伟", "承办人员", "汇报案情，建议罚款25000元"],
                ["赵敏", "法制审核人员", "经法制审核，事实清楚，程序合法"]):
        assert "\n".join(row) in text
    signatures = [line.split("（签名）")[0] for line in lines if "（签名）" in line]
    assert signatures == ["机关负责人周局长", "承办人员张伟", "法制审核人员赵敏", "记录人"]


def test_an_empty_list_prints_no_header_only_table(sqlite_session):
    text = issue(sqlite_session, ["collective_discussion_record"], members=[])["collective_discussion_record"]
    assert "参加讨论人员及意见" not in text and "发表意见" not in text
    assert "出席人员（签名）" in text
