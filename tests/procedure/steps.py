"""Form data for the steps of the general procedure, as officers fill them in.

Field names follow the document catalogue, so each step's documents can be issued from the case data.
"""

from __future__ import annotations

OFFICERS = [{"user_id": 21, "name": "王强", "certificate_no": "36082720001"},
            {"user_id": 22, "name": "刘洋", "certificate_no": "36082720002"}]
TITLES = {"penalty_decision": "行政处罚决定书", "no_penalty_decision": "不予行政处罚决定书"}


def at(day: str, hour: int = 10) -> str:
    return f"{day}T{hour:02d}:00:00+08:00"


def filing(case_name: str, summary: str, provisions: str, party: dict | None = None) -> dict:
    """The 立案审批表; `party` names the penalised party when it is not the one the case started with."""
    data = {"case_name": case_name, "case_source": "日常检查发现", "case_summary": summary,
            "suspected_provisions": provisions, "officer_opinion": "建议立案调查", "officers": OFFICERS,
            "contact": "0796-6300000"}
    return data | ({"party": party} if party else {})


def approve(day: str, flag: str, approved: bool = True, opinion: str = "同意") -> dict:
    return {flag: approved, "head_opinion": opinion, "approved_on": day}


def investigation(preservation: bool = False) -> dict:
    data = {"officers": OFFICERS, "evidence": "询问笔录2份、勘验笔录1份、现场照片12张", "preservation_needed": preservation}
    if preservation:
        data |= {"reason": "证据可能灭失", "items_summary": "配电箱1台"}
    return data


def report(*, penalty_kinds: list[str] | None = None, fine: float = 0,
           complex_case: bool = False, proposal: str = "建议给予行政处罚") -> dict:
    kinds = penalty_kinds or []
    return {"facts": "经查，当事人存在违法行为，事实清楚", "violated_provisions": "《中华人民共和国安全生产法》",
            "penalty_basis": "《中华人民共和国安全生产法》", "discretion": "初次违法，按一般档次裁量", "proposal": proposal,
            "proposed_penalty": f"拟处罚款{fine:g}元" if kinds else "", "penalty_kinds": kinds,
            "fine_amount": fine, "confiscation_value": 0, "public_interest": False, "complex_case": complex_case,
            "daily_fine": False, "catalogue_item": None}


def handling(day: str, disposition: str) -> dict:
    return {"disposition": disposition, "head_opinion": "同意承办人意见", "approved_on": day}


def notice(served_on: str) -> dict:
    return {"notice_served_on": served_on, "service_method": "直接送达"}


def statement(day: str, facts_changed: bool = False) -> dict:
    return {"recorded_at": at(day), "place": "遂川县应急管理局询问室", "recorder": "刘洋", "statements": "当事人称已立即整改",
            "review_result": "申辩理由部分成立" if facts_changed else "申辩理由不能成立", "facts_changed": facts_changed}


def legal_review(day: str, passed: bool, conclusion: str = "事实清楚，证据确凿，程序合法，适用依据正确，裁量适当") -> dict:
    return {"review_passed": passed, "review_items": "执法主体、程序、事实证据、法律适用、裁量、是否需要移送",
            "conclusion": conclusion, "reviewer": "赵法制", "reviewed_on": day}


def discussion(day: str) -> dict:
    return {"discussed_at": at(day, 15), "place": "局三楼会议室", "chair": "李局长", "presenter": "王强", "recorder": "刘洋",
            "attendees": "李局长、张副局长、陈副局长、赵股长", "discussion": "与会人员一致认为事实清楚",
            "members": [{"name": "李局长", "member_role": "head", "opinion": "同意按拟处罚意见作出决定"},
                        {"name": "王强", "member_role": "case_officer", "opinion": "汇报案件事实、证据和拟处罚意见"},
                        {"name": "赵法制", "member_role": "legal_reviewer", "opinion": "法制审核通过"}],
            "conclusion": "同意按拟处罚意见作出决定"}


def decision(kinds: list[str], fine: float) -> dict:
    return {"decided_penalty_kinds": kinds, "decided_fine": fine, "penalty": f"罚款{fine:g}元",
            "payment_place": "遂川县财政局非税收入账户"}


def service(day: str, data: dict, document: str = "penalty_decision", recipient: str = "当事人") -> dict:
    """A service receipt for `document`, citing the number the case data holds for it."""
    return {"served_documents": [{"title": TITLES[document], "number": data["documents"][document]}],
            "recipient": recipient, "service_place": "当事人住所", "served_at": at(day), "service_method": "直接送达",
            "server": "王强、刘洋"}


def publication(published_on: str) -> dict:
    return {"published_on": published_on, "publication_channel": "遂川县人民政府网站"}


def payment(paid_on: str, amount: float, surcharge: float = 0) -> dict:
    return {"paid_on": paid_on, "paid_amount": amount, "surcharge_paid": surcharge, "payment_voucher": "非税收入缴款书0001"}


def payment_reminder(served_on: str, pay_by: str) -> dict:
    """The 催告书: the surcharge it states is the engine's (surcharge_owed on the service date), not typed."""
    return {"reminder_served_on": served_on, "pay_by": pay_by}


def closing() -> dict:
    return {"result": "案件已处理完毕", "enforcement_status": "已执行完毕"}


def archive(closed_on: str) -> dict:
    return {"cause": "安全生产违法", "closed_on": closed_on, "retention": "长期", "page_count": 42}


# ---- criminal referral (criminal_referral.bpmn) ------------------------------------------------------------------

def referral_team(day: str) -> dict:
    return {"officers": OFFICERS, "team_formed_on": day, "suspected_charge": "危险作业罪",
            "referral_report": "复查发现重大事故隐患区域在现场处理措施决定书责令停止使用后仍在使用，具有发生重大伤亡事故的现实危险，涉嫌危险作业罪",
            "items_involved": "危险化学品储存区1处"}


def referral_approval(day: str, approved: bool = True, reasons: str | None = None) -> dict:
    data = {"referral_approved": approved, "head_opinion": "同意移送" if approved else "不同意移送", "approved_on": day}
    return data | ({"refusal_reasons": reasons} if reasons else {})


def referral_transfer(transferred_at: str, copied_on: str) -> dict:
    return {"receiving_agency": "遂川县公安局", "procuratorate": "遂川县人民检察院",
            "materials": "涉嫌犯罪案件移送书、涉嫌犯罪案件调查报告、涉案物品清单、现场处理措施决定书、现场检查记录、照片",
            "case_officer": "王强 0796-6300000", "transferred_at": transferred_at, "copied_to_procuratorate_on": copied_on,
            "police_receipt": "遂公（刑）受字〔2026〕15号"}


def police_decision(decided_on: str, received_on: str, filed: bool) -> dict:
    data = {"police_decision": "filed" if filed else "not_filed", "police_decided_on": decided_on,
            "notice_received_on": received_on, "police_document_no": "遂公（刑）不立字〔2026〕3号"}
    return data if filed else data | {"police_reasons": "认为未达到危险作业罪的现实危险标准"}


def objection(kind: str) -> dict:
    return {"objection": kind, "head_opinion": "同意" if kind != "none" else "不再提出异议"}


def objection_letter(day: str) -> dict:
    """The 提请复议书 or 立案监督建议书 the officers write once the head has decided to object."""
    return {"objected_on": day, "objection_reasons": "隐患区域持续使用，具有现实危险"}


def reconsideration_answer(day: str, filed: bool) -> dict:
    return {"reconsideration_result": "filed" if filed else "upheld", "answered_on": day,
            "reconsideration_document_no": "遂公复字〔2026〕2号"}


def supervision_result(day: str, filed: bool) -> dict:
    return {"supervision_result": "filed" if filed else "not_filed", "supervision_result_on": day,
            "procuratorate_document_no": "遂检立监〔2026〕1号"}


# ---- hearing, accident, closing with remedies ---------------------------------------------------------------------

def hearing_schedule(hearing_at: str, host: str = "周敏") -> dict:
    return {"hearing_place": "遂川县应急管理局听证室", "public_hearing": "公开举行", "hearing_at": hearing_at, "host": host}


def hearing(day: str) -> dict:
    return {"hearing_held": True, "started_at": at(day, 9), "ended_at": at(day, 11), "place": "遂川县应急管理局听证室",
            "recorder": "孙记录", "participants": "当事人及其委托代理人；调查人员王强、刘洋",
            "proceedings": "调查人员陈述事实、证据和拟处罚意见，当事人申辩、质证", "summary": "当事人对事实无异议",
            "host_opinion": "建议维持拟处罚意见"}


def accident_report(approved_on: str, grade: str = "general", principal_income: float = 180000) -> dict:
    return {"report_title": "遂川县某木材加工厂“3·10”机械伤害事故调查报告", "approval_authority": "遂川县人民政府",
            "approval_number": "遂府字〔2026〕45号", "report_approved_on": approved_on,
            "report_document": {"title": "事故调查报告及县政府批复", "reference": "证据第17号"},
            "accident_grade": grade, "deaths": 1, "serious_injuries": 0, "direct_loss": 1350000,
            "responsibility_findings": "木材加工厂未落实安全生产责任制，对事故发生负有责任；建议由县应急管理局对该厂及其主要负责人依法给予行政处罚",
            "principal_last_year_income": principal_income}


def closing_with_remedies(*remedies: dict) -> dict:
    return closing() | {"remedies": list(remedies)}


def remedy(kind: str, filed_on: str, outcome: str, outcome_on: str) -> dict:
    body = "遂川县人民政府" if kind == "reconsideration" else "遂川县人民法院"
    return {"kind": kind, "body": body, "filed_on": filed_on, "outcome": outcome, "outcome_on": outcome_on,
            "document_number": "遂府复决字〔2026〕8号" if kind == "reconsideration" else "（2026）赣0827行初5号"}


def publication_withdrawal(day: str) -> dict:
    return {"withdrawn_on": day, "withdrawal_reason": "行政处罚决定已被行政复议机关撤销", "publication_channel": "遂川县人民政府网站"}
