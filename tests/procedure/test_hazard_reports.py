"""Grid hazard reports and 吹哨报到 (issue 16): a grid member reports from the phone, the township's emergency office
triages, summons departments, an overdue department goes to the county on the worker's timer; a citizen's identity
never reaches anything the unit or the public can read."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime, time

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import select

from api.app import create_app
from api.identity.models import StaffCategory
from api.identity.security import issue_token
from api.identity.service import create_user
from api.web.session import SESSION_COOKIE
from documents.evidence.models import Evidence
from engine import record
from engine.db import read_session, transaction
from engine.models import Case
from engine.settings import get_settings
from tests.conftest import SHANGHAI

PASSWORD = "correct-horse-9"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 40


@pytest.fixture
def world(runtime, agencies, frozen_clock, monkeypatch):
    monkeypatch.setenv("ZHIFA_SECRET_KEY", "test-signing-key-" + "k" * 32)
    get_settings.cache_clear()
    people = {"grid": ("township", ["grid_member"], "城南社区网格"), "t1": ("township", ["township_officer"], None),
              "t2": ("other_township", ["township_officer"], None), "c1": ("county", ["county_officer"], None),
              "admin": ("county", ["admin"], None), "water_station": ("township", ["department"], None),
              "water_bureau": ("county", ["department"], None), "forestry": ("township", ["department"], None),
              "other_station": ("other_township", ["department"], None)}
    departments = {"water_station": "乡镇水利站", "water_bureau": "县水利局", "forestry": "乡镇林业站",
                   "other_station": "乡镇水利站"}
    ids = {}
    with transaction(runtime.engine) as session:
        for name, (agency, roles, grid) in people.items():
            user = create_user(session, username=name, display_name=f"用户{name}", password=PASSWORD,
                               agency_id=getattr(agencies, agency).id, roles=roles, grid=grid,
                               department=departments.get(name), staff_category=StaffCategory.officer if name[0] in "tc"
                               else StaffCategory.auxiliary, certificate_number=f"赣3608{len(ids):04d}" if name[0] in "tc" else None,
                               certificate_expires=date(2028, 12, 31) if name[0] in "tc" else None)
            ids[name] = user.id
    with TestClient(create_app(runtime)) as client:
        client.headers_for = lambda name: {"Authorization": f"Bearer {issue_token(ids[name]).token}"}
        client.user_ids = ids
        yield client


def on(clock, day: str, hour: int = 10) -> None:
    clock.at = datetime.combine(date.fromisoformat(day), time(hour), tzinfo=SHANGHAI)


def report(client, **extra) -> dict:
    body = {"category": "flood_control", "place": "城南社区河堤", "gps_lat": 26.33, "gps_lon": 114.52,
            "description": "河堤出现管涌", "unit_name": "遂川县某砂石场", **extra}
    response = client.post("/api/v1/hazards", json=body, headers=client.headers_for("grid"))
    assert response.status_code == 201, response.text
    return response.json()


def task(client, user: str, name: str) -> dict:
    inbox = client.get("/api/v1/tasks", headers=client.headers_for(user)).json()
    items = inbox["items"] if isinstance(inbox, dict) else inbox
    matching = [t for t in items if t["name"] == name]
    assert matching, f"{user} has no task {name}: {[t['name'] for t in items]}"
    return matching[0]


def complete(client, user: str, name: str, data: dict) -> None:
    response = client.post(f"/api/v1/tasks/{task(client, user, name)['id']}/complete", json={"data": data},
                           headers=client.headers_for(user))
    assert response.status_code == 200, response.text


def status(client, report_id: int) -> dict:
    return client.get(f"/api/v1/hazards/mine/{report_id}", headers=client.headers_for("grid")).json()


def test_a_grid_report_with_a_photo_goes_to_the_township_and_the_reporter_sees_its_status(world, frozen_clock):
    filed = report(world)
    assert filed["status_label"] == "待研判" and filed["number"].startswith("（遂泉）隐患〔2026〕")
    photo = world.post(f"/api/v1/hazards/{filed['id']}/photos", files={"photo": ("堤.png", PNG, "image/png")},
                       headers=world.headers_for("grid"))
    assert photo.status_code == 204, photo.text
    evidence = world.get(f"/api/v1/cases/{filed['case_id']}/evidence", headers=world.headers_for("t1")).json()
    assert [(e["filename"], e["uploaded_by_name"]) for e in evidence] == [("堤.png", "用户grid")]
    # only photos; the other township's officers and the grid member see nothing of the case itself
    refused = world.post(f"/api/v1/hazards/{filed['id']}/photos", files={"photo": ("x.exe", b"MZ", "application/x-msdownload")},
                         headers=world.headers_for("grid"))
    assert refused.status_code == 422 and refused.json()["code"] == "hazard_photo_type"
    huge = world.post(f"/api/v1/hazards/{filed['id']}/photos", headers=world.headers_for("grid"),
                      files={"photo": ("大.png", PNG + b"\x00" * (10 * 1024**2), "image/png")})
    assert huge.status_code == 413 and huge.json()["code"] == "too_large", huge.text
    assert len(world.get(f"/api/v1/cases/{filed['case_id']}/evidence", headers=world.headers_for("t1")).json()) == 1
    assert world.get(f"/api/v1/hazards/{filed['id']}", headers=world.headers_for("t2")).status_code == 404
    assert world.get(f"/api/v1/cases/{filed['case_id']}", headers=world.headers_for("grid")).status_code in (403, 404)
    assert task(world, "t1", "研判隐患报告")["due_on"] == "2026-03-03"
    assert [r["status_label"] for r in world.get("/api/v1/hazards/mine", headers=world.headers_for("grid")).json()] == ["待研判"]


def test_whistle_with_one_department_overdue_escalates_to_the_county_on_the_workers_timer(world, runtime, frozen_clock):
    filed = report(world)
    complete(world, "t1", "研判隐患报告", {"triage_decision": "whistle", "departments": ["乡镇水利站", "县水利局"]})
    assert status(world, filed["id"])["status_label"] == "吹哨处置中"
    on(frozen_clock, "2026-03-02", 15)
    complete(world, "water_station", "部门报到和报告处置情况", {"department": "乡镇水利站", "report_kind": "ack",
                                                        "contact": "李站长"})
    not_own = world.post(f"/api/v1/tasks/{task(world, 'water_station', '部门报到和报告处置情况')['id']}/complete",
                         json={"data": {"department": "县水利局", "report_kind": "ack"}},
                         headers=world.headers_for("water_station"))
    assert not_own.status_code == 422 and "只能登记本部门(乡镇水利站)的情况" in not_own.text

    on(frozen_clock, "2026-03-03", 23)  # the 报到 period ends at 24:00 on 3 March
    assert runtime.fire_due() == []
    on(frozen_clock, "2026-03-04", 0)
    assert runtime.fire_due() == [filed["case_id"]]
    detail = world.get(f"/api/v1/hazards/{filed['id']}", headers=world.headers_for("t1")).json()
    assert [(d["name"], d["acknowledged"], d["escalated"]) for d in detail["departments"]] == [
        ("乡镇水利站", True, False), ("县水利局", False, True)]
    supervision = world.get(f"/api/v1/tasks/{task(world, 'c1', '督办逾期部门')['id']}", headers=world.headers_for("c1")).json()
    assert supervision["prefill"]["overdue_departments"] == ["县水利局"]
    complete(world, "c1", "督办逾期部门", {"supervised_on": "2026-03-04", "supervision_opinion": "县水利局立即报到处置"})

    on(frozen_clock, "2026-03-05")
    for department, action in (("县水利局", "派员封堵管涌"), ("乡镇水利站", "设置警示并巡查")):
        account = {"县水利局": "water_bureau", "乡镇水利站": "water_station"}[department]
        complete(world, account, "部门报到和报告处置情况", {"department": department, "report_kind": "action",
                                                    "action_taken": action})
    complete(world, "t1", "复核隐患整改情况", {"recheck_on": "2026-03-05", "recheck_passed": True, "recheck_notes": "管涌已封堵"})
    assert status(world, filed["id"])["status_label"] == "隐患已销号"
    with read_session(runtime.engine) as session:
        assert session.get(Case, filed["case_id"]).outcome == "closed"


def test_a_department_reporting_in_time_does_not_go_to_the_county(world, runtime, frozen_clock):
    filed = report(world, category="forest_fire")
    complete(world, "t1", "研判隐患报告", {"triage_decision": "whistle", "departments": ["乡镇林业站"]})
    complete(world, "forestry", "部门报到和报告处置情况", {"department": "乡镇林业站", "report_kind": "ack"})
    on(frozen_clock, "2026-03-04", 1)
    assert runtime.fire_due() == [filed["case_id"]]  # the 报到 deadline passes: nobody overdue
    inbox = world.get("/api/v1/tasks", headers=world.headers_for("c1")).json()
    assert "督办逾期部门" not in json.dumps(inbox, ensure_ascii=False)
    assert status(world, filed["id"])["status_label"] == "吹哨处置中"


def test_a_citizen_reporters_identity_never_reaches_the_unit_or_the_public(world, runtime, frozen_clock):
    body = {"agency_code": "quanjiang", "category": "safety_production", "place": "工业大道8号",
            "description": "仓库堆放大量烟花爆竹", "unit_name": "遂川县某商贸公司",
            "reporter_name": "王秀英", "reporter_phone": "13907960001"}
    receipt = world.post("/api/v1/public/hazard-reports", json=body)
    assert receipt.status_code == 201, receipt.text
    code = receipt.json()["receipt_code"]
    assert world.post(f"/api/v1/public/hazard-reports/{code}/photos",
                      files={"photo": ("仓库.png", PNG, "image/png")}).status_code == 204
    assert world.get(f"/api/v1/public/hazard-reports/{code}").json()["status_label"] == "待研判"
    assert world.get("/api/v1/public/hazard-reports/not-the-right-code").status_code == 404
    # the township handles it itself: an inspection of the unit opens, linked
    complete(world, "t1", "研判隐患报告", {"triage_decision": "inspect",
                                       "party": {"kind": "unit", "name": "遂川县某商贸公司"}})
    assert world.get(f"/api/v1/public/hazard-reports/{code}").json()["status_label"] == "已转入现场检查"
    # the township's officers may call the citizen back; the county and other townships may not, and the read is recorded
    report_id = world.get("/api/v1/hazards", headers=world.headers_for("t1")).json()["items"][0]["id"]
    contact = world.get(f"/api/v1/hazards/{report_id}/reporter", headers=world.headers_for("t1"))
    assert contact.json() == {"name": "王秀英", "phone": "13907960001"}
    for other in ("c1", "t2"):
        refused = world.get(f"/api/v1/hazards/{report_id}/reporter", headers=world.headers_for(other))
        assert refused.status_code == 403 and refused.json()["code"] == "reporter_confidential"
    with read_session(runtime.engine) as session:
        hazard = session.exec(select(Case).where(Case.kind == "hazard")).one()
        inspection = session.exec(select(Case).where(Case.parent_case_id == hazard.id)).one()
        events = [e.model_dump(mode="json") for case in (hazard, inspection) for e in record.events(session, case.id)]
        photos = [e.model_dump(mode="json") for e in session.exec(select(Evidence))]
    assert inspection.party_name == "遂川县某商贸公司" and inspection.process_id == "inspection"
    readable = [json.dumps(runtime.get_case(inspection.id).data, ensure_ascii=False),
                json.dumps(runtime.get_case(hazard.id).data, ensure_ascii=False),
                json.dumps(events, ensure_ascii=False), json.dumps(photos, ensure_ascii=False)]
    for path in ("/api/v1/hazards?q=工业", "/api/v1/hazards/export?format=csv", f"/api/v1/cases/{inspection.id}",
                 f"/api/v1/cases/{hazard.id}", f"/api/v1/cases/{hazard.id}/record", f"/api/v1/cases/{hazard.id}/evidence"):
        response = world.get(path, headers=world.headers_for("t1"))
        assert response.status_code == 200, (path, response.text)
        readable.append(response.content.decode("utf-8"))
    readable += [world.get("/api/v1/public/publications").text, world.get("/public/publications").text]
    for text in readable:
        assert "王秀英" not in text and "13907960001" not in text and "0796-0001" not in text
    assert "群众举报" in readable[5]
    assert "查看举报人信息" in readable[8] or "reporter_identity_read" in readable[8]


def test_the_ledger_filters_and_exports_the_townships_hazards_and_the_county_sees_all(world, runtime, frozen_clock):
    flood = report(world)
    fire = report(world, category="forest_fire", place="=HYPERLINK(\"http://x\")林场", unit_name="")
    tasks = [t for t in world.get("/api/v1/tasks", headers=world.headers_for("t1")).json() if t["case_id"] == fire["case_id"]]
    response = world.post(f"/api/v1/tasks/{tasks[0]['id']}/complete", headers=world.headers_for("t1"),
                          json={"data": {"triage_decision": "dismiss", "dismiss_reason": "已由林场自行处置"}})
    assert response.status_code == 200, response.text
    missing_reason = world.post(f"/api/v1/tasks/{task(world, 't1', '研判隐患报告')['id']}/complete",
                                headers=world.headers_for("t1"), json={"data": {"triage_decision": "dismiss"}})
    assert missing_reason.status_code == 422 and "不予处理应写明理由" in missing_reason.text

    def ledger(user, **params):
        return world.get("/api/v1/hazards", params=params, headers=world.headers_for(user)).json()

    assert [i["id"] for i in ledger("t1")["items"]] == [fire["id"], flood["id"]]
    assert [i["id"] for i in ledger("t1", category="flood_control")["items"]] == [flood["id"]]
    assert [i["id"] for i in ledger("t1", status="open")["items"]] == [flood["id"]]
    assert [i["status_label"] for i in ledger("t1", status="hazard_dismissed")["items"]] == ["不予处理"]
    assert [i["id"] for i in ledger("t1", q="砂石")["items"]] == [flood["id"]]
    assert ledger("t2")["total"] == 0  # another township sees none of them
    assert ledger("c1")["total"] == 2  # the county bureau sees its townships'

    exported = world.get("/api/v1/hazards/export", params={"format": "csv"}, headers=world.headers_for("t1"))
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["编号", "报告时间", "乡镇(园区)"]
    assert {(row[5], row[11]) for row in rows[1:]} == {("防汛", "待研判"), ("森林火灾", "不予处理")}
    assert any(row[6].startswith("'=HYPERLINK") for row in rows[1:])  # never a formula in Excel
    book = load_workbook(io.BytesIO(world.get("/api/v1/hazards/export", params={"format": "xlsx", "category": "flood_control"},
                                               headers=world.headers_for("t1")).content))
    sheet = book["重点隐患台账"]
    assert [cell.value for cell in sheet[2]][5:7] == ["防汛", "城南社区河堤"] and sheet.max_row == 2
    assert world.get("/api/v1/hazards", headers=world.headers_for("grid")).status_code == 403


def test_an_administrator_binds_a_grid_member_to_a_grid_of_a_township(world, agencies):
    body = {"username": "grid2", "display_name": "钟网格", "password": "long-enough-1", "agency_id": agencies.township.id,
            "roles": ["grid_member"], "staff_category": "auxiliary"}
    headers = world.headers_for("admin")
    no_grid = world.post("/api/v1/users", json=body, headers=headers)
    assert no_grid.status_code == 422 and no_grid.json()["code"] == "grid_required"
    at_county = world.post("/api/v1/users", json={**body, "grid": "某网格", "agency_id": agencies.county.id}, headers=headers)
    assert at_county.status_code == 422 and at_county.json()["code"] == "grid_required"
    created = world.post("/api/v1/users", json={**body, "grid": "龙泉村网格"}, headers=headers)
    assert created.status_code == 201 and created.json()["grid"] == "龙泉村网格"
    assert world.post("/api/v1/users", json={**body, "username": "x", "roles": ["citizen"], "grid": "g"},
                      headers=headers).status_code == 422  # a citizen is never an account


def test_the_triage_page_comes_prefilled_with_the_categorys_departments_and_the_unit(world, runtime):
    filed = report(world)
    world.cookies.set(SESSION_COOKIE, issue_token(world.user_ids["t1"]).token)
    page = world.get(f"/tasks/{task(world, 't1', '研判隐患报告')['id']}")
    assert page.status_code == 200, page.text
    assert "吹哨(召集部门报到处置)" in page.text and "遂川县某砂石场" in page.text
    assert "乡镇水利站" in page.text and "县水利局" in page.text  # the flood departments of api/data/hazards.yaml
    case_page = world.get(f"/cases/{filed['case_id']}")
    assert case_page.status_code == 200 and "待研判" in case_page.text
    case_list = world.get("/cases")
    assert case_list.status_code == 200 and filed["number"] in case_list.text
    ledger_page = world.get("/hazards", params={"status": "open"})
    assert ledger_page.status_code == 200 and "城南社区河堤" in ledger_page.text


def test_the_grid_members_page_names_their_grid_in_chinese_punctuation(world):
    world.cookies.set(SESSION_COOKIE, issue_token(world.user_ids["grid"]).token)
    page = world.get("/grid")
    assert page.status_code == 200, page.text
    assert "网格：城南社区网格。" in page.text and "网格:" not in page.text


def test_a_citizen_reports_on_the_public_page_without_login_and_follows_it_with_the_receipt_code(world):
    form = world.get("/public/hazard-report")
    assert form.status_code == 200 and "泉江镇人民政府" in form.text and "遂川县应急管理局" not in form.text
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', form.text).group(1)
    fields = {"csrf_token": token, "agency_code": "quanjiang", "category": "urban_waterlogging", "place": "泉江镇老街",
              "description": "下水道堵塞, 雨后积水", "reporter_name": "赖春华", "reporter_phone": "13807969999"}
    incomplete = world.post("/public/hazard-report", data={**fields, "place": ""})
    assert incomplete.status_code == 422 and "请选择乡镇" in incomplete.text and "赖春华" in incomplete.text  # kept
    filed = world.post("/public/hazard-report", data=fields)
    assert filed.status_code == 200 and "举报已提交" in filed.text
    code = re.search(r"<code data-receipt>([A-Za-z0-9_-]+)</code>", filed.text).group(1)
    status = world.get("/public/hazard-report/status", params={"code": code})
    assert status.status_code == 200 and "城镇内涝" in status.text and "待研判" in status.text
    assert "赖春华" not in status.text and "13807969999" not in status.text
    assert world.get("/public/hazard-report/status", params={"code": "wrong-code-1"}).status_code == 404
    ledger = world.get("/api/v1/hazards", headers=world.headers_for("t1")).json()
    assert [(i["source_label"], i["place"]) for i in ledger["items"]] == [("群众举报", "泉江镇老街")]
