"""Request and response bodies of the HTTP API."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from api.identity.models import StaffCategory
from engine.calendar import SHANGHAI

DbInt = Annotated[int, Field(ge=1, le=2**31 - 1)]
# text stored in the database: no NUL (PostgreSQL refuses it), no surrounding blanks, bounded (a field's own
# max_length is lower); api.body_guard refuses NUL and lone surrogates in every JSON body before this
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=10_000, pattern=r"^[^\x00]*$")]
RoleName = Annotated[str, Field(max_length=40)]
# Every time the API returns is ISO 8601 in China time (+08:00), as users read it.
# SQLite hands back naive datetimes; they are stored in UTC.
Timestamp = Annotated[datetime, AfterValidator(lambda v: (v if v.tzinfo else v.replace(tzinfo=timezone.utc)).astimezone(SHANGHAI)),
                      Field(description="ISO 8601, 北京时间(+08:00)")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorBody(BaseModel):
    code: str = Field(description="稳定的错误代码, 如 not_found、forbidden、validation_failed")
    message: str = Field(description="给用户看的中文说明")
    details: Any = None


# ---- identity --------------------------------------------------------------
class LoginIn(Strict):
    username: Annotated[Text, Field(min_length=1, max_length=64)]
    password: Annotated[str, Field(min_length=1, max_length=200)]


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: Timestamp


class AgencyOut(BaseModel):
    id: int
    code: str
    name: str
    short_name: str
    kind: str
    parent_id: int | None
    seal_name: str | None = None


class UserOut(BaseModel):
    id: int
    username: str
    display_name: str
    agency_id: int
    roles: list[str]
    staff_category: StaffCategory
    staff_category_label: str
    certificate_number: str | None
    certificate_expires: date | None
    certificate_valid: bool
    active: bool
    grid: str | None = None
    department: str | None = None


class AccountEventOut(BaseModel):
    id: int
    at: datetime
    kind: str
    kind_label: str
    username: str
    user_id: int | None
    actor_id: int | None
    address: str | None
    details: dict[str, Any]


class MeOut(UserOut):
    agency: AgencyOut


class UserCreateIn(Strict):
    username: Annotated[Text, Field(min_length=1, max_length=64)]
    display_name: Annotated[Text, Field(min_length=1, max_length=100)]
    password: Annotated[str, Field(min_length=8, max_length=200)]
    agency_id: DbInt
    roles: Annotated[list[RoleName], Field(min_length=1, max_length=7)]
    staff_category: StaffCategory
    certificate_number: Annotated[Text, Field(max_length=64)] | None = None
    certificate_expires: date | None = None
    grid: Annotated[Text, Field(min_length=1, max_length=100, description="网格员所在网格(村、社区)")] | None = None
    department: Annotated[Text, Field(min_length=1, max_length=100,
                                      description="部门账号所属的部门(隐患配置中的吹哨召集部门)")] | None = None


class UserUpdateIn(Strict):
    display_name: Annotated[Text, Field(min_length=1, max_length=100)] | None = None
    password: Annotated[str, Field(min_length=8, max_length=200)] | None = None
    agency_id: DbInt | None = None
    roles: Annotated[list[RoleName], Field(min_length=1, max_length=7)] | None = None
    staff_category: StaffCategory | None = None
    certificate_number: Annotated[Text, Field(max_length=64)] | None = None
    certificate_expires: date | None = None
    active: bool | None = None
    grid: Annotated[Text, Field(min_length=1, max_length=100)] | None = None
    department: Annotated[Text, Field(min_length=1, max_length=100)] | None = None


# ---- cases -----------------------------------------------------------------
class PartyIn(Strict):
    """The party block of the documents (DOMAIN.md §7 common fields): a unit or a person."""

    kind: Literal["unit", "person"] = Field(title="当事人类别", description="unit 单位 / person 个人")
    name: Annotated[Text, Field(min_length=1, max_length=200, title="当事人名称或姓名")]
    credit_code: Annotated[Text, Field(max_length=18)] | None = Field(default=None, title="统一社会信用代码",
                                                                      description="统一社会信用代码(单位)")
    legal_representative: Annotated[Text, Field(max_length=50)] | None = Field(default=None, title="法定代表人",
                                                                               description="法定代表人(单位)")
    id_number: Annotated[Text, Field(max_length=18)] | None = Field(default=None, title="身份证号码", description="身份证号码(个人)")
    sex: Literal["男", "女"] | None = Field(default=None, title="性别")
    employer: Annotated[Text, Field(max_length=200)] | None = Field(default=None, title="工作单位")
    post: Annotated[Text, Field(max_length=100)] | None = Field(default=None, title="职务")
    address: Annotated[Text, Field(max_length=300)] | None = Field(default=None, title="地址")
    phone: Annotated[Text, Field(max_length=50)] | None = Field(default=None, title="联系电话")


class CaseStartIn(Strict):
    process: Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[A-Za-z_][A-Za-z0-9_.-]*$", title="流程")]
    agency_id: DbInt | None = Field(default=None, title="执法机构", description="默认为本人所在单位")
    party: PartyIn = Field(title="当事人")
    title: Annotated[Text, Field(max_length=300, title="案件标题")] = ""
    data: dict[str, Any] = Field(default_factory=dict, title="开始表单数据",
                                 description="须符合该流程的开始表单(GET /processes 的 start_form)")
    parent_case_id: DbInt | None = Field(default=None, title="来源检查或案件", description="由哪一检查或案件报告而来")


class CaseOut(BaseModel):
    id: int
    number: str | None
    kind: str
    process_id: str
    agency_id: int
    status: str
    status_label: str
    title: str
    party_name: str
    parent_case_id: int | None
    completed: bool
    outcome: str | None
    started_at: Timestamp
    updated_at: Timestamp
    next_due: Timestamp | None
    next_due_provisional: bool = False  # the next timer rests on holiday data no official notice covers yet


class CasePage(BaseModel):
    items: list[CaseOut]
    total: int
    page: int
    page_size: int


class CaseLink(BaseModel):
    id: int
    number: str | None
    kind: str
    status: str
    status_label: str


class TaskOut(BaseModel):
    id: str
    case_id: int
    bpmn_id: str
    name: str
    role: str
    role_label: str
    agency_id: int
    status: str
    due_on: date | None
    due_provisional: bool = False  # due_on needed holiday data no official notice covers yet (调休 unknown)
    due_at: Timestamp | None = None  # a limit in hours (24 小时内移送): the due instant; due_on is its date
    overdue: bool
    escalation: bool = Field(default=False, description="因下级逾期报本级督办的任务(待办中标注「逾期督办」)")
    created_at: Timestamp
    case_number: str | None = None
    case_title: str | None = None
    party_name: str | None = None


class MemberIn(Strict):
    user_id: DbInt


class MemberOut(BaseModel):
    user_id: int
    display_name: str
    agency_id: int
    purpose: str
    added_at: Timestamp


class RecordEventOut(BaseModel):
    seq: int
    kind: str
    kind_label: str = Field(description="事件类别的中文名称")
    at: Timestamp
    actor_id: int | None
    actor_name: str
    role: str
    agency_id: int | None
    task_id: str | None
    task_name: str | None
    inputs: dict[str, Any]
    outputs: list[Any]
    prev_hash: str
    hash: str


class DocumentOut(BaseModel):
    id: int
    doc_id: str
    title: str
    number: str | None
    issued_at: Timestamp
    voided: bool
    revoked: bool = False  # a decision revoked on reconsideration or litigation (已撤销): still in the file
    revoked_by: str | None = None  # the number of the 复议决定书 or 判决书 that revoked it


class EvidenceOut(BaseModel):
    id: int
    type: str
    type_label: str
    filename: str
    size: int
    sha256: str
    collected_at: Timestamp | None
    collected_by: list[Any]
    task_id: str | None
    created_at: Timestamp


class CaseDetail(BaseModel):
    case: CaseOut
    tasks: list[TaskOut]
    timeline: list[RecordEventOut]
    parent: CaseLink | None
    children: list[CaseLink]
    members: list[MemberOut]
    documents: list[DocumentOut]
    evidence: list[EvidenceOut]


class CaseStepOut(BaseModel):
    case: CaseOut
    tasks: list[TaskOut]


# ---- tasks -----------------------------------------------------------------
class TaskDetail(BaseModel):
    task: TaskOut
    case: CaseOut
    form: dict[str, Any] = Field(description="本任务表单的 JSON Schema")
    two_officers: bool = Field(description="须两名以上执法人员(表单字段 officers 填用户 ID)")
    video_required: bool
    documents: list[str]
    prefill: dict[str, Any] = Field(default_factory=dict,
                                    description="案件中已有、且符合本表单字段要求的值(仅顶层字段), 供填写时预先带出")
    computed: dict[str, Any] = Field(default_factory=dict,
                                     description="本步骤由系统计算的值(如加处罚款), 按今日计算, 办理时重新计算")
    records: list[RecordKindOut] = Field(default_factory=list,
                                         description="本环节办结前可逐份制作的笔录、凭证(POST /tasks/{id}/records/{doc_id})")


class RecordKindOut(BaseModel):
    doc_id: str
    title: str
    form: dict[str, Any] = Field(description="该笔录表单的 JSON Schema")
    issued: list[RecordOut] = Field(default_factory=list, description="本环节已制作的该类笔录")


class RecordOut(BaseModel):
    """One record issued while a step is open: its own document, ordinal and number, and its record event."""

    document_id: int
    doc_id: str
    title: str
    ordinal: int = Field(description="本案同类笔录的序号(第几份)")
    number: str | None = Field(description="文书编号(目录中有编号代字的文书才有)")
    issued_at: Timestamp | None = None


class CompleteIn(Strict):
    data: dict[str, Any] = Field(default_factory=dict)


# ---- what the forms offer to choose from --------------------------------------------
class ProcessOut(BaseModel):
    id: str
    name: str
    case_kind: str = Field(description="案件种类(编号序列): inspection 检查、case 立案、measures 措施、simple 简易程序")
    start_form: dict[str, Any] = Field(description="开始表单的 JSON Schema: 发起时的 data 连同 party 须符合")


class OfficerOut(BaseModel):
    """An officer as the form field `officers` names one, with the certificate's expiry."""

    user_id: int
    name: str
    certificate_no: str | None
    certificate_expires: date | None
    certificate_valid: bool = Field(description="行政执法证今天有效")
    agency_id: int


class EvidenceTypeOut(BaseModel):
    type: str
    type_label: str


class TierPenaltyOut(BaseModel):
    tier: str = Field(description="法定处罚档次: first_finding 首次发现 / overdue 逾期未改正 / serious 逾期未改正且情节严重")
    tier_label: str
    target: str = Field(description="处罚对象: unit 单位 / responsible_persons 直接负责的主管人员和其他直接责任人员 / 个人")
    target_label: str
    kind: str
    kind_label: str
    mandatory: bool = Field(description="法律规定必须给予")
    fine_min_yuan: int | None
    fine_max_yuan: int | None
    basis: str


class ViolationOut(BaseModel):
    code: str
    title: str
    violated_provision: str
    penalty_provision: str
    penalised_party: str
    penalty_kinds: list[str]
    fine_min_yuan: int | None
    fine_max_yuan: int | None
    correction_first: bool = Field(description="责令改正在先, 逾期不改正的才处罚")
    township_entrusted: bool = Field(description="可委托乡镇(园区)实施")
    notes: str
    tiers: list[TierPenaltyOut] = Field(default_factory=list, description="各法定处罚档次的处罚（处罚档次清单）")


# ---- record, decisions, health --------------------------------------------------
class RecordBreakOut(BaseModel):
    seq: int
    event_id: int
    reason: str


class VerifyOut(BaseModel):
    case_id: int
    intact: bool
    events: int
    breaks: list[RecordBreakOut]


class DecisionIn(Strict):
    inputs: dict[str, Any] = Field(default_factory=dict)
    profile: Annotated[str, Field(max_length=40, pattern=r"^[a-z0-9_-]+$")] | None = None
    on: date | None = Field(default=None, description="规则生效日期, 默认今天")


class DecisionOut(BaseModel):
    table: str
    outputs: dict[str, Any]


class HealthOut(BaseModel):
    status: Literal["ok"]


class WorkerFailureOut(BaseModel):
    """An item the worker gave up on after the configured number of attempts."""

    kind: str = Field(description="timer | docx | pdf | outbox")
    item_id: int
    case_id: int | None
    attempts: int
    failed_at: datetime
    message: str = Field(description="中文说明, e.g. 定时器: 案件 12 已失败 5 次, 已停止重试")


class ReadyOut(BaseModel):
    status: Literal["ready"]
    database: Literal["ok"]
    processes: int
    worker_failures: list[WorkerFailureOut] = Field(default_factory=list, description="worker 已停止重试的项目")
