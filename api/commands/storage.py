"""`zhifa storage gc` and `zhifa storage verify`: object-store maintenance against the database."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from itertools import islice

import sqlalchemy as sa
import typer
from sqlmodel import Session, select

from documents.evidence.models import OBJECT_REFERENCES
from engine.db import get_engine
from engine.errors import InvalidState, NotFound, ValidationFailed
from engine.objects import ObjectStore, get_object_store
from engine.settings import get_settings

GC_BATCH = 500


def register(app: typer.Typer) -> None:
    storage = typer.Typer(help="对象存储维护:清理无引用对象、校验对象完整性", no_args_is_help=True)

    @storage.command("gc")
    def gc_command(
        grace_hours: float = typer.Option(24.0, "--grace-hours", help="只删除早于此小时数、且无任何记录引用的对象"),
    ) -> None:
        """删除没有任何数据库记录引用、且超过宽限期的对象(例如数据库提交失败前写入的对象)。"""
        store = get_object_store(get_settings())
        with Session(get_engine(get_settings().resolved_database_url)) as session:
            deleted, locked = collect_garbage(session, store, grace=timedelta(hours=grace_hours))
        for key in deleted:
            typer.echo(f"已删除 {key}")
        for key in locked:
            typer.echo(f"处于保留期,未删除 {key}")
        typer.echo(f"共删除 {len(deleted)} 个无引用对象")

    @storage.command("verify")
    def verify_command(
        sample: int | None = typer.Option(None, "--sample", min=1, help="随机抽查的对象数;不指定则全部校验"),
    ) -> None:
        """重新计算对象的 SHA-256 并与数据库记录比对,列出所有不一致。"""
        store = get_object_store(get_settings())
        with Session(get_engine(get_settings().resolved_database_url)) as session:
            checked, problems = verify_objects(session, store, sample=sample)
        for problem in problems:
            typer.echo(problem.describe(), err=True)
        if problems:
            typer.echo(f"校验 {checked} 个对象,{len(problems)} 个不一致", err=True)
            raise typer.Exit(1)
        typer.echo(f"校验 {checked} 个对象,全部一致")

    app.add_typer(storage, name="storage")


def collect_garbage(session: Session, store: ObjectStore, *, grace: timedelta) -> tuple[list[str], list[str]]:
    """Delete objects older than `grace` that no registered table references.

    Returns (deleted keys, keys skipped because they are under retention).
    """
    candidates = store.iter_keys(older_than=datetime.now(timezone.utc) - grace)
    deleted: list[str] = []
    locked: list[str] = []
    while batch := list(islice(candidates, GC_BATCH)):
        referenced: set[str] = set()
        for ref in OBJECT_REFERENCES:
            column = getattr(ref.model, ref.key)
            referenced.update(session.exec(select(column).where(column.in_(batch))))
        for key in batch:
            if key in referenced:
                continue
            try:
                store.delete(key)
            except InvalidState:
                locked.append(key)
                continue
            deleted.append(key)
    return deleted, locked


@dataclass(frozen=True)
class Mismatch:
    table: str
    row_id: object
    case_id: int
    key: str
    expected_sha256: str
    actual_sha256: str | None

    def describe(self) -> str:
        where = f"{self.table} #{self.row_id}(案件 {self.case_id})对象 {self.key}"
        if self.actual_sha256 is None:
            return f"对象缺失: {where}"
        return f"哈希不一致: {where} 记录 {self.expected_sha256},实际 {self.actual_sha256}"


def verify_objects(session: Session, store: ObjectStore, *, sample: int | None = None) -> tuple[int, list[Mismatch]]:
    """Re-hash stored objects (all, or a random sample) against the SHA-256 their rows recorded."""
    rows = list(_reference_rows(session, sample))
    if sample is not None and len(rows) > sample:
        rows = random.sample(rows, sample)
    problems: list[Mismatch] = []
    hashed: dict[str, str | None] = {}  # a transferred item's rows share one object
    for table, row_id, case_id, key, sha256 in rows:
        if key not in hashed:
            try:
                hashed[key] = store.sha256_of(key)[1]
            except (NotFound, ValidationFailed):  # gone, or a key no store could have written
                hashed[key] = None
        actual = hashed[key]
        if actual != sha256:
            problems.append(Mismatch(table, row_id, case_id, key, sha256, actual))
    return len(rows), problems


def _reference_rows(session: Session, sample: int | None) -> Iterator[tuple]:
    for ref in OBJECT_REFERENCES:
        table = ref.model.__tablename__
        primary_key = sa.inspect(ref.model).primary_key[0]
        key = getattr(ref.model, ref.key)
        query = select(primary_key, getattr(ref.model, ref.case), key, getattr(ref.model, ref.sha256)).where(
            key.is_not(None)
        )
        if sample is not None:
            query = query.order_by(sa.func.random()).limit(sample)
        for row_id, case_id, key, sha256 in session.exec(query):
            yield table, row_id, case_id, key, sha256
