"""CLI commands `deadline` and `surcharge`, registered into the main `zhifa` Typer app."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import NoReturn, Optional

import typer

from engine.calendar import deadline, holiday_basis
from engine.errors import ZhifaError
from engine.surcharge import late_surcharge

USAGE_ERROR = 2
PROVISIONAL_NOTE = "暂定期限:所涉年份尚无国务院办公厅节假日安排通知,按法定节假日推算,调休安排未知;通知发布后请运行 zhifa holidays refresh"


def register(app: typer.Typer) -> None:
    app.command("deadline", help="计算法定期限的截止日(起算日不计入)。")(deadline_command)
    app.command("surcharge", help="计算逾期缴纳罚款的加处罚款(每日3%,以罚款数额为限)。")(surcharge_command)


def deadline_command(
    start: Optional[str] = typer.Option(None, "--from", metavar="YYYY-MM-DD", help="起算日(当日不计入)"),
    days: Optional[str] = typer.Option(None, "--days", metavar="N", help="期限天数(整数)"),
    working: bool = typer.Option(False, "--working", help="按工作日计算"),
) -> None:
    start_date = _parse_date(start, "--from", "起算日")
    day_count = _parse_days(days)
    with holiday_basis() as basis:
        end = _run(lambda: deadline(start_date, day_count, working=working))
    result = {"deadline": end.isoformat(), "provisional": basis.provisional, "source": basis.label}
    if basis.provisional:
        result["note"] = PROVISIONAL_NOTE
    typer.echo(json.dumps(result, ensure_ascii=False))


def surcharge_command(
    fine: Optional[str] = typer.Option(None, "--fine", metavar="AMOUNT", help="罚款数额(元)"),
    due: Optional[str] = typer.Option(None, "--due", metavar="YYYY-MM-DD", help="缴纳期限的最后一日"),
    on: Optional[str] = typer.Option(None, "--on", metavar="YYYY-MM-DD", help="计算到哪一日"),
) -> None:
    amount = _parse_amount(fine)
    due_date = _parse_date(due, "--due", "缴纳期限")
    on_date = _parse_date(on, "--on", "计算日")
    surcharge = _run(lambda: late_surcharge(amount, due_date, on_date))
    typer.echo(f'{{"surcharge": {surcharge:f}}}')


def _parse_date(value: str | None, option: str, label: str) -> date:
    if value is None:
        _fail(f"缺少{label} {option}(格式 YYYY-MM-DD)")
    try:
        return date.fromisoformat(value)
    except ValueError:
        _fail(f"{label} {option} 不是有效日期(格式 YYYY-MM-DD):{value}")


def _parse_days(value: str | None) -> int:
    if value is None:
        _fail("缺少期限天数 --days")
    try:
        days = int(value)
    except ValueError:
        _fail(f"期限天数 --days 应为不小于 0 的整数:{value}")
    if days < 0:
        _fail(f"期限天数 --days 应为不小于 0 的整数:{value}")
    return days


def _parse_amount(value: str | None) -> Decimal:
    if value is None:
        _fail("缺少罚款数额 --fine")
    try:
        amount = Decimal(value)
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount < 0:
        _fail(f"罚款数额 --fine 应为不小于 0 的金额:{value}")
    return amount


def _run(compute):
    try:
        return compute()
    except ZhifaError as exc:
        typer.echo(exc.message, err=True)
        raise typer.Exit(1) from exc


def _fail(message: str) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(USAGE_ERROR)
