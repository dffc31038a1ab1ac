"""CLI command `decide TABLE --json '{...}'`, registered into the main `zhifa` Typer app."""

from __future__ import annotations

import json
from datetime import date
from typing import NoReturn, Optional

import typer

from engine.errors import NotFound, ValidationFailed, ZhifaError
from engine.rules.contracts import table_ids
from engine.rules.table_decision import decide_table

USAGE_ERROR = 2
MODEL_ERROR = 1


def register(app: typer.Typer) -> None:
    app.command("decide", help="按决策表计算结果并输出 JSON（决策表：" + "、".join(table_ids()) + "）。")(
        decide_command
    )


def decide_command(
    table: str = typer.Argument(..., metavar="TABLE", help="决策表：" + " | ".join(table_ids())),
    inputs_json: Optional[str] = typer.Option(None, "--json", metavar="'{...}'", help="输入项（JSON 对象）"),
    profile: Optional[str] = typer.Option(None, "--profile", metavar="NAME", help="规则配置名（默认 ZHIFA_RULES_PROFILE）"),
    on: Optional[str] = typer.Option(None, "--on", metavar="YYYY-MM-DD", help="按哪一日生效的配置计算（立案日，默认今天）"),
) -> None:
    if inputs_json is None:
        _fail("缺少输入 --json（JSON 对象）")
    try:
        inputs = json.loads(inputs_json)
    except json.JSONDecodeError as exc:
        _fail(f"--json 不是有效的 JSON：{exc}")
    on_date = _parse_date(on)
    try:
        outputs = decide_table(table, inputs, profile=profile, on=on_date)
    except (ValidationFailed, NotFound) as exc:
        _fail(exc.message)
    except ZhifaError as exc:
        _fail(exc.message, MODEL_ERROR)
    typer.echo(json.dumps(outputs, ensure_ascii=False))


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        _fail(f"--on 不是有效日期（格式 YYYY-MM-DD）：{value}")


def _fail(message: str, exit_code: int = USAGE_ERROR) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(exit_code)
