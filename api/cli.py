"""The `zhifa` command line: serve, worker, demo, db, record, and the rule/storage/document tools."""

from __future__ import annotations

import logging
import sys

import typer

from engine.errors import ZhifaError

app = typer.Typer(help="zhifa 执法: 应急管理综合行政执法案件办理流程引擎", no_args_is_help=True, add_completion=False)
db_app = typer.Typer(help="数据库", no_args_is_help=True)
app.add_typer(db_app, name="db")


def _fail(exc: ZhifaError) -> None:
    typer.echo(f"错误 [{exc.code}]: {exc.message}", err=True)
    raise typer.Exit(1)


@app.command()
def serve(
    demo: bool = typer.Option(False, "--demo", help="载入演示数据(遂川县应急管理局及乡镇、演示账号、停在各办案环节的演示案件)"),
    host: str = typer.Option("127.0.0.1", help="监听地址"),
    port: int = typer.Option(8000, help="监听端口"),
    worker: bool = typer.Option(True, "--worker/--no-worker", help="在服务进程内运行定时器"),
) -> None:
    """Run the HTTP service (and, by default, the timer worker in the same process)."""
    from contextlib import ExitStack

    import uvicorn

    from api.app import create_app
    from api.bootstrap import build_runtime, worker_passes
    from engine.scheduler import start_background_worker
    from engine.settings import get_settings

    logging.basicConfig(level=logging.INFO)
    try:
        runtime = build_runtime()
        if demo:
            from api.demo_cases import seed_demo_cases

            seed_demo_cases(runtime)
    except ZhifaError as exc:
        _fail(exc)
    with ExitStack() as stack:
        if worker:
            passes = stack.enter_context(worker_passes(runtime))
            stack.callback(start_background_worker(passes, runtime.next_due, get_settings().worker_poll_seconds).set)
        uvicorn.run(create_app(runtime), host=host, port=port)


@app.command()
def worker(once: bool = typer.Option(False, "--once", help="只处理一轮到期定时器后退出")) -> None:
    """Fire due timers (statutory deadlines); several workers may run side by side on PostgreSQL."""
    from api.bootstrap import build_runtime, worker_passes
    from engine.scheduler import run_worker
    from engine.settings import get_settings

    logging.basicConfig(level=logging.INFO)
    try:
        runtime = build_runtime()
    except ZhifaError as exc:
        _fail(exc)
    with worker_passes(runtime) as passes:
        run_worker(passes, runtime.next_due, poll_seconds=get_settings().worker_poll_seconds, once=once)


@app.command()
def demo() -> None:
    """Drive one case through every step that exists, printing each step and finally the case number."""
    from api.demo import run_demo

    try:
        number = run_demo(echo=typer.echo)
    except ZhifaError as exc:
        _fail(exc)
    typer.echo(number)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the database migrations (Alembic) up to the newest schema."""
    from engine.db import upgrade

    upgrade()
    typer.echo("数据库已升级到最新版本")


def _register_tools() -> None:
    from api.commands.calendar import register as register_calendar
    from api.commands.dossier import register as register_dossier
    from api.commands.record import register as register_record
    from api.commands.rules import register as register_rules
    from api.commands.storage import register as register_storage

    register_calendar(app)
    register_dossier(app)
    register_record(app)
    register_rules(app)
    register_storage(app)


_register_tools()


def main() -> None:
    try:
        app()
    except ZhifaError as exc:
        typer.echo(f"错误 [{exc.code}]: {exc.message}", err=True)
        sys.exit(1)
