"""Issue 11.1: the penalised party is chosen when the case is filed, and every document from then on names it.

泉江镇 inspects 遂川县宏达竹木制品厂 and finds that its safety manager never recorded the hazard checks (SPL
Arts. 25, 96). The fine falls on the person, so the jurisdiction table leaves the case to the township
(entrusted, in the county bureau's name). The officers name the safety manager on the 立案审批表; the hearing
check uses a person's threshold, and the 行政处罚决定书 for 12,000 yuan names the person, not the unit.
"""

import io
from datetime import datetime

import pytest
from docx import Document
from fastapi.testclient import TestClient

from api.app import create_app
from api.bootstrap import object_store
from documents.rendition import render_pending
from tests.api.test_web_task_page import task_page
from tests.conftest import SHANGHAI
from tests.procedure import steps
from tests.procedure.inspection_steps import assessment, record

UNIT = {"kind": "unit", "name": "遂川县宏达竹木制品厂", "credit_code": "91360827MA35XXXX1K",
        "address": "遂川县泉江镇竹木加工区9号", "legal_representative": "郭宏达", "phone": "0796-6312345"}
SAFETY_MANAGER = {"kind": "person", "name": "钟敏", "sex": "女", "id_number": "360827198805120027",
                  "birth_date": "1988-05-12", "address": "遂川县泉江镇龙泉大道36号", "employer": UNIT["name"],
                  "post": "安全生产管理人员", "phone": "13907962345"}
HAZARD_CHECKS = {"description": "安全生产管理人员未如实记录事故隐患排查治理情况", "provision": "《安全生产法》第二十五条第一款",
                 "violation_code": "SPL-096-1-SAF"}


@pytest.fixture
def runtime(app_runtime):
    return app_runtime


@pytest.fixture
def client(store_kind, runtime, world, frozen_clock):
    with TestClient(create_app(runtime)) as test_client:
        yield test_client


class Officers:
    def __init__(self, client, auth, clock, case_id: int):
        self.client, self.auth, self.clock, self.case_id = client, auth, clock, case_id

    def on(self, day: str) -> None:
        self.clock.at = datetime.fromisoformat(f"{day}T10:00").replace(tzinfo=SHANGHAI)

    def task(self, user: str, name: str) -> dict:
        inbox = self.client.get("/api/v1/tasks", headers=self.auth(user)).json()
        [task] = [t for t in inbox if t["case_id"] == self.case_id and t["name"] == name]
        return self.client.get(f"/api/v1/tasks/{task['id']}", headers=self.auth(user)).json()

    def complete(self, user: str, name: str, data: dict) -> dict:
        detail = self.task(user, name)
        response = self.client.post(f"/api/v1/tasks/{detail['task']['id']}/complete", headers=self.auth(user),
                                    json={"data": data})
        assert response.status_code == 200, f"{name}: {response.text}"
        return response.json()

    def case(self, user: str = "t1a") -> dict:
        return self.client.get(f"/api/v1/cases/{self.case_id}", headers=self.auth(user)).json()


def docx_text(client, headers, document_id: int) -> str:
    response = client.get(f"/api/v1/documents/{document_id}/download", params={"format": "docx"}, headers=headers)
    assert response.status_code == 200, response.text
    document = Document(io.BytesIO(response.content))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)  # tables after the body, cell by cell


def test_the_decision_on_the_safety_manager_names_the_person_not_the_unit(client, auth, world, frozen_clock):
    officers = [world.officer("t1a"), world.officer("t1b")]
    started = client.post("/api/v1/cases", headers=auth("t1a"), json={
        "process": "inspection", "agency_id": world.agencies.township.id, "party": UNIT, "title": "日常检查"})
    assert started.status_code == 201, started.text
    inspection = Officers(client, auth, frozen_clock, started.json()["case"]["id"])
    inspection.complete("t1a", "现场检查", record("2026-03-02", [HAZARD_CHECKS], party=UNIT) | {"officers": officers})
    inspection.complete("t1a", "违法行为处理意见", assessment(
        penalised_party="safety_manager", violation_code="SPL-096-1-SAF",
        facts="安全生产管理人员钟敏未如实记录本单位事故隐患排查治理情况"))
    [child] = inspection.case()["children"]
    case = Officers(client, auth, frozen_clock, child["id"])
    assert case.case()["case"]["agency_id"] == world.agencies.township.id  # entrusted to the township

    case.on("2026-03-03")
    filing = case.task("t1a", "填写立案审批表")
    assert filing["prefill"]["party"]["name"] == UNIT["name"]  # offered: the inspected unit; the officers name the person
    page = task_page(client.app, world, "t1a", filing["task"]["id"])  # the web form offers the same choice
    assert "被处罚当事人" in page and UNIT["name"] in page and "身份证号码" in page and "出生日期" in page
    kept_unit = steps.filing("宏达竹木制品厂案", "日常检查发现", "《安全生产法》第九十六条") | {"officers": officers}
    refused = client.post(f"/api/v1/tasks/{filing['task']['id']}/complete", headers=auth("t1a"), json={"data": kept_unit})
    assert refused.status_code == 422 and refused.json()["code"] == "rule_violated"
    assert "处罚主要负责人、其他负责人或者安全生产管理人员的，当事人为该个人" in refused.json()["message"]
    case.complete("t1a", "填写立案审批表", steps.filing(
        "钟敏未如实记录事故隐患排查治理情况案", "日常检查发现安全生产管理人员未如实记录事故隐患排查治理情况",
        "《安全生产法》第二十五条第一款、第九十六条", party=SAFETY_MANAGER) | {"officers": officers})
    case.complete("head", "审批立案", steps.approve("2026-03-03", "filing_approved"))
    assert case.case()["case"]["party_name"] == "钟敏"
    case.on("2026-03-04")
    case.complete("t1a", "调查取证", steps.investigation() | {"officers": officers})
    case.complete("t1a", "制作案件调查报告和处理呈批表", steps.report(penalty_kinds=["fine"], fine=12000)
                  | {"violated_provisions": "《中华人民共和国安全生产法》第二十五条第一款",
                     "penalty_basis": "《中华人民共和国安全生产法》第九十六条"})
    case.complete("head", "审批处理意见", steps.handling("2026-03-04", "penalty"))
    # a person's threshold (Jiangxi: 3,000 yuan): the notice comes with the hearing notice
    case.on("2026-03-05")
    case.complete("t1a", "送达行政处罚告知书和听证告知书", steps.notice("2026-03-05"))
    for day in ("2026-03-09", "2026-03-13"):  # the statement window, then the hearing-request window, close
        case.on(day)
        client.app.state.runtime.fire_due()
    case.on("2026-03-16")
    case.complete("reviewer", "法制审核", steps.legal_review("2026-03-16", True))
    without_head = steps.discussion("2026-03-16") | {"members": [
        {"name": "王强", "member_role": "case_officer", "opinion": "汇报案件事实、证据和拟处罚意见"}]}
    refused = client.post(f"/api/v1/tasks/{case.task('head', '集体讨论')['task']['id']}/complete", headers=auth("head"),
                          json={"data": without_head})
    assert refused.status_code == 422 and "集体讨论应当由机关负责人参加并作出决定" in refused.text
    case.complete("head", "集体讨论", steps.discussion("2026-03-16"))
    case.complete("head", "作出行政处罚决定", steps.decision(["fine"], 12000))

    decided = case.case()
    number = next(d["number"] for d in decided["documents"] if d["doc_id"] == "penalty_decision")
    case.on("2026-03-17")
    case.complete("t1a", "送达行政处罚决定书", steps.service("2026-03-17", {"documents": {"penalty_decision": number}},
                                                       recipient="钟敏"))
    case.complete("t1a", "公示行政处罚决定", steps.publication("2026-03-17"))

    render_pending(client.app.state.runtime.engine, object_store())
    documents = {d["doc_id"]: d for d in client.get(f"/api/v1/cases/{case.case_id}/documents", headers=auth("t1a")).json()}
    decision = docx_text(client, auth("t1a"), documents["penalty_decision"]["id"])
    assert "当事人：钟敏" in decision
    assert "当事人：遂川县宏达竹木制品厂" not in decision
    assert "身份证号码：360827198805120027" in decision and "出生日期：1988年5月12日" in decision
    assert "工作单位：遂川县宏达竹木制品厂" in decision and "壹万贰仟元整" in decision
    notice_number, hearing_number = documents["penalty_notice"]["number"], documents["hearing_notice"]["number"]
    assert (f"本机关于2026年3月5日以{notice_number}行政处罚告知书、{hearing_number}听证告知书告知你拟作出行政处罚的事实、"
            "理由、依据及你依法享有的陈述、申辩和要求听证的权利。你在规定期限内未提出陈述、申辩意见，视为放弃陈述、申辩权利。"
            "你在规定期限内未要求听证，视为放弃听证权利。") in decision
    assert "你单位" not in decision and "（单位）" not in decision
    notice = docx_text(client, auth("t1a"), documents["penalty_notice"]["id"])
    assert notice.startswith("遂川县应急管理局") and "钟敏：" in notice and "遂川县宏达竹木制品厂：" not in notice
    receipt = docx_text(client, auth("t1a"), documents["service_receipt"]["id"])
    assert "受送达人（签名）" in receipt and "受送达单位" not in receipt
    # the notices served together have their own receipt, listing both by title and number
    listed = client.get(f"/api/v1/cases/{case.case_id}/documents", headers=auth("t1a")).json()
    first_receipt = next(d for d in listed if d["doc_id"] == "service_receipt")
    assert first_receipt["id"] != documents["service_receipt"]["id"]
    notices_receipt = docx_text(client, auth("t1a"), first_receipt["id"])
    assert "受送达人\n钟敏" in notices_receipt and "签收人\n钟敏" in notices_receipt
    assert f"1\n行政处罚告知书\n{notice_number}\n2\n听证告知书\n{hearing_number}" in notices_receipt
    assert "送达时间\n2026年3月5日" in notices_receipt and "行政处罚决定书" not in notices_receipt
    assert "行政处罚决定书\n" + number in receipt
    # the publication redacts a person's name, ID number and home (not a unit's name)
    [published] = client.get("/api/v1/public/publications", params={"q": "钟某"}).json()["items"]
    assert "钟某" in published["text"]
    assert "钟敏" not in published["text"] and "360827198805120027" not in published["text"]
