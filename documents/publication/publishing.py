"""Publishing a decision and withdrawing it, as step hooks (DOMAIN.md §9).

A step whose model marks it `publication` = <kind> (general_procedure's 公示行政处罚决定: `penalty_decision`)
writes a `publication` row with the redacted text built from the decision's data; the step's record event
carries the text's SHA-256. A step marked `publication` = `withdraw` (撤回公示) marks the case's current
publication withdrawn, with the reason that is published in its place.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date

from sqlmodel import Session, select

from documents.publication.models import Publication
from documents.publication.redaction import Redaction
from engine import clock
from engine.errors import ModelError
from engine.rules.profiles import load_profile, today
from engine.runtime import StepContext

# BPMN step → what it publishes; the deadline of each step is in the model (dueExpression).
WITHDRAW = "withdraw"  # the `publication` property of a step that withdraws; any other value is the kind it publishes

# The lines of a published penalty decision (SPL Art. 78; 国办发〔2018〕118号), in order: (data key, label).
PENALTY_LINES = (
    ("facts", "主要违法事实"),
    ("violated_provisions", "违反的规定"),
    ("penalty_basis", "处罚依据"),
    ("penalty", "处罚内容"),
)
TRADE_SECRET = "（涉及商业秘密，不予公开）"


def redaction_for(data: dict) -> Redaction:
    """The redaction rules of the profile version in force on the case's filing date."""
    profile = load_profile(data.get("rules_profile"))
    filed_on = data.get("filed_on")
    version = profile.version_on(date.fromisoformat(filed_on) if filed_on else today())
    return Redaction(version.publication_name_rule, f"{profile.name}@{version.effective_from.isoformat()}")


def penalty_decision_text(data: dict, redaction: Redaction) -> tuple[str, str]:
    """The title and text published for a penalty decision: only what §9 lists, redacted.

    Fields named in `trade_secret_fields` (marked by the officer) are never published.
    """
    party = data.get("party") or {}
    secret = set(data.get("trade_secret_fields") or ())
    shown = redaction.party(party)
    number = (data.get("documents") or {}).get("penalty_decision") or data.get("decision_number") or ""
    lines = [f"行政处罚决定书文号：{number}"] if number else []
    if party.get("kind") == "unit":
        lines.append(f"被处罚单位：{shown.get('name', '')}")
        if shown.get("credit_code"):
            lines.append(f"统一社会信用代码：{shown['credit_code']}")
        if shown.get("legal_representative"):
            lines.append(f"法定代表人：{shown['legal_representative']}")
    else:
        lines.append(f"被处罚人：{shown.get('name', '')}")
    for key, label in PENALTY_LINES:
        value = str(data.get(key) or "").strip()
        if value:
            lines.append(f"{label}：{TRADE_SECRET if key in secret else redaction.text(value, party)}")
    lines.append(f"处罚机关：{data.get('agency_name', '')}")
    if data.get("decided_on"):
        lines.append(f"处罚决定日期：{data['decided_on']}")
    title = f"{shown.get('name', '')}行政处罚决定信息" + (f"（{number}）" if number else "")
    return title, "\n".join(lines)


def inspected_unit(data: dict) -> dict:
    """The party of an inspection or of the measures it led to: a unit (the inspection's start form admits no other)."""
    party = dict(data.get("party") or {})
    party.setdefault("kind", "unit")
    return party


def inspection_result_text(data: dict, redaction: Redaction) -> tuple[str, str]:
    """The title and text published for a random inspection's result (国办发〔2015〕58号): the unit, the date, what
    was checked and found, and how it was handled; redacted, and fields marked as trade secrets left out."""
    party = inspected_unit(data)
    secret = set(data.get("trade_secret_fields") or ())
    shown = redaction.party(party)
    lines = [f"检查编号：{data.get('case_number') or ''}", f"被检查单位：{shown.get('name', '')}"]
    if shown.get("credit_code"):
        lines.append(f"统一社会信用代码：{shown['credit_code']}")
    lines.append("检查方式：双随机抽查")
    if data.get("ended_at"):
        lines.append(f"检查日期：{str(data['ended_at'])[:10]}")
    problems = "；".join(str(p.get("description") or "") for p in data.get("problems") or [] if p.get("description"))
    for key, label, value in (("checked_items", "检查内容", data.get("checked_items")),
                              ("findings", "检查情况", data.get("findings")),
                              ("problems", "发现的问题", problems or "未发现问题"),
                              ("handling", "处理情况", data.get("handling"))):
        value = str(value or "").strip()
        if value:
            lines.append(f"{label}：{TRADE_SECRET if key in secret else redaction.text(value, party)}")
    lines.append(f"检查机关：{data.get('agency_name', '')}")
    return f"{shown.get('name', '')}双随机抽查结果", "\n".join(lines)


def _measures_head(data: dict, redaction: Redaction, doc_id: str, doc_title: str):
    """What a measures decision's publication opens with: its number and the party (the unit, in full)."""
    party = inspected_unit(data)
    shown = redaction.party(party)
    number = (data.get("documents") or {}).get(doc_id) or ""
    lines = [f"{doc_title}文号：{number}"] if number else []
    lines.append(f"当事人：{shown.get('name', '')}")
    if shown.get("credit_code"):
        lines.append(f"统一社会信用代码：{shown['credit_code']}")
    return party, set(data.get("trade_secret_fields") or ()), shown, number, lines


def measures_decision_text(data: dict, redaction: Redaction) -> tuple[str, str]:
    """The title and text published for a coercive measure (查封、扣押) decision, another enforcement decision
    (国办发〔2018〕118号): number, party, measure, reason, items, place, term, body, date; redacted, trade secrets left out."""
    party, secret, shown, number, lines = _measures_head(data, redaction, "coercive_measures_decision", "强制措施决定书")
    lines.append(f"强制措施：{data.get('measure_kind') or '查封、扣押'}")
    items = "；".join(" ".join(str(item.get(key) or "") for key in ("name", "specification", "quantity")).strip()
                     for item in data.get("seized_items") or [])
    for key, label, value in (("reason", "理由", data.get("reason")), ("seized_items", "查封扣押物品", items),
                              ("place", "查封扣押场所", data.get("place"))):
        value = str(value or "").strip()
        if value:
            lines.append(f"{label}：{TRADE_SECRET if key in secret else redaction.text(value, party)}")
    if data.get("seized_on") and data.get("term_ends_on"):
        lines.append(f"期限：{data['seized_on']}至{data['term_ends_on']}")
    lines.append(f"决定机关：{data.get('agency_name', '')}")
    title = f"{shown.get('name', '')}查封扣押决定信息" + (f"（{number}）" if number else "")
    return title, "\n".join(lines)


def onsite_measures_text(data: dict, redaction: Redaction) -> tuple[str, str]:
    """The title and text published for an on-site measures decision (现场处理措施决定书), another enforcement decision
    (国办发〔2018〕118号): number, party, hazard, measures, basis, term, body, date; redacted, trade secrets left out."""
    party, secret, shown, number, lines = _measures_head(data, redaction, "onsite_measures_decision", "现场处理措施决定书")
    for key, label in (("hazard", "发现的重大事故隐患"), ("measures", "现场处理措施"), ("legal_basis", "法律依据"),
                       ("measure_term", "措施期限")):
        value = str(data.get(key) or "").strip()
        if value:
            lines.append(f"{label}：{TRADE_SECRET if key in secret else redaction.text(value, party)}")
    decided_on = str(data.get("executed_at") or "")[:10]
    if decided_on and data.get("measure_until"):
        lines.append(f"期限：{decided_on}至{data['measure_until']}")
    lines.append(f"决定机关：{data.get('agency_name', '')}")
    if decided_on:
        lines.append(f"决定日期：{decided_on}")
    title = f"{shown.get('name', '')}现场处理措施决定信息" + (f"（{number}）" if number else "")
    return title, "\n".join(lines)


TEXT_BUILDERS = {"penalty_decision": penalty_decision_text, "inspection_result": inspection_result_text,
                 "other_decision": measures_decision_text, "onsite_measures": onsite_measures_text}


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def publish(session: Session, case_id: int, kind: str, data: dict) -> Publication:
    if kind not in TEXT_BUILDERS:
        raise ModelError(f"未知的公示种类 {kind!r}, 可用: {'、'.join(TEXT_BUILDERS)}", details={"publication": kind})
    redaction = redaction_for(data)
    title, text = TEXT_BUILDERS[kind](data, redaction)
    row = Publication(public_id=secrets.token_hex(16), case_id=case_id, kind=kind, title=title, text=text,
                      text_sha256=sha256(text), published_at=clock.now(), redaction_rule=redaction.version)
    session.add(row)
    session.flush()
    return row


def withdraw(session: Session, case_id: int, reason: str, data: dict) -> list[Publication]:
    """Withdraw the case's current publications; the reason is published, redacted like the text."""
    rows = session.exec(select(Publication).where(Publication.case_id == case_id,
                                                  Publication.withdrawn_at.is_(None))).all()
    published_reason = redaction_for(data).text(reason, data.get("party") or {})
    for row in rows:
        row.withdrawn_at = clock.now()
        row.withdrawal_reason = published_reason
        session.add(row)
    session.flush()
    return list(rows)


def entry_data(data: dict, entry: dict, kind: str) -> dict:
    """The case data as one entry of a `publicationForEach` list sees it: a responsible person's own decision (his
    party block, his number, his penalty) published beside the unit's, redacted as a natural person's."""
    own = {"party": entry.get("party") or {}, "documents": {kind: entry.get("document_number")},
           "decision_number": entry.get("document_number")}
    return data | {key: entry[key] for key in ("penalty", "fine_amount") if key in entry} | own


def publication_step(context: StepContext) -> None:
    """Step hook: publish or withdraw in the step's transaction; the record event gets each text's hash."""
    action = context.task.publication
    if action is None:
        return
    if action != WITHDRAW:
        data = context.workflow_data
        entries = data.get(context.task.publication_each) or [] if context.task.publication_each else []
        for party_data in [data, *(entry_data(data, entry, action) for entry in entries if isinstance(entry, dict))]:
            row = publish(context.session, context.case.id, action, party_data)
            context.outputs.append({"publication": row.public_id, "kind": row.kind, "sha256": row.text_sha256,
                                    "redaction_rule": row.redaction_rule})
    else:
        reason = str(context.workflow_data.get("withdrawal_reason") or "")
        for row in withdraw(context.session, context.case.id, reason, context.workflow_data):
            context.outputs.append({"publication_withdrawn": row.public_id, "sha256": row.text_sha256,
                                    "reason": row.withdrawal_reason})
