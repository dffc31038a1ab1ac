from io import BytesIO

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from documents.amounts import amount_in_capitals, chinese_date, chinese_datetime
from documents.catalogue import FieldType, get_catalogue
from documents.labels import LABELS
from documents.render import render_docx
from documents.templates import load_template

from .examples import complete_values
from .rendering_helpers import docx_text, render_one

ISSUABLE = [d.id for d in get_catalogue().documents if not d.part_of_dossier]


def shows_party_block(doc_id: str) -> bool:
    """Letters addressed to the party name it in the salutation; the others carry the full block."""
    body = load_template(get_catalogue().get(doc_id)).body
    return "party" in body or any(getattr(block, "grid", None) for block in body)


def expected_fragments(doc_id: str) -> list[str]:
    """What a reader must find: every field value of the example, formatted by hand-known rules."""
    values = complete_values(doc_id)
    fragments = []
    for spec in get_catalogue().get(doc_id).fields:
        value = values.get(spec.name)
        if value is None:
            continue
        if spec.type == FieldType.party:
            fragments.append(value["name"])
            if shows_party_block(doc_id):
                fragments += [value["address"], value["legal_representative"]]
        elif spec.type == FieldType.officers:
            fragments += ["张伟", "36082700123", "李娜", "36082700456"]
        elif spec.type == FieldType.items:
            for row in value:
                for column in spec.columns:
                    cell = row.get(column.name)
                    if cell:
                        if column.type == FieldType.date:
                            cell = chinese_date(cell)
                        elif column.type == FieldType.enum:
                            cell = LABELS[column.labels][cell]
                        fragments.append(cell)
        elif spec.type == FieldType.amount:
            fragments += [amount_in_capitals(value), "¥"]
        elif spec.type == FieldType.date:
            fragments.append(chinese_date(value))
        elif spec.type == FieldType.datetime:
            fragments.append(chinese_datetime(value))
        elif spec.type == FieldType.enum:
            fragments.append(LABELS[spec.labels][value])
        else:
            fragments.append(str(value))
    return fragments


@pytest.mark.parametrize("doc_id", ISSUABLE)
def test_every_document_shows_its_number_and_every_field(sqlite_session, doc_id):
    issued, blob = render_one(sqlite_session, doc_id)
    text = docx_text(blob)
    spec = get_catalogue().get(doc_id)
    assert "遂川县应急管理局" in text
    assert issued.title in text  # the catalogue's title, its choice resolved (延期（分期） → 分期 for two instalments)
    if spec.code:
        assert f"（遂）应急{spec.code}〔2026〕1号" in text
    missing = [fragment for fragment in expected_fragments(doc_id) if fragment not in text]
    assert missing == []
    if spec.is_decision:
        assert "60日内向遂川县人民政府申请行政复议" in text
        assert "6个月内依法向遂川县人民法院提起行政诉讼" in text


def test_penalty_decision_reads_as_written(sqlite_session):
    _, blob = render_one(sqlite_session, "penalty_decision")
    lines = docx_text(blob).splitlines()
    assert lines[:3] == ["遂川县应急管理局", "行政处罚决定书", "（遂）应急罚〔2026〕1号"]
    assert "当事人：遂川县宏达家具厂" in lines
    assert "统一社会信用代码：91360827MA35XXXX1K" in lines
    assert "经查，2026年2月20日，执法人员检查发现你厂主要负责人刘建国未组织制定本单位安全生产教育和培训计划。" in lines
    assert any("违反了《中华人民共和国安全生产法》第二十一条第三项的规定" in line for line in lines)
    assert any("依据《中华人民共和国安全生产法》第九十四条第一款的规定，决定给予以下行政处罚" in line for line in lines)
    assert "罚款金额：人民币贰万伍仟元整（¥25,000.00）。" in lines
    assert any(line.startswith("你单位应当自收到本决定书之日起十五日内，将罚款缴至中国银行遂川支行") for line in lines)
    assert lines[-2:] == ["遂川县应急管理局（印章）", "2026年2月27日"]


def test_amounts_with_jiao_and_dates(sqlite_session):
    _, blob = render_one(sqlite_session, "payment_reminder")
    text = docx_text(blob)
    assert "加处罚款人民币壹仟捌佰元伍角（¥1,800.50）" in text
    assert "于2026年5月10日前将罚款及加处罚款缴至" in text
    assert "本机关于2026年3月23日作出（遂）应急罚〔2026〕12号行政处罚决定书" in text


def test_inspection_record_lists_times_and_signers(sqlite_session):
    _, blob = render_one(sqlite_session, "inspection_record")
    text = docx_text(blob)
    assert "2026年2月20日9时30分" in text and "2026年2月20日11时05分" in text
    assert "执法人员（签名）" in text and "现场负责人（签名）" in text


def test_person_party_block(sqlite_session):
    values = complete_values()
    values["party"] = {"kind": "person", "name": "刘建国", "sex": "男", "id_number": "360827197501010011", "employer": "遂川县宏达家具厂", "post": "厂长"}
    _, blob = render_one(sqlite_session, "penalty_decision", values)
    lines = docx_text(blob).splitlines()
    assert "当事人：刘建国" in lines
    assert "身份证号码：360827197501010011" in lines
    assert "职务：厂长" in lines


def test_page_layout_fonts_and_tables(sqlite_session):
    _, blob = render_one(sqlite_session, "rectification_order")
    document = Document(BytesIO(blob))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    body_fonts = document.styles["Normal"].element.rPr.rFonts
    assert body_fonts.get(qn("w:eastAsia")) == "仿宋"
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml
    (table,) = document.tables
    assert table.autofit is False
    assert [cell.text for cell in table.rows[0].cells] == ["序号", "存在问题", "违反的规定", "整改要求", "整改期限"]
    assert [cell.text for cell in table.rows[1].cells][4] == "2026年3月6日"
    widths = [cell.width for cell in table.rows[0].cells]
    assert all(width is not None for width in widths)
    assert abs(sum(widths) - Mm(156)) < Mm(2)


def test_same_snapshot_same_bytes(sqlite_session):
    issued, blob = render_one(sqlite_session, "penalty_notice")
    assert render_docx(dict(issued.snapshot)) == blob
    assert Document(BytesIO(blob)).core_properties.created.isoformat() == "2026-02-27T02:00:00+00:00"


@pytest.mark.parametrize("doc_id", [d.id for d in get_catalogue().documents])
def test_every_catalogue_document_has_a_valid_template(doc_id):
    load_template(get_catalogue().get(doc_id))


def test_the_title_is_set_in_xiaobiaosong_and_the_body_in_fangsong(sqlite_session):
    """GB/T 9704: issuing body and title in 小标宋 二号, the text in 仿宋 三号; where 小标宋 is missing the package's font
    table names the installed Noto Serif CJK SC (bold) and 仿宋 falls back to FandolFang."""
    import shutil
    import subprocess
    from zipfile import ZipFile

    document_record, blob = render_one(sqlite_session, "penalty_decision")
    document = Document(BytesIO(blob))
    title = next(p for p in document.paragraphs if p.text == document_record.title)
    (run,) = title.runs
    face = run._element.rPr.rFonts.get(qn("w:eastAsia"))
    assert face in ("方正小标宋简体", "Noto Serif CJK SC") and run.font.name == face
    assert run.font.size == Pt(22) and run.font.bold
    body = next(p for p in document.paragraphs if p.text.startswith("经查"))
    assert all(r._element.rPr is None or r._element.rPr.rFonts is None for r in body.runs)  # the style's 仿宋
    assert document.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
    fonts = ZipFile(BytesIO(blob)).read("word/fontTable.xml").decode()
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="Noto Serif CJK SC"/>' in fonts
    assert '<w:font w:name="仿宋"><w:altName w:val="FandolFang"/>' in fonts
    if shutil.which("fc-list"):  # the fallback faces are the machine's, by their names
        installed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=True).stdout
        assert "Noto Serif CJK SC" in installed and "FandolFang" in installed
        resolved = subprocess.run(["fc-match", "-f", "%{family}", face], capture_output=True, text=True).stdout
        assert "小标宋" in resolved or "Noto Serif CJK SC" in resolved  # a serif CJK face, never a sans fallback
