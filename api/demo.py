"""`zhifa demo`: one case driven through every step that exists, on the configured (embedded) setup.

泉江镇's officers inspect a sawmill, order rectification, re-inspect, and — the
violation being the unit's — report to the county bureau; the county case that
opens runs the whole general procedure: filing, investigation, notice with the
hearing right (waived), legal review, collective discussion, decision, service,
publication, payment, closing and archiving, and its dossier (卷宗) is built
where LibreOffice runs. The story is `SCRIPT`, a list of steps; this module
drives it through the runtime under the same authorization as the HTTP API
(the end-to-end API test drives the same script over HTTP). Statutory windows
pass on a simulated clock that starts on 2026-03-02 (holiday data for 2027 is not
yet published, see README), so the demo finishes in seconds. `zhifa serve --demo`
replays parts of the same script for other enterprises, whole weeks later, so that
they end just before today (api/demo_cases.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlmodel import select

from api.authz import task_authorizer, task_data_check
from api.bootstrap import build_runtime, object_store
from api.demo_evidence import upload_step_evidence
from api.identity.models import User
from api.identity.seed import seed_demo
from api.services.dossier_files import build_case_dossier
from documents.pdf import pdf_status
from documents.rendition import render_pending
from engine import clock
from engine.calendar import SHANGHAI
from engine.db import read_session
from engine.models import Actor, Case
from engine.runtime import CaseView, Runtime
from engine.settings import get_settings
from engine.vocab import CaseStatus, Lane, Role

PARTY = {"name": "遂川县林峰木业有限公司", "credit_code": "91360827MA35R8QX1K", "address": "遂川县泉江镇工业大道18号",
         "legal_representative": "王林峰", "phone": "0796-6312345"}
# SPL Art. 99 after failing to correct: the unit and its directly responsible person are each fined, each by a
# 行政处罚决定书 of its own (bpmn/general_procedure.bpmn, documentsForEach)
RESPONSIBLE_PERSON = {"kind": "person", "name": "王林峰", "id_number": "360827197501010011", "sex": "男",
                      "address": "遂川县泉江镇工业大道18号", "employer": PARTY["name"], "post": "法定代表人、总经理"}
START = "2026-03-02"
FOLLOW_LINKED = "转入县局案件"  # the step that moves on to the case the previous one opened


@dataclass(frozen=True)
class Step:
    """One step of the story: `user` completes `task` on `day` with `data` (a dict, or built from the case data).

    A step without a user lets time pass to `day` and runs the worker; `FOLLOW_LINKED` moves on to the linked case.
    """

    day: str
    user: str | None
    task: str
    data: dict | Callable[[dict, Callable[..., list[dict]]], dict] = field(default_factory=dict)
    optional: bool = False  # e.g. collective discussion, only where the decision table asks for it


def _person_decision_number(case_data: dict) -> str:
    """The number of the decision on the responsible person: from the case data, or (an HTTP driver) the documents."""
    for person in case_data.get("responsible_persons") or []:
        return person["document_number"]
    return case_data["documents"]["responsible_person_penalty_decision"]


def _officers(usernames: tuple[str, ...]):
    return lambda case_data, officers: {"officers": officers(*usernames)}


def _party(case_data: dict) -> dict:
    """The case's party (the demo's own where a driver passes only the documents and the source case)."""
    return case_data.get("party") or PARTY


# Two findings; the signs are put up in time, the protective equipment is not: the case is SPL Art. 99(5) after
# failing to correct (50,000-200,000 yuan on the unit and, mandatory, 10,000-20,000 on the persons directly responsible).
SIGNS = {"description": "锯木车间等作业场所未设置明显的安全警示标志", "provision": "《中华人民共和国安全生产法》第三十五条",
         "violation_code": "SPL-099-1-01"}
PROTECTIVE_EQUIPMENT = {"description": "未为锯木车间从业人员提供符合国家标准的防尘口罩和护听器",
                        "provision": "《中华人民共和国安全生产法》第四十五条", "violation_code": "SPL-099-1-05"}
DEADLINE = "2026-03-12"
TOWNSHIP = ("quanjiang1", "quanjiang2")
COUNTY = ("county1", "county2")

SCRIPT: list[Step] = [
    Step(START, "quanjiang1", "现场检查", lambda d, officers: {
        "party": _party(d), "place": f"{_party(d)['address']}生产车间", "started_at": f"{START}T09:00", "ended_at": f"{START}T11:00",
        "officers": officers(*TOWNSHIP), "site_responsible": _party(d)["legal_representative"],
        "unit_attendees": [{"role": "principal", "name": _party(d)["legal_representative"], "post": "总经理"},
                           {"role": "safety_manager", "name": "李安", "post": "安全员"}],
        "checked_items": "安全警示标志、劳动防护用品、设备防护", "findings": "见问题清单", "problems": [SIGNS, PROTECTIVE_EQUIPMENT],
        "handling": "责令限期整改", "order_rectification": True, "unit_signature": "signed"}),
    Step(START, "quanjiang1", "责令限期整改", lambda d, officers: {
        "officers": officers(*TOWNSHIP), "inspection_date": START,
        "rectification_items": [
            {"problem": SIGNS["description"], "provision": SIGNS["provision"],
             "requirement": "在锯木车间设置明显的安全警示标志", "deadline": DEADLINE},
            {"problem": PROTECTIVE_EQUIPMENT["description"], "provision": PROTECTIVE_EQUIPMENT["provision"],
             "requirement": "为锯木车间从业人员配备符合国家标准的防尘口罩和护听器，并监督、教育其正确佩戴", "deadline": DEADLINE}]}),
    Step("2026-03-13", None, "整改期限届满，待复查"),
    Step("2026-03-13", "quanjiang1", "整改复查", lambda d, officers: {
        "order_number": d["documents"]["rectification_order"], "reinspection_date": "2026-03-13",
        "officers": officers(*TOWNSHIP), "penalty_needed": True,
        "opinion": "经复查，你单位已在锯木车间设置安全警示标志；至整改期限届满仍未为从业人员提供符合国家标准的劳动防护用品，逾期未改正。",
        "reinspection_results": [
            {"problem": SIGNS["description"], "rectified": True, "result": "已在锯木车间入口和设备旁设置安全警示标志"},
            {"problem": PROTECTIVE_EQUIPMENT["description"], "rectified": False, "result": "从业人员仍未配备防尘口罩和护听器，逾期未改正"}]}),
    Step("2026-03-13", "quanjiang1", "违法行为处理意见", {
        "facts": "未为从业人员提供符合国家标准的劳动防护用品，经责令限期改正逾期未改正", "violation_code": "SPL-099-1-05",
        "penalised_party": "unit", "penalty_kinds": ["fine"], "accident": False, "crime_suspected": False,
        "in_em_scope": True, "target_assigned_level": "county",
        "handling_opinion": "违法主体为单位，逾期未改正，建议报告县局立案处罚"}),
    Step("2026-03-13", None, FOLLOW_LINKED),
    Step("2026-03-16", "county1", "填写立案审批表", lambda d, officers: {
        "case_name": f"{_party(d)['name']}未为从业人员提供劳动防护用品案",
        "case_source": f"泉江镇人民政府报告：现场检查记录{d['source']['documents']['inspection_record']}",
        "case_summary": "未为从业人员提供符合国家标准的劳动防护用品，经泉江镇人民政府责令限期改正，逾期未改正",
        "suspected_provisions": "《中华人民共和国安全生产法》第四十五条、第九十九条第五项", "officer_opinion": "建议立案调查",
        "officers": officers(*COUNTY), "contact": "0796-6300001"}),
    Step("2026-03-17", "head", "审批立案", {"filing_approved": True, "head_opinion": "同意立案", "approved_on": "2026-03-17"}),
    Step("2026-03-20", "county1", "调查取证", lambda d, officers: {
        "officers": officers(*COUNTY), "evidence": "询问笔录2份、勘验笔录1份、现场照片8张", "preservation_needed": False}),
    Step("2026-03-24", "county1", "制作案件调查报告和处理呈批表", {
        "facts": "当事人未为锯木车间从业人员提供符合国家标准的防尘口罩和护听器，经泉江镇人民政府责令于2026年3月12日前改正，"
                 "复查时逾期未改正",
        "violated_provisions": "《中华人民共和国安全生产法》第四十五条", "violation_code": "SPL-099-1-05",
        "penalty_basis": "《中华人民共和国安全生产法》第九十九条第五项", "overdue_uncorrected": True,
        "discretion": "经责令限期改正逾期未改正，适用第九十九条逾期未改正的罚款幅度（单位五万元以上二十万元以下，"
                      "直接负责的主管人员和其他直接责任人员一万元以上二万元以下）；无从重、从轻情节，在幅度内从低裁量",
        "proposal": "建议对当事人处罚款人民币60000元，对直接负责的主管人员王林峰处罚款人民币12000元",
        "proposed_penalty": "对当事人处罚款人民币60000元；对直接负责的主管人员王林峰处罚款人民币12000元",
        "penalty_kinds": ["fine"], "fine_amount": 60000, "responsible_persons_fine": 12000,
        "confiscation_value": 0, "public_interest": False,
        "complex_case": False, "daily_fine": False, "catalogue_item": None}),
    Step("2026-03-25", "head", "审批处理意见", {"disposition": "penalty", "head_opinion": "同意给予行政处罚", "approved_on": "2026-03-25"}),
    Step("2026-03-26", "county1", "送达行政处罚告知书和听证告知书", {"notice_served_on": "2026-03-26", "service_method": "直接送达",
                                                             "person_notices": [{"party": RESPONSIBLE_PERSON, "fine_amount": 12000,
                                                                                 "proposed_penalty": "对直接负责的主管人员王林峰处罚款人民币12000元"}]}),
    Step("2026-03-31", None, "陈述申辩期限届满，当事人未提出陈述申辩"),
    Step("2026-04-03", None, "听证申请期限届满，视为放弃听证"),
    Step("2026-04-07", "reviewer", "法制审核", {
        "review_passed": True, "review_items": "执法主体、程序、事实证据、法律适用、裁量基准、是否需要移送",
        "conclusion": "事实清楚，证据确凿，程序合法，适用依据正确，裁量适当", "reviewer": "罗文静", "reviewed_on": "2026-04-07"}),
    Step("2026-04-09", "head", "集体讨论", {
        "discussed_at": "2026-04-09T15:00:00+08:00", "place": "遂川县应急管理局三楼会议室", "chair": "陈志刚",
        "presenter": "王振宇", "recorder": "钟海燕", "attendees": "陈志刚、王振宇、钟海燕、罗文静",
        "discussion": "与会人员一致认为事实清楚、证据充分", "conclusion": "同意按拟处罚意见作出决定",
        "members": [{"name": "陈志刚", "member_role": "head", "opinion": "同意按拟处罚意见作出决定"},
                    {"name": "王振宇", "member_role": "case_officer", "opinion": "汇报案件事实、证据和拟处罚意见"},
                    {"name": "罗文静", "member_role": "legal_reviewer", "opinion": "法制审核通过"}]}, optional=True),
    Step("2026-04-10", "head", "作出行政处罚决定", {
        "decided_penalty_kinds": ["fine"], "decided_fine": 60000, "decided_responsible_persons_fine": 12000,
        "penalty": "对当事人处罚款人民币60000元",
        "responsible_persons": [{"party": RESPONSIBLE_PERSON, "fine_amount": 12000,
                                 "penalty": "对直接负责的主管人员王林峰处罚款人民币12000元"}],
        "payment_place": "遂川县财政局非税收入账户"}),
    Step("2026-04-13", "county1", "送达行政处罚决定书", lambda d, officers: {
        "served_documents": [{"title": "行政处罚决定书", "number": d["documents"]["penalty_decision"]}],
        "recipient": _party(d)["legal_representative"], "service_place": _party(d)["address"], "served_at": "2026-04-13T10:00:00+08:00", "service_method": "直接送达",
        "server": "王振宇、钟海燕",
        "person_services": [{"party": RESPONSIBLE_PERSON, "recipient": RESPONSIBLE_PERSON["name"],
                             "served_documents": [{"title": "行政处罚决定书", "number": _person_decision_number(d)}],
                             "service_place": RESPONSIBLE_PERSON["address"], "served_at": "2026-04-13T10:30:00+08:00",
                             "service_method": "直接送达", "server": "王振宇、钟海燕"}]}),
    Step("2026-04-14", "county1", "公示行政处罚决定", {"published_on": "2026-04-14", "publication_channel": "遂川县人民政府网站"}),
    Step("2026-04-24", "county1", "登记罚款缴纳", {
        "paid_on": "2026-04-24", "paid_amount": 60000, "surcharge_paid": 0, "payment_voucher": "江西省非税收入缴款书0420001",
        "person_payments": [{"party": {"name": RESPONSIBLE_PERSON["name"], "id_number": RESPONSIBLE_PERSON["id_number"]},
                             "paid_on": "2026-04-24", "paid_amount": 12000, "surcharge_paid": 0,
                             "payment_voucher": "江西省非税收入缴款书0420002"}]}),
    Step("2026-04-27", "county1", "填写结案审批表", {"result": "对当事人罚款人民币60000元，对王林峰罚款人民币12000元",
                                                   "enforcement_status": "已全部缴纳"}),
    Step("2026-04-28", "head", "审批结案", {"closing_approved": True, "head_opinion": "同意结案", "approved_on": "2026-04-28"}),
    Step("2026-04-29", "county1", "立卷归档", {"cause": "未为从业人员提供劳动防护用品，逾期未改正",
                                               "closed_on": "2026-04-28", "retention": "长期", "page_count": 40}),
]


def step_data(step: Step, case_data: dict, officers: Callable[..., list[dict]]) -> dict:
    return step.data(case_data, officers) if callable(step.data) else dict(step.data)


def simulated_time(day: str, tick: int) -> datetime:
    """09:00 of `day` in Shanghai, plus a minute per step so the record stays in order."""
    return datetime.combine(datetime.fromisoformat(day).date(), time(9), SHANGHAI) + timedelta(minutes=tick)


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T[0-9:.+-]+)?$")


def shift_dates(value, shift: timedelta):
    """`value` with every ISO date and datetime string in it moved `shift` later (the script's dates, replayed later)."""
    if isinstance(value, dict):
        return {key: shift_dates(item, shift) for key, item in value.items()}
    if isinstance(value, list):
        return [shift_dates(item, shift) for item in value]
    if isinstance(value, str) and _ISO_DATE.match(value):
        moved = (date.fromisoformat(value[:10]) + shift).isoformat()
        return moved + value[10:]
    return value


@dataclass
class RuntimeDriver:
    """Drives the script through the runtime, `shift` later than its dates (whole weeks keep its weekdays)."""

    runtime: Runtime
    echo: Callable[[str], None]
    users: dict[str, User]
    view: CaseView | None = None
    shift: timedelta = timedelta(0)

    def officers(self, *usernames: str) -> list[dict]:
        return [{"user_id": self.users[u].id, "name": self.users[u].display_name,
                 "certificate_no": self.users[u].certificate_number} for u in usernames]

    def actor(self, username: str) -> Actor:
        user = self.users[username]
        return Actor(user_id=user.id, name=user.display_name, role=Role(user.roles[0]), agency_id=user.agency_id)

    def day(self, step: Step) -> str:
        return shift_dates(step.day, self.shift)

    def run(self, step: Step) -> None:
        if step.task == FOLLOW_LINKED:
            with read_session(self.runtime.engine) as session:
                child = session.exec(select(Case).where(Case.parent_case_id == self.view.case.id)).one()
            self.echo(f"{self.day(step)}  系统: {self.view.case.number} 已报告县局，县局案件 {child.number} 待立案")
            self.view = self.runtime.get_case(child.id)
        elif step.user is None:
            if self.runtime.fire_due():
                self.view = self.runtime.get_case(self.view.case.id)
                self.echo(f"{self.day(step)}  系统: {step.task} → {CaseStatus(self.view.case.status).label}")
        else:
            tasks = [t for t in self.view.tasks if t.name == step.task]
            if not tasks and step.optional:
                return
            [task] = tasks
            data = shift_dates(step_data(step, self.view.data, self.officers), self.shift)
            user = self.users[step.user]
            upload_step_evidence(self.runtime.engine, object_store(), task=step.task, case_id=self.view.case.id, task_id=task.id,
                                 actor=self.actor(step.user), collectors=[o["name"] for o in data.get("officers") or []],
                                 place=_party(self.view.data)["address"])
            self.view = self.runtime.complete_task(task.id, data, self.actor(step.user),
                                                   authorize=task_authorizer(user.id),
                                                   check=task_data_check(self.runtime, user.id, data))
            self.echo(f"{self.day(step)}  {user.display_name}({Lane(task.role).label}): {step.task} → "
                      f"{CaseStatus(self.view.case.status).label}")

    def _waited(self, at: datetime) -> datetime:
        """A statutory window the script lets pass ends later where the shifted dates meet a holiday: wait for it."""
        with read_session(self.runtime.engine) as session:
            due = session.get(Case, self.view.case.id).next_due
        return max(at, due) if due is not None else at

    def play(self, party: dict, steps: list[Step]) -> CaseView:
        """泉江镇 starts an inspection of `party`; the steps follow, each at its (shifted) day."""
        at = simulated_time(START, 0) + self.shift
        moment = [at]
        with clock.using(lambda: moment[0]):
            self.view = self.runtime.start_case("inspection", agency_id=self.users["quanjiang1"].agency_id,
                                                actor=self.actor("quanjiang1"), data={"party": party},
                                                party_name=party["name"], title="日常安全生产检查")
            self.echo(f"{at.date()}  刘建华: 开始检查 {self.view.case.number}")
            for tick, step in enumerate(steps, start=1):
                at = max(at, simulated_time(step.day, tick) + self.shift)
                if step.user is None and step.task != FOLLOW_LINKED:
                    at = self._waited(at)
                moment[0] = at
                self.run(step)
        return self.view


def demo_users(runtime: Runtime) -> dict[str, User]:
    seed_demo(runtime.engine)
    with read_session(runtime.engine) as session:
        return {u.username: u for u in session.exec(select(User))}


def run_demo(echo: Callable[[str], None] = print) -> str:
    runtime = build_runtime()
    driver = RuntimeDriver(runtime, echo, demo_users(runtime))
    view = driver.play({"kind": "unit", **PARTY}, SCRIPT)
    rendered = render_pending(runtime.engine, object_store())
    echo(f"{SCRIPT[-1].day}  系统: 已生成 {rendered} 份执法文书 (.docx)")
    _dossier(runtime, view.case.id, echo)
    return view.case.number


def _dossier(runtime: Runtime, case_id: int, echo: Callable[[str], None]) -> None:
    """The archive file (卷宗): PDF with cover, contents and page numbers, and a zip with a hash manifest."""
    settings = get_settings()
    status = pdf_status(settings.uno_dir)
    if not (settings.pdf_rendition and status.available):
        echo(f"系统: 未生成卷宗 ({status.message if settings.pdf_rendition else 'PDF 转换已关闭'})")
        return
    result = build_case_dossier(runtime.engine, object_store(), settings, case_id, settings.data_dir / "dossiers")
    echo(f"系统: 卷宗 {result.pdf_path} ({result.page_count} 页), {result.zip_path}")
