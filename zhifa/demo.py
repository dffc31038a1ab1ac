"""`zhifa demo`: one case driven through every step that exists, on the configured (embedded) setup.

泉江镇's officers inspect a sawmill, order rectification, re-inspect, and — the
violation being the unit's — report to the county bureau; the county case that
opens runs the whole general procedure: filing, investigation, notice with the
hearing right (waived), legal review, collective discussion, decision, service,
publication, payment, closing and archiving, and its dossier (卷宗) is built
where LibreOffice runs. Every step goes through the same
authorization as the HTTP API. Statutory windows pass on a simulated clock that
starts on 2026-03-02 (holiday data for 2027 is not yet published, see README),
so the demo finishes in seconds. Prints each step; returns the county case number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from sqlmodel import Session, select

from zhifa.api.authz import task_authorizer
from zhifa.bootstrap import build_runtime, object_store
from zhifa.documents.dossier import build_dossier
from zhifa.documents.pdf import UnoServer, pdf_status
from zhifa.documents.rendition import render_pending
from zhifa.engine import clock
from zhifa.engine.calendar import SHANGHAI
from zhifa.engine.models import Actor, Case
from zhifa.engine.runtime import CaseView, Runtime
from zhifa.identity.models import User
from zhifa.identity.seed import seed_demo
from zhifa.settings import get_settings
from zhifa.vocab import CaseStatus, Lane, Role

PARTY = {"name": "遂川县林峰木业有限公司", "credit_code": "91360827MA35R8QX1K", "address": "遂川县泉江镇工业大道18号",
         "legal_representative": "王林峰", "phone": "0796-6312345"}
START = "2026-03-02"


@dataclass
class Demo:
    runtime: Runtime
    echo: Callable[[str], None]
    users: dict[str, User] = field(default_factory=dict)
    view: CaseView | None = None
    minute: int = 0

    def on(self, day: str) -> None:
        """Move the simulated clock to 09:00 of `day` (plus a minute per step, so the record stays ordered)."""
        self.minute += 1
        at = datetime.combine(datetime.fromisoformat(day).date(), time(9), SHANGHAI) + timedelta(minutes=self.minute)
        clock.set_clock(lambda: at)

    def officers(self, *usernames: str) -> list[dict]:
        return [{"user_id": self.users[u].id, "name": self.users[u].display_name, "certificate_no": self.users[u].certificate_number}
                for u in usernames]

    def actor(self, username: str) -> Actor:
        user = self.users[username]
        return Actor(user_id=user.id, name=user.display_name, role=Role(user.roles[0]), agency_id=user.agency_id)

    def do(self, day: str, username: str, task_name: str, data: dict) -> None:
        self.on(day)
        [task] = [t for t in self.view.tasks if t.name == task_name]
        self.view = self.runtime.complete_task(task.id, data, self.actor(username),
                                               authorize=task_authorizer(self.runtime, self.users[username].id, data))
        user = self.users[username]
        self.echo(f"{day}  {user.display_name}({Lane(task.lane).label}): {task_name} → {CaseStatus(self.view.case.status).label}")

    def wait(self, day: str, what: str) -> None:
        self.on(day)
        if self.runtime.fire_due():
            self.view = self.runtime.get_case(self.view.case.id)
            self.echo(f"{day}  系统: {what} → {CaseStatus(self.view.case.status).label}")


def run_demo(echo: Callable[[str], None] = print) -> str:
    runtime = build_runtime()
    seed_demo(runtime.engine)
    demo = Demo(runtime, echo)
    with Session(runtime.engine) as session:
        demo.users = {u.username: u for u in session.exec(select(User))}
    try:
        return _drive(demo)
    finally:
        clock.set_clock(None)


def _drive(demo: Demo) -> str:
    township = demo.users["quanjiang1"].agency_id
    demo.on(START)
    demo.view = demo.runtime.start_case("inspection", agency_id=township, actor=demo.actor("quanjiang1"),
                                        data={"party": PARTY}, party_name=PARTY["name"], title="日常安全生产检查")
    demo.echo(f"{START}  刘建华: 开始检查 {demo.view.case.number}")
    township_officers = demo.officers("quanjiang1", "quanjiang2")
    problem = {"description": "作业场所未设置安全警示标志, 未为从业人员提供劳动防护用品",
               "provision": "《中华人民共和国安全生产法》第三十五条、第四十五条", "violation_code": "SPL-099-1-01"}
    demo.do(START, "quanjiang1", "现场检查", {
        "party": PARTY, "place": "遂川县泉江镇工业大道18号锯木车间", "started_at": f"{START}T09:00", "ended_at": f"{START}T11:00",
        "officers": township_officers, "site_responsible": "王林峰",
        "unit_attendees": [{"role": "principal", "name": "王林峰", "post": "总经理"}, {"role": "safety_manager", "name": "李安", "post": "安全员"}],
        "checked_items": "安全警示标志、劳动防护用品、设备防护", "findings": "见问题清单", "problems": [problem],
        "handling": "责令限期整改", "order_rectification": True, "unit_signature": "signed"})
    demo.do(START, "quanjiang1", "责令限期整改", {
        "officers": township_officers, "inspection_date": START,
        "rectification_items": [{"problem": "未设置安全警示标志", "provision": "《中华人民共和国安全生产法》第三十五条",
                                 "requirement": "在锯木车间设置明显的安全警示标志", "deadline": "2026-03-12"}]})
    demo.do("2026-03-10", "quanjiang1", "登记单位提前申请复查", {"applied_on": "2026-03-10", "applicant": "王林峰"})
    demo.do("2026-03-11", "quanjiang1", "整改复查", {
        "order_number": demo.view.data["documents"]["rectification_order"], "reinspection_date": "2026-03-11",
        "officers": township_officers, "opinion": "仍未为从业人员提供劳动防护用品, 建议立案处罚", "penalty_needed": True,
        "reinspection_results": [{"problem": "未设置安全警示标志", "rectified": False, "result": "逾期未改正"}]})
    demo.do("2026-03-11", "quanjiang1", "违法行为处理意见", {
        "facts": "作业场所未设置安全警示标志、未提供劳动防护用品, 经责令整改逾期未改正", "violation_code": "SPL-099-1-01",
        "penalised_party": "unit", "penalty_kinds": ["fine"], "accident": False, "crime_suspected": False,
        "in_em_scope": True, "target_assigned_level": "county", "handling_opinion": "违法主体为单位, 报告县局立案"})
    inspection_number = demo.view.case.number
    with Session(demo.runtime.engine) as session:
        county_case = session.exec(select(Case).where(Case.parent_case_id == demo.view.case.id)).one()
    demo.view = demo.runtime.get_case(county_case.id)
    demo.echo(f"2026-03-11  系统: {inspection_number} 已报告县局, 县局案件 {county_case.number} 待立案")

    county_officers = demo.officers("county1", "county2")
    case_name = "遂川县林峰木业有限公司未设置安全警示标志、未提供劳动防护用品案"
    demo.do("2026-03-12", "county1", "填写立案审批表", {
        "case_name": case_name, "case_source": f"泉江镇人民政府报告({inspection_number})",
        "case_summary": "作业场所未设置安全警示标志, 未为从业人员提供符合标准的劳动防护用品, 逾期未改正",
        "suspected_provisions": "《中华人民共和国安全生产法》第三十五条、第四十五条", "officer_opinion": "建议立案调查",
        "officers": county_officers, "contact": "0796-6300001"})
    demo.do("2026-03-13", "head", "审批立案", {"filing_approved": True, "head_opinion": "同意立案", "approved_on": "2026-03-13"})
    demo.do("2026-03-20", "county1", "调查取证", {
        "officers": county_officers, "evidence": "询问笔录2份、勘验笔录1份、现场照片8张", "preservation_needed": False})
    demo.do("2026-03-24", "county1", "制作案件调查报告和处理呈批表", {
        "facts": "当事人作业场所未设置安全警示标志、未提供劳动防护用品, 经责令限期改正逾期未改正",
        "violated_provisions": "《中华人民共和国安全生产法》第三十五条、第四十五条",
        "penalty_basis": "《中华人民共和国安全生产法》第九十九条第一项", "discretion": "逾期未改正, 按一般档次裁量",
        "proposal": "建议处罚款30000元", "proposed_penalty": "罚款人民币30000元", "party_type": "organization",
        "penalty_kinds": ["fine"], "fine_amount": 30000, "confiscation_value": 0, "public_interest": False,
        "complex_case": False, "daily_fine": False, "catalogue_item": None})
    demo.do("2026-03-25", "head", "审批处理意见", {"disposition": "penalty", "head_opinion": "同意给予行政处罚", "approved_on": "2026-03-25"})
    [notice] = demo.view.tasks
    demo.do("2026-03-26", "county1", notice.name, {"notice_served_on": "2026-03-26", "service_method": "直接送达"})
    demo.wait("2026-03-31", "陈述申辩期限届满, 当事人未提出陈述申辩")
    demo.wait("2026-04-03", "听证申请期限届满, 视为放弃听证")
    demo.do("2026-04-07", "reviewer", "法制审核", {
        "review_passed": True, "review_items": "执法主体、程序、事实证据、法律适用、裁量基准、是否需要移送",
        "conclusion": "事实清楚, 证据确凿, 程序合法, 适用依据正确, 裁量适当", "reviewer": "罗文静", "reviewed_on": "2026-04-07"})
    if any(t.name == "集体讨论" for t in demo.view.tasks):
        demo.do("2026-04-09", "head", "集体讨论", {
            "discussed_at": "2026-04-09T15:00:00+08:00", "place": "遂川县应急管理局三楼会议室", "chair": "陈志刚",
            "presenter": "王振宇", "recorder": "钟海燕", "attendees": "陈志刚、王振宇、钟海燕、罗文静",
            "discussion": "与会人员一致认为事实清楚、证据充分", "conclusion": "同意按拟处罚意见作出决定"})
    demo.do("2026-04-10", "head", "作出行政处罚决定", {
        "decided_penalty_kinds": ["fine"], "decided_fine": 30000, "penalty": "罚款人民币30000元",
        "payment_place": "遂川县财政局非税收入账户"})
    decision_number = demo.view.data["documents"]["penalty_decision"]
    demo.do("2026-04-13", "county1", "送达行政处罚决定书", {
        "served_documents": [{"title": "行政处罚决定书", "number": decision_number}], "recipient": "王林峰",
        "service_place": PARTY["address"], "served_at": "2026-04-13T10:00:00+08:00", "service_method": "直接送达",
        "server": "王振宇、钟海燕"})
    demo.do("2026-04-14", "county1", "公示行政处罚决定", {"published_on": "2026-04-14", "publication_channel": "遂川县人民政府网站"})
    demo.do("2026-04-24", "county1", "登记罚款缴纳", {
        "paid_on": "2026-04-24", "paid_amount": 30000, "surcharge_paid": 0, "payment_voucher": "江西省非税收入缴款书0420001"})
    demo.do("2026-04-27", "county1", "填写结案审批表", {"result": "罚款人民币30000元", "enforcement_status": "已全部缴纳"})
    demo.do("2026-04-28", "head", "审批结案", {"closing_approved": True, "head_opinion": "同意结案", "approved_on": "2026-04-28"})
    demo.do("2026-04-29", "county1", "立卷归档", {"cause": "未设置安全警示标志、未提供劳动防护用品",
                                                 "closed_on": "2026-04-28", "retention": "长期", "page_count": 40})
    rendered = render_pending(demo.runtime.engine, object_store())
    demo.echo(f"2026-04-29  系统: 已生成 {rendered} 份执法文书 (.docx)")
    _dossier(demo)
    return demo.view.case.number


def _dossier(demo: Demo) -> None:
    """The archive file (卷宗): PDF with cover, contents and page numbers, and a zip with a hash manifest."""
    settings = get_settings()
    status = pdf_status(settings.uno_dir)
    if not (settings.pdf_rendition and status.available):
        demo.echo(f"系统: 未生成卷宗 ({status.message if settings.pdf_rendition else 'PDF 转换已关闭'})")
        return
    out_dir = settings.data_dir / "dossiers"
    with UnoServer(settings.uno_dir) as converter, Session(demo.runtime.engine) as session:
        result = build_dossier(session, object_store(), demo.view.case.id, out_dir, converter=converter)
    demo.echo(f"系统: 卷宗 {result.pdf_path} ({result.page_count} 页), {result.zip_path}")
