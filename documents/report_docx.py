"""A report (通报) as .docx in the enforcement documents' style: the same base package (A4, margins, 仿宋 三号 body,
page numbers), the issuing body and title centred in 小标宋 (base_package.title_font) 二号 bold, headings, indented paragraphs and grid tables.

The caller passes plain data (title, issuer, blocks); nothing here knows what is reported."""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, Twips

from documents.base_package import base_package, title_font
from documents.formatting import clean

TEXT_WIDTH_TWIPS = 8844  # A4 width minus the base package's margins
INDENT = Pt(32)
HEADING_FONT = "黑体"


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Grid:
    header: list[str]
    rows: list[list[str]]
    weights: list[int] = field(default_factory=list)


Block = Heading | Text | Grid


def _run(para, text: str, *, font: str | None = None, size: int | None = None, bold: bool = False) -> None:
    run = para.add_run(clean(text))
    if font:
        run.font.name = font
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    if size:
        run.font.size = Pt(size)
    run.font.bold = bold or None


def _grid(document, grid: Grid) -> None:
    weights = grid.weights or [1] * len(grid.header)
    table = document.add_table(rows=len(grid.rows) + 1, cols=len(weights))
    table.style = "Table Grid"
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    widths = [Twips(TEXT_WIDTH_TWIPS * w // sum(weights)) for w in weights]
    for column, width in zip(table.columns, widths):
        column.width = width
    for index, (row, values) in enumerate(zip(table.rows, [grid.header, *grid.rows])):
        for cell, width, value in zip(row.cells, widths, values):
            cell.width = width
            para = cell.paragraphs[0]
            _run(para, str(value), size=12, bold=index == 0)


def render_report(issuer: str, title: str, blocks: list[Block], dated: str) -> bytes:
    """The .docx bytes: issuer and title, the blocks in order, the issuer and date at the end on the right."""
    document = Document(BytesIO(base_package()))
    for text in (issuer, title):
        para = document.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(para, text, font=title_font(), size=22, bold=True)
    for block in blocks:
        if isinstance(block, Grid):
            _grid(document, block)
            continue
        para = document.add_paragraph()
        para.paragraph_format.first_line_indent = INDENT
        if isinstance(block, Heading):
            _run(para, block.text, font=HEADING_FONT)
        else:
            _run(para, block.text)
    for text in (issuer, dated):
        para = document.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _run(para, text)
    document.core_properties.title = title
    document.core_properties.author = issuer
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
