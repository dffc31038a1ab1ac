"""`zhifa record verify [CASE] [--dossier ZIP]` and `zhifa record anchor`: the full-process record's checks.

CASE is a case number as printed on the documents (（遂）应急立〔2026〕1号) or a case id; a case
that does not exist is an error, never 「校验通过」. Verification recomputes the hash chains and then
checks them against the newest signed anchor in object storage (engine.anchor), which catches a chain
recomputed after an edit or a case's events deleted with its counter reset, and the derived tables (task rows,
case status) against the record and the workflow state (engine.derived_check).
"""

from __future__ import annotations

import json
from pathlib import Path

import typer
from sqlmodel import Session, select  # noqa: F401 - Session in find_case's signature

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
    from api.bootstrap import anchor_key, build_runtime, object_store
    from engine import anchor, derived_check, record
    from engine.db import get_engine, read_session

    try:
        with read_session(get_engine()) as session:
            found = None if case is None else find_case(session, case)
            case_id = None if found is None else found.id
            breaks = record.verify(session, case_id)
            store = object_store()
            findings = anchor.verify_anchors(session, store, anchor_key(), case_id) if store.anchor_names() else []
            findings += derived_check.check(build_runtime(), session, case_id)
    except ZhifaError as exc:
        typer.echo(f"错误 [{exc.code}]: {exc.message}", err=True)
        raise typer.Exit(1) from None
    checked = "全部案件" if found is None else f"案件 {found.number or found.id}"
    if breaks or findings:
        for item in [*breaks, *findings]:
            typer.echo(f"校验失败: {item.describe()}", err=True)
        typer.echo(json.dumps([item.__dict__ for item in [*breaks, *findings]], ensure_ascii=False))
        raise typer.Exit(1)
    typer.echo(f"校验通过: {checked}的全过程记录完整(哈希链与签名锚点一致, 任务表与案件状态与记录相符)")


@record_app.command("anchor")
def write_anchor() -> None:
    """立即为全部案件的记录链头写入一个签名锚点(保存在对象存储中, 带保留期); worker 也会定期写入。"""
    from api.bootstrap import anchor_key, object_store, retention_until
    from engine import anchor
    from engine.db import get_engine
    from engine.settings import get_settings

    try:
        written = anchor.write_anchor(get_engine(), object_store(), anchor_key(), retention_until(get_settings()))
    except ZhifaError as exc:
        typer.echo(f"错误 [{exc.code}]: {exc.message}", err=True)
        raise typer.Exit(1) from None
    if written is None:
        typer.echo("记录自上一个锚点以来没有变化, 未写入新锚点")
    else:
        typer.echo(f"已写入锚点 {written.name}: {written.cases} 个案件的记录链头, SHA-256 {written.sha256}")


def register(app: typer.Typer) -> None:
    app.add_typer(record_app, name="record")
