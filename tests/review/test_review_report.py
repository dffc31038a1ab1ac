"""The review report per unit and overall, as .docx (the enforcement documents' style) and .xlsx (a sheet per
unit): grades, common problems ranked, veto findings and responsible officers; reported once all are scored."""

from __future__ import annotations

from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlmodel import select

from api.identity.models import User
from engine.db import read_session
from tests.review.test_review_scoring import full_marks

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def docx_text(blob: bytes) -> str:
    document = Document(BytesIO(blob))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_report_ranks_problems_names_vetoes_and_officers_per_unit(review_world):
    plan = review_world.drawn_plan(unit_ids=[review_world.agencies[u] for u in ("suichuan-em", "quanjiang", "yutian")])
    with read_session(review_world.runtime.engine) as session:
        users = {u.id: u for u in session.exec(select(User))}
    by_unit = {s["unit_name"]: s for s in plan["samples"]}
    county2 = next(u.id for u in users.values() if u.username == "county2")
    scores = {
        "泉江镇人民政府": full_marks(evidence_sufficient={"score": 0, "veto": True, "comment": "证据不足",
                                                   "officer_ids": [county2]},
                              archive_order={"score": 3, "comment": "页码不全"}),
        "雩田镇人民政府": full_marks(archive_order={"score": 1, "comment": "无备考表"}),
        "遂川县应急管理局": full_marks(),
    }
    done = review_world.call("POST", f"/review-plans/{plan['id']}/report", "supervisor")
    assert (done.status_code, done.json()["code"]) == (409, "review_not_finished")
    for unit, items in scores.items():
        sample = by_unit[unit]
        response = review_world.call("PUT", f"/review-samples/{sample['id']}/score", users[sample["reviewer_id"]].username,
                                     json={"items": items})
        assert response.status_code == 200, response.text
    report = review_world.call("GET", f"/review-plans/{plan['id']}/report", "supervisor").json()
    assert report["overall"]["grades"] == {"优秀": 2, "良好": 0, "合格": 0, "不合格": 1}
    assert [(p["item_code"], p["files"], p["points_lost"]) for p in report["overall"]["problems"]] == [
        ("archive_order", 2, 6), ("evidence_sufficient", 1, 10)]
    assert [(o["name"], o["vetoes"]) for o in report["overall"]["officers"]] == [("钟海燕", 1)]

    docx = review_world.call("GET", f"/review-plans/{plan['id']}/report.docx", "supervisor")
    assert docx.status_code == 200
    assert docx.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    text = docx_text(docx.content)
    assert "2026年度案卷评查情况通报" in text and "遂川县应急管理局" in text
    assert "抽取案卷3件，已评查3件，平均得分65.3分；优秀2件，良好0件，合格0件，不合格1件。" in text
    assert f"{by_unit['泉江镇人民政府']['case_number']} 证据合法、关联、充分，事实清楚（证据不足）" in text
    assert "钟海燕" in text and "二、遂川县应急管理局" in text and "三、泉江镇人民政府" in text and plan["seed"] in text

    xlsx = review_world.call("GET", f"/review-plans/{plan['id']}/report.xlsx", "supervisor")
    book = load_workbook(BytesIO(xlsx.content))
    assert book.sheetnames == ["总体情况", "遂川县应急管理局", "泉江镇人民政府", "雩田镇人民政府"]
    quanjiang = [[c for c in row if c is not None] for row in book["泉江镇人民政府"].iter_rows(values_only=True)]
    assert quanjiang[1][:5] == [by_unit["泉江镇人民政府"]["case_number"], "随机抽取",
                                users[by_unit["泉江镇人民政府"]["reviewer_id"]].display_name, 0, "不合格"]
    assert any("钟海燕" in row for row in quanjiang)

    township = review_world.call("GET", f"/review-plans/{plan['id']}/report", "quanjiang1").json()
    assert [u["unit_name"] for u in township["units"]] == ["泉江镇人民政府"]
    assert review_world.call("POST", f"/review-plans/{plan['id']}/report", "supervisor").json()["status"] == "reported"
