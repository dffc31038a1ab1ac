from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from documents.amounts import (
    amount_in_capitals,
    amount_in_figures,
    amount_phrase,
    chinese_date,
    chinese_datetime,
)
from engine.errors import ValidationFailed


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (25000, "贰万伍仟元整"),
        ("1800.50", "壹仟捌佰元伍角"),
        (Decimal("100.05"), "壹佰元零伍分"),
        ("0.05", "伍分"),
        ("0.50", "伍角"),
        (0, "零元整"),
        (10, "壹拾元整"),
        (10010, "壹万零壹拾元整"),
        (100000, "壹拾万元整"),
        (1000001, "壹佰万零壹元整"),
        (60000, "陆万元整"),
        (1800, "壹仟捌佰元整"),
        (300000, "叁拾万元整"),
        (100010000, "壹亿零壹万元整"),
        (200000000, "贰亿元整"),
        ("12.34", "壹拾贰元叁角肆分"),
        (1005.3, "壹仟零伍元叁角"),
    ],
)
def test_capitals(value, expected):
    assert amount_in_capitals(value) == expected


def test_figures_and_phrase():
    assert amount_in_figures(25000) == "25,000.00"
    assert amount_in_figures("1800.5") == "1,800.50"
    assert amount_phrase(25000) == "人民币贰万伍仟元整（¥25,000.00）"


@pytest.mark.parametrize("bad", ["-1", "12.345", "abc", "NaN", "1e20"])
def test_invalid_amounts_are_refused(bad):
    with pytest.raises(ValidationFailed):
        amount_in_capitals(bad)


def test_chinese_dates():
    assert chinese_date(date(2026, 2, 27)) == "2026年2月27日"
    assert chinese_date("2026-02-07") == "2026年2月7日"
    assert chinese_datetime("2026-02-27T09:05:00") == "2026年2月27日9时05分"
    # an aware UTC time is shown in Beijing time, which is already the next day here
    utc_evening = datetime(2026, 2, 27, 17, 30, tzinfo=timezone.utc)
    assert chinese_date(utc_evening) == "2026年2月28日"
    assert chinese_datetime(utc_evening) == "2026年2月28日1时30分"
    assert chinese_datetime(datetime(2026, 3, 1, 14, 0, tzinfo=timezone(timedelta(hours=8)))) == "2026年3月1日14时00分"


def test_invalid_date_is_refused():
    with pytest.raises(ValidationFailed):
        chinese_date("27/02/2026")
