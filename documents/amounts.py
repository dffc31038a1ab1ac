"""Amounts in figures and in Chinese capitals (大写), and dates in Chinese format."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from engine.errors import ValidationFailed
from engine.settings import TIMEZONE

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_GROUP_UNITS = ("", "万", "亿", "万亿")
_CENT = Decimal("0.01")
_LOCAL = ZoneInfo(TIMEZONE)


def to_amount(value: object) -> Decimal:
    """A non-negative yuan amount with at most two decimals (分)."""
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise ValidationFailed(f"金额「{value}」不是有效的数字", details={"value": str(value)}) from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(_CENT):
        raise ValidationFailed(f"金额「{value}」无效：应为不小于零、最多两位小数的数", details={"value": str(value)})
    if amount >= Decimal("1e16"):
        raise ValidationFailed(f"金额「{value}」过大", details={"value": str(value)})
    return amount.quantize(_CENT)


def _integer_capitals(number: int) -> str:
    if number == 0:
        return "零"
    digits = str(number)
    out: list[str] = []
    zero_pending = False
    for index, char in enumerate(digits):
        position = len(digits) - 1 - index
        digit = int(char)
        if digit == 0:
            zero_pending = True
        else:
            if zero_pending and out:
                out.append("零")
            zero_pending = False
            out.append(_DIGITS[digit] + _SMALL_UNITS[position % 4])
        if position % 4 == 0 and position > 0:
            group = digits[max(0, index - 3) : index + 1]
            if int(group):
                out.append(_GROUP_UNITS[position // 4])
    return "".join(out)


def amount_in_capitals(value: object) -> str:
    """25000 → 贰万伍仟元整; 1800.50 → 壹仟捌佰元伍角; 100.05 → 壹佰元零伍分."""
    amount = to_amount(value)
    yuan = int(amount)
    cents = int((amount - yuan) * 100)
    jiao, fen = divmod(cents, 10)
    text = ""
    if yuan or not cents:
        text = _integer_capitals(yuan) + "元"
    if not cents:
        return text + "整"
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif yuan:
        text += "零"
    if fen:
        text += _DIGITS[fen] + "分"
    return text


def amount_in_figures(value: object) -> str:
    """25000 → 25,000.00"""
    return f"{to_amount(value):,.2f}"


def amount_phrase(value: object) -> str:
    """The form used in documents: 人民币贰万伍仟元整（¥25,000.00）."""
    return f"人民币{amount_in_capitals(value)}（¥{amount_in_figures(value)}）"


def parse_moment(value: date | datetime | str) -> date | datetime:
    if isinstance(value, (date, datetime)):
        return value
    text = str(value).strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(f"日期「{value}」格式无效", details={"value": text}) from None


def chinese_date(value: date | datetime | str) -> str:
    """2026-02-27 → 2026年2月27日"""
    moment = parse_moment(value)
    if isinstance(moment, datetime) and moment.tzinfo is not None:
        moment = moment.astimezone(_LOCAL)
    return f"{moment.year}年{moment.month}月{moment.day}日"


def chinese_datetime(value: datetime | str) -> str:
    """2026-02-27T09:05 → 2026年2月27日9时05分 (local time, Asia/Shanghai)."""
    moment = parse_moment(value)
    if not isinstance(moment, datetime):
        return chinese_date(moment)
    if moment.tzinfo is not None:
        moment = moment.astimezone(_LOCAL)
    return f"{moment.year}年{moment.month}月{moment.day}日{moment.hour}时{moment.minute:02d}分"
