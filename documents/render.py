"""Rendering an issued document's snapshot to .docx with python-docx.

Deterministic: the same snapshot gives the same bytes (fixed zip timestamps and core
properties taken from the issue time).
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from io import BytesIO
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.pkgwriter import _ContentTypesItem
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, Twips
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from documents.alternatives import choices, recipient_signer, resolved_title
from documents.amounts import chinese_date, parse_moment
from documents.base_package import base_package, title_font, write_zip
from documents.catalogue import Catalogue, DocumentSpec, Signer, get_catalogue
from documents.formatting import clean, format_value, party_lines
from documents.labels import label
from documents.punctuation import end_sentence, tidy
from documents.signatures import ImageReader, write_signature
from documents.templates import PLACEHOLDER, Fields, Grid, Paragraph, Table, Template, get_template

TEXT_WIDTH_TWIPS = 8844  # A4 width minus the margins set in base_package
BODY_PT = 16  # 三号
INDENT = Pt(2 * BODY_PT)  # two characters of 三号
RIGHT_SPACE = 4  # GB/T 9704 7.3.5.1: the date stands four characters from the right margin
DOSSIER_TABLE_PT = {"dossier_evidence": 9.0}  # 小五 for the 证据清单's eight columns, else 五号 (10.5 pt)
_DATE_EMS = 9.5  # 「2026年12月31日」 on one line, with the cell's margins
# the dossier's columns: 页号 「12—13」, 责任者, 备注; the 证据清单's 种类, 收集人, 收集时间 and SHA-256 (three lines)
_COLUMN_EMS = {"pages": 4.5, "responsible": 5.5, "remark": 7.0, "kind": 5.5, "collector": 5.5, "collected": 6.5,
               "sha256": 10.0}
_ALIGN = {"right": WD_ALIGN_PARAGRAPH.RIGHT, "center": WD_ALIGN_PARAGRAPH.CENTER}
_ENDS_WITH_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}$")
_BLANK_DATE = "　　年　　月　　日"


class _Renderer:
    def __init__(self, snapshot: dict[str, Any], doc: DocumentSpec, catalogue: Catalogue, images: ImageReader | None):
        self.snapshot = snapshot
        self.images = images
        self.doc = doc
        self.fields: dict[str, Any] = snapshot.get("fields", {})
        remedies = catalogue.remedies
        self.builtins = {
            "number": snapshot.get("number") or "",
            "issuer": snapshot["issuer_name"],
            "issued_on": chinese_date(snapshot["issued_at"]),
            "case_number": snapshot.get("case", {}).get("case_number", ""),
            "case_name": snapshot.get("case", {}).get("case_name", ""),
            "reconsideration_body": remedies.reconsideration_body,
            "reconsideration_days": str(remedies.reconsideration_days),
            "court": remedies.court,
            "litigation_months": str(remedies.litigation_months),
            **choices(snapshot),
        }
        self.title = resolved_title(doc.title, self.fields)
        self.document: DocxDocument = Document(BytesIO(base_package()))

    # -- text ------------------------------------------------------------------------------
    def value_text(self, name: str, key: str | None = None) -> str:
        if name in self.builtins and self.doc.field(name) is None:
            return clean(self.builtins[name])
        value = self.fields.get(name)
        if key is not None:
            return clean(value.get(key, "")) if isinstance(value, dict) else ""
        spec = self.doc.field(name)
        return format_value(spec, value)

    def substitute(self, text: str) -> str:
        return PLACEHOLDER.sub(lambda m: self.value_text(m.group(1), m.group(2)), text)

    def sentence(self, block: Paragraph) -> str:
        """A template paragraph's text: no doubled 「。」, and a closing 「。」 when it ends with free text."""
        text = tidy(self.substitute(block.p))
        last = _ENDS_WITH_PLACEHOLDER.search(block.p)
        spec = self.doc.field(last.group(1)) if last else None
        return end_sentence(text) if spec is not None and spec.type.value == "longtext" else text

    def paragraph(self, text: str = "", *, indent: bool = True, align=None, font=None, size=None, bold=False) -> DocxParagraph:
        para = self.document.add_paragraph()
        if indent:
            para.paragraph_format.first_line_indent = INDENT
        if align is not None:
            para.alignment = align
        if text:
            self.run(para, text, font=font, size=size, bold=bold)
        return para

    @staticmethod
    def run(para: DocxParagraph, text: str, *, font=None, size=None, bold=False):
        run = para.add_run(text)
        if font:
            run.font.name = font
            run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
        if size:
            run.font.size = Pt(size)
        if bold:
            run.font.bold = True
        return run

    # -- tables ----------------------------------------------------------------------------
    def table(self, rows: list[list[str]], weights: list[float], *, header: bool = False, size: float | None = None) -> DocxTable:
        table = self.document.add_table(rows=len(rows), cols=len(weights))
        table.style = "Table Grid"
        table.autofit = False
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        layout = OxmlElement("w:tblLayout")
        layout.set(qn("w:type"), "fixed")
        table._tbl.tblPr.append(layout)
        widths = [Twips(int(TEXT_WIDTH_TWIPS * w / sum(weights))) for w in weights]
        for column, width in zip(table.columns, widths):
            column.width = width
        for row_cells, values in zip(table.rows, rows):
            for cell, width, text in zip(row_cells.cells, widths, values):
                cell.width = width
                para = cell.paragraphs[0]
                para.paragraph_format.first_line_indent = None
                if size:  # a smaller table face gets its own line pitch, not the body's
                    para.paragraph_format.line_spacing = Pt(round(size * 1.4, 1))
                self.run(para, text, size=size, bold=header and row_cells is table.rows[0])
        return table

    # -- blocks ----------------------------------------------------------------------------
    def header(self) -> None:
        self.paragraph(self.builtins["issuer"], indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, font=title_font(), size=22, bold=True)
        self.paragraph(self.title, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, font=title_font(), size=22, bold=True)
        if self.builtins["number"]:
            self.paragraph(clean(self.builtins["number"]), indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
        self.paragraph(indent=False)

    def party(self) -> None:
        party = self.fields.get("party") or {}
        label = self.doc.field("party").label
        for index, (line_label, text) in enumerate(party_lines(party)):
            caption = f"{label}：" if index == 0 else f"{line_label}："
            self.paragraph(f"{caption}{text}")

    def fields_block(self, names: tuple[str, ...]) -> None:
        for name in names:
            text = self.value_text(name)
            if text:
                self.paragraph(f"{self.doc.field(name).label}：{text}")

    def grid(self, names: tuple[str, ...] | str) -> None:
        specs = self.doc.fields if names == "all" else [self.doc.field(n) for n in names]
        rows = []
        for spec in specs:
            if spec.type.value == "items":
                continue
            if spec.type.value == "party":
                party = self.fields.get(spec.name) or {}
                rows.extend([f"{spec.label}{label}" if i else spec.label, text] for i, (label, text) in enumerate(party_lines(party)))
            else:
                rows.append([spec.label, self.value_text(spec.name)])
        self.table(rows, [28, 72])
        for spec in specs:
            if spec.type.value == "items" and self.fields.get(spec.name):  # no header-only table for an empty list
                self.paragraph(f"{spec.label}：", indent=False)
                self.items_table(spec.name)

    def items_table(self, name: str) -> None:
        """A numbered table of the list's rows; nothing when the list is empty (no header-only table)."""
        spec = self.doc.field(name)
        values = self.fields.get(name) or []
        if not values:
            return
        rows = [["序号", *(c.label for c in spec.columns)]]
        for index, row in enumerate(values, start=1):
            rows.append([str(index), *(format_value(c, row.get(c.name)) for c in spec.columns)])
        size = DOSSIER_TABLE_PT.get(self.doc.id, 10.5) if self.doc.part_of_dossier else None
        self.table(rows, _column_weights(spec.columns, size or BODY_PT, named=self.doc.part_of_dossier), header=True, size=size)

    def remedies(self) -> None:
        b = self.builtins
        self.paragraph(
            f"如不服本决定，可以自收到本决定书之日起{b['reconsideration_days']}日内向{b['reconsideration_body']}申请行政复议，"
            f"或者在{b['litigation_months']}个月内依法向{b['court']}提起行政诉讼。"
        )

    def _keep_with_previous(self) -> None:
        """The block that follows stays on the page of the text before it: no page holds only a seal or a
        signature line (the last paragraph, or the last row of a table, keeps with the next)."""
        blocks = [child for child in self.document.element.body.iterchildren() if child.tag in (qn("w:p"), qn("w:tbl"))]
        if not blocks:
            return
        elements = [blocks[-1]]
        if blocks[-1].tag == qn("w:tbl"):
            rows = blocks[-1].findall(qn("w:tr"))
            elements = list(rows[-1].iter(qn("w:p"))) if rows else []
        for element in elements:
            DocxParagraph(element, self.document._body).paragraph_format.keep_with_next = True

    def signatures(self) -> None:
        self._keep_with_previous()
        lines = [self.paragraph(indent=False)]
        for signer in self.doc.signers:
            if signer == Signer.attendees and self.fields.get("members"):  # one line for each participant
                for member in self.fields["members"]:
                    who = f"{label('member_role', member.get('member_role', ''))}{clean(member.get('name', ''))}"
                    lines.append(self.paragraph(f"{who}（签名）：＿＿＿＿＿＿　　{_BLANK_DATE}", indent=False))
            elif signer == Signer.party and self.snapshot.get("signature"):  # drawn on the screen, or refused
                lines.append(self.paragraph(f"{signer.label}（签名）：", indent=False))
                write_signature(lines[-1], self.run, self.snapshot["signature"], self.images, _BLANK_DATE)
                if self.snapshot["signature"].get("refused") and Signer.witness not in self.doc.signers:
                    lines.append(self.paragraph(f"{Signer.witness.label}（签名）：＿＿＿＿＿＿　　{_BLANK_DATE}", indent=False))
            elif signer != Signer.seal:
                caption = recipient_signer(self.snapshot) if signer == Signer.recipient else signer.label
                lines.append(self.paragraph(f"{caption}（签名）：＿＿＿＿＿＿　　{_BLANK_DATE}", indent=False))
        for line in lines:
            line.paragraph_format.keep_together = True
        for line in lines[:-1]:
            line.paragraph_format.keep_with_next = True

    def seal(self) -> None:
        """署名 and 成文日期 (GB/T 9704 7.3.5.1): the date four characters from the right margin, the issuer centred
        over it; both kept on the page of the last text."""
        self._keep_with_previous()
        date = self.builtins["issued_on"]
        issuer = self.builtins["issuer"] + "（印章）"
        offset = max(0.0, (_ems(date) - _ems(issuer)) / 2)
        blank = self.paragraph(indent=False)
        signed = self.paragraph(issuer, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
        dated = self.paragraph(date, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
        signed.paragraph_format.right_indent = Pt((RIGHT_SPACE + offset) * BODY_PT)
        dated.paragraph_format.right_indent = Pt(RIGHT_SPACE * BODY_PT)
        for line in (blank, signed):
            line.paragraph_format.keep_with_next = True
        dated.paragraph_format.keep_together = True

    def render(self, template: Template) -> bytes:
        self.header()
        if template.addressee:
            self.paragraph(self.value_text(template.addressee) + "：", indent=False)
        for block in template.body:
            if isinstance(block, Paragraph):
                if (block.when is None or self.value_text(block.when)) and not (block.unless and self.value_text(block.unless)):
                    self.paragraph(self.sentence(block), align=_ALIGN.get(block.align or ""))
            elif isinstance(block, Fields):
                self.fields_block(block.fields)
            elif isinstance(block, Grid):
                self.grid(block.grid)
            elif isinstance(block, Table):
                if self.fields.get(block.table):  # no header-only table for an empty list
                    self.items_table(block.table)
            else:
                getattr(self, block)()
        return self.save()

    def save(self) -> bytes:
        issued = parse_moment(self.snapshot["issued_at"])
        if not isinstance(issued, datetime):
            issued = datetime(issued.year, issued.month, issued.day)
        moment = issued.astimezone(timezone.utc).replace(tzinfo=None) if issued.tzinfo else issued
        core = self.document.core_properties
        core.title = self.title + (f" {self.builtins['number']}" if self.builtins["number"] else "")
        core.author = self.builtins["issuer"]
        core.created = core.modified = moment
        package = self.document.part.package
        parts = list(package.iter_parts())
        members = [("[Content_Types].xml", _ContentTypesItem.from_parts(parts).blob), ("_rels/.rels", package.rels.xml)]
        for part in parts:
            members.append((part.partname.membername, part.blob))
            if len(part.rels):
                members.append((part.partname.rels_uri.membername, part.rels.xml))
        return write_zip(members)


def _ems(text: str) -> float:
    """The width of `text` in characters of the body size: a half-width character counts half."""
    return sum(0.5 if ord(char) < 0x2E80 else 1.0 for char in text)


def _column_weights(columns, size: float, *, named: bool = False) -> list[float]:
    """Column widths in characters: 序号 narrow, a date wide enough for one line, the dossier's named columns (`named`)
    as `_COLUMN_EMS` gives them, the rest sharing what is left."""
    available = TEXT_WIDTH_TWIPS / 20 / size
    fixed = {c.name: _DATE_EMS if c.type.value == "date" else _COLUMN_EMS[c.name]
             for c in columns if c.type.value == "date" or (named and c.name in _COLUMN_EMS)}
    number = 3.5
    rest = max(available - number - sum(fixed.values()), 4.0 * max(1, len(columns) - len(fixed)))
    share = rest / max(1, len(columns) - len(fixed))
    return [number, *(fixed.get(c.name, share) for c in columns)]


def render_docx(snapshot: dict[str, Any], *, catalogue: Catalogue | None = None, images: ImageReader | None = None) -> bytes:
    """The .docx bytes of an issued document, from its stored snapshot; `images` reads a drawn signature's
    stored bytes (documents.signatures)."""
    catalogue = catalogue or get_catalogue()
    doc = catalogue.get(snapshot["doc_id"])
    return _Renderer(snapshot, doc, catalogue, images).render(get_template(doc.id))
