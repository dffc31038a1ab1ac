"""`zhifa dossier CASE --out DIR` builds a case's dossier with the one builder the API and the web page use; `verify_dossier_command` serves `zhifa record verify --dossier ZIP`."""

from __future__ import annotations

from pathlib import Path

import typer
from sqlmodel import Session, select

from engine.db import read_session
from engine.errors import NotFound, ZhifaError


def _case_id(session: Session, case: str | None, last: bool) -> int:
    from engine.models import Case

    if last:
        newest = session.exec(select(Case.id).order_by(Case.started_at.desc(), Case.id.desc())).first()
        if newest is None:
            raise NotFound("系统中还没有案件")
        return newest
    if case is None:
        raise NotFound("请指定案件ID或案号，或使用 --last 选择最近的案件")
    query = select(Case.id).where(Case.id == int(case)) if case.isdigit() else select(Case.id).where(Case.number == case)
    found = session.exec(query).first()
    if found is None:
        raise NotFound(f"案件「{case}」不存在", details={"case": case})
    return found


def _render_pending(engine, store) -> None:
    """Render the documents the worker has not rendered yet, as the worker would."""
    from documents.rendition import render_pending

    while render_pending(engine, store):
        pass


def register(app: typer.Typer) -> None:
    @app.command("dossier")
    def dossier(
        case: str | None = typer.Argument(None, help="案件ID或案号"),
        out: Path = typer.Option(Path("."), "--out", help="卷宗PDF和压缩包的输出目录"),
        last: bool = typer.Option(False, "--last", help="为最近创建的案件立卷"),
    ) -> None:
        """生成案件卷宗PDF（封面、卷内目录、编页的文书、备考表）和压缩包（文书原件、证据清单、哈希清单）。"""
        from api.bootstrap import object_store
        from api.services.dossier_files import build_case_dossier
        from engine.db import get_engine
        from engine.settings import get_settings

        settings = get_settings()
        engine = get_engine(settings.resolved_database_url)
        store = object_store(settings)
        try:
            with read_session(engine) as session:
                case_id = _case_id(session, case, last)
            _render_pending(engine, store)
            result = build_case_dossier(engine, store, settings, case_id, out)
        except ZhifaError as exc:
            typer.echo(f"错误 [{exc.code}]: {exc.message}", err=True)
            raise typer.Exit(1) from None
        typer.echo(str(result.pdf_path))
        typer.echo(str(result.zip_path))


def verify_dossier_command(zip_path: Path) -> int:
    """Check a dossier zip against the record and print the result in Chinese; returns the exit code."""
    from api.bootstrap import object_store
    from documents.dossier import archive_pdf_beside, read_manifest, verify_dossier
    from engine.db import get_engine
    from engine.settings import get_settings

    settings = get_settings()
    with read_session(get_engine(settings.resolved_database_url)) as session:
        problems = verify_dossier(session, object_store(settings), Path(zip_path))
    if problems:
        for problem in problems:
            typer.echo(f"校验失败: {problem}", err=True)
        return 1
    pdf = archive_pdf_beside(zip_path, read_manifest(zip_path))
    checked = f"卷宗PDF {pdf.name} 一并校验" if pdf else "未在压缩包所在目录找到卷宗PDF，未校验PDF"
    typer.echo(f"校验通过: 卷宗 {Path(zip_path).name} 的文件、文书原件与执法全过程记录一致（{checked}）")
    return 0
