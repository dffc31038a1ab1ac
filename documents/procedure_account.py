"""Values a document states about the procedure so far, composed from the case when it is issued.

APL Art. 59 wants the 行政处罚决定书 to say how the party used or waived the rights it was told of, citing
the 告知书 by its number, and where to pay (Art. 67); the 听证告知书 refers to the 告知书 issued with it.
These are facts the case already holds (the numbers of its documents, the statement step, the hearing
step), so nobody types them; the payment account comes from configuration (engine.settings).
"""

from __future__ import annotations

from typing import Any

from documents.alternatives import rights_text
from documents.amounts import chinese_date
from engine.errors import ValidationFailed
from engine.settings import get_settings


def _sentence(text: Any) -> str:
    text = str(text or "").strip()
    return text if not text or text[-1] in "。！？" else text + "。"


def _clause(text: Any) -> str:
    return str(text or "").strip().rstrip("。；;，,")


def _served_on(values: dict[str, Any]) -> str:
    try:
        return chinese_date(values["notice_served_on"]) if values.get("notice_served_on") else ""
    except ValidationFailed:
        return ""


def procedure_account(values: dict[str, Any]) -> str:
    """How the party was told of the proposed penalty and how it used or waived statement, defence and hearing.

    In a double-penalty case `stated` and `party_hearing_requested` are this party's own (the case's
    `statements` and `hearing_requested` may be another party's); older cases have only the case's."""
    numbers = values.get("documents") or {}
    notice = numbers.get("penalty_notice")
    if not notice:
        return ""
    party = values.get("party") if isinstance(values.get("party"), dict) else {}
    you = "你" if party.get("kind") == "person" else "你单位"
    offered = values.get("hearing_eligible") is True
    served = _served_on(values)
    told = f"本机关{'于' + served if served else '已'}以{notice}行政处罚告知书"
    if offered and numbers.get("hearing_notice"):
        told += f"、{numbers['hearing_notice']}听证告知书"
    parts = [f"{told}告知{you}拟作出行政处罚的事实、理由、依据及{you}依法享有的{rights_text(offered)}。"]
    stated = values["stated"] if isinstance(values.get("stated"), bool) else bool(values.get("statements"))
    if stated:
        review = _clause(values.get("review_result"))
        parts.append(f"{you}在规定期限内提出了陈述、申辩意见" + (f"，经复核，{review}。" if review else "。"))
    else:
        parts.append(f"{you}在规定期限内未提出陈述、申辩意见，视为放弃陈述、申辩权利。")
    requested = values.get("party_hearing_requested", values.get("hearing_requested")) is True
    if offered:
        if requested and values.get("hearing_held") is True:
            parts.append(f"{you}要求举行听证，本机关依法举行了听证。")
        elif requested:
            parts.append(f"{you}要求举行听证后无正当理由未参加听证，视为放弃听证权利。")
        else:
            parts.append(f"{you}在规定期限内未要求听证，视为放弃听证权利。")
    return "".join(parts)


def payment_account() -> dict[str, str]:
    """The bank, account name and account fines are paid into (APL Art. 67), when configured."""
    settings = get_settings()
    found = {"payment_bank": settings.fine_payment_bank, "payment_account_name": settings.fine_payment_account_name,
             "payment_account": settings.fine_payment_account}
    return {key: value for key, value in found.items() if value} if all(found.values()) else {}


def composed_values(values: dict[str, Any]) -> dict[str, Any]:
    """The composed values added to the case data a step's documents are issued from."""
    composed: dict[str, Any] = {**payment_account()}
    account = procedure_account(values)
    if account:
        composed["procedure_account"] = account
    notice = (values.get("documents") or {}).get("penalty_notice")
    if notice:
        composed["notice_number"] = notice
    if values.get("discretion"):
        composed["discretion"] = _sentence(values["discretion"])
    return composed
