"""The machine-checkable items of a case-file review, each scored from the case file with the evidence that decided it.

A check answers `passed` True/False, or None where the item does not apply to the path the case took
(an item that does not apply scores its full points, as reviewers do).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from documents.case_review.case_file import CaseFile, Step, local_day
from engine import clock
from engine.calendar import SHANGHAI, deadline
from engine.errors import NotFound
from engine.rules.penalty_law import penalty_tier, tier_problems
from engine.rules.penalty_tiers import TIER_LABELS, is_tiered, tier_penalties
from engine.rules.violations import get_violation

DECISION_STEP = "作出行政处罚决定"
NOTICE_STEPS = ("送达行政处罚告知书和听证告知书", "送达行政处罚告知书")
WORKING_DAYS_TO_SERVE = 7  # APL Art. 61
WORKING_DAYS_TO_PUBLISH = 7  # SPL Art. 78
DAYS_TO_DECIDE = 90  # APL Art. 60
WORKING_DAYS_TO_DECIDE_PRESERVED = 7  # APL Art. 56


@dataclass(frozen=True)
class Finding:
    passed: bool | None
    message: str
    evidence: list[dict[str, Any]] = field(default_factory=list)


def _deadline_evidence(what: str, start: date, due: date, done: date | None) -> dict[str, Any]:
    return {"kind": "deadline", "what": what, "from": start.isoformat(), "due": due.isoformat(),
            "done": done.isoformat() if done else None}


def _document_evidence(doc) -> dict[str, Any]:
    return {"kind": "document", "doc_id": doc.doc_id, "title": doc.title, "number": doc.number}


def _decision(file: CaseFile) -> Step | None:
    decided = file.done(DECISION_STEP)
    return decided[-1] if decided else None


def filing_documents(file: CaseFile) -> Finding:
    approvals = [step for step in file.done("审批立案") if step.inputs.get("filing_approved")]
    form = file.document("filing_approval")
    if not approvals or form is None:
        return Finding(False, "缺少经负责人批准的立案审批表", [s.evidence() for s in approvals])
    return Finding(True, "立案审批表齐全并经负责人批准", [approvals[-1].evidence(), _document_evidence(form)])


def two_certified_officers(file: CaseFile) -> Finding:
    """Every step the model marks two-officer names two distinct officers, each certified on that day."""
    problems, checked = [], []
    for step in file.steps:
        if step.info is None or not step.info.two_officers:
            continue
        checked.append(step.evidence())
        ids = {entry.get("user_id") for entry in step.inputs.get("officers") or [] if isinstance(entry, dict)}
        if len(ids) < 2:
            problems.append(step.evidence() | {"problem": f"「{step.name}」只有{len(ids)}名执法人员"})
        for user_id in sorted(i for i in ids if isinstance(i, int)):
            expires = file.certificate_expiry(user_id)
            if expires is None or expires < step.day:
                name = next(e.get("name") for e in step.inputs["officers"] if e.get("user_id") == user_id)
                problems.append(step.evidence() | {"problem": f"{name}的执法证在{step.day.isoformat()}无效",
                                                   "user_id": user_id, "certificate_expires": expires and expires.isoformat()})
    if not checked:
        return Finding(None, "本案没有须两名执法人员实施的环节")
    if problems:
        return Finding(False, "; ".join(p["problem"] for p in problems), problems)
    return Finding(True, f"{len(checked)}个现场执法环节均有两名以上持有效执法证的执法人员", checked)


def fine_in_range(file: CaseFile) -> Finding:
    """The decided fine against the statutory tier the case's facts select (the `penalty_tier` table and the tier list)."""
    step = _decision(file)
    fine = step.inputs.get("decided_fine") if step else None
    code = file.data.get("violation_code")
    if not fine or not code:
        return Finding(None, "未决定罚款或未载明违法行为代码")
    try:
        violation = get_violation(code)
    except NotFound:
        return Finding(None, f"违法行为清单中没有代码 {code}, 请人工核查罚款幅度")
    data = file.data
    party = data.get("penalised_party") or ("unit" if data.get("party_type") == "organization" else None)
    tier = penalty_tier(data.get("overdue_uncorrected"), data.get("serious_circumstances"))
    ranges = [p for p in tier_penalties(code, tier)
              if p.kind == "fine" and p.fine_min is not None and (p.target == party or not is_tiered(code))]
    if party is None or not ranges:
        return Finding(None, f"{violation.title_zh}没有固定罚款幅度, 请人工核查")
    low, high, label = ranges[0].fine_min, ranges[0].fine_max, TIER_LABELS[tier]
    mitigated = bool(data.get("mitigation_reasons")) and data.get("catalogue_item") in (
        data.get("major_catalogue_discussion_items") or [])
    problems = tier_problems(code, tier, party, step.inputs.get("decided_penalty_kinds") or ["fine"], fine,
                             step.inputs.get("decided_responsible_persons_fine") or 0, mitigated=mitigated)
    evidence = [step.evidence() | {"decided_fine": fine, "violation_code": code, "penalty_tier": tier,
                                   "statutory_min": low, "statutory_max": high}]
    if problems:
        return Finding(False, "; ".join(problem["message"] for problem in problems), evidence + problems)
    return Finding(True, f"决定罚款{fine:g}元, 在{label}的法定幅度{low}–{high}元内", evidence)


def advance_notice(file: CaseFile) -> Finding:
    step = _decision(file)
    if step is None:
        return Finding(None, "本案未作出行政处罚决定")
    notices = [s for name in NOTICE_STEPS for s in file.done(name) if s.event.seq < step.event.seq]
    document = file.document("penalty_notice")
    if not notices or document is None:
        return Finding(False, "作出处罚决定前未送达行政处罚告知书", [step.evidence()])
    return Finding(True, "作出处罚决定前已送达行政处罚告知书", [notices[-1].evidence(), _document_evidence(document)])


def hearing_offered(file: CaseFile) -> Finding:
    if not file.data.get("hearing_eligible"):
        return Finding(None, "依听证条件表本案不符合听证条件")
    document = file.document("hearing_notice")
    if document is None:
        return Finding(False, "本案符合听证条件, 但未告知听证权利(无听证告知书)")
    return Finding(True, "已告知听证权利", [_document_evidence(document)])


def _required_step(file: CaseFile, flag: str, name: str, doc_id: str, why: str) -> Finding:
    if not file.data.get(flag):
        return Finding(None, f"依决定表本案无须{name}")
    done = file.done(name)
    document = file.document(doc_id)
    if not done or document is None:
        return Finding(False, f"{why}, 但案卷中没有{name}")
    return Finding(True, f"已{name}", [done[-1].evidence(), _document_evidence(document)])


def legal_review(file: CaseFile) -> Finding:
    return _required_step(file, "legal_review", "法制审核", "legal_review_opinion", "依重大执法决定表本案须法制审核")


def collective_discussion(file: CaseFile) -> Finding:
    return _required_step(file, "collective_discussion", "集体讨论", "collective_discussion_record",
                          "依重大执法决定表本案须集体讨论")


def decision_deadline(file: CaseFile) -> Finding:
    step = _decision(file)
    if step is None or file.case.filed_on is None:
        return Finding(None, "本案未作出行政处罚决定")
    filed = file.case.filed_on
    due = deadline(filed, DAYS_TO_DECIDE)
    what = "立案之日起90日内作出决定"
    extended = file.data.get("extended_until")
    if file.data.get("extension_approved") and extended:
        due, what = date.fromisoformat(extended), "经批准延长的办案期限"
    evidence = [step.evidence(), _deadline_evidence(what, filed, due, step.day)]
    if step.day > due:
        return Finding(False, f"{step.day.isoformat()}作出决定, 超过{what}({due.isoformat()})且未经批准延期", evidence)
    return Finding(True, f"在{what}({due.isoformat()})前作出决定", evidence)


def _within_working_days(file: CaseFile, name: str, moment_field: str, days: int, what: str) -> Finding:
    decision = _decision(file)
    if decision is None:
        return Finding(None, "本案未作出行政处罚决定")
    due = deadline(decision.day, days, working=True)
    done = file.done(name)
    if not done:
        return Finding(False, f"案卷中没有{what}的记录", [decision.evidence(), _deadline_evidence(what, decision.day, due, None)])
    moment = done[0].inputs.get(moment_field)
    day = date.fromisoformat(moment[:10]) if isinstance(moment, str) else local_day(done[0].event.at)
    evidence = [done[0].evidence(), _deadline_evidence(what, decision.day, due, day)]
    if day > due:
        return Finding(False, f"{day.isoformat()}{what}, 超过7个工作日期限({due.isoformat()})", evidence)
    return Finding(True, f"{day.isoformat()}{what}, 在期限({due.isoformat()})内", evidence)


def service_deadline(file: CaseFile) -> Finding:
    return _within_working_days(file, "送达行政处罚决定书", "served_at", WORKING_DAYS_TO_SERVE, "送达处罚决定书")


def publication_deadline(file: CaseFile) -> Finding:
    return _within_working_days(file, "公示行政处罚决定", "published_on", WORKING_DAYS_TO_PUBLISH, "公示处罚决定")


def _by_model_id(file: CaseFile, bpmn_id: str) -> list[Step]:
    return [step for step in file.steps if step.info is not None and step.info.bpmn_id == bpmn_id]


def preservation_deadline(file: CaseFile) -> Finding:
    """Evidence preserved (先行登记保存) is decided on within 7 working days (APL Art. 56)."""
    registered = _by_model_id(file, "register_preservation")
    if not registered:
        return Finding(None, "本案未先行登记保存证据")
    problems, evidence, pending = [], [], False
    today = clock.now().astimezone(SHANGHAI).date()
    for step in registered:
        start = date.fromisoformat(step.inputs["preserved_on"]) if step.inputs.get("preserved_on") else step.day
        due = deadline(start, WORKING_DAYS_TO_DECIDE_PRESERVED, working=True)
        decided = [s for s in _by_model_id(file, "decide_preservation") if s.event.seq > step.event.seq]
        done = decided[0].day if decided else None
        evidence += [step.evidence(), _deadline_evidence("先行登记保存处理决定", start, due, done)]
        if done is None and today <= due:
            pending = True
        elif done is None or done > due:
            problems.append(f"{start.isoformat()}先行登记保存的证据未在7个工作日内({due.isoformat()})作出处理决定")
    if problems:
        return Finding(False, "; ".join(problems), evidence)
    if pending:
        return Finding(None, "先行登记保存的证据尚在处理期限内", evidence)
    return Finding(True, "先行登记保存的证据均在7个工作日内作出处理决定", evidence)


def referral_made(file: CaseFile) -> Finding:
    """Where a crime was suspected, the case went to the police (no 以罚代刑) or the head refused with reasons."""
    if not file.data.get("crime_suspected"):
        return Finding(None, "本案未标记涉嫌犯罪")
    transfers = _by_model_id(file, "transfer_to_police")
    if transfers:
        step = transfers[-1]
        return Finding(True, f"已移送公安机关({step.inputs.get('receiving_agency', '')})", [step.evidence()])
    refusals = [s for s in _by_model_id(file, "approve_referral") if s.inputs.get("referral_approved") is False]
    if refusals:
        reasons = refusals[-1].inputs.get("refusal_reasons") or "未写明理由"
        return Finding(None, f"负责人决定不移送({reasons}), 请评查人员核查", [refusals[-1].evidence()])
    return Finding(False, "本案标记涉嫌犯罪, 但案卷中没有移送公安机关的记录(以罚代刑)")


def record_intact(file: CaseFile) -> Finding:
    if file.record_breaks:
        broken = file.record_breaks[0]
        return Finding(False, f"全过程记录链条被破坏: {broken.describe()}",
                       [{"kind": "record_event", "event_id": broken.event_id, "seq": broken.seq, "problem": broken.reason}])
    last = file.case.record_seq
    return Finding(True, f"全过程记录{last}条, 哈希链完整", [{"kind": "record_chain", "events": last,
                                                        "head": file.case.record_head}])


def documents_numbered(file: CaseFile) -> Finding:
    """The documents each completed step declares in the model are issued, and numbered where the catalogue numbers them."""
    missing, found = [], []
    for step in file.steps:
        for doc_id in step.info.documents if step.info else ():
            document = file.document(doc_id)
            if document is None:
                missing.append(step.evidence() | {"doc_id": doc_id, "problem": f"「{step.name}」应制作的文书{doc_id}缺失"})
            elif doc_id in file.numbered_doc_ids and not document.number:
                missing.append(_document_evidence(document) | {"problem": f"{document.title}未编号"})
            else:
                found.append(_document_evidence(document))
    if missing:
        return Finding(False, "; ".join(m["problem"] for m in missing), missing)
    return Finding(True, f"所经环节的{len(found)}份文书齐全并已编号", found)


CHECKS: dict[str, Callable[[CaseFile], Finding]] = {check.__name__: check for check in (
    filing_documents, two_certified_officers, fine_in_range, advance_notice, hearing_offered, legal_review,
    collective_discussion, decision_deadline, service_deadline, publication_deadline, record_intact, documents_numbered,
    preservation_deadline, referral_made,
)}
