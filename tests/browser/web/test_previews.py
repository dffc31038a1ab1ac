"""Issue 13: evidence seen in the case page — a photo as a thumbnail (not a recorded download), a PDF
rendered page by page with pdf.js (recorded as a download by preview)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from tests.browser.web.conftest import PHONE, api_client, screenshot

PARTY = {"kind": "unit", "credit_code": "91360827MA35R8QX3K", "address": "遂川县泉江镇建设路9号"}
PHOTO = Path(__file__).resolve().parents[2] / "fixtures" / "site-photo.png"

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]


def two_page_pdf() -> bytes:
    pages = []
    for n in (1, 2):
        page = Image.new("RGB", (595, 842), "white")
        ImageDraw.Draw(page).rectangle((60, 60 + 300 * (n - 1), 535, 300 * n), fill=(180, 20, 20))
        pages.append(page)
    out = io.BytesIO()
    pages[0].save(out, "PDF", save_all=True, append_images=pages[1:])
    return out.getvalue()


def upload(page, name: str, mime: str, content: bytes) -> None:
    page.get_by_text("上传证据(拍照或选择文件)").click()
    page.locator("#evidence-form select[name=type]").select_option(label="书证")
    page.locator("#evidence-form input[type=file]").set_input_files({"name": name, "mimeType": mime, "buffer": content})
    # the browser's clock is today's; the server's is frozen earlier (conftest.NOW), and a collection time after
    # the server's now is refused
    page.locator("#evidence-form input[name=collected_at]").fill("2026-06-15T08:50")
    with page.expect_navigation():
        page.get_by_role("button", name="上传", exact=True).click()


def new_inspection(base: str, party_name: str) -> int:
    client = api_client(base, "quanjiang1")
    return client.post("/cases", json={"process": "inspection", "party": {**PARTY, "name": party_name}}).json()["case"]["id"]


def record_text(page) -> str:
    return page.locator("[aria-labelledby=record-h]").inner_text()


def test_a_photo_shows_as_a_thumbnail_and_a_pdf_opens_in_the_page(browser):
    inspection_id = new_inspection(browser.base, "泉江镇证据预览测试有限公司")
    page = browser.page(username="quanjiang1")
    page.goto(f"{browser.base}/cases/{inspection_id}")
    upload(page, "现场照片.png", "image/png", PHOTO.read_bytes())
    upload(page, "营业执照复印件.pdf", "application/pdf", two_page_pdf())

    thumbnail = page.get_by_role("img", name="现场照片.png 的缩略图")
    thumbnail.wait_for()
    size = thumbnail.evaluate("img => img.decode().then(() => [img.naturalWidth, img.naturalHeight])")
    assert 0 < max(size) <= 320
    assert page.get_by_role("img", name=re.compile("营业执照复印件")).count() == 0  # a PDF has no thumbnail
    page.reload()  # the thumbnails shown twice, and still no download in the record
    assert "下载证据" not in record_text(page)

    preview = page.get_by_role("button", name="预览")
    # readable on the white card: the header's logout style (white text) once made it an empty box
    assert preview.evaluate("b => getComputedStyle(b).color") != "rgb(255, 255, 255)"
    preview.click()
    dialog = page.get_by_role("dialog", name="预览: 营业执照复印件.pdf")
    page.locator("#pdf-preview[data-ready=true]").wait_for()
    assert dialog.get_by_role("status").inner_text() == "共 2 页"
    assert dialog.get_by_role("img", name="第 2 页").count() == 1
    red = dialog.locator("canvas").first.evaluate(
        "c => { const [r, g, b] = c.getContext('2d').getImageData(c.width / 2, c.height / 5, 1, 1).data;"
        " return r > 150 && g < 80 && b < 80; }")
    assert red, "the PDF's first page is drawn in the canvas"
    screenshot(page, "evidence-pdf-preview", full_page=False)
    dialog.get_by_role("button", name="关闭").click()

    page.reload()
    assert record_text(page).count("下载证据") == 1  # the PDF read in the page is recorded; the photo's thumbnail is not


def test_a_thumbnail_is_only_for_images_and_only_for_those_who_may_read_the_case(browser, server):
    inspection_id = new_inspection(server, "泉江镇缩略图权限测试有限公司")
    client = api_client(server, "quanjiang1")
    files = {"file": ("说明.pdf", two_page_pdf(), "application/pdf")}
    item = client.post(f"/cases/{inspection_id}/evidence", data={"type": "documentary", "collected_by": "郭晓燕",
                       "collected_at": "2026-06-15T08:50:00+08:00"}, files=files)
    assert item.status_code == 201, item.text
    evidence_id = item.json()["id"]

    browser.expected_statuses.update({403, 404})
    page = browser.page(username="quanjiang1")
    response = page.goto(f"{server}/evidence/{evidence_id}/thumbnail")
    assert response.status == 404 and "没有可在页面中显示的预览" in page.content()

    other = browser.page(username="yutian1")
    for path in ("thumbnail", "preview.pdf"):
        response = other.goto(f"{server}/evidence/{evidence_id}/{path}")
        assert response.status == 403 and "无权" in other.content()


def test_an_evidence_lines_download_link_is_never_broken_inside_the_word_on_a_phone(browser):
    """The case file beside a reviewing step ends each evidence line with 「下载」: one line at any width."""
    page = browser.page(PHONE, "reviewer")
    page.get_by_role("link", name="法制审核").first.click()
    page.get_by_role("heading", level=1, name="法制审核").wait_for()
    evidence = page.locator(".evidence-list")
    links = evidence.get_by_role("link", name="下载", exact=True)
    assert links.count() >= 2

    def one_line() -> bool:  # a link broken across lines has a box per line and twice the height
        return links.evaluate_all("ls => ls.every(a => a.getClientRects().length === 1 && "
                                  "a.getBoundingClientRect().height < 2 * parseFloat(getComputedStyle(a).fontSize))")

    assert one_line()
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1]  # the lines fit the phone
    for px in range(200, 391, 4):  # wherever a line happens to end, it ends before the word, not inside it
        evidence.evaluate(f"list => list.style.width = '{px}px'")
        assert one_line(), f"「下载」 broken at a list width of {px}px"
