"""Checking a dossier zip (卷宗) against its manifest, the case's full-process record and the stored originals."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any
from zipfile import BadZipFile, ZipFile

from sqlmodel import Session, select

from documents.dossier_order import dossier_case_ids
from documents.models import IssuedDocument
from engine import record
from engine.errors import NotFound, StorageUnavailable
from engine.models import Case, RecordEvent
from engine.objects import ObjectStore

MANIFEST = "manifest.json"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


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
