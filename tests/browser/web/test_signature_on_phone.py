"""Issue 13: on a phone at the site, the party signs the rectification order on the screen, and the issued .docx
carries the drawn signature on the party's line."""

from __future__ import annotations

import io
import re
import time

import pytest
from docx import Document
from PIL import Image

from api.demo import PARTY, SCRIPT, step_data
from tests.browser.web.conftest import PHONE
from tests.browser.web.story import Story
from tests.browser.web.test_accessibility import critical_violations

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]


def order_task(story: Story, party_name: str) -> tuple[int, str]:
    """An inspection that found problems, at its 责令限期整改 step: (case id, task id)."""
    party = {**PARTY, "name": party_name}
    case = story.client("quanjiang1").post("/cases", json={"process": "inspection", "party": {"kind": "unit", **party}})
    case_id = case.json()["case"]["id"]
    story.complete("quanjiang1", case_id, "现场检查", step_data(SCRIPT[0], {}, story.officers) | {"party": party})
    return case_id, story.task("quanjiang1", case_id, "责令限期整改")["id"]


def draw(page, canvas) -> None:
    """A signature's strokes, as a finger (or mouse) moves over the pad."""
    box = canvas.bounding_box()
    for stroke in ([(0.1, 0.7), (0.25, 0.2), (0.4, 0.75), (0.55, 0.3)], [(0.6, 0.6), (0.75, 0.35), (0.9, 0.65)]):
        x, y = stroke[0]
        page.mouse.move(box["x"] + x * box["width"], box["y"] + y * box["height"])
        page.mouse.down()
        for x, y in stroke[1:]:
            page.mouse.move(box["x"] + x * box["width"], box["y"] + y * box["height"], steps=8)
        page.mouse.up()


def rendered_docx(story: Story, case_id: int, doc_id: str) -> bytes:
    """The .docx the server's worker renders after the step (it renders on its own schedule)."""
    client = story.client("quanjiang1")
    deadline = time.monotonic() + 60
    while True:
        [document] = [d for d in client.get(f"/cases/{case_id}/documents").json() if d["doc_id"] == doc_id]
        if "docx" in document["formats"]:
            return client.get(f"/documents/{document['id']}/download", params={"format": "docx"}).content
        assert time.monotonic() < deadline, "the worker did not render the document"
        time.sleep(0.3)


def test_the_party_signs_the_rectification_order_on_a_phone(browser):
    story = Story(browser.base)
    case_id, task_id = order_task(story, "遂川县签名测试木业有限公司")
    page = browser.page(PHONE, "quanjiang1")
    page.goto(f"{browser.base}/tasks/{task_id}")

    form = page.locator("form.task-form")
    form.get_by_label("检查日期").fill("2026-06-15")
    items = form.locator("[data-field=rectification_items]")
    items.get_by_role("button", name=re.compile("添加整改事项")).click()
    items.get_by_label("存在问题").fill("作业场所未设置安全警示标志")
    items.get_by_label("违反的规定").fill("《中华人民共和国安全生产法》第三十五条")
    items.get_by_label("整改要求").fill("在锯木车间设置明显的安全警示标志")
    items.get_by_label("整改期限").fill("2026-06-30")

    pad = form.locator("[data-field=party_signature]")
    canvas = pad.get_by_role("img", name=re.compile("当事人签名区"))
    canvas.scroll_into_view_if_needed()
    assert canvas.bounding_box()["width"] <= PHONE["width"]  # the pad fits the phone's screen
    draw(page, canvas)
    pad.get_by_role("button", name="清除签名").click()  # a false start, cleared
    assert canvas.get_attribute("data-drawn") is None
    draw(page, canvas)
    assert canvas.get_attribute("data-drawn") == "true"
    assert critical_violations(page) == []

    form.get_by_role("button", name="提交").click()
    page.wait_for_url(re.compile(r"/cases/\d+"))
    assert page.get_by_role("status").first.inner_text() == "「责令限期整改」已提交。"

    docx = Document(io.BytesIO(rendered_docx(story, case_id, "rectification_order")))
    [shape] = docx.inline_shapes
    image = docx.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
    drawn = Image.open(io.BytesIO(image))
    assert drawn.format == "PNG" and min(drawn.convert("L").getdata()) < 64  # dark strokes on the white pad
    [line] = [p for p in docx.paragraphs if p.text.startswith("当事人（签名）：")]
    assert len(line._p.xpath(".//pic:pic")) == 1  # on the party's signature line
