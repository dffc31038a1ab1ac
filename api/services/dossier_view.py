"""The case dossier (卷宗) PDF for reading in the web page, built by documents.dossier.

Only an archived case has a dossier. Building it converts every document with LibreOffice, which
takes a while, so the PDF is kept under `<data_dir>/dossiers/web/` keyed by the documents it
holds (an archived case's documents do not change; a voided or added document makes a new key);
its 备考表 therefore counts the record as it stood when that PDF was first built.
Every opening is authorized and, for a supervisor's review, recorded (`authz.read_case`).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from pathlib import Path

import sqlalchemy as sa

from api import authz
from api.downloads import Download
from api.identity.models import User
from documents.dossier import archive_documents, build_dossier
from documents.evidence.models import sanitize_filename
from documents.pdf import PdfUnavailable, UnoServer, pdf_status
from engine.db import read_session
from engine.errors import InvalidState
from engine.models import Case
from engine.objects import ObjectStore
from engine.settings import Settings
from engine.vocab import CaseStatus

_building = threading.Lock()  # one LibreOffice at a time on this process


def archived_case(engine: sa.Engine, user: User, case_id: int) -> Case:
    with read_session(engine) as session:
        case = authz.visible_case(session, user, case_id)
    if case.status != CaseStatus.archived:
        raise InvalidState("案件尚未归档, 没有卷宗", code="not_archived", details={"case_id": case_id})
    return case


def _key(engine: sa.Engine, case_id: int) -> str:
    with read_session(engine) as session:
        parts = [f"{d.id}:{d.docx_sha256}:{d.pdf_sha256}" for d in archive_documents(session, case_id)]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def _build(engine: sa.Engine, store: ObjectStore, settings: Settings, case_id: int, target: Path) -> None:
    status = pdf_status(settings.uno_dir)
    if not status.available:
        raise PdfUnavailable(f"卷宗暂时无法生成: {status.message}")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        with UnoServer(settings.uno_dir) as converter, read_session(engine) as session:
            result = build_dossier(session, store, case_id, Path(work), converter=converter)
        os.replace(result.pdf_path, target)


def open_dossier(engine: sa.Engine, store: ObjectStore, settings: Settings, user: User, case_id: int) -> Download:
    """The archive PDF of an archived case the user may read, built on first opening; the reading is recorded."""
    case = archived_case(engine, user, case_id)
    target = settings.data_dir / "dossiers" / "web" / f"case-{case_id}-{_key(engine, case_id)}.pdf"
    if not target.exists():
        with _building:
            if not target.exists():
                _build(engine, store, settings, case_id, target)
    authz.read_case(engine, user, case_id)
    name = sanitize_filename(f"{case.number or case_id} 卷宗.pdf")
    return Download(filename=name, content_type="application/pdf", stream=target.open("rb"))
