"""`zhifa admin create`: the first administrator of a new installation, without the demo data;
`zhifa admin agency create/edit`: the county's townships and parks, as the operator."""

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

    admin.add_typer(_agency_commands(), name="agency")
    app.add_typer(admin, name="admin")


def _fail(exc: Exception) -> None:
    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        fields = "、".join(".".join(str(p) for p in error["loc"]) for error in exc.errors())
        typer.echo(f"错误 [validation_failed]: 参数不合要求: {fields}", err=True)
    else:
        typer.echo(f"错误 [{exc.code}]: {exc.message}", err=True)
    raise typer.Exit(1) from None


def _echo(agency) -> None:
    typer.echo(f"{agency.name}（代码 {agency.code}，机关代字 {agency.short_name}，印章 {agency.seal_name or agency.name}）")


def _agency_commands() -> typer.Typer:
    agency = typer.Typer(help="执法机构管理：新建、修改乡镇和园区", no_args_is_help=True)

    @agency.command("create")
    def create(
        code: str = typer.Option(..., "--code", help="机构代码（编号序列的键，创建后不可修改），如 caolin"),
        name: str = typer.Option(..., "--name", help="机构名称，如 草林镇人民政府"),
        short_name: str = typer.Option(..., "--short-name", help="机关代字（案号中的简称），如 遂草"),
        kind: str = typer.Option("township", "--kind", help="township（乡镇）或 park（园区）"),
        parent: str = typer.Option(..., "--parent", help="上级县应急管理局的机构代码"),
        seal_name: Optional[str] = typer.Option(None, "--seal-name", help="印章名称（默认同机构名称）"),
    ) -> None:
        """在县应急管理局下新建乡镇或园区。"""
        from pydantic import ValidationError

        from api.bootstrap import build_runtime
        from api.services import agencies
        from engine.db import transaction

        try:
            body = agencies.AgencyCreateIn(code=code, name=name, short_name=short_name, kind=kind, seal_name=seal_name)
            with transaction(build_runtime().engine) as session:
                created = agencies.create(session, **body.model_dump(exclude={"parent_id"}),
                                          parent=agencies.by_code(session, parent))
                typer.echo("已新建执法机构: ", nl=False)
                _echo(created)
        except (ZhifaError, ValidationError) as exc:
            _fail(exc)

    @agency.command("edit")
    def edit(
        code: str = typer.Argument(..., help="机构代码"),
        name: Optional[str] = typer.Option(None, "--name", help="新的机构名称"),
        short_name: Optional[str] = typer.Option(None, "--short-name", help="新的机关代字（此后的案号使用）"),
        seal_name: Optional[str] = typer.Option(None, "--seal-name", help="新的印章名称"),
    ) -> None:
        """修改执法机构的名称、机关代字或印章名称（机构代码和上级不变）。"""
        from pydantic import ValidationError

        from api.bootstrap import build_runtime
        from api.services import agencies
        from engine.db import transaction

        try:
            body = agencies.AgencyUpdateIn(name=name, short_name=short_name, seal_name=seal_name)
            with transaction(build_runtime().engine) as session:
                edited = agencies.edit(session, agencies.by_code(session, code), body.model_dump(exclude_none=True))
                typer.echo("已修改执法机构: ", nl=False)
                _echo(edited)
        except (ZhifaError, ValidationError) as exc:
            _fail(exc)

    return agency
