"""The case dossier (卷宗, DOMAIN.md §7): the archive PDF and the zip of originals with a manifest.

The archive PDF holds the 卷宗封面 (档号, 决定文号, 件数, the approvals' dates), the 卷内目录 (文号, 责任者, 题名,
日期, page range, 备注 naming a linked case's documents), the case's issued documents (not voided) in the dossier's
order (`documents.dossier_order`), the 证据清单 when there is evidence, and the 备考表 last; only the documents' and the
evidence list's pages are numbered. The zip holds the .docx originals as stored by the worker, the evidence list as
CSV, and `manifest.json` with the SHA-256 of every file, of the archive PDF, and the record chain's head when the
dossier was built, so `verify_dossier` can check it against the record.

Case facts on the cover (party, officers, cause, result) come from the full-process record; its dates come from
the approvals and the archiving step (`documents.dossier_facts`), never from the clock.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile

from sqlmodel import Session

from documents.catalogue import Catalogue, get_catalogue
from documents.document_numbers import resolve_issuer
from documents.dossier_evidence import EVIDENCE_LIST, evidence_count_text, evidence_csv, evidence_rows, evidence_table
from documents.dossier_facts import archive_number, case_facts, case_name, cause, local_date, milestones, result, retention
from documents.dossier_order import archive_documents, dossier_case_ids, linked_label, linked_remark
from documents.dossier_pdf import Part, assemble, page_count
from documents.dossier_verify import MANIFEST, archive_pdf_beside, read_manifest, sha256_hex, verify_dossier
from documents.payment_voucher import payment_note
from documents.render import render_docx
from engine import clock
from engine.errors import InvalidState, NotFound
from engine.models import Agency, Case
from engine.objects import ObjectStore

__all__ = ["MANIFEST", "EVIDENCE_LIST", "DossierEntry", "DossierResult", "archive_documents", "archive_pdf_beside",
           "build_dossier", "case_facts", "dossier_case_ids", "read_manifest", "sha256_hex", "verify_dossier"]

DOCUMENTS_DIR = "documents"
FORMAT = "zhifa-dossier/2"  # 2: 证据清单 part, 责任者 per document, dates from the approvals

_FOOTER_REFERENCE = re.compile(rb"<w:footerReference [^>]*/>")


@dataclass(frozen=True)
class DossierEntry:
    """One issued document as it stands in the archive PDF."""

    document_id: int
    doc_id: str
    title: str
    number: str | None
    issued_on: str
    file: str  # its .docx inside the zip
    sha256: str
    first_page: int
    page_count: int
    from_case: str | None = None  # the linked case (案号 or id) the document was issued in, if not this one
    responsible: str = ""  # 责任者: the body in whose name the document was issued
    remark: str = ""  # 备注: 「来自泉江镇人民政府关联案件」 for a linked case's document


@dataclass(frozen=True)
class DossierResult:
    pdf_path: Path
    zip_path: Path
    pdf_sha256: str
    page_count: int  # the numbered pages: the documents'
    entries: tuple[DossierEntry, ...]


def _read_stored(store: ObjectStore, key: str, sha256: str | None, what: str) -> bytes:
    with store.open(key) as reader:
        data = reader.read()
    if sha256_hex(data) != sha256:
        raise InvalidState(f"{what}在对象存储中的内容与记录的哈希不符，可能已被篡改", code="object_tampered",
                           details={"key": key, "expected": sha256})
    return data


class _Parts:
    """Renders the dossier's own parts (cover, contents, 备考表) from snapshots, without a page footer."""

    def __init__(self, case: Case, issuer_name: str, case_name: str, dated: str, converter):
        self.case, self.issuer_name, self.case_name = case, issuer_name, case_name
        self.dated, self.converter = dated, converter

    def pdf(self, doc_id: str, fields: dict[str, Any]) -> bytes:
        snapshot = {"doc_id": doc_id, "number": None, "issuer_name": self.issuer_name, "issued_at": self.dated,
                    "case": {"case_number": self.case.number or "", "case_name": self.case_name}, "fields": fields}
        return self.converter.convert(_without_footer(render_docx(snapshot)))


def _without_footer(docx: bytes) -> bytes:
    """The same .docx without its page-number footer: the dossier's own parts are not numbered."""
    source = ZipFile(io.BytesIO(docx))
    buffer = io.BytesIO()
    with ZipFile(buffer, "w", ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = _FOOTER_REFERENCE.sub(b"", data)
            target.writestr(info, data)
    return buffer.getvalue()


def _archive_entries(session: Session, store: ObjectStore, case_id: int, converter,
                     catalogue: Catalogue) -> list[tuple[DossierEntry, bytes, bytes]]:
    """(entry, .docx, PDF) of each document in archive order, the .docx and PDF read from storage
    and checked against their recorded hashes; a document without a stored PDF is converted."""
    result = []
    next_page = 1
    for index, document in enumerate(archive_documents(session, case_id, catalogue), start=1):
        name = f"「{document.title}」{document.number or ''}"
        if document.docx_object_key is None:
            raise InvalidState(f"文书{name}尚未生成，请先运行 zhifa worker", code="document_not_rendered",
                               details={"document_id": document.id})
        docx = _read_stored(store, document.docx_object_key, document.docx_sha256, f"文书{name}")
        if document.pdf_object_key:
            pdf = _read_stored(store, document.pdf_object_key, document.pdf_sha256, f"文书{name}的PDF文件")
        else:
            pdf = converter.convert(docx)
        linked = linked_label(session, document.case_id) if document.case_id != case_id else None
        file = f"{DOCUMENTS_DIR}/{index:02d}_{document.title}{'（关联案件）' if linked else ''}.docx"
        entry = DossierEntry(document.id, document.doc_id, document.title, document.number, local_date(document.issued_at),
                             file, document.docx_sha256, next_page, page_count(pdf), linked,
                             document.snapshot.get("issuer_name") or "",
                             linked_remark(session, document.case_id) if linked else "")
        result.append((entry, docx, pdf))
        next_page += entry.page_count
    return result


def _pages(first: int, count: int) -> str:
    return str(first) if count <= 1 else f"{first}—{first + count - 1}"


def _contents_row(entry: DossierEntry) -> dict[str, str]:
    return {"number": entry.number or "", "responsible": entry.responsible, "title": entry.title, "date": entry.issued_on,
            "pages": _pages(entry.first_page, entry.page_count),
            "remark": entry.remark}


def build_dossier(session: Session, store: ObjectStore, case_id: int, out_dir: Path, *, converter) -> DossierResult:
    """Write `case-<id>-dossier.pdf` and `case-<id>-dossier.zip` into `out_dir`.

    Every document must already be rendered to .docx by the worker (its stored hash is checked);
    its stored PDF is used when the worker made one, else `converter` converts the .docx.
    """
    catalogue = get_catalogue()
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound("案件不存在", details={"case_id": case_id})
    facts = case_facts(session, case_id)
    agency = session.get(Agency, case.agency_id)
    issuer_name = resolve_issuer(catalogue.numbering, agency.code).issuer.name
    name = case_name(case, facts)
    built_at = clock.now()  # the manifest's; the dossier's own dates are the record's
    own = [d for d in archive_documents(session, case_id, catalogue) if d.case_id == case_id]
    marks = milestones(session, case, own, catalogue, facts)
    dated = marks.archived_on or local_date(built_at)

    archived = _archive_entries(session, store, case_id, converter, catalogue)
    entries = [entry for entry, _, _ in archived]
    contents = [_contents_row(e) for e in entries]
    rows = evidence_rows(session, case_id)
    parts = _Parts(case, issuer_name, name, dated, converter)
    numbered = [Part(pdf, True) for _, _, pdf in archived]
    document_pages = sum(entry.page_count for entry in entries)
    if rows:
        listing = parts.pdf("dossier_evidence", {"entries": evidence_table(rows)})
        numbered.append(Part(listing, True))
        contents.append({"number": "", "responsible": issuer_name, "title": "证据清单", "date": dated,
                         "pages": _pages(document_pages + 1, page_count(listing)), "remark": f"{len(rows)}项"})
    numbered_pages = sum(page_count(part.pdf) for part in numbered)
    item_count = len(contents)
    officers = facts.get("officers") or []
    retention_label = retention(facts)
    cover = parts.pdf("dossier_cover", {
        "archive_number": archive_number(case, issuer_name, retention_label),
        "case_name": name, "party": facts.get("party") or {"name": case.party_name},
        "cause": cause(case, facts), "result": result(case, facts), "decision_number": marks.decision_number,
        "filed_on": marks.filed_on, "closed_on": marks.closed_on,
        "officers": officers, "retention": retention_label, "item_count": item_count, "page_count": numbered_pages,
    })
    table_of_contents = parts.pdf("dossier_contents", {"entries": contents})
    notes = parts.pdf("dossier_notes", {
        "notes": f"本卷共有文件材料{item_count}件（文书{len(entries)}件"
                 + ("、证据清单1件" if rows else "") + f"），共{numbered_pages}页（封面、卷内目录和备考表不编页号）；"
                 f"{evidence_count_text(rows)}"
                 + ("，逐项列于证据清单" if rows else "") + "。" + payment_note(facts) +
                 "各文书原件和证据的电子文件校验值（SHA-256）随电子卷宗保存，本卷内容与执法全过程记录一致。",
        "recorder": marks.recorder, "checker": marks.checker, "filed_on": dated,
    })
    archive_pdf = assemble([Part(cover, False), Part(table_of_contents, False), *numbered, Part(notes, False)],
                           title=f"{name} 卷宗")

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    pdf_path, zip_path = out_dir / f"case-{case.id}-dossier.pdf", out_dir / f"case-{case.id}-dossier.zip"
    pdf_path.write_bytes(archive_pdf)
    members = [*((entry.file, docx) for entry, docx, _ in archived), (EVIDENCE_LIST, evidence_csv(rows))]
    manifest = {
        "format": FORMAT,
        "case_id": case.id,
        "case_number": case.number,
        "case_name": name,
        "built_at": built_at.isoformat(),
        "record": {"seq": case.record_seq, "head": case.record_head},
        "archive_pdf": {"file": pdf_path.name, "sha256": sha256_hex(archive_pdf), "pages": page_count(archive_pdf),
                        "numbered_pages": numbered_pages},
        "documents": [entry.__dict__ for entry in entries],
        "files": {member: sha256_hex(data) for member, data in members},
    }
    with ZipFile(zip_path, "w", ZIP_DEFLATED) as archive:
        for member, data in members:
            archive.writestr(member, data)
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
    return DossierResult(pdf_path, zip_path, sha256_hex(archive_pdf), numbered_pages, tuple(entries))
