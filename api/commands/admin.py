"""`zhifa admin create`: the first administrator of a new installation, without the demo data."""

from __future__ import annotations

import sys
from typing import Optional

import typer

from engine.errors import ZhifaError


def register(app: typer.Typer) -> None:
    admin = typer.Typer(help="账号管理：创建首个系统管理员", no_args_is_help=True)

    @admin.command("create")
    def create(
        username: str = typer.Option(..., "--username", help="管理员的登录名"),
        agency: str = typer.Option(..., "--agency", help="所属执法机构的代码（如行政区划代码 360827）"),
        agency_name: Optional[str] = typer.Option(None, "--agency-name", help="机构名称；机构尚不存在时必填，将新建为县级应急管理局"),
        short_name: Optional[str] = typer.Option(None, "--short-name", help="机关代字（案号中的简称，如“遂”）；新建机构时必填"),
        name: Optional[str] = typer.Option(None, "--name", help="显示的姓名（默认“系统管理员”）"),
        password_stdin: bool = typer.Option(False, "--password-stdin", help="从标准输入读取密码（第一行），不交互询问"),
    ) -> None:
        """创建系统管理员（不载入演示数据）；管理员登录后再通过接口创建其他账号。"""
        from api.bootstrap import build_runtime
        from api.identity.first_admin import create_administrator

        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = typer.prompt("密码", hide_input=True, confirmation_prompt=True)
        try:
            runtime = build_runtime()
            user, agency_row, created = create_administrator(
                runtime.engine, username=username, password=password, agency_code=agency,
                agency_name=agency_name, short_name=short_name, display_name=name)
        except ZhifaError as exc:
            typer.echo(f"错误 [{exc.code}]: {exc.message}", err=True)
            raise typer.Exit(1) from None
        if created:
            typer.echo(f"已新建执法机构: {agency_row.name}（代码 {agency_row.code}，机关代字 {agency_row.short_name}）")
        typer.echo(f"已创建系统管理员 {user.username}（{agency_row.name}）。运行 zhifa serve 后即可登录。")

    app.add_typer(admin, name="admin")
