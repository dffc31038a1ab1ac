"""Rendering an issued document's snapshot to .docx with python-docx.

Deterministic: the same snapshot gives the same bytes (fixed zip timestamps and core
properties taken from the issue time).
"""

from __future__ import annotations

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
from documents.base_package import TITLE_FONT, base_package, write_zip
from documents.catalogue import Catalogue, DocumentSpec, Signer, get_catalogue
from documents.formatting import clean, format_value, party_lines
from documents.labels import label
from documents.templates import PLACEHOLDER, Fields, Grid, Paragraph, Table, Template, get_template

TEXT_WIDTH_TWIPS = 8844  # A4 width minus the margins set in base_package
INDENT = Pt(32)  # two characters of 三号
_ALIGN = {"right": WD_ALIGN_PARAGRAPH.RIGHT, "center": WD_ALIGN_PARAGRAPH.CENTER}
_BLANK_DATE = "　　年　　月　　日"


class _Renderer:
    def __init__(self, snapshot: dict[str, Any], doc: DocumentSpec, catalogue: Catalogue):
        self.snapshot = snapshot
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
    def table(self, rows: list[list[str]], weights: list[int], *, header: bool = False) -> DocxTable:
        table = self.document.add_table(rows=len(rows), cols=len(weights))
        table.style = "Table Grid"
        table.autofit = False
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        layout = OxmlElement("w:tblLayout")
        layout.set(qn("w:type"), "fixed")
        table._tbl.tblPr.append(layout)
        widths = [Twips(TEXT_WIDTH_TWIPS * w // sum(weights)) for w in weights]
        for column, width in zip(table.columns, widths):
            column.width = width
        for row_cells, values in zip(table.rows, rows):
            for cell, width, text in zip(row_cells.cells, widths, values):
                cell.width = width
                para = cell.paragraphs[0]
                para.paragraph_format.first_line_indent = None
                self.run(para, text, bold=header and row_cells is table.rows[0])
        return table

    # -- blocks ----------------------------------------------------------------------------
    def header(self) -> None:
        self.paragraph(self.builtins["issuer"], indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, font=TITLE_FONT, size=22, bold=True)
        self.paragraph(self.title, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, font=TITLE_FONT, size=22, bold=True)
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
            if spec.type.value == "items":
                self.paragraph(f"{spec.label}：", indent=False)
                self.items_table(spec.name)

    def items_table(self, name: str) -> None:
        spec = self.doc.field(name)
        header = ["序号", *(c.label for c in spec.columns)]
        rows = [header]
        for index, row in enumerate(self.fields.get(name) or [], start=1):
            rows.append([str(index), *(format_value(c, row.get(c.name)) for c in spec.columns)])
        self.table(rows, [8, *([92 // len(spec.columns)] * len(spec.columns))], header=True)

    def remedies(self) -> None:
        b = self.builtins
        self.paragraph(
            f"如不服本决定，可以自收到本决定书之日起{b['reconsideration_days']}日内向{b['reconsideration_body']}申请行政复议，"
            f"或者在{b['litigation_months']}个月内依法向{b['court']}提起行政诉讼。"
        )

    def signatures(self) -> None:
        self.paragraph(indent=False)
        for signer in self.doc.signers:
            if signer == Signer.attendees and self.fields.get("members"):  # one line for each participant
                for member in self.fields["members"]:
                    who = f"{label('member_role', member.get('member_role', ''))}{clean(member.get('name', ''))}"
                    self.paragraph(f"{who}（签名）：＿＿＿＿＿＿　　{_BLANK_DATE}", indent=False)
            elif signer != Signer.seal:
                caption = recipient_signer(self.snapshot) if signer == Signer.recipient else signer.label
                self.paragraph(f"{caption}（签名）：＿＿＿＿＿＿　　{_BLANK_DATE}", indent=False)

    def seal(self) -> None:
        self.paragraph(indent=False)
        self.paragraph(self.builtins["issuer"] + "（印章）", indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
        self.paragraph(self.builtins["issued_on"], indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)

    def render(self, template: Template) -> bytes:
        self.header()
        if template.addressee:
            self.paragraph(self.value_text(template.addressee) + "：", indent=False)
        for block in template.body:
            if isinstance(block, Paragraph):
                if (block.when is None or self.value_text(block.when)) and not (block.unless and self.value_text(block.unless)):
                    self.paragraph(self.substitute(block.p), align=_ALIGN.get(block.align or ""))
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


def render_docx(snapshot: dict[str, Any], *, catalogue: Catalogue | None = None) -> bytes:
    """The .docx bytes of an issued document, from its stored snapshot."""
    catalogue = catalogue or get_catalogue()
    doc = catalogue.get(snapshot["doc_id"])
    return _Renderer(snapshot, doc, catalogue).render(get_template(doc.id))
