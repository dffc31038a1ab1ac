"""Issue 13: the party signs the rectification order (or the on-site record) on the officer's screen; the drawing
is kept as evidence, the task data names it by id, and the issued .docx carries it on the party's line."""

from __future__ import annotations

import hashlib
import io
from functools import partial

import pytest
from docx import Document
from fastapi.testclient import TestClient
from PIL import Image, ImageDraw
from sqlmodel import select

from api.app import create_app
from api.bootstrap import object_store
from documents.models import IssuedDocument
from documents.render import render_docx
from documents.rendition import render_pending
from documents.signatures import stored_image
from engine.db import read_session
from tests.api.conftest import PARTY
from tests.api.test_documents_http import complete, docx_text
from tests.api.test_web_records import browser_for
from tests.engine.test_inspection_stage import ORDER, PROBLEM, record_data

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.fixture
def runtime(app_runtime):
    return app_runtime


@pytest.fixture
def client(runtime, world, frozen_clock):
    with TestClient(create_app(runtime)) as test_client:
        yield test_client


def drawn_signature(stroke: int = 40) -> bytes:
    image = Image.new("RGB", (600, 220), "white")
    ImageDraw.Draw(image).line([(40, 150), (200, stroke), (380, 170), (560, 60)], fill="black", width=5)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def order_task(client, auth, world) -> tuple[int, str]:
    """An inspection that found a problem, at its 责令限期整改 step: (case id, task id)."""
    officers = [world.officer("t1a"), world.officer("t1b")]
    started = client.post("/api/v1/cases", json={"process": "inspection", "agency_id": world.agencies.township.id,
                                                 "party": PARTY, "title": "日常检查"}, headers=auth("t1a"))
    assert started.status_code == 201, started.text
    view = complete(client, auth("t1a"), started.json(), "现场检查", record_data([PROBLEM]) | {"officers": officers})
    [task] = [t for t in view["tasks"] if t["name"] == "责令限期整改"]
    return started.json()["case"]["id"], task["id"]


def order_form(world, token: str, **signature) -> dict:
    form = {"csrf_token": token, "officers": [str(world.id("t1a")), str(world.id("t1b"))],
            "inspection_date": ORDER["inspection_date"]}
    for index, item in enumerate(ORDER["rectification_items"]):
        form |= {f"rectification_items[{index}].{name}": value for name, value in item.items()}
    return form | {f"party_signature.{name}": value for name, value in signature.items()}


def sign(browser, token: str, task_id: str, png: bytes):
    return browser.post(f"/tasks/{task_id}/signature", content=png,
                        headers={"Content-Type": "image/png", "X-CSRF-Token": token, "Accept": "application/json"})


def issued(client, auth, case_id: int, doc_id: str = "rectification_order") -> Document:
    assert render_pending(client.app.state.runtime.engine, object_store()) >= 1
    [order] = [d for d in client.get(f"/api/v1/cases/{case_id}/documents", headers=auth("t1a")).json()
               if d["doc_id"] == doc_id]
    response = client.get(f"/api/v1/documents/{order['id']}/download", params={"format": "docx"}, headers=auth("t1a"))
    assert response.status_code == 200, response.text
    return Document(io.BytesIO(response.content))


def test_the_drawn_signature_is_evidence_named_by_id_and_sits_on_the_party_line_of_the_order(client, auth, world, order_task):
    case_id, task_id = order_task
    browser, token = browser_for(client.app, world, "t1a")
    page = browser.get(f"/tasks/{task_id}").text
    assert 'data-signature="/tasks/' in page and "当事人拒绝签字" in page and "/static/web/signature.js" in page

    png = drawn_signature()
    first = sign(browser, token, task_id, png)
    retried = sign(browser, token, task_id, png)  # the answer to the first was lost: the page sends it again
    assert first.status_code == retried.status_code == 201, first.text
    assert first.json() == retried.json() == {"evidence_id": first.json()["evidence_id"],
                                              "sha256": hashlib.sha256(png).hexdigest()}
    items = client.get(f"/api/v1/cases/{case_id}/evidence", headers=auth("t1a")).json()
    assert [(e["filename"], e["content_type"], e["task_id"]) for e in items] == [("当事人签名.png", "image/png", task_id)]

    done = browser.post(f"/tasks/{task_id}", data=order_form(world, token, evidence_id=str(first.json()["evidence_id"])))
    assert done.status_code == 303, done.text[-2000:]
    [completed] = [e for e in client.get(f"/api/v1/cases/{case_id}/record", headers=auth("t1a")).json()
                   if e["kind"] == "task_completed" and e["task_name"] == "责令限期整改"]
    assert completed["inputs"]["party_signature"] == {"evidence_id": first.json()["evidence_id"]}  # the id, no image

    docx = issued(client, auth, case_id)
    [shape] = docx.inline_shapes
    blob = docx.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
    assert blob == png
    [line] = [p for p in docx.paragraphs if p.text.startswith("当事人（签名）：")]
    assert line.text == "当事人（签名）：　　2026年3月2日"  # the image, then the day it was drawn


def test_a_refusal_to_sign_is_written_with_its_witness(client, auth, world, order_task):
    case_id, task_id = order_task
    browser, token = browser_for(client.app, world, "t1a")
    no_witness = browser.post(f"/tasks/{task_id}", data=order_form(world, token, refused="true"))
    assert no_witness.status_code == 422
    assert 'id="e-party_signature.witness"' in no_witness.text and "缺少必填项「见证人」" in no_witness.text

    done = browser.post(f"/tasks/{task_id}", data=order_form(world, token, refused="true", witness="刘见证"))
    assert done.status_code == 303, done.text[-2000:]
    docx = issued(client, auth, case_id)
    assert list(docx.inline_shapes) == []
    text = docx_text(docx_bytes(docx))
    assert "当事人（签名）：当事人拒绝签字（见证人：刘见证）" in text
    assert "见证人（签名）：" in text


def docx_bytes(docx: Document) -> bytes:
    out = io.BytesIO()
    docx.save(out)
    return out.getvalue()


def test_only_a_png_signature_of_this_case_is_accepted(client, auth, world, order_task):
    case_id, task_id = order_task
    browser, token = browser_for(client.app, world, "t1a")
    not_png = sign(browser, token, task_id, b"GIF89a not a signature")
    assert (not_png.status_code, not_png.json()["code"]) == (422, "signature_not_png")
    too_big = sign(browser, token, task_id, b"\x89PNG" + b"\0" * (300 * 1024))
    assert (too_big.status_code, too_big.json()["code"]) == (413, "signature_too_large")
    outsider, outsider_token = browser_for(client.app, world, "t2a")
    assert sign(outsider, outsider_token, task_id, drawn_signature()).json()["code"] == "forbidden"  # another township

    photo = client.post(f"/api/v1/cases/{case_id}/evidence", headers=auth("t1a"), files={"file": ("照片.jpg", b"photo")},
                        data={"type": "documentary", "collected_by": "用户t1a", "collected_at": "2026-03-02T08:15:00+08:00"})
    refused = browser.post(f"/tasks/{task_id}", data=order_form(world, token, evidence_id=str(photo.json()["id"])))
    assert refused.status_code == 422
    assert "当事人签名须是签名板上签写的图片(PNG), 请重新签名" in refused.text
    assert "rectification_order" not in [d["doc_id"] for d in client.get(f"/api/v1/cases/{case_id}/documents",
                                                                         headers=auth("t1a")).json()]


def test_the_onsite_record_carries_the_drawn_signature_above_its_witness_line(client, auth, world):
    started = client.post("/api/v1/cases", json={"process": "inspection", "agency_id": world.agencies.township.id,
                                                 "party": PARTY, "title": "日常检查"}, headers=auth("t1a"))
    case_id, task_id = started.json()["case"]["id"], started.json()["tasks"][0]["id"]
    browser, token = browser_for(client.app, world, "t1a")
    form_page = browser.get(f"/tasks/{task_id}/records/onsite_record").text
    assert f'data-signature="/tasks/{task_id}/signature"' in form_page

    png = drawn_signature(stroke=90)
    evidence_id = sign(browser, token, task_id, png).json()["evidence_id"]
    made = browser.post(f"/tasks/{task_id}/records/onsite_record", data={
        "csrf_token": token, "officers": [str(world.id("t1a")), str(world.id("t1b"))], "place": "仓库",
        "started_at": "2026-03-02T08:00", "ended_at": "2026-03-02T08:30", "scene": "消防通道堵塞",
        "party_signature.evidence_id": str(evidence_id)})
    assert made.status_code == 303, made.text[-2000:]

    docx = issued(client, auth, case_id, "onsite_record")
    [shape] = docx.inline_shapes
    assert docx.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob == png
    with read_session(client.app.state.runtime.engine) as session:
        [record] = session.exec(select(IssuedDocument).where(IssuedDocument.doc_id == "onsite_record")).all()
    again = render_docx(record.snapshot, images=partial(stored_image, object_store()))  # deterministic, image and all
    assert hashlib.sha256(again).hexdigest() == record.docx_sha256
    assert record.snapshot["signature"] == {"evidence_id": evidence_id, "object_key": record.snapshot["signature"]["object_key"],
                                            "sha256": hashlib.sha256(png).hexdigest(), "signed_at": "2026-03-02T01:00:00+00:00"}
    lines = [p.text for p in docx.paragraphs if "（签名）：" in p.text]
    assert lines == ["执法人员（签名）：＿＿＿＿＿＿　　　　年　　月　　日", "当事人（签名）：　　2026年3月2日",
                     "见证人（签名）：＿＿＿＿＿＿　　　　年　　月　　日"]
