from io import BytesIO

from docx import Document

from documents.render import render_docx

from .examples import complete_values
from .rendering_helpers import docx_text, issue_one

XML_META = "</w:t></w:r><w:r><w:t>注入</w:t></w:r> & <script>\"'"
CONTROL = "违法\x00事实\x07含\x1b控制\x0c字符\ufffe结束"
LONG = "隐" * 10_000


def hostile_values() -> dict:
    values = complete_values()
    values["facts"] = XML_META
    values["evidence"] = CONTROL
    values["penalty"] = LONG
    values["party"]["name"] = "<宏达&家具厂>"
    values["payment_place"] = "{facts}{number}"  # a value is never read as a placeholder
    values["rectification_items"][0]["problem"] = "a\tb\nc\rd"
    return values


def test_hostile_values_stay_text(sqlite_session):
    issued = issue_one(sqlite_session, "penalty_decision", hostile_values())
    blob = render_docx(issued.snapshot)
    document = Document(BytesIO(blob))  # reopens
    text = docx_text(blob)
    assert "经查，" + XML_META in text
    assert "违法事实含控制字符结束等证据为证。" in text
    assert LONG in text
    assert "当事人：<宏达&家具厂>" in text
    assert "将罚款缴至{facts}{number}。" in text
    # no value added structure: the body has the same paragraphs as with ordinary values
    ordinary = Document(BytesIO(render_docx(issue_one(sqlite_session, "penalty_decision").snapshot)))
    assert len(document.paragraphs) == len(ordinary.paragraphs)
    assert len(document.element.body.findall(".//{*}r")) == len(ordinary.element.body.findall(".//{*}r"))


def test_newlines_and_tabs_in_table_cells(sqlite_session):
    issued = issue_one(sqlite_session, "rectification_order", hostile_values())
    document = Document(BytesIO(render_docx(issued.snapshot)))
    cell = document.tables[0].rows[1].cells[1]
    assert cell.text == "a\tb\nc\nd"
