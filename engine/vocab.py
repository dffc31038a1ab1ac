"""The one shared vocabulary of case statuses and lanes (DOMAIN.md §2.4).

BPMN files, the engine, the API and the UI all use these values; nothing else
spells them out.
"""

from enum import StrEnum


class CaseStatus(StrEnum):
    # inspection stage
    inspecting = "inspecting"
    rectifying = "rectifying"
    reported = "reported"
    transferred = "transferred"
    closed_no_case = "closed_no_case"
    # case
    filed = "filed"
    investigating = "investigating"
    notified = "notified"
    hearing = "hearing"
    reviewing = "reviewing"
    discussing = "discussing"
    deciding = "deciding"
    serving = "serving"
    enforcing = "enforcing"
    closed = "closed"
    archived = "archived"
    # side states
    referred = "referred"
    awaiting_accident_report = "awaiting_accident_report"
    suspended = "suspended"
    cancelled = "cancelled"
    # hazard reports from the grid (bpmn/hazard_report.bpmn)
    hazard_triage = "hazard_triage"
    hazard_whistled = "hazard_whistled"
    hazard_escalated = "hazard_escalated"
    hazard_rechecking = "hazard_rechecking"
    hazard_dismissed = "hazard_dismissed"
    hazard_inspection = "hazard_inspection"
    hazard_closed = "hazard_closed"
    # annual plan (年度监督检查计划)
    plan_drafting = "plan_drafting"
    plan_approving = "plan_approving"
    plan_published = "plan_published"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS: dict[CaseStatus, str] = {
    CaseStatus.inspecting: "检查中",
    CaseStatus.rectifying: "整改中",
    CaseStatus.reported: "已报告县局",
    CaseStatus.transferred: "已移送",
    CaseStatus.closed_no_case: "检查结束(未立案)",
    CaseStatus.filed: "已立案",
    CaseStatus.investigating: "调查中",
    CaseStatus.notified: "已告知",
    CaseStatus.hearing: "听证中",
    CaseStatus.reviewing: "法制审核中",
    CaseStatus.discussing: "集体讨论中",
    CaseStatus.deciding: "待决定",
    CaseStatus.serving: "送达中",
    CaseStatus.enforcing: "执行中",
    CaseStatus.closed: "已结案",
    CaseStatus.archived: "已归档",
    CaseStatus.referred: "已移送司法(待公安决定)",
    CaseStatus.awaiting_accident_report: "等待事故调查报告",
    CaseStatus.suspended: "中止",
    CaseStatus.cancelled: "已撤销立案",
    CaseStatus.hazard_triage: "待研判",
    CaseStatus.hazard_whistled: "吹哨处置中",
    CaseStatus.hazard_escalated: "已报县局督办",
    CaseStatus.hazard_rechecking: "待复核",
    CaseStatus.hazard_dismissed: "不予处理",
    CaseStatus.hazard_inspection: "已转入现场检查",
    CaseStatus.hazard_closed: "隐患已销号",
    CaseStatus.plan_drafting: "计划编制中",
    CaseStatus.plan_approving: "计划审批中",
    CaseStatus.plan_published: "计划已公布",
}


class Lane(StrEnum):
    """BPMN lanes are roles; a lane's name in a .bpmn file is the Chinese label of one of these.

    `case_officer` is the officer lane of whichever agency owns the case: it
    resolves to `township_officer` for a township's or the park's case and to
    `county_officer` for the county bureau's, so one model serves both.
    """

    case_officer = "case_officer"
    township_officer = "township_officer"
    county_officer = "county_officer"
    agency_head = "agency_head"
    legal_reviewer = "legal_reviewer"
    hearing_host = "hearing_host"
    supervisor = "supervisor"
    department = "department"  # the accounts of the task's `assignees` departments (吹哨报到)

    @property
    def label(self) -> str:
        return LANE_LABELS[self]


LANE_LABELS: dict[Lane, str] = {
    Lane.case_officer: "办案机构执法人员",
    Lane.township_officer: "乡镇(园区)执法人员",
    Lane.county_officer: "县局执法人员",
    Lane.agency_head: "局负责人",
    Lane.legal_reviewer: "法制审核人员",
    Lane.hearing_host: "听证主持人",
    Lane.supervisor: "执法监督人员",
    Lane.department: "被召集部门",
}


READ_EVENT_KINDS = ("supervisor_read", "review_read")  # reads for supervision or case-file review: nobody acted

# The kinds of full-process record event (engine, documents and API append them), as users read them.
EVENT_KIND_LABELS: dict[str, str] = {
    "case_started": "发起",
    "case_linked": "转入后续案件",
    "task_completed": "办理",
    "timer_fired": "期限届满",
    "officer_assigned": "县局指派执法人员",
    "drawn_officer_replaced": "更换抽取的执法人员",
    "review_assigned": "指定评查人员",
    "supervisor_read": "执法监督查阅",
    "review_read": "案卷评查查阅",
    "document_rendered": "生成文书文件",
    "document_downloaded": "下载文书",
    "dossier_downloaded": "下载卷宗",
    "evidence_uploaded": "上传证据",
    "evidence_downloaded": "下载证据",
    "evidence_transferred_out": "证据移出",
    "evidence_transferred_in": "证据移入",
    "objects_retained": "归档文件锁定保存",
    "record_issued": "制作笔录、凭证",
    "case_event": "登记案件事件（复议、诉讼）",
    "reporter_identity_read": "查看举报人信息",
}


class Role(StrEnum):
    """User roles: every lane is a role; `admin` and the `system` actor act outside lanes."""

    township_officer = "township_officer"
    county_officer = "county_officer"
    agency_head = "agency_head"
    legal_reviewer = "legal_reviewer"
    hearing_host = "hearing_host"
    supervisor = "supervisor"
    grid_member = "grid_member"  # 网格员: reports hazards in the grid (village/community) bound to the account
    department = "department"  # a department summoned by 吹哨 (报到, action report), bound to one by the account
    admin = "admin"
    system = "system"
    citizen = "citizen"  # a member of the public reporting a hazard (举报); never an account


class AgencyKind(StrEnum):
    county_bureau = "county_bureau"
    township = "township"
    park = "park"


class TaskStatus(StrEnum):
    ready = "ready"
    completed = "completed"
    cancelled = "cancelled"


LANE_BY_LABEL: dict[str, Lane] = {label: lane for lane, label in LANE_LABELS.items()}
