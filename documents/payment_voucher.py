"""The payment voucher (缴款凭证) in the file: the 备考表 states when the fine was paid and the voucher's number.

The voucher number is recorded on the payment step (登记罚款缴纳, 登记催告后缴纳, the simple procedure's payment);
the voucher itself stays with the finance office, so the file names it.
"""

from __future__ import annotations

from typing import Any

from documents.amounts import chinese_date
from documents.formatting import clean
from engine.errors import ValidationFailed


def payment_note(facts: dict[str, Any]) -> str:
    """「罚款于2026年4月24日缴纳，缴款凭证号：……。」, or "" when no payment was recorded."""
    voucher = clean(facts.get("payment_voucher") or "").strip()
    if not voucher:
        return ""
    try:
        paid = f"于{chinese_date(facts['paid_on'])}" if facts.get("paid_on") else ""
    except ValidationFailed:
        paid = ""
    return f"罚款{paid}缴纳，缴款凭证号：{voucher}。"
