"""The case dossier (卷宗): one builder for the API, the web page, `zhifa dossier` and the demo.

`build_case_dossier(engine, store, settings, case_id, out_dir)` is the one way a dossier is built: it refuses at
once with `pdf_unavailable` where LibreOffice does not run (the dossier's own parts — cover, contents, 证据清单,
备考表 — are always converted, whatever ZHIFA_PDF_RENDITION says about the worker), starts LibreOffice only when a
part is converted (a refused build, e.g. a document not yet rendered, answers at once), and stops it afterwards.

Over it: `dossier_file` (the API: the PDF or the zip, authorized with `authz.read_case`, a supervisor's read
recorded, each download recorded as `dossier_downloaded`) and `open_dossier` (the web page's PDF of an archived
case, kept under `<data_dir>/dossiers/web/` keyed by the documents and evidence it holds).
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import threading
from pathlib import Path
from typing import Literal

import sqlalchemy as sa
from sqlmodel import select

from api import authz
from api.downloads import Download
from api.identity.models import User
from api.identity.service import acting_role, actor_for
from documents.dossier import FORMAT, DossierResult, archive_documents, build_dossier, sha256_hex
from documents.evidence.models import Evidence, sanitize_filename
from documents.pdf import UnoServer, pdf_status
from engine import record
from engine.db import read_session, transaction
from engine.errors import InvalidState
from engine.models import Case
from engine.objects import ObjectStore
from engine.settings import Settings
from engine.vocab import CaseStatus

Format = Literal["pdf", "zip"]
CONTENT_TYPES = {"pdf": "application/pdf", "zip": "application/zip"}
_building = threading.Lock()  # one LibreOffice at a time for the web page's dossiers on this process


class _LazyConverter:
    """Starts LibreOffice only when the first part is converted."""

    def __init__(self, server: UnoServer):
        self.server = server

    def convert(self, docx: bytes) -> bytes:
        return (self.server.converter or self.server.start()).convert(docx)


def build_case_dossier(engine: sa.Engine, store: ObjectStore, settings: Settings, case_id: int, out_dir: Path) -> DossierResult:
    """Build the case's archive PDF and zip into `out_dir` (no authorization: callers check it)."""
    status = pdf_status(settings.uno_dir)
    if not status.available:
        raise InvalidState(f"无法生成卷宗：{status.message}", code="pdf_unavailable", details={"case_id": case_id})
    server = UnoServer(settings.uno_dir)
    try:
        with read_session(engine) as session:
            return build_dossier(session, store, case_id, Path(out_dir), converter=_LazyConverter(server))
    finally:
        server.stop()


def dossier_file(engine: sa.Engine, store: ObjectStore, settings: Settings, user: User, case_id: int,
                 fmt: Format) -> Download:
    """Authorize, build the case's dossier now, record the download and return the PDF or the zip."""
    case = authz.read_case(engine, user, case_id)
    with tempfile.TemporaryDirectory(prefix="zhifa-dossier-") as out_dir:
        result = build_case_dossier(engine, store, settings, case_id, Path(out_dir))
        data = (result.pdf_path if fmt == "pdf" else result.zip_path).read_bytes()
    name = sanitize_filename(f"{case.number or f'案件{case.id}'} 卷宗.{fmt}")
    with transaction(engine) as session:
        record.append_event(session, case_id=case_id, kind="dossier_downloaded", actor=actor_for(user, acting_role(user)),
                            inputs={"format": fmt}, outputs=[{"name": name, "sha256": sha256_hex(data)}])
    return Download(filename=name, content_type=CONTENT_TYPES[fmt], stream=io.BytesIO(data))


def archived_case(engine: sa.Engine, user: User, case_id: int) -> Case:
    """The case the user may read, if archived: only an archived case has a dossier to read in the page."""
    with read_session(engine) as session:
        case = authz.visible_case(session, user, case_id)
    if case.status != CaseStatus.archived:
        raise InvalidState("案件尚未归档，没有卷宗", code="not_archived", details={"case_id": case_id})
    return case


def _key(engine: sa.Engine, case_id: int) -> str:
    """An archived case's documents and evidence do not change; a voided or added one, or a new dossier format,
    makes a new key."""
    with read_session(engine) as session:
        parts = [FORMAT, *(f"{d.id}:{d.docx_sha256}:{d.pdf_sha256}" for d in archive_documents(session, case_id))]
        parts += [f"e{sha}" for sha in session.exec(select(Evidence.sha256).where(Evidence.case_id == case_id)
                                                   .order_by(Evidence.id))]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def open_dossier(engine: sa.Engine, store: ObjectStore, settings: Settings, user: User, case_id: int) -> Download:
    """The archive PDF of an archived case the user may read, built on first opening; the reading is recorded."""
    case = archived_case(engine, user, case_id)
    target = settings.data_dir / "dossiers" / "web" / f"case-{case_id}-{_key(engine, case_id)}.pdf"
    if not target.exists():
        with _building:
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                with tempfile.TemporaryDirectory(dir=target.parent) as work:
                    os.replace(build_case_dossier(engine, store, settings, case_id, Path(work)).pdf_path, target)
    authz.read_case(engine, user, case_id)
    name = sanitize_filename(f"{case.number or case_id} 卷宗.pdf")
    return Download(filename=name, content_type="application/pdf", stream=target.open("rb"))


def working_dossier(engine: sa.Engine, store: ObjectStore, settings: Settings, user: User, case_id: int) -> Download:
    """The dossier of a case still in hand (e.g. for its legal review), as it stands: built on each opening, kept
    nowhere, since its documents still change."""
    case = authz.read_case(engine, user, case_id)
    with _building, tempfile.TemporaryDirectory(prefix="zhifa-dossier-") as out_dir:
        data = build_case_dossier(engine, store, settings, case_id, Path(out_dir)).pdf_path.read_bytes()
    name = sanitize_filename(f"{case.number or case_id} 卷宗(办理中).pdf")
    return Download(filename=name, content_type="application/pdf", stream=io.BytesIO(data))
