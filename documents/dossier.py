"""The case dossier (卷宗, DOMAIN.md §7): the archive PDF and the zip of originals with a manifest.

The archive PDF holds the 卷宗封面, the 卷内目录 with the page where each document starts, the
case's issued documents (not voided) in the catalogue's archive order, and the 备考表 last; only
the documents' pages are numbered. The zip holds the .docx originals as stored by the worker, the
evidence list, and `manifest.json` with the SHA-256 of every file, of the archive PDF, and the
record chain's head when the dossier was built, so `verify_dossier` can check it against the record.

Case facts on the cover (party, officers, cause, result) come from the full-process record:
the start data and every step's form data, later steps overriding earlier ones.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any
from zipfile import ZIP_DEFLATED, BadZipFile, ZipFile

from sqlmodel import Session, select

from documents.amounts import chinese_datetime
from documents.catalogue import Catalogue, get_catalogue
from documents.document_numbers import resolve_issuer
from documents.dossier_pdf import Part, assemble, page_count
from documents.evidence.custody import list_evidence
from documents.labels import LABELS
from documents.models import IssuedDocument
from documents.render import render_docx
from engine import clock, record
from engine.calendar import SHANGHAI
from engine.errors import InvalidState, NotFound, StorageUnavailable
from engine.models import Agency, Case, RecordEvent
from engine.objects import ObjectStore
from engine.settings import get_settings

MANIFEST = "manifest.json"
EVIDENCE_LIST = "证据清单.csv"
DOCUMENTS_DIR = "documents"
FORMAT = "zhifa-dossier/1"

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


@dataclass(frozen=True)
class DossierResult:
    pdf_path: Path
    zip_path: Path
    pdf_sha256: str
    page_count: int  # the numbered pages: the documents'
    entries: tuple[DossierEntry, ...]


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def dossier_case_ids(session: Session, case: Case) -> list[int]:
    """The case and the linked case it was opened from (e.g. the township inspection reported to the county):
    that case's documents belong to this dossier too (DOMAIN.md §7)."""
    return [case.id] if case.parent_case_id is None else [case.id, case.parent_case_id]


def _linked_label(session: Session, case_id: int) -> str:
    linked = session.get(Case, case_id)
    return linked.number or f"案件{linked.id}"


def archive_documents(session: Session, case_id: int, catalogue: Catalogue | None = None) -> list[IssuedDocument]:
    """The case's and its linked case's issued, not voided documents in archive order (then as issued)."""
    catalogue = catalogue or get_catalogue()
    case_ids = dossier_case_ids(session, session.get(Case, case_id))
    documents = session.exec(select(IssuedDocument).where(IssuedDocument.case_id.in_(case_ids),
                                                          IssuedDocument.voided_at.is_(None))).all()
    return sorted(documents, key=lambda d: (catalogue.get(d.doc_id).archive_order, d.issued_at, d.id))


def _read_stored(store: ObjectStore, key: str, sha256: str | None, what: str) -> bytes:
    with store.open(key) as reader:
        data = reader.read()
    if sha256_hex(data) != sha256:
        raise InvalidState(f"{what}在对象存储中的内容与记录的哈希不符，可能已被篡改", code="object_tampered",
                           details={"key": key, "expected": sha256})
    return data


def _aware(moment: datetime) -> datetime:
    """SQLite gives naive datetimes; they are stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _local_date(moment: datetime | date | None) -> str | None:
    if moment is None:
        return None
    if isinstance(moment, datetime):
        moment = _aware(moment).astimezone(SHANGHAI).date()
    return moment.isoformat()


def case_facts(session: Session, case_id: int) -> dict[str, Any]:
    """The case's data as the record holds it: start data, then each step's form data in order."""
    facts: dict[str, Any] = {}
    for event in record.events(session, case_id):
        if event.kind == "case_started":
            facts.update(event.inputs.get("data") or {})
        elif event.kind == "task_completed":
            facts.update(event.inputs)
    return facts


def _case_name(case: Case, facts: dict[str, Any]) -> str:
    return facts.get("case_name") or case.title or case.party_name  # as documents/step.py names it


def _cause(case: Case, facts: dict[str, Any]) -> str:
    if facts.get("cause"):
        return facts["cause"]
    problems = [p.get("description") for p in facts.get("problems") or [] if isinstance(p, dict) and p.get("description")]
    return "；".join(problems) or case.title or "—"


def _result(case: Case, facts: dict[str, Any]) -> str:
    if facts.get("result"):
        return facts["result"]
    if case.outcome in LABELS["outcome"]:
        return LABELS["outcome"][case.outcome]
    return LABELS["case_status"][case.status]


def _retention(facts: dict[str, Any]) -> str:
    if facts.get("retention") in LABELS["retention"]:
        return LABELS["retention"][facts["retention"]]
    return f"{get_settings().archive_retention_days // 365}年"


class _Parts:
    """Renders the dossier's own parts (cover, contents, 备考表) from snapshots, without a page footer."""

    def __init__(self, case: Case, issuer_name: str, case_name: str, built_at: datetime, converter):
        self.case, self.issuer_name, self.case_name = case, issuer_name, case_name
        self.built_at, self.converter = built_at, converter

    def pdf(self, doc_id: str, fields: dict[str, Any]) -> bytes:
        snapshot = {"doc_id": doc_id, "number": None, "issuer_name": self.issuer_name, "issued_at": self.built_at.isoformat(),
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


def _evidence_csv(session: Session, case_id: int) -> tuple[bytes, int]:
    rows = list_evidence(session, case_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["序号", "证据种类", "说明", "收集人", "收集时间", "收集地点", "文件名", "SHA-256", "来源"])
    for index, item in enumerate(rows, start=1):
        collected_at = chinese_datetime(_aware(item.collected_at)) if item.collected_at else ""
        source = ""
        if item.transferred_from_id is not None:
            original = session.get(type(item), item.transferred_from_id)
            source = f"关联案件{_linked_label(session, original.case_id)}"
        writer.writerow([index, item.type_label, item.description, "、".join(item.collected_by), collected_at,
                         item.place, item.filename, item.sha256, source])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8"), len(rows)  # BOM: spreadsheets read it as UTF-8


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
        linked = _linked_label(session, document.case_id) if document.case_id != case_id else None
        file = f"{DOCUMENTS_DIR}/{index:02d}_{document.title}{'（关联案件）' if linked else ''}.docx"
        entry = DossierEntry(document.id, document.doc_id, document.title, document.number, _local_date(document.issued_at),
                             file, document.docx_sha256, next_page, page_count(pdf), linked)
        result.append((entry, docx, pdf))
        next_page += entry.page_count
    return result


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
    built_at = clock.now()

    archived = _archive_entries(session, store, case_id, converter, catalogue)
    entries = [entry for entry, _, _ in archived]
    numbered_pages = sum(entry.page_count for entry in entries)
    contents = [{"title": f"{e.title}（关联案件{e.from_case}）" if e.from_case else e.title, "number": e.number or "", "date": e.issued_on, "pages": str(e.first_page)} for e in entries]

    evidence_csv, evidence_count = _evidence_csv(session, case_id)
    officers = facts.get("officers") or []
    parts = _Parts(case, issuer_name, _case_name(case, facts), built_at, converter)
    cover = parts.pdf("dossier_cover", {
        "case_name": _case_name(case, facts), "party": facts.get("party") or {"name": case.party_name},
        "cause": _cause(case, facts), "result": _result(case, facts),
        "filed_on": _local_date(case.filed_on or case.started_at),
        "closed_on": _local_date(case.updated_at) if case.completed else None,
        "officers": officers, "retention": _retention(facts), "page_count": numbered_pages,
    })
    table_of_contents = parts.pdf("dossier_contents", {"entries": contents})
    notes = parts.pdf("dossier_notes", {
        "notes": f"本卷共有文书{len(entries)}件，共{numbered_pages}页（封面、卷内目录和备考表不编页号）；"
                 f"证据{evidence_count}项，清单及其SHA-256哈希值见电子卷宗“{EVIDENCE_LIST}”。"
                 f"本卷依据执法全过程记录生成，记录至第{case.record_seq}条。",
        "recorder": officers[0].get("name", "") if officers and isinstance(officers[0], dict) else "",
        "filed_on": _local_date(built_at),
    })
    archive_pdf = assemble([Part(cover, False), Part(table_of_contents, False), *(Part(pdf, True) for _, _, pdf in archived),
                            Part(notes, False)], title=f"{_case_name(case, facts)} 卷宗")

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    pdf_path, zip_path = out_dir / f"case-{case.id}-dossier.pdf", out_dir / f"case-{case.id}-dossier.zip"
    pdf_path.write_bytes(archive_pdf)
    members = [*((entry.file, docx) for entry, docx, _ in archived), (EVIDENCE_LIST, evidence_csv)]
    manifest = {
        "format": FORMAT,
        "case_id": case.id,
        "case_number": case.number,
        "case_name": _case_name(case, facts),
        "built_at": built_at.isoformat(),
        "record": {"seq": case.record_seq, "head": case.record_head},
        "archive_pdf": {"file": pdf_path.name, "sha256": sha256_hex(archive_pdf), "pages": page_count(archive_pdf),
                        "numbered_pages": numbered_pages},
        "documents": [entry.__dict__ for entry in entries],
        "files": {name: sha256_hex(data) for name, data in members},
    }
    with ZipFile(zip_path, "w", ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
    return DossierResult(pdf_path, zip_path, sha256_hex(archive_pdf), numbered_pages, tuple(entries))


def _zip_problems(archive: ZipFile, manifest: dict[str, Any]) -> list[str]:
    problems = []
    listed: dict[str, str] = manifest.get("files") or {}
    present = set(archive.namelist()) - {MANIFEST}
    for name in sorted(present - set(listed)):
        problems.append(f"卷宗压缩包中的文件「{name}」不在清单中")
    for name, expected in listed.items():
        if name not in present:
            problems.append(f"清单中的文件「{name}」在卷宗压缩包中缺失")
        elif sha256_hex(archive.read(name)) != expected:
            problems.append(f"文件「{name}」的SHA-256与清单不符，内容已被改动")
    return problems


def archive_pdf_beside(zip_path: Path, manifest: dict[str, Any]) -> Path | None:
    """The archive PDF the manifest names, when it lies beside the zip as `build_dossier` wrote it."""
    name = Path((manifest.get("archive_pdf") or {}).get("file") or "").name
    path = Path(zip_path).parent / name
    return path if name and path.is_file() else None


def read_manifest(zip_path: Path) -> dict[str, Any]:
    with ZipFile(zip_path) as archive:
        return json.loads(archive.read(MANIFEST))


def _pdf_problems(zip_path: Path, manifest: dict[str, Any]) -> list[str]:
    path = archive_pdf_beside(zip_path, manifest)
    if path is not None and sha256_hex(path.read_bytes()) != manifest["archive_pdf"].get("sha256"):
        return [f"卷宗PDF「{path.name}」的SHA-256与清单不符，内容已被改动"]
    return []


def _stored_sha256(store: ObjectStore, key: str | None) -> str | None:
    if key is None:
        return None
    try:
        return store.sha256_of(key)[1]
    except (NotFound, StorageUnavailable):
        return None


def _document_problems(session: Session, store: ObjectStore, case: Case, manifest: dict[str, Any],
                       archive: ZipFile) -> list[str]:
    case_ids = dossier_case_ids(session, case)
    rendered = {(e.inputs.get("document_id"), output.get("sha256"))
                for case_id in case_ids for e in record.events(session, case_id) if e.kind == "document_rendered"
                for output in e.outputs if isinstance(output, dict)}
    problems = []
    for entry in manifest.get("documents") or []:
        name = f"文书「{entry.get('title')}」{entry.get('number') or ''}（{entry.get('file')}）"
        document = session.get(IssuedDocument, entry.get("document_id"))
        if document is None or document.case_id not in case_ids:
            problems.append(f"{name}不是本案的文书")
            continue
        if entry.get("file") not in archive.namelist():
            continue  # already named as missing by the file check
        actual = sha256_hex(archive.read(entry["file"]))
        if actual != document.docx_sha256:
            problems.append(f"{name}的SHA-256与系统中记录的不符，不是系统生成的原件")
        elif (document.id, actual) not in rendered:
            problems.append(f"{name}的SHA-256未见于本案执法全过程记录的文书生成事件")
        if _stored_sha256(store, document.docx_object_key) != document.docx_sha256:
            problems.append(f"{name}在对象存储中的原件缺失或与记录的SHA-256不符")
        if document.voided_at is not None:
            problems.append(f"{name}已作废（{document.void_reason or '未写明原因'}）")
    return problems


def _record_problems(session: Session, case: Case, manifest: dict[str, Any]) -> list[str]:
    head = manifest.get("record") or {}
    seq, expected = head.get("seq"), head.get("head")
    problems = [f"执法全过程记录校验失败：{b.describe()}" for b in record.verify(session, case.id)]
    if not isinstance(seq, int) or seq > case.record_seq:
        problems.append(f"清单中的记录链头（第{seq}条）超出本案现有记录（共{case.record_seq}条）")
        return problems
    actual = record.GENESIS if seq == 0 else session.exec(
        select(RecordEvent.hash).where(RecordEvent.case_id == case.id, RecordEvent.seq == seq)).first()
    if actual != expected:
        problems.append(f"清单中的记录链头（第{seq}条）与本案执法全过程记录不符，记录已被改动")
    return problems


def verify_dossier(session: Session, store: ObjectStore, zip_path: Path) -> list[str]:
    """Problems found checking a dossier zip against its manifest, the case's record and the stored
    originals; empty when the dossier is intact."""
    zip_path = Path(zip_path)
    try:
        archive = ZipFile(zip_path)
        manifest = json.loads(archive.read(MANIFEST))
    except (OSError, KeyError, ValueError, BadZipFile) as exc:
        return [f"无法读取卷宗压缩包或其清单 {MANIFEST}：{exc}"]
    with archive:
        problems = _zip_problems(archive, manifest) + _pdf_problems(zip_path, manifest)
        case = session.get(Case, manifest.get("case_id"))
        if case is None or case.number != manifest.get("case_number"):
            return [*problems, f"系统中没有清单所列的案件（{manifest.get('case_number')}）"]
        problems += _document_problems(session, store, case, manifest, archive)
    return problems + _record_problems(session, case, manifest)
