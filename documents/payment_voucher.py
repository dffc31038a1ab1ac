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
    """「罚款于2026年4月24日缴纳，缴款凭证号：……。」, then the same for each responsible person fined beside the unit
    (「王林峰的罚款于……」, docs/DOUBLE_PENALTY.md), or "" when no payment was recorded."""
    people = [payment for payment in facts.get("person_payments") or [] if isinstance(payment, dict)]
    return _paid(facts, "") + "".join(_paid(payment, f"{clean(str((payment.get('party') or {}).get('name') or ''))}的")
                                      for payment in people)


def _paid(payment: dict[str, Any], whose: str) -> str:
    voucher = clean(payment.get("payment_voucher") or "").strip()
    if not voucher:
        return ""
    try:
        paid = f"于{chinese_date(payment['paid_on'])}" if payment.get("paid_on") else ""
    except ValidationFailed:
        paid = ""
    return f"{whose}罚款{paid}缴纳，缴款凭证号：{voucher}。"
