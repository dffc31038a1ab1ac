"""Issue 15, the target register (执法对象名录库): entries checked (credit code check digit), one level per unit,
every change recorded, all-or-nothing imports naming each bad row, exports that import again, inspections started
from an entry with its party and level, and the unit's file (一企一档)."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from api.bootstrap import build_runtime
from engine.db import get_engine
from tests.api.register_entries import credit_code, entry


@pytest.fixture
def runtime(db_url):
    """The real procedure models (the other API tests run on small test models)."""
    engine = get_engine(db_url)
    yield build_runtime(engine=engine)
    engine.dispose()


def create(client, headers, body) -> dict:
    response = client.post("/api/v1/targets", headers=headers, json=body)
    assert response.status_code == 201, response.text
    return response.json()


def test_a_wrong_check_digit_is_refused_with_the_right_one_named(client, auth, world):
    body = entry(world.agencies.township.id, 1)
    wrong = body["credit_code"][:17] + ("0" if body["credit_code"][17] != "0" else "1")
    response = client.post("/api/v1/targets", headers=auth("t1a"), json=body | {"credit_code": wrong})
    assert response.status_code == 422
    assert response.json()["code"] == "target_invalid"
    assert f"第18位应为 {body['credit_code'][17]}" in response.json()["message"]
    assert client.get("/api/v1/targets", headers=auth("t1a")).json() == []


def test_one_unit_one_entry_and_every_change_recorded(client, auth, world):
    created = create(client, auth("t1a"), entry(world.agencies.township.id, 1))
    again = client.post("/api/v1/targets", headers=auth("c1"), json=entry(world.agencies.township.id, 1))
    assert again.status_code == 409 and again.json()["code"] == "target_exists"

    changed = client.patch(f"/api/v1/targets/{created['id']}", headers=auth("c1"),
                           json={"risk_level": "较大", "key_target": True})
    assert changed.status_code == 200, changed.text
    assert changed.json()["labels"]["risk_level"] == "较大" and changed.json()["key_target"] is True
    file = client.get(f"/api/v1/targets/{created['id']}", headers=auth("t1a")).json()
    assert [(h["version"], h["source"], h["user_name"]) for h in file["history"]] == [
        (1, "created", "用户t1a"), (2, "updated", "用户c1")]
    assert file["history"][1]["changes"] == {"risk_level": ["general", "large"], "key_target": [False, True]}


def test_a_township_sees_and_keeps_only_its_own_entries(client, auth, world):
    own = create(client, auth("t1a"), entry(world.agencies.township.id, 1))
    refused = client.post("/api/v1/targets", headers=auth("t1a"), json=entry(world.agencies.other_township.id, 2))
    assert refused.status_code == 403 and refused.json()["code"] == "register_out_of_scope"
    assert client.get(f"/api/v1/targets/{own['id']}", headers=auth("t2a")).status_code == 404
    assert client.get("/api/v1/targets", headers=auth("t2a")).json() == []
    assert [t["id"] for t in client.get("/api/v1/targets", headers=auth("c1")).json()] == [own["id"]]


def _sheet(rows: list[list[str]], file_format: str) -> bytes:
    if file_format == "xlsx":
        book = Workbook()
        for row in rows:
            book.active.append(row)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return text.getvalue().encode("utf-8")


HEADER = ["统一社会信用代码", "单位名称", "地址", "所属乡镇(园区)", "行业", "风险等级", "信用等级", "标准化等级", "执法层级",
          "重点检查对象", "联系人"]


def _row(serial: int, **changes) -> list[str]:
    row = {"code": credit_code(serial), "name": f"遂川县导入{serial}号厂", "address": "泉江镇", "township": "泉江镇人民政府",
           "industry": "工贸", "risk": "一般", "credit": "守信", "std": "三级", "level": "县级", "key": "否",
           "contacts": "主要负责人:李四:13800000000"} | changes
    return list(row.values())


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_import_with_bad_rows_imports_nothing_and_names_each_bad_row(client, auth, world, file_format):
    bad_code = credit_code(3)[:17] + ("0" if credit_code(3)[17] != "0" else "1")
    rows = [HEADER, _row(1), _row(2, risk="极高"), _row(3, code=bad_code), _row(4), _row(1, name="重复")]
    response = client.post(f"/api/v1/targets/import?format={file_format}", headers=auth("c1"),
                           content=_sheet(rows, file_format))
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "import_rejected"
    report = {item["row"]: item["problems"] for item in response.json()["details"]}
    assert sorted(report) == [3, 4, 6]
    assert report[3] == ["风险等级「极高」不在可选值中"]
    assert "校验位错误" in report[4][0]
    assert report[6] == ["统一社会信用代码与第2行重复"]
    assert client.get("/api/v1/targets", headers=auth("c1")).json() == []  # nothing half-imported


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_export_imports_again_and_a_reimport_updates_with_history(client, auth, world, file_format):
    imported = client.post(f"/api/v1/targets/import?format={file_format}", headers=auth("c1"),
                           content=_sheet([HEADER, _row(1), _row(2, key="是")], file_format))
    assert imported.json() == {"created": 2, "updated": 0, "unchanged": 0}, imported.text
    exported = client.get(f"/api/v1/targets/export?format={file_format}", headers=auth("c1"))
    assert exported.status_code == 200
    if file_format == "xlsx":
        rows = [list(r) for r in load_workbook(io.BytesIO(exported.content)).active.iter_rows(values_only=True)]
    else:
        rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0] == HEADER and rows[2][9] == "是" and rows[1][10] == "主要负责人:李四:13800000000"
    rows[1][5] = "重大"
    again = client.post(f"/api/v1/targets/import?format={file_format}", headers=auth("c1"),
                        content=_sheet(rows, file_format))
    assert again.json() == {"created": 0, "updated": 1, "unchanged": 1}
    [first] = [t for t in client.get("/api/v1/targets", headers=auth("c1")).json() if t["credit_code"] == credit_code(1)]
    history = client.get(f"/api/v1/targets/{first['id']}", headers=auth("c1")).json()["history"]
    assert [(h["source"], h["changes"].get("risk_level")) for h in history] == [
        ("imported", [None, "general"]), ("imported", ["general", "major"])]


def test_an_inspection_from_the_register_takes_party_and_level_and_shows_in_the_units_file(client, auth, world):
    target = create(client, auth("t1a"), entry(world.agencies.township.id, 7, assigned_level="city"))
    started = client.post(f"/api/v1/targets/{target['id']}/inspections", headers=auth("t1a"), json={})
    assert started.status_code == 201, started.text
    case_id = started.json()["case"]["id"]
    [onsite] = [t for t in client.get("/api/v1/tasks", headers=auth("t1a")).json() if t["case_id"] == case_id]
    detail = client.get(f"/api/v1/tasks/{onsite['id']}", headers=auth("t1a")).json()
    assert detail["prefill"]["party"] == {"kind": "unit", "name": "遂川县测试7号企业有限公司", "credit_code": credit_code(7),
                                          "address": "遂川县泉江镇工业大道8号", "legal_representative": "王林峰",
                                          "phone": "0796-6300000"}
    data = client.app.state.runtime.get_case(case_id).data
    assert (data["target_id"], data["target_assigned_level"]) == (target["id"], "city")  # the assessment's prefill
    file = client.get(f"/api/v1/targets/{target['id']}", headers=auth("t1a")).json()
    assert [c["id"] for c in file["inspections"]] == [case_id]
    assert file["cases"] == [] and file["penalties"] == []
    other = client.post(f"/api/v1/targets/{target['id']}/inspections", headers=auth("t2a"), json={})
    assert other.status_code == 404


def test_a_file_that_is_not_a_sheet_is_refused_and_too_large_a_file_is_refused_while_it_arrives(client, auth, world):
    unreadable = client.post("/api/v1/targets/import?format=xlsx", headers=auth("c1"), content=b"not a workbook")
    assert unreadable.status_code == 422 and unreadable.json()["code"] == "import_unreadable"
    too_large = client.post("/api/v1/targets/import?format=csv", headers=auth("c1"), content=b"x" * (5 * 1024 * 1024 + 1))
    assert too_large.status_code == 413 and too_large.json()["code"] == "too_large"


def test_the_units_file_page_shows_its_entry_inspections_and_history(client, auth, world):
    from tests.api.test_web_access_matrix import web_client

    target = create(client, auth("t1a"), entry(world.agencies.township.id, 8, key_target=True))
    started = client.post(f"/api/v1/targets/{target['id']}/inspections", headers=auth("t1a"), json={})
    number = started.json()["case"]["number"]
    browser, _ = web_client(client.app, world, "t1a")
    page = browser.get(f"/targets/{target['id']}")
    assert page.status_code == 200
    assert "遂川县测试8号企业有限公司" in page.text and target["credit_code"] in page.text and number in page.text
    assert "工贸" in page.text and "登记" in page.text
    listing = browser.get("/targets?q=测试8号")
    assert f'href="/targets/{target["id"]}"' in listing.text
    other, _ = web_client(client.app, world, "t2a")
    refused = other.get(f"/targets/{target['id']}")
    assert refused.status_code == 403 and "无权查看其他乡镇(园区)的执法对象" in refused.text
