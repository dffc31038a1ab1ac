"""The `zhifa` command line: serve, worker, demo, admin, db, record, and the rule/storage/document tools.

Typer docstrings are the help text, so they are Chinese like every message here.
"""

from __future__ import annotations

import logging
import sys
from enum import StrEnum

import typer
from typer import rich_utils

from engine.errors import ZhifaError

# the frame of the help pages in Chinese too (Typer's own texts; the commands' texts are their docstrings)
rich_utils.DEFAULT_STRING = "[默认: {}]"
rich_utils.ENVVAR_STRING = "[环境变量: {}]"
rich_utils.REQUIRED_LONG_STRING = "[必填]"
rich_utils.ARGUMENTS_PANEL_TITLE = "参数"
rich_utils.OPTIONS_PANEL_TITLE = "选项"
rich_utils.COMMANDS_PANEL_TITLE = "命令"
rich_utils.ERRORS_PANEL_TITLE = "错误"
rich_utils.ABORTED_TEXT = "已中止。"
rich_utils.RICH_HELP = "运行 [blue]'{command_path} {help_option}'[/] 查看帮助。"

app = typer.Typer(help="zhifa 执法: 应急管理综合行政执法案件办理流程引擎", no_args_is_help=True, add_completion=False)
db_app = typer.Typer(help="数据库", no_args_is_help=True)
app.add_typer(db_app, name="db")


class LogLevel(StrEnum):
    debug = "debug"
    info = "info"
    warning = "warning"
    error = "error"


OWN_LOGGERS = ("engine", "api", "documents")
DEMO_LOGINS = "README.md 开头的演示账号表（所有演示账号的密码相同，也写在那里）"
CLOCK_COMMANDS = ("serve", "worker")  # long-running commands that write the record with real timestamps


def _fail(exc: ZhifaError) -> None:
    typer.echo(f"错误 [{exc.code}]: {exc.message}", err=True)
    raise typer.Exit(1)


def configure_logging(level: str = LogLevel.info) -> None:
    """zhifa's own loggers at `level`; SpiffWorkflow's per-task lines only at debug, else warnings only."""
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for name in OWN_LOGGERS:
        logging.getLogger(name).setLevel(level.upper())
    logging.getLogger("spiff").setLevel(logging.DEBUG if level == "debug" else logging.WARNING)


def refuse_clock_override(command: str) -> None:
    """ZHIFA_NOW would stamp the record with a simulated time: only demos and tests may set it."""
    from engine.settings import get_settings

    settings = get_settings()
    if settings.now is not None and not settings.allow_clock_override:
        raise ZhifaError(f"已设置 ZHIFA_NOW（模拟时钟 {settings.now.isoformat()}），zhifa {command} 拒绝启动："
                         "模拟时钟会改变执法全过程记录的时间戳，只用于 zhifa demo 和测试。请取消 ZHIFA_NOW；"
                         "确需在测试环境使用时，另设 ZHIFA_ALLOW_CLOCK_OVERRIDE=1",
                         code="clock_override_refused")


@app.callback()
def main_options(ctx: typer.Context) -> None:
    """zhifa 执法: 应急管理综合行政执法案件办理流程引擎"""
    configure_logging()
    if ctx.invoked_subcommand in CLOCK_COMMANDS:
        try:
            refuse_clock_override(ctx.invoked_subcommand)
        except ZhifaError as exc:
            _fail(exc)


def _no_users_hint() -> str:
    return ("数据库中还没有任何账号。请先创建管理员：\n"
            "  zhifa admin create --username admin --agency <机构代码> --agency-name <机构名称> --short-name <机关代字>\n"
            "再运行 zhifa serve；或运行 zhifa serve --demo 载入演示数据（遂川县应急管理局及乡镇、演示账号）试用。")


@app.command()
def serve(
    demo: bool = typer.Option(False, "--demo", help="载入演示数据(遂川县应急管理局及乡镇、演示账号、停在各办案环节的演示案件、执法对象名录和年度计划)"),
    host: str = typer.Option("127.0.0.1", help="监听地址"),
    port: int = typer.Option(8000, help="监听端口"),
    worker: bool = typer.Option(True, "--worker/--no-worker", help="在服务进程内运行定时器"),
    log_level: LogLevel = typer.Option(LogLevel.info, "--log-level",
                                  help="zhifa 自身的日志级别；SpiffWorkflow 的逐任务日志只在 debug 时输出，否则只输出警告"),
) -> None:
    """运行 HTTP 服务（默认在同一进程内运行定时器 worker）。"""
    from contextlib import ExitStack

    import uvicorn

    from api.app import create_app
    from api.bootstrap import build_runtime, worker_passes
    from api.identity.first_admin import has_users
    from api.identity.security import secret_key
    from engine.scheduler import start_background_worker
    from engine.settings import get_settings

    configure_logging(log_level)
    settings = get_settings()
    try:
        secret_key(settings)
        runtime = build_runtime()
        if demo:
            from api.demo_cases import seed_demo_cases

            seed_demo_cases(runtime)
        elif not has_users(runtime.engine):
            typer.echo(_no_users_hint(), err=True)
            raise typer.Exit(1)
        application = create_app(runtime)
    except ZhifaError as exc:
        _fail(exc)
    typer.echo(f"zhifa 已启动: 网页 http://{host}:{port}/ （接口 http://{host}:{port}/api/v1 ，接口文档 http://{host}:{port}/docs ）")
    typer.echo(f"数据目录: {settings.data_dir}")
    if demo:
        typer.echo(f"演示账号见 {DEMO_LOGINS}")
        typer.echo("警告: 演示账号的密码是公开的，切勿在正式环境中使用 --demo", err=True)
    with ExitStack() as stack:
        if worker:
            passes = stack.enter_context(worker_passes(runtime))
            stack.callback(start_background_worker(passes, runtime.next_due, settings.worker_poll_seconds).set)
        uvicorn.run(application, host=host, port=port, log_level=log_level.value)


@app.command()
def worker(once: bool = typer.Option(False, "--once", help="处理完当前到期的定时器、待生成的文书和存储操作后退出"),
           status: bool = typer.Option(False, "--status", help="列出处理失败的项目(定时器、文书、存储操作)后退出")) -> None:
    """处理到期的定时器（法定期限）、文书生成和存储操作；使用 PostgreSQL 时可并行运行多个 worker。"""
    if status:
        from api.commands.worker_status import worker_status

        raise typer.Exit(worker_status(typer.echo))
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
    """演示：在模拟时钟上把一个案件办完全部环节，逐步打印，最后打印案号。"""
    from api.demo import run_demo

    try:
        number = run_demo(echo=typer.echo)
    except ZhifaError as exc:
        _fail(exc)
    typer.echo(number)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """执行数据库迁移（Alembic），升级到最新的表结构。"""
    from engine.db import upgrade

    upgrade()
    typer.echo("数据库已升级到最新版本")


def _register_tools() -> None:
    from api.commands.admin import register as register_admin
    from api.commands.deadlines import register as register_calendar
    from api.commands.dossier_export import register as register_dossier
    from api.commands.holidays import register as register_holidays
    from api.commands.plan_redraw import register as register_plan
    from api.commands.record_verify import register as register_record
    from api.commands.review_redraw import register as register_review
    from api.commands.rules import register as register_rules
    from api.commands.storage import register as register_storage

    register_admin(app)
    register_calendar(app)
    register_holidays(app)
    register_plan(app)
    register_dossier(app)
    register_record(app)
    register_review(app)
    register_rules(app)
    register_storage(app)


_register_tools()


def main() -> None:
    try:
        app()
    except ZhifaError as exc:
        typer.echo(f"错误 [{exc.code}]: {exc.message}", err=True)
        sys.exit(1)
