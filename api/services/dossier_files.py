"""The case dossier (卷宗) over HTTP: the archive PDF or the zip of .docx originals with its manifest.

`dossier_file(engine, store, settings, user, case_id, fmt)` is the one entry point (the API route
and the web pages call it): it authorizes the reader with `authz.read_case` (a supervisor's read
is recorded), builds the dossier with `documents.dossier.build_dossier` in a temporary directory,
records the download (`dossier_downloaded`) and hands back the file. The dossier's own parts
(cover, contents, 备考表) are rendered by LibreOffice (whatever ZHIFA_PDF_RENDITION says about the
worker), so a server without it refuses with `pdf_unavailable`.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Literal

import sqlalchemy as sa

from api import authz
from api.downloads import Download
from api.identity.models import User
from api.identity.service import acting_role, actor_for
from documents.dossier import build_dossier, sha256_hex
from documents.evidence.models import sanitize_filename
from documents.pdf import UnoServer, pdf_status
from engine import record
from engine.db import read_session, transaction
from engine.errors import InvalidState
from engine.objects import ObjectStore
from engine.settings import Settings

Format = Literal["pdf", "zip"]
CONTENT_TYPES = {"pdf": "application/pdf", "zip": "application/zip"}


def _require_converter(settings: Settings, case_id: int) -> None:
    status = pdf_status(settings.uno_dir)
    if not status.available:
        raise InvalidState(f"无法生成卷宗: {status.message}", code="pdf_unavailable", details={"case_id": case_id})


class _LazyConverter:
    """Starts LibreOffice only when the first part is converted: a refused build (a document not yet
    rendered) answers at once."""

    def __init__(self, server: UnoServer):
        self.server = server

    def convert(self, docx: bytes) -> bytes:
        return (self.server.converter or self.server.start()).convert(docx)


def dossier_file(engine: sa.Engine, store: ObjectStore, settings: Settings, user: User, case_id: int,
                 fmt: Format) -> Download:
    """Authorize, build the case's dossier now, record the download and return the PDF or the zip."""
    case = authz.read_case(engine, user, case_id)
    _require_converter(settings, case_id)
    with tempfile.TemporaryDirectory(prefix="zhifa-dossier-") as out_dir:
        server = UnoServer(settings.uno_dir)
        try:
            with read_session(engine) as session:
                result = build_dossier(session, store, case_id, Path(out_dir), converter=_LazyConverter(server))
        finally:
            server.stop()
        data = (result.pdf_path if fmt == "pdf" else result.zip_path).read_bytes()
    name = sanitize_filename(f"{case.number or f'案件{case.id}'} 卷宗.{fmt}")
    with transaction(engine) as session:
        record.append_event(session, case_id=case_id, kind="dossier_downloaded", actor=actor_for(user, acting_role(user)),
                            inputs={"format": fmt}, outputs=[{"name": name, "sha256": sha256_hex(data)}])
    return Download(filename=name, content_type=CONTENT_TYPES[fmt], stream=io.BytesIO(data))
