"""`zhifa worker --status`: the items the worker failed on, for an operator."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from engine.db import get_engine
from engine.work_items import failure_summary, failures


def worker_status(echo: Callable[[str], None]) -> int:
    """Print every failing item with its last error; exit code 1 when the worker has given up on any."""
    with Session(get_engine()) as session:
        found = failures(session)
    if not found:
        echo("没有处理失败的项目")
        return 0
    given_up = sum(1 for failure in found if failure.failed_at is not None)
    echo(f"处理失败的项目 {len(found)} 个, 其中已停止重试 {given_up} 个:")
    for failure in found:
        echo(failure_summary(failure))
        echo(f"    最近一次错误: {failure.last_error}")
    return 1 if given_up else 0
