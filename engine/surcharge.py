"""Late-payment surcharge on fines (加处罚款, APL Art. 72; ACL Art. 45)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from engine.errors import ValidationFailed

DAILY_RATE = Decimal("0.03")
CENT = Decimal("0.01")


def late_surcharge(fine: Decimal, due: date, on: date) -> Decimal:
    """Surcharge owed on `on` for a fine unpaid after `due`, its last day to pay.

    3% of the fine for each day after `due`, never more than the fine itself; 0 on or before
    `due`. Rounded to the cent. Periods in which enforcement is suspended are the caller's concern.
    An int, float or numeric string (from task data) is read through its decimal text.
    """
    fine = _as_amount(fine)
    days_late = max((on - due).days, 0)
    surcharge = min(fine * DAILY_RATE * days_late, fine)
    return surcharge.quantize(CENT, rounding=ROUND_HALF_UP)


def _as_amount(value) -> Decimal:
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        amount = None
    if isinstance(value, bool) or amount is None or not amount.is_finite() or amount < 0:
        raise ValidationFailed(f"罚款金额无效:{value!r}(应为不小于 0 的金额)", details={"fine": str(value)})
    return amount
