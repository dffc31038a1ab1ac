"""Late-payment surcharge (APL Art. 72): 3% of the fine per day after the last day to pay, capped at the fine."""

import json
from datetime import date
from decimal import Decimal

import pytest
import typer
from typer.testing import CliRunner

from api.commands.deadlines import register
from engine.calendar import deadline
from engine.errors import ValidationFailed
from engine.surcharge import late_surcharge

FINE = Decimal("60000")
DUE = date(2026, 10, 8)


@pytest.mark.parametrize("on", [date(2026, 9, 30), date(2026, 10, 8)])
def test_nothing_owed_on_or_before_the_due_day(on):
    assert late_surcharge(FINE, DUE, on) == Decimal("0.00")


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2026, 10, 9), Decimal("1800.00")),
        (date(2026, 10, 12), Decimal("7200.00")),
        (date(2026, 11, 10), Decimal("59400.00")),  # 33 days late: 99%
        (date(2026, 11, 11), Decimal("60000.00")),  # 34 days would be 102%: capped at the fine
        (date(2027, 6, 1), Decimal("60000.00")),
    ],
)
def test_three_percent_per_day_capped_at_the_fine(on, expected):
    assert late_surcharge(FINE, DUE, on) == expected


def test_e8_payment_deadline_rolls_over_national_day_before_surcharge_starts():
    """DOMAIN.md E8: decision served on Monday 2026-09-21; pay within 15 days."""
    due = deadline(date(2026, 9, 21), 15)  # 10-06 is a holiday -> 10-08
    assert due == date(2026, 10, 8)
    assert late_surcharge(FINE, due, date(2026, 10, 6)) == Decimal("0.00")
    assert late_surcharge(FINE, due, date(2026, 10, 9)) == Decimal("1800.00")


@pytest.mark.parametrize(
    ("fine", "days_late", "expected"),
    [
        (Decimal("333.33"), 1, Decimal("10.00")),  # 9.9999
        (Decimal("1.50"), 1, Decimal("0.05")),  # 0.045, half up
        (Decimal("2000"), 5, Decimal("300.00")),
    ],
)
def test_rounded_to_the_cent(fine, days_late, expected):
    assert late_surcharge(fine, date(2026, 3, 2), date(2026, 3, 2 + days_late)) == expected


def test_amounts_from_task_data_are_read_exactly():
    assert late_surcharge(60000, DUE, date(2026, 10, 9)) == Decimal("1800.00")
    assert late_surcharge(0.1, DUE, date(2026, 10, 9)) == Decimal("0.00")  # 0.003
    assert late_surcharge("1234.56", DUE, date(2026, 10, 10)) == Decimal("74.07")  # 74.0736


@pytest.mark.parametrize("fine", [Decimal("-1"), Decimal("NaN"), "abc", True])
def test_invalid_fine_is_refused(fine):
    with pytest.raises(ValidationFailed, match="罚款金额无效"):
        late_surcharge(fine, DUE, date(2026, 10, 9))


@pytest.fixture
def cli():
    app = typer.Typer()
    register(app)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


def test_cli_surcharge(cli):
    result = cli("surcharge", "--fine", "60000", "--due", "2026-10-08", "--on", "2026-10-12")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"surcharge": 7200}
    assert result.stdout.strip() == '{"surcharge": 7200.00}'


def test_cli_surcharge_before_due_is_zero(cli):
    result = cli("surcharge", "--fine", "60000", "--due", "2026-10-08", "--on", "2026-10-01")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"surcharge": 0}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--due", "2026-10-08", "--on", "2026-10-12"), "--fine"),
        (("--fine", "六万", "--due", "2026-10-08", "--on", "2026-10-12"), "--fine"),
        (("--fine", "-5", "--due", "2026-10-08", "--on", "2026-10-12"), "--fine"),
        (("--fine", "60000", "--on", "2026-10-12"), "--due"),
        (("--fine", "60000", "--due", "2026/10/08", "--on", "2026-10-12"), "--due"),
        (("--fine", "60000", "--due", "2026-10-08"), "--on"),
    ],
)
def test_cli_surcharge_rejects_bad_input_naming_it(cli, args, message):
    result = cli("surcharge", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""
