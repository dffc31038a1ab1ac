"""The real services the test command starts: PostgreSQL and S3 (SeaweedFS) work, and S3 can be
taken down and brought back to simulate an outage."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import sqlalchemy as sa
import urllib3
from minio import Minio
from minio.commonconfig import COMPLIANCE
from minio.error import S3Error
from minio.retention import Retention


@pytest.mark.postgres
def test_postgres_database_stores_and_returns_rows(postgres_url: str) -> None:
    assert postgres_url.startswith("postgresql+psycopg://postgres@127.0.0.1:")
    engine = sa.create_engine(postgres_url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("CREATE TABLE cases (id serial PRIMARY KEY, title text NOT NULL)"))
            conn.execute(sa.text("INSERT INTO cases (title) VALUES ('某化工企业未按规定开展安全培训案'), ('某矿山企业超层越界开采案')"))
        with engine.connect() as conn:
            titles = conn.execute(sa.text("SELECT title FROM cases ORDER BY id")).scalars().all()
            server_version = conn.execute(sa.text("SHOW server_version_num")).scalar_one()
    finally:
        engine.dispose()
    assert titles == ["某化工企业未按规定开展安全培训案", "某矿山企业超层越界开采案"]
    assert int(server_version) >= 150000


@pytest.mark.postgres
def test_each_test_gets_a_fresh_empty_database(postgres_url: str) -> None:
    engine = sa.create_engine(postgres_url)
    try:
        with engine.connect() as conn:
            tables = conn.execute(sa.text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).scalar_one()
    finally:
        engine.dispose()
    assert tables == 0


def _client(env: dict[str, str]) -> Minio:
    no_retries = urllib3.PoolManager(timeout=urllib3.Timeout(connect=2, read=5), retries=False)
    return Minio(
        env["ZHIFA_S3_ENDPOINT"],
        access_key=env["ZHIFA_S3_ACCESS_KEY"],
        secret_key=env["ZHIFA_S3_SECRET_KEY"],
        secure=env["ZHIFA_S3_SECURE"] == "true",
        http_client=no_retries,
    )


@pytest.mark.s3
def test_s3_env_names_a_bucket_that_does_not_exist_yet(s3_env: dict[str, str]) -> None:
    assert s3_env["ZHIFA_S3_ENDPOINT"].startswith("127.0.0.1:")
    assert s3_env["ZHIFA_S3_SECURE"] == "false"
    assert not _client(s3_env).bucket_exists(s3_env["ZHIFA_S3_BUCKET"])


@pytest.mark.s3
def test_s3_object_round_trip_and_outage(s3_server, s3_env: dict[str, str]) -> None:
    client = _client(s3_env)
    bucket = s3_env["ZHIFA_S3_BUCKET"]
    client.make_bucket(bucket)
    client.put_object(bucket, "cases/1/询问笔录.docx", io.BytesIO("询问笔录".encode()), -1, part_size=5 * 1024 * 1024)
    assert client.get_object(bucket, "cases/1/询问笔录.docx").read().decode() == "询问笔录"

    s3_server.stop()
    with pytest.raises(urllib3.exceptions.HTTPError):
        client.get_object(bucket, "cases/1/询问笔录.docx")

    s3_server.start()
    assert client.get_object(bucket, "cases/1/询问笔录.docx").read().decode() == "询问笔录"


@pytest.mark.s3
def test_a_test_may_leave_s3_stopped(s3_server) -> None:
    s3_server.stop()
    assert not s3_server.running


@pytest.mark.s3
def test_the_next_test_finds_s3_running_again(s3_env: dict[str, str]) -> None:
    # runs right after the test above (pytest keeps file order): the plugin restarted the server
    client = _client(s3_env)
    client.make_bucket(s3_env["ZHIFA_S3_BUCKET"])
    assert client.bucket_exists(s3_env["ZHIFA_S3_BUCKET"])


@pytest.mark.s3
def test_s3_compliance_retention_refuses_deleting_a_locked_version(s3_env: dict[str, str]) -> None:
    client = _client(s3_env)
    bucket = s3_env["ZHIFA_S3_BUCKET"]
    client.make_bucket(bucket, object_lock=True)
    until = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) + dt.timedelta(days=1)
    written = client.put_object(bucket, "archive/决定书.pdf", io.BytesIO(b"%PDF-1.7"), 8, retention=Retention(COMPLIANCE, until))

    with pytest.raises(S3Error) as refused:
        client.remove_object(bucket, "archive/决定书.pdf", version_id=written.version_id)
    assert refused.value.code == "AccessDenied"
    retention = client.get_object_retention(bucket, "archive/决定书.pdf", version_id=written.version_id)
    assert (retention.mode, retention.retain_until_date) == (COMPLIANCE, until)
    assert client.get_object(bucket, "archive/决定书.pdf", version_id=written.version_id).read() == b"%PDF-1.7"
