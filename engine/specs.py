"""Load, validate and version the process models in bpmn/.

Every *.bpmn and *.dmn is parsed with SpiffWorkflow's spiff parser (XSD
validation on) and checked against zhifa's conventions (docs/MODELING.md). A
broken model raises `ModelError` naming the file and the element, which stops
start-up. Each executable process is versioned by the SHA-256 of the files it
depends on (its BPMN, called processes, DMN tables and forms); a version's
files are stored once and re-parsed on demand for cases that started on it.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from jsonschema import Draft202012Validator
from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.parser.process import VALIDATOR

from engine import forms
from engine.errors import ModelError
from engine.form_checks import FORMS_DIR, check_form, check_start_form, model_error
from engine.rules.dmn import RulesParser
from engine.script_check import check_model_file
from engine.timers import use_engine_clock
from engine.vocab import LANE_BY_LABEL, CaseStatus, Lane

RULE_CODE = re.compile(r"[a-z][a-z0-9_]{0,59}")


@dataclass(frozen=True)
class TaskInfo:
    """What zhifa needs to know about one BPMN element, read from its spiff extension properties."""

    bpmn_id: str
    name: str
    lane: Lane | None
    form: str | None
    documents: tuple[str, ...]
    case_status: CaseStatus | None
    outcome: str | None
    due_expression: str | None
    two_officers: bool
    video_required: bool
    validations: tuple[tuple[str, str], ...] = ()
    start_case: str | None = None  # end events: the process of the follow-up case this end opens
    start_case_in: str = "same"  # "same" agency, or the "county" bureau above it
    start_case_kind: str = "case"  # the follow-up case's kind: its number series (settings.case_number_patterns)
    publication: str | None = None  # "withdraw", or the kind of publication the step publishes (行政执法公示)
    assigns_case_number: str | None = None  # user tasks: the form field whose truth gives the case its number (立案)
    computed: tuple[tuple[str, str], ...] = ()  # user tasks: (name, expression) worked out on completion (engine.step_rules)
    rule_codes: dict[str, str] = field(default_factory=dict)  # validation expression → its own error code
    records: tuple[str, ...] = ()  # user tasks: records issued one by one while the task is open (`forms/record_<id>...`)
    case_facts: tuple[str, ...] = ()  # event subprocess starts, user tasks: case data they read (engine.case_events)
    register: str | None = None  # message start events: the case-wide list each event adds an entry to
    register_update: str | None = None  # user tasks in an event subprocess: the register whose entry they update
    # user tasks: (document, list, flag) triples; one such document is issued per entry of the list the form holds
    # (`documentsForEach="responsible_person_penalty_decision in responsible_persons"`), the entry's values over the step's;
    # `hearing_notice in person_notices if person_hearing_eligible` only while the case data's flag is true
    documents_each: tuple[tuple[str, str, str | None], ...] = ()
    documents_if: dict[str, str] = field(default_factory=dict)  # `documents="payment_reminder if not unit_paid"`
    publication_each: str | None = None  # user tasks with `publication`: a form list whose entries are published too
    # user tasks: an expression giving the numbers of the case's documents the step revokes (a remedy's outcome), and
    # the form field holding the number of the instrument that revoked them
    revokes: str | None = None
    revoked_by: str | None = None
    assignees: str | None = None  # user tasks: an expression giving the groups (departments) whose accounts act on it
    escalation: bool = False  # user tasks: a superior's task because a limit was missed (待办 shows a badge)


@dataclass
class LoadedProcess:
    version_id: str
    process_id: str
    name: str
    files: dict[str, str]
    spec: object
    subprocess_specs: dict
    tasks: dict[str, TaskInfo] = field(default_factory=dict)
    start_form: str | None = None  # `forms/<process id>.start.schema.json`: the process may be started by a user
    _validators: dict[str, Draft202012Validator] = field(default_factory=dict, repr=False)

    @property
    def numbers_at_filing(self) -> bool:
        """A task of the process assigns the case number (`assignsCaseNumber`), so the case starts without one."""
        return any(info.assigns_case_number for info in self.tasks.values())

    def form_schema(self, filename: str) -> dict:
        return json.loads(self.files[f"{FORMS_DIR}/{filename}"])

    def start_schema(self) -> dict | None:
        return self.form_schema(self.start_form) if self.start_form else None

    def form_validator(self, filename: str) -> Draft202012Validator:
        if filename not in self._validators:
            self._validators[filename] = forms.validator(self.form_schema(filename))
        return self._validators[filename]


def _error(file: str, element: str, message: str) -> ModelError:
    return model_error(file, element, message)


def _properties(task_spec) -> dict[str, str]:
    return (getattr(task_spec, "extensions", None) or {}).get("properties", {}) or {}


def _all_specs(spec, subprocess_specs: dict):
    yield spec
    yield from subprocess_specs.values()


def _task_info(task_spec, file: str) -> TaskInfo:
    props = _properties(task_spec)
    element = f"{task_spec.bpmn_id} ({task_spec.bpmn_name or ''})"
    is_user_task = bool(getattr(task_spec, "manual", False))
    lane = None
    if is_user_task:
        if not task_spec.lane:
            raise _error(file, element, "用户任务必须位于泳道内")
        if task_spec.lane not in LANE_BY_LABEL:
            raise _error(file, element, f"泳道名称 {task_spec.lane!r} 不是已知角色: {'、'.join(LANE_BY_LABEL)}")
        lane = LANE_BY_LABEL[task_spec.lane]
        if not props.get("formJsonSchemaFilename"):
            raise _error(file, element, "用户任务缺少表单 (formJsonSchemaFilename)")
    status = props.get("caseStatus")
    if status is not None and status not in CaseStatus.__members__:
        raise _error(file, element, f"caseStatus {status!r} 不是已定义的案件状态")
    flagged = [_flagged(file, element, entry) for entry in _names(props.get("documents", ""))]
    documents = tuple(doc_id for doc_id, _ in flagged)
    return TaskInfo(
        bpmn_id=task_spec.bpmn_id,
        name=task_spec.bpmn_name or task_spec.bpmn_id,
        lane=lane,
        form=props.get("formJsonSchemaFilename"),
        documents=documents,
        documents_if={doc_id: flag for doc_id, flag in flagged if flag},
        case_status=CaseStatus(status) if status else None,
        outcome=props.get("outcome"),
        due_expression=props.get("dueExpression"),
        two_officers=props.get("twoOfficers", "false").lower() == "true",
        video_required=props.get("videoRequired", "false").lower() == "true",
        validations=tuple(_validation(file, element, props[name])[:2] for name in sorted(props) if name.startswith("validation")),
        computed=tuple(_computed(file, element, props[name]) for name in sorted(props) if name.startswith("compute")),
        rule_codes={rule[0]: rule[2] for name in sorted(props) if name.startswith("validation")
                    for rule in [_validation(file, element, props[name])] if rule[2]},
        start_case=props.get("startCase"),
        start_case_in=_start_case_in(file, element, props.get("startCaseIn", "same")),
        start_case_kind=props.get("startCaseKind", "case"),
        publication=props.get("publication"),
        assigns_case_number=props.get("assignsCaseNumber"),
        records=_names(props.get("records", "")),
        case_facts=_names(props.get("caseFacts", "")),
        register=props.get("register"),
        register_update=props.get("registerUpdate"),
        documents_each=_documents_each(file, element, props.get("documentsForEach", "")),
        revokes=_expression(file, element, "revokesDocuments", props.get("revokesDocuments")),
        revoked_by=props.get("revokedBy"),
        assignees=props.get("assignees"),
        escalation=props.get("escalation", "false").lower() == "true",
        publication_each=props.get("publicationForEach"),
    )


def _documents_each(file: str, element: str, value: str) -> tuple[tuple[str, str, str | None], ...]:
    triples = []
    for entry in _names(value):
        doc_id, sep, rest = (part.strip() for part in entry.partition(" in "))
        list_name, flag = _flagged(file, element, rest)
        if not sep or not RULE_CODE.fullmatch(doc_id):
            raise _error(file, element, "documentsForEach 属性应写作 `文书编号 in 表单列表字段`（可加 `if 案件数据标志`）")
        triples.append((doc_id, list_name, flag))
    return tuple(triples)


def _flagged(file: str, element: str, entry: str) -> tuple[str, str | None]:
    """`name`, `name if flag` or `name if not flag`: the flag is a case data key (documents.step.flag_holds)."""
    name, _, flag = (part.strip() for part in entry.partition(" if "))
    if not RULE_CODE.fullmatch(name) or (flag and not RULE_CODE.fullmatch(flag.removeprefix("not "))):
        raise _error(file, element, f"文书条件应写作 `文书编号 if 案件数据标志` 或 `if not 标志`，不能是 {entry!r}")
    return name, flag or None


def _names(value: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in value.split(",") if name.strip())


def _start_case_in(file: str, element: str, value: str) -> str:
    if value not in ("same", "county"):
        raise _error(file, element, f"startCaseIn 只能是 same 或 county, 不能是 {value!r}")
    return value


def _validation(file: str, element: str, value: str) -> tuple[str, str, str | None]:
    """`<expression> ;; <Chinese message> [;; <code>]`: a rule checked before the task may complete."""
    expression, sep, rest = value.partition(";;")
    message, _, code = (part.strip() for part in rest.partition(";;"))
    if not sep or not expression.strip() or not message:
        raise _error(file, element, "validation 属性应写作 `表达式 ;; 中文提示 [;; 错误代码]`")
    if code and not RULE_CODE.fullmatch(code):
        raise _error(file, element, f"validation 错误代码 {code!r} 应为小写字母、数字和下划线")
    try:
        compile(expression.strip(), "<validation>", "eval")
    except SyntaxError as exc:
        raise _error(file, element, f"validation 表达式语法错误: {exc.msg}") from exc
    return expression.strip(), message, code or None


def _expression(file: str, element: str, name: str, value: str | None) -> str | None:
    """An expression property, checked for syntax at load; None when the element has none."""
    if not value or not value.strip():
        return None
    try:
        compile(value.strip(), f"<{name}>", "eval")
    except SyntaxError as exc:
        raise _error(file, element, f"{name} 表达式语法错误: {exc.msg}") from exc
    return value.strip()


def _computed(file: str, element: str, value: str) -> tuple[str, str]:
    """`<name> = <expression>`: a value the engine works out when the task completes."""
    name, sep, expression = (part.strip() for part in value.partition("="))
    if not sep or not RULE_CODE.fullmatch(name) or not expression:
        raise _error(file, element, "compute 属性应写作 `字段名 = 表达式`（字段名为小写英文和下划线）")
    try:
        compile(expression, "<compute>", "eval")
    except SyntaxError as exc:
        raise _error(file, element, f"compute 表达式语法错误: {exc.msg}") from exc
    return name, expression


def _element(exc: ValidationException) -> str:
    """The element an XSD or parser error is about: its id, else its line."""
    if exc.id or exc.tag:
        return exc.id or exc.tag
    return f"第 {exc.line_number} 行" if exc.line_number else "?"


def _called_decisions(text: str) -> set[str]:
    root = etree.fromstring(text.encode("utf-8"))
    return {node.text.strip() for node in root.iter("{*}calledDecisionId") if node.text}


def _parse(files: dict[str, str], *, validate: bool) -> RulesParser:
    parser = RulesParser(validator=VALIDATOR if validate else None)
    for name, text in sorted(files.items()):
        try:
            if validate and name.endswith((".bpmn", ".dmn")):
                check_model_file(name, text)
            if name.endswith(".dmn"):
                parser.add_dmn_str(text.encode("utf-8"), filename=name)
            elif name.endswith(".bpmn"):
                parser.add_bpmn_str(text.encode("utf-8"), filename=name)
        except ValidationException as exc:
            raise _error(exc.file_name or name, _element(exc), str(exc)) from exc
        except etree.XMLSyntaxError as exc:
            raise _error(name, f"第 {exc.lineno} 行", f"XML 格式错误: {exc.msg}") from exc
    return parser


def _build(process_id: str, files: dict[str, str], parser: RulesParser, *, validate: bool) -> LoadedProcess:
    own_file = parser.get_process_parser(process_id).filename
    try:
        spec = parser.get_spec(process_id)
        subprocess_specs = parser.get_subprocess_specs(process_id)
    except ValidationException as exc:
        raise _error(exc.file_name or own_file, exc.id or exc.tag or process_id, str(exc)) from exc
    except SpiffWorkflowException as exc:
        raise _error(own_file, process_id, str(exc)) from exc
    use_engine_clock(*_all_specs(spec, subprocess_specs))

    needed = {own_file} | {s.file for s in subprocess_specs.values() if getattr(s, "file", None)}
    inner_lanes = _subprocess_lanes(files, needed)
    tasks: dict[str, TaskInfo] = {}
    for one_spec in _all_specs(spec, subprocess_specs):
        for task_spec in one_spec.task_specs.values():
            if not getattr(task_spec, "bpmn_id", None):
                continue
            task_spec.lane = inner_lanes.get((one_spec.file, task_spec.bpmn_id), task_spec.lane)
            info = _task_info(task_spec, one_spec.file)
            tasks[info.bpmn_id] = info
            for form in ([info.form] if info.form else []) + [record_form_name(r) for r in info.records]:
                form_file = f"{FORMS_DIR}/{form}"
                if form_file not in files:
                    raise _error(one_spec.file, info.bpmn_id, f"表单文件 {form_file} 不存在")
                if validate:
                    check_form(form_file, files[form_file])
                needed.add(form_file)
    start_form = start_form_name(process_id)
    if f"{FORMS_DIR}/{start_form}" in files:
        needed.add(f"{FORMS_DIR}/{start_form}")
        if validate:
            check_start_form(start_form, json.loads(files[f"{FORMS_DIR}/{start_form}"]))
    else:
        start_form = None
    for bpmn_file in list(needed):
        if bpmn_file.endswith(".bpmn"):
            for decision in _called_decisions(files[bpmn_file]):
                if decision not in parser.dmn_parsers:
                    raise _error(bpmn_file, decision, "引用的 DMN 决策表不存在")
                needed.add(parser.dmn_parsers[decision].filename)
    used = {name: files[name] for name in sorted(needed)}
    version_id = hashlib.sha256(json.dumps(used, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()
    return LoadedProcess(
        version_id=version_id,
        process_id=process_id,
        name=spec.description or process_id,
        files=used,
        spec=spec,
        subprocess_specs=subprocess_specs,
        tasks=tasks,
        start_form=start_form,
    )


def _subprocess_lanes(files: dict[str, str], bpmn_files: set[str]) -> dict[tuple[str, str], str]:
    """(file, node id) → the lane a subprocess's own laneSet puts the node in (SpiffWorkflow gives every node of a
    subprocess the subprocess's lane): the inner lane wins, e.g. the head's decision inside the remedy subprocess."""
    lanes = {}
    for name in bpmn_files:
        for ref in etree.fromstring(files[name].encode("utf-8")).iterfind(".//{*}subProcess/{*}laneSet//{*}flowNodeRef"):
            lanes[(name, (ref.text or "").strip())] = ref.getparent().get("name")
    return lanes


def record_form_name(doc_id: str) -> str:
    """The form of a record a task issues one by one (its `records` property): `record_<document id>.schema.json`."""
    return f"record_{doc_id}.schema.json"


def start_form_name(process_id: str) -> str:
    """The start schema of a process, by convention (docs/MODELING.md): the data a user gives to start a case."""
    return f"{process_id}.start.schema.json"


def read_model_files(bpmn_dir: Path) -> dict[str, str]:
    """All model files of a directory, keyed by their path relative to it."""
    files = {}
    for pattern in ("*.bpmn", "*.dmn", f"{FORMS_DIR}/*.json"):
        for path in sorted(bpmn_dir.glob(pattern)):
            files[path.relative_to(bpmn_dir).as_posix()] = path.read_text(encoding="utf-8")
    return files


class SpecLibrary:
    """The current process versions from a bpmn/ directory, plus any older version on demand."""

    def __init__(self, bpmn_dir: Path):
        files = read_model_files(bpmn_dir)
        parser = _parse(files, validate=True)
        for name in files:
            if name.endswith(".json"):
                check_form(name, files[name])
        self.current: dict[str, LoadedProcess] = {}
        for process_id in parser.get_process_ids():
            loaded = _build(process_id, files, parser, validate=True)
            self.current[process_id] = loaded
        for loaded in self.current.values():
            for info in loaded.tasks.values():
                if info.start_case and info.start_case not in self.current:
                    raise _error(loaded.process_id, info.bpmn_id, f"startCase 引用的流程 {info.start_case} 不存在")
        self._versions: dict[str, LoadedProcess] = {p.version_id: p for p in self.current.values()}

    def latest(self, process_id: str) -> LoadedProcess:
        try:
            return self.current[process_id]
        except KeyError:
            raise ModelError(f"流程 {process_id} 不存在", code="process_not_found") from None

    def version(self, version_id: str, process_id: str, files: dict[str, str] | None = None) -> LoadedProcess:
        """A process version by id; `files` (from the database) are parsed if it is not loaded yet."""
        if version_id not in self._versions:
            if files is None:
                raise ModelError(f"流程版本 {version_id[:12]} 未加载", code="process_version_missing")
            loaded = _build(process_id, files, _parse(files, validate=False), validate=False)
            loaded.version_id = version_id
            self._versions[version_id] = loaded
        return self._versions[version_id]
