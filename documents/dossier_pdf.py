"""The archive PDF of a dossier: the parts' PDFs joined in order, the documents' pages numbered.

DOMAIN.md §7: pages are numbered at the bottom right, the cover, the table of contents and the
备考表 are not. The running number is stamped over each page in Helvetica (digits only, so
no CJK font is needed) with pypdf; the documents keep their own "第 x 页 共 y 页" footer.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from engine.errors import ValidationFailed

MM = 72 / 25.4
STAMP_SIZE = 12  # points
STAMP_RIGHT = 26 * MM  # aligned with the right text margin (GB/T 9704: 26 mm)
STAMP_BOTTOM = 12 * MM
_HELVETICA_DIGIT_WIDTH = 0.556  # em; every digit of Helvetica has this width
_FONT_NAME = "/ZhifaPageNumber"


@dataclass(frozen=True)
class Part:
    pdf: bytes
    numbered: bool


def page_count(pdf: bytes) -> int:
    return len(_reader(pdf).pages)


def _reader(pdf: bytes) -> PdfReader:
    try:
        return PdfReader(BytesIO(pdf))
    except PdfReadError as exc:
        raise ValidationFailed(f"PDF 文件无法读取：{exc}") from exc


def _number_overlay(width: float, height: float, number: int) -> PageObject:
    text = str(number)
    x = width - STAMP_RIGHT - len(text) * _HELVETICA_DIGIT_WIDTH * STAMP_SIZE
    overlay = PageObject.create_blank_page(width=width, height=height)
    font = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
        NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
    })
    overlay[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject(_FONT_NAME): font})})
    content = DecodedStreamObject()
    content.set_data(f"BT {_FONT_NAME} {STAMP_SIZE} Tf {x:.2f} {STAMP_BOTTOM:.2f} Td ({text}) Tj ET".encode("ascii"))
    overlay[NameObject("/Contents")] = content
    return overlay


def assemble(parts: list[Part], *, title: str) -> bytes:
    """One PDF of all parts in order; the pages of numbered parts get 1, 2, 3... bottom right."""
    writer = PdfWriter()
    number = 0
    for part in parts:
        for page in _reader(part.pdf).pages:
            added = writer.add_page(page)
            if part.numbered:
                number += 1
                box = added.mediabox
                added.merge_page(_number_overlay(float(box.width), float(box.height), number))
    writer.add_metadata({"/Title": title, "/Producer": "zhifa"})
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
