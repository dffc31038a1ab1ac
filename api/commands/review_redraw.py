"""`zhifa review redraw PLAN`: replay a review plan's draw from its recorded seed and inputs and say whether
it gives the stored sample and reviewers."""

from __future__ import annotations

import json

import typer

from engine.errors import ZhifaError

review_app = typer.Typer(help="案卷评查", no_args_is_help=True)


@review_app.command("redraw")
def redraw(plan: int = typer.Argument(..., help="评查方案ID")) -> None:
    """按记录的随机种子和抽取依据重新抽取, 核对与已抽取的案卷和评查人员是否一致。"""
    from api.bootstrap import build_runtime
    from api.casefile_review.review_plans import redraw as replay

    try:
        result = replay(build_runtime(), plan)
    except ZhifaError as exc:
        typer.echo(f"错误 [{exc.code}]: {exc.message}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"评查方案 {plan}: 随机种子 {result['seed']}, 重新抽取 {len(result['sample'])} 份案卷")
    if result["inputs_unchanged"]:
        typer.echo("抽取依据(案卷、评查人员、参与人员)与抽取时记录的一致")
    else:
        typer.echo("注意: 数据库中的案卷或人员已与抽取时记录的依据不同; 按记录的依据重新抽取")
    if result["sample_matches"] and result["digest_matches"]:
        typer.echo("一致: 重新抽取的案卷和评查人员与已抽取的相同")
        return
    typer.echo("不一致: 重新抽取的结果与已抽取的不同", err=True)
    typer.echo(json.dumps({k: result[k] for k in ("missing", "unexpected", "digest_matches")}, ensure_ascii=False))
    raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(review_app, name="review")
