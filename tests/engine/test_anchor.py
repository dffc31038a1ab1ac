"""Record anchors (issue 18, item 7): what the hash chains alone cannot show — a chain recomputed after an
edit, all of a case's events deleted with its counter reset — is named against a signed anchor kept in
object storage under retention."""

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from engine import anchor, record
from engine.errors import InvalidState
from engine.objects import LocalObjectStore, get_object_store
from engine.settings import get_settings
from tests.engine.test_record import run_verify, two_cases

KEY = b"k" * 32
UNTIL = datetime(2056, 1, 1, tzinfo=timezone.utc)


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.s3)])
def store(request, tmp_path, monkeypatch):
    monkeypatch.setenv("ZHIFA_DATA_DIR", str(tmp_path))
    if request.param == "s3":
        for name, value in request.getfixturevalue("s3_env").items():
            monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    request.addfinalizer(get_settings.cache_clear)
    return get_object_store(get_settings())


def findings(runtime, store, case_id=None):
    with Session(runtime.engine) as session:
        return [f.describe() for f in anchor.verify_anchors(session, store, KEY, case_id)]


def recompute_chain(conn, case_id):
    """What an insider with database access does after an edit: rebuild every hash and the case's head."""
    rows = conn.execute(sa.text("SELECT * FROM record_event WHERE case_id = :c ORDER BY seq"), {"c": case_id}).mappings().all()
    prev = record.GENESIS
    for row in rows:
        values = dict(row)
        values["prev_hash"] = prev
        values["inputs"] = json.loads(values["inputs"]) if isinstance(values["inputs"], str) else values["inputs"]
        values["outputs"] = json.loads(values["outputs"]) if isinstance(values["outputs"], str) else values["outputs"]
        if isinstance(values["at"], str):
            values["at"] = datetime.fromisoformat(values["at"])
        prev = record._digest(values)
        conn.execute(sa.text("UPDATE record_event SET prev_hash = :p, hash = :h WHERE id = :id"),
                     {"p": values["prev_hash"], "h": prev, "id": row["id"]})
    conn.execute(sa.text('UPDATE "case" SET record_head = :h WHERE id = :c'), {"h": prev, "c": case_id})


def test_an_anchor_is_written_once_per_change_and_a_clean_record_verifies(runtime, agencies, frozen_clock, store):
    two_cases(runtime, agencies)
    first = anchor.write_anchor(runtime.engine, store, KEY, UNTIL)
    assert (first.name, first.cases) == ("anchor-00000000000000000001", 2)
    assert anchor.write_anchor(runtime.engine, store, KEY, UNTIL) is None  # nothing changed
    two_cases(runtime, agencies)
    assert anchor.write_anchor(runtime.engine, store, KEY, UNTIL).name == "anchor-00000000000000000002"
    assert findings(runtime, store) == []
    with pytest.raises(InvalidState):  # an anchor is never overwritten
        store.put_anchor(first.name, b"{}", UNTIL)


def test_a_chain_recomputed_after_an_edit_passes_the_chain_check_but_not_the_anchor(runtime, agencies, frozen_clock, store):
    first, second = two_cases(runtime, agencies)
    anchor.write_anchor(runtime.engine, store, KEY, UNTIL)
    with runtime.engine.begin() as conn:
        conn.execute(sa.text("UPDATE record_event SET inputs = :i WHERE case_id = :c AND seq = 2"),
                     {"i": '{"summary": "乙(事后篡改)", "reply_by": "2026-03-10"}', "c": second})
        recompute_chain(conn, second)
    with Session(runtime.engine) as session:
        assert record.verify(session) == []  # the chain alone looks intact
    assert findings(runtime, store) == [f"案件 {second} 第 2 条记录: 与锚定的链头不符, 记录链被改写后重算"]
    assert findings(runtime, store, first) == []


def test_all_events_deleted_with_the_counter_reset_is_named(runtime, agencies, frozen_clock, store):
    first, _ = two_cases(runtime, agencies)
    anchor.write_anchor(runtime.engine, store, KEY, UNTIL)
    with runtime.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM record_event WHERE case_id = :c"), {"c": first})
        conn.execute(sa.text('UPDATE "case" SET record_seq = 0, record_head = :g WHERE id = :c'),
                     {"g": record.GENESIS, "c": first})
    with Session(runtime.engine) as session:
        assert record.verify(session) == []
    assert findings(runtime, store) == [f"案件 {first} 第 2 条记录: 记录被截断: 锚定时已有 2 条, 现仅 0 条"]


def test_an_anchor_signed_with_another_key_is_not_trusted(runtime, agencies, frozen_clock, store):
    two_cases(runtime, agencies)
    anchor.write_anchor(runtime.engine, store, b"another key, not the service's", UNTIL)
    assert findings(runtime, store) == ["锚点 anchor-00000000000000000001: 签名不符或内容损坏, 锚点不可信"]


def test_local_anchors_are_read_only_files_with_retention(runtime, agencies, frozen_clock, tmp_path):
    store = LocalObjectStore(tmp_path / "objects")
    two_cases(runtime, agencies)
    written = anchor.write_anchor(runtime.engine, store, KEY, UNTIL)
    path = tmp_path / "objects" / "anchor" / written.name
    assert path.stat().st_mode & 0o777 == 0o400
    assert json.loads(path.with_name(f"{written.name}.retention").read_text())["mode"] == "COMPLIANCE"
    assert list(store.iter_keys(older_than=datetime.now(timezone.utc) + timedelta(days=1))) == []  # gc never sees it


def test_the_command_line_anchors_and_verify_names_a_recomputed_chain(runtime, agencies, frozen_clock, db_url, zhifa_env,
                                                                     monkeypatch):
    """`zhifa record anchor` then `zhifa record verify`: the worker's key (from the signing key) and store."""
    monkeypatch.setenv("ZHIFA_SECRET_KEY", "s" * 40)
    _, second = two_cases(runtime, agencies)
    written = subprocess.run([sys.executable, "-m", "api", "record", "anchor"], env={**os.environ, "ZHIFA_DATABASE_URL": db_url},
                             capture_output=True, text=True, timeout=60)
    assert written.returncode == 0 and written.stdout.startswith("已写入锚点 anchor-00000000000000000001: 2 个案件"), written.stderr
    assert run_verify(db_url).returncode == 0
    with runtime.engine.begin() as conn:
        conn.execute(sa.text("UPDATE record_event SET inputs = :i WHERE case_id = :c AND seq = 2"),
                     {"i": '{"summary": "乙(事后篡改)", "reply_by": "2026-03-10"}', "c": second})
        recompute_chain(conn, second)
    bad = run_verify(db_url)
    assert bad.returncode == 1
    assert f"校验失败: 案件 {second} 第 2 条记录: 与锚定的链头不符, 记录链被改写后重算" in bad.stderr
