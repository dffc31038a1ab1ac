import subprocess
from pathlib import Path

import pytest

from documents.pdf import PdfConverter, PdfUnavailable, UnoServer, pdf_status
from documents.render import render_docx

from .rendering_helpers import issue_one
from .test_hostile_values import LONG, hostile_values

SAMPLES = ["penalty_decision", "inspection_record", "rectification_order", "service_receipt", "no_penalty_decision"]


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_fonts(pdf: bytes, tmp_path: Path) -> list[tuple[str, str]]:
    """(font name, embedded yes/no) per font of the PDF."""
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    rows = []
    for line in lines:
        parts = line.split()
        embedded = parts[-5]  # columns: name type [type] encoding emb sub uni object ID
        rows.append((parts[0], embedded))
    return rows


@pytest.mark.libreoffice
@pytest.mark.parametrize("doc_id", SAMPLES)
def test_pdf_has_the_chinese_text_in_embedded_cjk_faces(sqlite_session, pdf_converter, tmp_path, doc_id):
    issued = issue_one(sqlite_session, doc_id)
    pdf = pdf_converter.convert(render_docx(issued.snapshot))
    assert pdf.startswith(b"%PDF")
    text = "".join(pdf_text(pdf, tmp_path).split())
    assert "遂川县应急管理局" in text
    assert issued.title in text
    if issued.number:
        assert "".join(issued.number.split()) in text
    assert "遂川县宏达家具厂" in text or doc_id == "service_receipt"
    fonts = pdf_fonts(pdf, tmp_path)
    assert all(embedded == "yes" for _, embedded in fonts), fonts
    names = " ".join(name for name, _ in fonts)
    assert "FandolFang" in names  # 仿宋 body text in a real FangSong face
    assert "NotoSerifCJK" in names or "NotoSansCJK" in names  # 宋体/黑体 headings


@pytest.mark.libreoffice
def test_penalty_amount_survives_conversion(sqlite_session, pdf_converter, tmp_path):
    issued = issue_one(sqlite_session, "penalty_decision")
    text = "".join(pdf_text(pdf_converter.convert(render_docx(issued.snapshot)), tmp_path).split())
    assert "人民币贰万伍仟元整（¥25,000.00）" in text
    assert "60日内向遂川县人民政府申请行政复议" in text


@pytest.mark.libreoffice
def test_hostile_values_convert(sqlite_session, pdf_converter, tmp_path):
    issued = issue_one(sqlite_session, "penalty_decision", hostile_values())
    text = "".join(pdf_text(pdf_converter.convert(render_docx(issued.snapshot)), tmp_path).split())
    assert "<宏达&家具厂>" in text
    assert text.count("隐") >= len(LONG)


def test_without_libreoffice_the_status_says_so(tmp_path):
    status = pdf_status(tmp_path / "no-uno")
    assert status.available is False
    assert status.message.startswith("PDF 转换不可用")
    with pytest.raises(PdfUnavailable) as err:
        UnoServer(tmp_path / "no-uno").start()
    assert err.value.code == "pdf_unavailable"


def test_unreachable_server_raises_pdf_unavailable():
    converter = PdfConverter("http://127.0.0.1:9", timeout_seconds=2)
    assert converter.ping() is False
    with pytest.raises(PdfUnavailable):
        converter.convert(b"PK")
