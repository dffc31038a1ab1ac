"""The dossier's 证据清单: each evidence item (APL Art. 46 type, collector, time, place, SHA-256, where it came from),
as a table in the archive PDF and as a CSV in the zip, and its count in words for the 备考表."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass

from sqlmodel import Session

from documents.amounts import chinese_datetime
from documents.dossier_facts import aware
from documents.dossier_order import linked_label, linked_remark
from documents.evidence.custody import list_evidence
from documents.evidence.models import EVIDENCE_TYPE_LABELS, Evidence, EvidenceType

EVIDENCE_LIST = "证据清单.csv"
CSV_HEADER = ["序号", "证据种类", "说明", "收集人", "收集时间", "收集地点", "文件名", "SHA-256", "来源"]


@dataclass(frozen=True)
class EvidenceRow:
    kind: str
    description: str
    collector: str
    collected: str
    place: str
    filename: str
    sha256: str
    source: str  # 「关联案件…」 (its number) for evidence inherited from the linked case, else empty
    remark: str = ""  # the printed 备注: 「来自泉江镇人民政府关联案件」


def evidence_rows(session: Session, case_id: int) -> list[EvidenceRow]:
    rows = []
    for item in list_evidence(session, case_id):
        source = remark = ""
        if item.transferred_from_id is not None:
            original = session.get(Evidence, item.transferred_from_id)
            source = f"关联案件{linked_label(session, original.case_id)}"
            remark = linked_remark(session, original.case_id)
        collected = chinese_datetime(aware(item.collected_at)) if item.collected_at else ""
        rows.append(EvidenceRow(item.type_label, item.description or item.filename, "、".join(item.collected_by), collected,
                                item.place, item.filename, item.sha256, source, remark))
    return rows


def evidence_csv(rows: list[EvidenceRow]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for index, row in enumerate(rows, start=1):
        writer.writerow([index, row.kind, row.description, row.collector, row.collected, row.place, row.filename,
                         row.sha256, row.source])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: spreadsheets read it as UTF-8


def evidence_table(rows: list[EvidenceRow]) -> list[dict[str, str]]:
    """The rows of the 证据清单 part (catalogue `dossier_evidence`)."""
    return [{"kind": r.kind, "description": r.description, "collector": r.collector, "collected": r.collected,
             "place": r.place, "sha256": r.sha256, "remark": r.remark} for r in rows]


def evidence_count_text(rows: list[EvidenceRow]) -> str:
    """「证据11项（书证8项、证人证言2项、勘验笔录、现场笔录1项）」, types in the order of APL Art. 46."""
    if not rows:
        return "证据0项"
    counts = Counter(r.kind for r in rows)
    kinds = [EVIDENCE_TYPE_LABELS[t] for t in EvidenceType if EVIDENCE_TYPE_LABELS[t] in counts]
    return f"证据{len(rows)}项（" + "、".join(f"{kind}{counts[kind]}项" for kind in kinds) + "）"
