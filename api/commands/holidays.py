"""CLI group `zhifa holidays`: which years have official holiday data, import a notice, recompute provisional deadlines."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import chinese_calendar
import typer

from engine import clock, holiday_data
from engine.calendar import SHANGHAI
from engine.errors import ZhifaError
from engine.holiday_notice import ParsedNotice, parse_notice
from engine.settings import get_settings

holidays_app = typer.Typer(help="节假日安排数据:查看来源、导入国务院办公厅通知、重新计算暂定期限。", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(holidays_app, name="holidays")


@holidays_app.command("status", help="逐年列出节假日数据是正式通知还是暂定推算,以及来源。")
def status_command() -> None:
    this_year = clock.now().astimezone(SHANGHAI).year
    years = sorted(set(holiday_data.PACKAGE_YEARS) | set(holiday_data.file_years()) | {this_year, this_year + 1})
    for year in years:
        status = _run(lambda y=year: holiday_data.year_status(y))
        kind = "正式" if status.official else "暂定"
        typer.echo(f"{year}  {kind}  {status.source}")


@holidays_app.command("import", help="读取国务院办公厅节假日安排通知全文,确认后写入年度数据文件。")
def import_command(
    notice: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="通知全文(UTF-8 文本)"),
    to: Optional[Path] = typer.Option(None, "--to", file_okay=False, help="写入目录(默认 ZHIFA_HOLIDAYS_DIR)"),
    yes: bool = typer.Option(False, "--yes", "-y", help="不再询问,直接写入"),
) -> None:
    directory = to or get_settings().holidays_dir
    if directory is None:
        _fail("未指定写入目录:请设置 ZHIFA_HOLIDAYS_DIR 或使用 --to")
    try:
        text = notice.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        _fail(f"通知文件不是 UTF-8 文本:{notice}")
    parsed = _run(lambda: parse_notice(text))
    _show(parsed)
    target = Path(directory) / f"{parsed.year}.yaml"
    if not yes and not typer.confirm(f"写入 {target}{'(覆盖已有文件)' if target.exists() else ''}?"):
        typer.echo("未写入。")
        raise typer.Exit(1)
    Path(directory).mkdir(parents=True, exist_ok=True)
    target.write_text(parsed.year_file_text(), encoding="utf-8")
    holiday_data.clear_caches()
    _run(lambda: holiday_data.parse_year_file(target, parsed.year))  # what was written reads back
    typer.echo(f"已写入 {target}。请运行 zhifa holidays refresh 重新计算暂定期限(worker 启动时也会执行)。")


@holidays_app.command("refresh", help="按现有节假日数据重新计算所有未结案件的暂定期限,并报告变动。")
def refresh_command() -> None:
    from api.bootstrap import build_runtime

    reports = _run(lambda: build_runtime().recompute_provisional())
    for report in reports:
        for move in report["moves"]:
            what = move.get("field") or move.get("task") or move.get("timer")
            mark = "(仍为暂定)" if move["provisional"] else ""
            typer.echo(f"{report['case_number']}  {what}: {move['from']} → {move['to']}{mark}")
    typer.echo(f"{len(reports)}个案件的期限有变动。" if reports else "没有期限发生变动。")


def _show(parsed: ParsedNotice) -> None:
    typer.echo(f"{parsed.year}年节假日安排 — {parsed.source}")
    for festival in parsed.festivals:
        off = "、".join(d.isoformat() for d in festival.holidays)
        work = "、".join(d.isoformat() for d in festival.workdays) or "无"
        typer.echo(f"  {festival.name}: 放假 {off};调休上班 {work}")
    known = {d for d in chinese_calendar.holidays if d.year == parsed.year}
    if parsed.year in holiday_data.PACKAGE_YEARS and known:
        same = known == set(parsed.holidays) and {
            d for d in chinese_calendar.workdays if d.year == parsed.year} == set(parsed.workdays)
        typer.echo("  与 chinesecalendar 数据一致。" if same else "  注意:与 chinesecalendar 数据不一致,请核对通知原文。")


def _run(compute):
    try:
        return compute()
    except ZhifaError as exc:
        typer.echo(exc.message, err=True)
        raise typer.Exit(1) from exc


def _fail(message: str):
    typer.echo(message, err=True)
    raise typer.Exit(2)
