"""`zhifa record verify [CASE] [--dossier ZIP]`: check the full-process record's hash chains.

CASE is a case number as printed on the documents (（遂）应急立〔2026〕1号) or a case id; a case
that does not exist is an error, never 「校验通过」.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer
from sqlmodel import Session, select

from engine.errors import NotFound, ZhifaError

# Half-width brackets typed for the full-width ones a case number is printed with.
_AS_PRINTED = str.maketrans({"(": "（", ")": "）", "[": "〔", "]": "〕"})

record_app = typer.Typer(help="执法全过程记录", no_args_is_help=True)


def find_case(session: Session, case: str):
    """The case named by its id or its number (half-width brackets accepted); NotFound otherwise."""
    from engine.models import Case

    text = case.strip()
    if text.isdigit():
        found = session.get(Case, int(text))
    else:
        found = session.exec(select(Case).where(Case.number == text.translate(_AS_PRINTED))).first()
    if found is None:
        raise NotFound(f"案件「{case}」不存在，请核对案号或案件ID", details={"case": case})
    return found


@record_app.command("verify")
def verify(
    case: str | None = typer.Argument(None, help="案号或案件ID, 例如 （遂）应急立〔2026〕1号 或 12; 省略则校验全部案件"),
    dossier: Path | None = typer.Option(None, "--dossier", help="校验卷宗压缩包(zip)与执法全过程记录是否一致"),
) -> None:
    """Recompute the hash chains of the full-process record and name the first broken event."""
    if dossier is not None:
        from api.commands.dossier_export import verify_dossier_command

        raise typer.Exit(verify_dossier_command(dossier))
    from engine import record
    from engine.db import get_engine

    try:
        with Session(get_engine()) as session:
            found = None if case is None else find_case(session, case)
            breaks = record.verify(session, None if found is None else found.id)
    except ZhifaError as exc:
        typer.echo(f"错误 [{exc.code}]: {exc.message}", err=True)
        raise typer.Exit(1) from None
    checked = "全部案件" if found is None else f"案件 {found.number or found.id}"
    if breaks:
        for item in breaks:
            typer.echo(f"校验失败: {item.describe()}", err=True)
        typer.echo(json.dumps([item.__dict__ for item in breaks], ensure_ascii=False))
        raise typer.Exit(1)
    typer.echo(f"校验通过: {checked}的全过程记录完整")


def register(app: typer.Typer) -> None:
    app.add_typer(record_app, name="record")
