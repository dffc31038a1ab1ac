"""Issue 12 "The dossier holds the case": the demo's county case file read the way a case-file reviewer reads it.

The demo (`zhifa demo`) is driven once for the module, with LibreOffice; the tests read the archive PDF's text
(pdftotext), the zip's manifest and evidence list, and the .docx originals in the zip.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from zipfile import ZipFile

import pytest
from docx import Document
from docx.shared import Pt

from api.demo_evidence import pdf_record, png_photo
from engine.settings import get_settings
from tests.documents.test_dossier import page_count, page_text

pytestmark = pytest.mark.libreoffice

# the demo fines the unit and its principal (SPL Art. 99): two decisions filed first, each party's 告知书 and
# 听证告知书 with the notices' 送达回执, and each decision's 送达回执
PROCEDURE_ORDER = ["行政处罚决定书", "行政处罚决定书", "立案审批表", "现场检查记录", "责令限期整改指令书", "整改复查意见书",
                   "案件调查报告", "案件处理呈批表", "行政处罚告知书", "听证告知书", "文书送达回执", "行政处罚告知书", "听证告知书",
                   "文书送达回执", "法制审核意见书", "行政处罚集体讨论记录", "文书送达回执", "文书送达回执", "结案审批表"]
FROM_INSPECTION = ["现场检查记录", "责令限期整改指令书", "整改复查意见书"]


class DemoFile:
    def __init__(self, pdf: Path, zip_path: Path):
        self.pdf = pdf
        self.pages = [page_text(pdf, n) for n in range(1, page_count(pdf) + 1)]
        with ZipFile(zip_path) as archive:
            self.manifest = json.loads(archive.read("manifest.json"))
            self.evidence = list(csv.reader(io.StringIO(archive.read("证据清单.csv").decode("utf-8-sig"))))
            self.docx = {d["title"]: archive.read(d["file"]) for d in self.manifest["documents"]}

    def compact(self, index: int) -> str:
        return re.sub(r"\s+", "", self.pages[index])

    def page_titled(self, title: str) -> int:
        return next(i for i, text in enumerate(self.pages) if title in [line.strip() for line in text.splitlines()])


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> DemoFile:
    from api.demo import run_demo

    data_dir = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("ZHIFA_DATA_DIR", str(data_dir))
        env.setenv("ZHIFA_PDF_RENDITION", "true")
        for name in ("ZHIFA_DATABASE_URL", "ZHIFA_S3_ENDPOINT", "ZHIFA_NOW"):
            env.delenv(name, raising=False)
        get_settings.cache_clear()
        try:
            lines: list[str] = []
            run_demo(lines.append)
        finally:
            get_settings.cache_clear()
    [pdf] = (data_dir / "dossiers").glob("case-*-dossier.pdf")
    return DemoFile(pdf, pdf.with_suffix(".zip"))


def test_the_file_holds_the_evidence_the_decision_cites_and_the_notes_count_it(demo_file):
    decision = demo_file.compact(demo_file.page_titled("行政处罚决定书"))
    assert "询问笔录2份、勘验笔录1份、现场照片8张" in decision

    rows = demo_file.evidence[1:]
    descriptions = [row[2] for row in rows]
    assert sum(d.startswith("现场照片") for d in descriptions) == 8
    assert sum(d.startswith("询问笔录") for d in descriptions) == 2
    assert sum(d.startswith("勘验笔录") for d in descriptions) == 1
    assert {row[1] for row in rows} == {"视听资料", "当事人陈述", "证人证言", "勘验笔录、现场笔录"}  # APL Art. 46
    assert all(row[3] and row[4] and row[5] and re.fullmatch(r"[0-9a-f]{64}", row[7]) for row in rows)
    assert [row[8] for row in rows[:2]] == ["关联案件（遂泉）应急检〔2026〕1号"] * 2  # the township's photos, inherited

    listing = "".join(demo_file.compact(i) for i in range(demo_file.page_titled("证据清单"), len(demo_file.pages) - 1))
    assert "电子文件校验值" in listing and "（SHA-256）" in listing and "收集人" in listing and "收集地点" in listing
    assert listing.count("视听资料") == 8 and listing.count("来自泉江镇") == 2  # (the other cells wrap)
    for row in rows:
        assert row[7][:12] in listing

    notes = demo_file.compact(-1)
    assert "备考表" in notes
    assert "证据11项（视听资料8项、证人证言1项、当事人陈述1项、勘验笔录、现场笔录1项）" in notes
    assert "电子文件校验值（SHA-256）" in notes
    assert ".csv" not in notes and "记录至第" not in notes


def test_documents_follow_the_decision_in_procedure_order(demo_file):
    assert [d["title"] for d in demo_file.manifest["documents"]] == PROCEDURE_ORDER
    starts = [demo_file.page_titled(title) for title in dict.fromkeys(PROCEDURE_ORDER)]  # a title's first page
    assert starts == sorted(starts)
    assert demo_file.page_titled("案件调查报告") < demo_file.page_titled("行政处罚告知书")


def test_the_cover_states_the_decision_number_file_number_count_and_the_approvals_dates(demo_file):
    cover = demo_file.compact(0)
    approval = demo_file.compact(demo_file.page_titled("立案审批表"))
    closing = demo_file.compact(demo_file.page_titled("结案审批表"))
    assert "审批日期2026年3月17日" in approval and "立案日期2026年3月17日" in cover  # the filing approval, not the report
    assert "审批日期2026年4月28日" in closing and "结案日期2026年4月28日" in cover
    assert "决定文号（遂）应急罚〔2026〕1号" in cover
    assert "档号遂川县应急管理局-2026-长期-0001" in cover
    assert "本卷件数20" in cover  # 19 documents and the evidence list
    first_document = demo_file.page_titled("行政处罚决定书")
    numbered = len(demo_file.pages) - first_document - 1  # from the decision to the evidence list
    assert demo_file.manifest["archive_pdf"]["numbered_pages"] == numbered and f"本卷页数{numbered}" in cover


def test_the_contents_name_the_responsible_body_the_page_ranges_and_the_linked_case(demo_file):
    contents = "".join(demo_file.pages[1:demo_file.page_titled("行政处罚决定书")])  # it may take more than a page
    assert re.search(r"序\s*号?\s+文号\s+责任者\s+题名\s+日期\s+页号\s+备注", contents)
    dates = re.findall(r"2026 年 \d+ 月 \d+ 日", contents)
    assert len(dates) == len(PROCEDURE_ORDER) + 1  # every row's date on one line
    entries = demo_file.manifest["documents"]
    decision = entries[0]
    pages = decision["page_count"]  # the unit's decision; the person's follows it (SPL Art. 99 double penalty)
    assert decision["number"] == "（遂）应急罚〔2026〕1号" and entries[1]["number"] == "（遂）应急罚〔2026〕2号"
    assert re.search(rf"^\s*1\s.*日\s+1—{pages}(\s|$)", contents, re.M)
    assert re.search(rf"^\s*2\s.*日\s+{pages + 1}—{pages + entries[1]['page_count']}(\s|$)", contents, re.M)
    assert re.sub(r"\s+", "", contents).count("遂川县应") == len(PROCEDURE_ORDER) + 2  # the heading, and the 责任者 of each row
    assert [e["title"] for e in entries if e["from_case"]] == FROM_INSPECTION
    assert re.sub(r"\s+", "", contents).count("来自泉江镇") == len(FROM_INSPECTION)  # in the 备注 column (it wraps)


def test_the_notes_name_who_filed_and_checked_and_the_archiving_date(demo_file):
    notes = demo_file.compact(-1)
    assert "立卷人王振宇" in notes and "检查人陈志刚" in notes
    assert "立卷日期2026年4月29日" in notes  # the archiving step's day, not the day the dossier was built
    assert "罚款于2026年4月24日缴纳，缴款凭证号：江西省非税收入缴款书0420001。" in notes  # the payment step's voucher
    assert "王林峰的罚款于2026年4月24日缴纳，缴款凭证号：江西省非税收入缴款书0420002。" in notes  # his own, beside it


def test_the_case_source_cites_a_number_a_document_carries(demo_file):
    approval = demo_file.compact(demo_file.page_titled("立案审批表"))
    source = re.search(r"案件来源(.*?)案情摘要", approval).group(1)
    cited = re.findall(r"（[^（）]+）应急[^〔]*〔\d{4}〕\d+号", source)
    numbers = {d["number"] for d in demo_file.manifest["documents"]}
    assert cited and all(number in numbers for number in cited), source
    # the inspection's own case number is on none of its documents, and the file never prints it
    assert not any("（遂泉）应急检〔" in text for text in demo_file.pages)


def test_no_header_only_table_and_no_page_with_only_a_seal_or_signature(demo_file):
    record = demo_file.compact(demo_file.page_titled("现场检查记录"))
    assert "工作单位专业" not in record  # no experts took part: no empty experts table
    for index, text in enumerate(demo_file.pages[2:-1], start=3):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        body = [line for line in lines if not re.fullmatch(r"第\s*\d+\s*页\s*共\s*\d+\s*页|\d+", line)]
        closing = [line for line in body if "（印章）" in line or "（签名）" in line or re.fullmatch(r"\d{4} 年 \d+ 月 \d+ 日", line)]
        assert body != closing, f"第{index}页只有印章或签名行"


def test_the_issuer_and_date_stand_four_characters_from_the_right(demo_file):
    decision = Document(io.BytesIO(demo_file.docx["行政处罚决定书"]))
    paragraphs = decision.paragraphs
    [date] = [p for p in paragraphs if p.text == "2026年4月10日"]
    [seal] = [p for p in paragraphs if p.text == "遂川县应急管理局（印章）"]
    assert date.paragraph_format.right_indent == Pt(64)  # 右空四字 of 三号
    assert seal.paragraph_format.right_indent >= Pt(64)
    before = paragraphs[paragraphs.index(seal) - 2]
    assert before.text and before.paragraph_format.keep_with_next  # the seal stays on the page of the last text


def test_the_demos_photos_and_records_are_real_small_files():
    photo = png_photo(3)
    assert photo.startswith(b"\x89PNG\r\n\x1a\n") and len(photo) < 50_000
    record = pdf_record("询问笔录", ["问：", "答："])
    assert record.startswith(b"%PDF-1.4") and record.rstrip().endswith(b"%%EOF") and len(record) < 50_000
