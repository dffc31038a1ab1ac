"""The demo's evidence: the photos and records the story's decision cites, made in code and uploaded at their steps.

The township's officers photograph the workshop at the inspection (2 photos); the county's officers, investigating,
take 6 more photos, question the legal representative and the safety manager (2 询问笔录) and survey the site
(1 勘验笔录). The county case inherits the township's photos, so its file holds what the decision cites: 询问笔录
2份、勘验笔录1份、现场照片8张. Photos are small real PNG images, records small real PDF files (Chinese text in the
PDF's standard 宋体, not embedded); nothing binary is kept in the repository.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from documents.evidence.custody import evidence_target, record_evidence, store_evidence_file
from documents.evidence.models import EvidenceMeta, EvidenceType
from engine import clock
from engine.db import read_session, transaction
from engine.models import Actor
from engine.objects import ObjectStore

_SIGN = (230, 180, 30)  # the yellow of a warning sign
_WALL = (120, 125, 130)


def png_photo(seed: int, width: int = 96, height: int = 72) -> bytes:
    """A small photo-like PNG: a grey workshop wall with a bare patch where a sign belongs, different per seed."""
    rows = []
    left, top = 12 + (seed * 7) % 40, 10 + (seed * 5) % 24
    for y in range(height):
        row = bytearray([0])  # filter: none
        for x in range(width):
            shade = (x * 3 + y * 2 + seed * 11) % 24
            inside = left <= x < left + 28 and top <= y < top + 24
            red, green, blue = _SIGN if inside and (x + y + seed) % 9 else _WALL
            row += bytes((min(255, red + shade), min(255, green + shade), min(255, blue + shade)))
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b"")


def _pdf_text(text: str) -> str:
    return "<" + text.encode("utf-16-be").hex().upper() + ">"


def pdf_record(title: str, lines: list[str]) -> bytes:
    """A one-page A4 PDF with the record's title and lines, in the standard 宋体 (STSong-Light, UniGB-UCS2-H)."""
    content = [f"BT /F1 18 Tf 72 770 Td {_pdf_text(title)} Tj ET"]
    for index, line in enumerate(lines):
        content.append(f"BT /F1 12 Tf 72 {730 - index * 20} Td {_pdf_text(line)} Tj ET")
    stream = "\n".join(content).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 7 0 R >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 "
        b"/Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@dataclass(frozen=True)
class Item:
    type: EvidenceType
    description: str
    filename: str
    content_type: str
    content: Callable[[], bytes]
    place_suffix: str = "锯木车间"


def _photos(first: int, count: int, what: str) -> list[Item]:
    return [Item(EvidenceType.audio_video, f"现场照片：{what}（第{n}张）", f"现场照片{n:02d}.png", "image/png",
                 lambda n=n: png_photo(n)) for n in range(first, first + count)]


def _record(kind: EvidenceType, title: str, filename: str, lines: list[str]) -> Item:
    return Item(kind, title, filename, "application/pdf", lambda: pdf_record(title, lines), place_suffix="办公室")


EVIDENCE: dict[str, list[Item]] = {
    "现场检查": _photos(1, 2, "锯木车间未设置安全警示标志"),
    "调查取证": [
        *_photos(3, 6, "作业场所未设置安全警示标志、从业人员未佩戴劳动防护用品"),
        _record(EvidenceType.party_statement, "询问笔录（被询问人：王林峰，法定代表人）", "询问笔录-王林峰.pdf",
                ["问：你单位锯木车间是否设置了安全警示标志？", "答：没有设置，整改期限内也没有设置。",
                 "问：是否为从业人员提供了劳动防护用品？", "答：没有提供防护手套和护目镜。"]),
        _record(EvidenceType.witness_testimony, "询问笔录（被询问人：李安，安全员）", "询问笔录-李安.pdf",
                ["问：车间员工作业时是否佩戴劳动防护用品？", "答：没有，公司没有发放。"]),
        _record(EvidenceType.inspection_record, "勘验笔录（锯木车间）", "勘验笔录-锯木车间.pdf",
                ["勘验场所：锯木车间", "勘验情况：车间入口及锯木机旁均无安全警示标志，作业人员未佩戴防护用品。"]),
    ],
}


def upload_step_evidence(engine, store: ObjectStore, *, task: str, case_id: int, task_id: str, actor: Actor,
                         collectors: list[str], place: str) -> int:
    """Upload the evidence the story collects at `task` (none for other steps), attached to the step; the count."""
    items = EVIDENCE.get(task, [])
    for item in items:
        meta = EvidenceMeta(type=item.type, collected_by=collectors, collected_at=clock.now(),
                            place=f"{place}{item.place_suffix}", description=item.description,
                            filename=item.filename, content_type=item.content_type)
        with read_session(engine) as session:
            target = evidence_target(session, case_id, task_id)
        stored = store_evidence_file(store, meta, io.BytesIO(item.content()), expected_sha256=None)  # outside a transaction
        with transaction(engine) as session:
            record_evidence(session, target, meta, stored, actor)
    return len(items)
