"""The case dossier over HTTP: the archive PDF and the zip of originals, for those who may read the case."""

from __future__ import annotations

import io
import json
import subprocess
from zipfile import ZipFile

import pytest
from sqlmodel import Session, select

from api.bootstrap import object_store
from documents.rendition import render_pending
from engine.models import RecordEvent
from tests.api.test_documents_http import ORDER_NUMBER, RECORD_NUMBER, case_id, client, runtime  # noqa: F401 (fixtures)

pytestmark = pytest.mark.libreoffice


@pytest.fixture
def rendered(client, case_id):  # noqa: F811
    assert render_pending(client.app.state.runtime.engine, object_store()) == 2
    return case_id


def test_an_officer_of_the_case_downloads_its_dossier_pdf_and_zip_and_each_download_is_recorded(
        client, auth, rendered, runtime, tmp_path):  # noqa: F811
    pdf = client.get(f"/api/v1/cases/{rendered}/dossier", params={"format": "pdf"}, headers=auth("t1a"))
    assert pdf.status_code == 200, pdf.text
    assert pdf.headers["content-type"] == "application/pdf"
    (tmp_path / "dossier.pdf").write_bytes(pdf.content)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "dossier.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "卷内目录" in text and "现场检查记录" in text and "责令限期整改指令书" in text

    archive = client.get(f"/api/v1/cases/{rendered}/dossier", params={"format": "zip"}, headers=auth("t1a"))
    assert archive.status_code == 200, archive.text
    assert archive.headers["content-type"] == "application/zip"
    with ZipFile(io.BytesIO(archive.content)) as zipped:
        manifest = json.loads(zipped.read("manifest.json"))
        assert [(d["title"], d["number"]) for d in manifest["documents"]] == [
            ("现场检查记录", RECORD_NUMBER), ("责令限期整改指令书", ORDER_NUMBER)]
        assert all(zipped.read(d["file"])[:2] == b"PK" for d in manifest["documents"])

    with Session(runtime.engine) as session:
        kinds = session.exec(select(RecordEvent.kind).where(RecordEvent.case_id == rendered,
                                                            RecordEvent.kind == "dossier_downloaded")).all()
    assert len(kinds) == 2


def test_another_township_may_not_download_the_dossier(client, auth, rendered):  # noqa: F811
    refused = client.get(f"/api/v1/cases/{rendered}/dossier", headers=auth("t2a"))
    assert (refused.status_code, refused.json()["code"]) == (404, "not_found")  # hidden like a missing case
    assert client.get(f"/api/v1/cases/{rendered}/dossier", params={"format": "exe"}, headers=auth("t1a")).status_code == 422


def test_the_api_and_the_command_line_build_the_same_dossier(client, auth, rendered, db_url, monkeypatch, tmp_path):  # noqa: F811
    """One builder: what an officer downloads is what `zhifa dossier` writes for the archive."""
    from typer.testing import CliRunner

    from api.cli import app
    from engine.settings import get_settings

    downloaded = client.get(f"/api/v1/cases/{rendered}/dossier", params={"format": "zip"}, headers=auth("t1a"))
    assert downloaded.status_code == 200, downloaded.text
    pdf = client.get(f"/api/v1/cases/{rendered}/dossier", params={"format": "pdf"}, headers=auth("t1a"))
    (tmp_path / "api.pdf").write_bytes(pdf.content)

    monkeypatch.setenv("ZHIFA_DATABASE_URL", db_url)
    get_settings.cache_clear()
    built = CliRunner().invoke(app, ["dossier", str(rendered), "--out", str(tmp_path / "cli")])
    assert built.exit_code == 0, built.output
    with ZipFile(io.BytesIO(downloaded.content)) as api_zip, ZipFile(tmp_path / "cli" / f"case-{rendered}-dossier.zip") as cli_zip:
        api_manifest, cli_manifest = (json.loads(z.read("manifest.json")) for z in (api_zip, cli_zip))
    assert api_manifest["documents"] == cli_manifest["documents"] and api_manifest["files"] == cli_manifest["files"]

    def text(path):
        return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout

    assert text(tmp_path / "api.pdf") == text(tmp_path / "cli" / f"case-{rendered}-dossier.pdf")
