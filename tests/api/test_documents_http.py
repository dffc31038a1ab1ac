"""Documents over HTTP: the real inspection process issues them, the worker renders them, users download them."""

from __future__ import annotations

import hashlib
import io
import subprocess

import pytest
from docx import Document
from fastapi.testclient import TestClient

from api.app import create_app
from api.bootstrap import object_store
from documents.rendition import DOCX_TYPE, convert_pending, render_pending
from engine.settings import get_settings
from tests.api.conftest import PARTY
from tests.documents.conftest import pdf_converter  # noqa: F401 (a fixture)
from tests.engine.test_inspection_stage import ORDER, PROBLEM, record_data

ORDER_NUMBER = "（遂）应急责改〔2026〕1号"
RECORD_NUMBER = "（遂）应急检记〔2026〕1号"
ORDER_FILENAME = ("attachment; filename=\"download.docx\"; filename*=UTF-8''"
                  "%E8%B4%A3%E4%BB%A4%E9%99%90%E6%9C%9F%E6%95%B4%E6%94%B9%E6%8C%87%E4%BB%A4%E4%B9%A6%20"
                  "%EF%BC%88%E9%81%82%EF%BC%89%E5%BA%94%E6%80%A5%E8%B4%A3%E6%94%B9%E3%80%942026%E3%80%951%E5%8F%B7.docx")


@pytest.fixture
def runtime(app_runtime):
    """The application's own process models (the shared API fixtures use small test models)."""
    return app_runtime


@pytest.fixture
def client(store_kind, runtime, world, frozen_clock):
    with TestClient(create_app(runtime)) as test_client:
        yield test_client


def complete(client, headers, view: dict, name: str, data: dict) -> dict:
    [task] = [t for t in view["tasks"] if t["name"] == name]
    response = client.post(f"/api/v1/tasks/{task['id']}/complete", json={"data": data}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def case_id(client, auth, world) -> int:
    """An inspection that found a problem and ordered its rectification: two documents issued."""
    officers = [world.officer("t1a"), world.officer("t1b")]
    started = client.post("/api/v1/cases", json={"process": "inspection", "agency_id": world.agencies.township.id,
                                                 "party": PARTY, "title": "日常检查"}, headers=auth("t1a"))
    assert started.status_code == 201, started.text
    view = complete(client, auth("t1a"), started.json(), "现场检查", record_data([PROBLEM]) | {"officers": officers})
    complete(client, auth("t1a"), view, "责令限期整改", ORDER | {"officers": officers})
    return started.json()["case"]["id"]


def documents(client, headers, case_id) -> list[dict]:
    response = client.get(f"/api/v1/cases/{case_id}/documents", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def docx_text(content: bytes) -> str:
    docx = Document(io.BytesIO(content))
    return "\n".join([p.text for p in docx.paragraphs] + [c.text for t in docx.tables for r in t.rows for c in r.cells])


def test_rendered_documents_download_with_their_chinese_names_and_each_download_is_recorded(client, auth, case_id):
    listed = documents(client, auth("c1"), case_id)
    assert [(d["title"], d["number"], d["formats"]) for d in listed] == [
        ("现场检查记录", RECORD_NUMBER, []), ("责令限期整改指令书", ORDER_NUMBER, [])]
    order_id = listed[1]["id"]
    early = client.get(f"/api/v1/documents/{order_id}/download", params={"format": "docx"}, headers=auth("t1a"))
    assert (early.status_code, early.json()["code"], early.json()["message"]) == (
        409, "not_rendered", "文书的Word(.docx)文件尚未生成, 请稍后再试")

    assert render_pending(client.app.state.runtime.engine, object_store()) == 2

    [_, order] = documents(client, auth("c1"), case_id)
    assert (order["formats"], order["pdf_sha256"]) == (["docx"], None)
    response = client.get(f"/api/v1/documents/{order_id}/download", params={"format": "docx"}, headers=auth("c1"))
    assert response.status_code == 200
    assert response.headers["content-type"] == DOCX_TYPE
    assert response.headers["content-disposition"] == ORDER_FILENAME
    assert hashlib.sha256(response.content).hexdigest() == order["docx_sha256"]
    text = docx_text(response.content)
    assert ORDER_NUMBER in text and "遂川县林峰家具厂" in text and "2026年3月16日" in text

    pdf = client.get(f"/api/v1/documents/{order_id}/download", params={"format": "pdf"}, headers=auth("c1"))
    assert (pdf.status_code, pdf.json()["code"], pdf.json()["message"]) == (
        409, "pdf_unavailable", "本系统未启用 PDF 转换, 请下载 Word(.docx)版本")

    [event] = [e for e in client.get(f"/api/v1/cases/{case_id}/record", headers=auth("t1a")).json()
               if e["kind"] == "document_downloaded"]
    assert (event["actor_name"], event["role"], event["inputs"]) == (
        "用户c1", "county_officer", {"document_id": order_id, "format": "docx"})
    assert event["outputs"] == [{"name": f"责令限期整改指令书 {ORDER_NUMBER}.docx", "sha256": order["docx_sha256"]}]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("store_kind", ["local"], indirect=True)
def test_a_sibling_township_neither_lists_nor_downloads_the_documents(client, auth, case_id):
    [record_doc, _] = documents(client, auth("t1a"), case_id)
    render_pending(client.app.state.runtime.engine, object_store())
    hidden = {"code": "not_found", "message": "案件不存在或无权查看", "details": {"case_id": case_id}}

    assert client.get(f"/api/v1/cases/{case_id}/documents", headers=auth("t2a")).json() == hidden
    refused = client.get(f"/api/v1/documents/{record_doc['id']}/download", headers=auth("t2a"))
    assert (refused.status_code, refused.json()) == (404, {"code": "not_found", "message": "文书不存在或无权查看",
                                                           "details": {"document_id": record_doc["id"]}})
    missing = client.get("/api/v1/documents/999999/download", headers=auth("t2a"))
    assert (missing.status_code, missing.json()["message"]) == (404, "文书不存在或无权查看")
    kinds = [e["kind"] for e in client.get(f"/api/v1/cases/{case_id}/record", headers=auth("t1a")).json()]
    assert "document_downloaded" not in kinds


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("store_kind", ["local"], indirect=True)
def test_a_pdf_where_pdf_rendition_is_not_installed_says_so(client, auth, case_id, monkeypatch, tmp_path):
    monkeypatch.setenv("ZHIFA_PDF_RENDITION", "true")
    monkeypatch.setenv("ZHIFA_UNO_DIR", str(tmp_path / "no-libreoffice-here"))
    get_settings.cache_clear()
    with TestClient(create_app(client.app.state.runtime)) as pdf_client:
        render_pending(pdf_client.app.state.runtime.engine, object_store())
        [_, order] = documents(pdf_client, auth("t1a"), case_id)
        pdf = pdf_client.get(f"/api/v1/documents/{order['id']}/download", params={"format": "pdf"}, headers=auth("t1a"))
    assert (pdf.status_code, pdf.json()["code"], pdf.json()["message"]) == (
        409, "pdf_unavailable", "未安装 PDF 转换, 请下载 Word(.docx)版本(安装方法见 README「PDF 转换」)")


@pytest.mark.libreoffice
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("store_kind", ["local"], indirect=True)
def test_the_pdf_downloads_once_the_worker_has_converted_it(client, auth, case_id, pdf_converter, monkeypatch, tmp_path):  # noqa: F811
    monkeypatch.setenv("ZHIFA_PDF_RENDITION", "true")
    get_settings.cache_clear()
    app = create_app(client.app.state.runtime)
    with TestClient(app) as pdf_client:
        [_, order] = documents(pdf_client, auth("t1a"), case_id)
        url = f"/api/v1/documents/{order['id']}/download"
        engine, store = app.state.runtime.engine, object_store()
        render_pending(engine, store)
        waiting = pdf_client.get(url, params={"format": "pdf"}, headers=auth("t1a"))
        assert (waiting.status_code, waiting.json()["code"]) == (409, "not_rendered")

        assert convert_pending(engine, store, pdf_converter) == 2
        response = pdf_client.get(url, params={"format": "pdf"}, headers=auth("t1a"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].endswith(".pdf") and "download.pdf" in response.headers["content-disposition"]
    (tmp_path / "order.pdf").write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(tmp_path / "order.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    assert ORDER_NUMBER in "".join(text.split())
