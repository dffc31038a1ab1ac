"""Form data for the steps of the general procedure, as an officer would fill them in."""

from __future__ import annotations

OFFICERS = [{"name": "王强", "certificate_no": "36082720001"}, {"name": "刘洋", "certificate_no": "36082720002"}]


def filing(case_name: str, summary: str, provisions: str, source: str = "inspection") -> dict:
    return {"case_name": case_name, "case_source": source, "case_summary": summary,
            "suspected_provisions": provisions, "officer_opinion": "建议立案调查", "officers": OFFICERS}


def approve_filing() -> dict:
    return {"filing_approved": True, "filing_opinion": "同意立案"}


def investigation(preservation: bool = False) -> dict:
    return {"evidence_summary": "询问笔录2份、勘验笔录1份、现场照片12张", "preservation_needed": preservation}


def report(proposal: str, *, party_type: str = "organization", penalty_kinds: list[str] | None = None, fine: float = 0,
           confiscation: float = 0, complex_case: bool = False, public_interest: bool = False) -> dict:
    return {"facts": "经查，当事人存在违法行为，事实清楚", "violated_provisions": "《中华人民共和国安全生产法》",
            "penalty_provisions": "《中华人民共和国安全生产法》", "proposal": proposal, "party_type": party_type,
            "penalty_kinds": penalty_kinds or [], "fine_amount": fine, "confiscation_value": confiscation,
            "discretion_tier": "standard" if penalty_kinds else None, "public_interest": public_interest,
            "complex_case": complex_case, "daily_fine": False, "catalogue_item": None}


def handling(choice: str) -> dict:
    return {"handling": choice, "handling_opinion": "同意承办人意见"}


def notice(served_on: str) -> dict:
    return {"notice_served_on": served_on, "service_method": "direct"}


def statement(facts_changed: bool = False) -> dict:
    return {"statement_summary": "当事人称已立即整改", "review_result": "申辩理由不能成立" if not facts_changed else "申辩理由部分成立",
            "facts_changed": facts_changed}


def legal_review(passed: bool, opinion: str = "事实清楚，证据确凿，程序合法，适用依据正确，裁量适当") -> dict:
    return {"review_passed": passed, "review_opinion": opinion}


def discussion(on: str) -> dict:
    return {"discussed_on": on, "chair": "李局长", "attendees": ["李局长", "张副局长", "陈副局长", "赵股长"],
            "discussion_conclusion": "同意按拟处罚意见作出决定"}


def decision(kinds: list[str], fine: float) -> dict:
    return {"decided_penalty_kinds": kinds, "decided_fine": fine, "decision_reasons": "违法事实清楚，证据确凿"}


def service(served_on: str, recipient: str = "当事人") -> dict:
    return {"served_on": served_on, "service_method": "direct", "recipient": recipient}


def publication(published_on: str) -> dict:
    return {"published_on": published_on, "publication_channel": "遂川县人民政府网站"}


def payment(paid_on: str, amount: float, surcharge: float = 0) -> dict:
    return {"paid_on": paid_on, "paid_amount": amount, "surcharge_paid": surcharge, "payment_voucher": "非税收入缴款书0001"}


def payment_reminder(served_on: str, surcharge: float) -> dict:
    return {"reminder_served_on": served_on, "surcharge_to_date": surcharge}


def closing() -> dict:
    return {"closing_summary": "案件已处理完毕"}


def approve_closing() -> dict:
    return {"closing_approved": True, "closing_opinion": "同意结案"}


def archive() -> dict:
    return {"page_count": 42, "retention": "long_term"}
