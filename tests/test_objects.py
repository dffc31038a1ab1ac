"""Object stores: the local directory and a real S3 server (SeaweedFS), through the same interface."""

from __future__ import annotations

import io
import os
import time
import tracemalloc
from datetime import datetime, timedelta, timezone

import pytest
import urllib3

from engine.errors import InvalidState, NotFound, StorageUnavailable, TooLarge, ValidationFailed
from engine.objects import LocalObjectStore, S3ObjectStore, get_object_store
from engine.settings import get_settings

MiB = 1024 * 1024
FAR_FUTURE = datetime(2100, 1, 1, tzinfo=timezone.utc)

# 40 MiB of rotated byte patterns plus a 124-byte tail, produced chunk by chunk.
BIG_SIZE = 41_943_164
BIG_SHA256 = "793a7a421fe9470104ab68b2ac7fb31640296932dba58cec172215abf223ab4b"
ABC_SHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def big_stream():
    block = bytes(range(256)) * 4096
    for i in range(40):
        yield block[i % 256:] + block[: i % 256]
    yield b"tail" * 31


def filler(megabytes: int):
    for _ in range(megabytes):
        yield b"\x5a" * MiB


def configured_store(request, kind: str, tmp_path, monkeypatch):
    monkeypatch.setenv("ZHIFA_DATA_DIR", str(tmp_path))
    if kind == "s3":
        for name, value in request.getfixturevalue("s3_env").items():
            monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    request.addfinalizer(get_settings.cache_clear)
    return get_object_store(get_settings())


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path, monkeypatch):
    return configured_store(request, request.param, tmp_path, monkeypatch)


@pytest.fixture
def s3_store(request, tmp_path, monkeypatch):
    return configured_store(request, "s3", tmp_path, monkeypatch)


@pytest.fixture
def local_store(request, tmp_path, monkeypatch):
    return configured_store(request, "local", tmp_path, monkeypatch)


def all_keys(store) -> list[str]:
    """Every stored key; on S3 every version, so a hidden or deleted-marker object would show."""
    if isinstance(store, S3ObjectStore):
        if not store.client.bucket_exists(store.bucket):
            return []
        versions = store.client.list_objects(store.bucket, recursive=True, include_version=True)
        return sorted({v.object_name for v in versions})
    return list(store.iter_keys(older_than=FAR_FUTURE))


def read_all(store, key: str) -> bytes:
    with store.open(key) as reader:
        return reader.read()


def test_the_environment_chooses_the_store(store):
    expected = S3ObjectStore if os.environ.get("ZHIFA_S3_ENDPOINT") else LocalObjectStore
    assert type(store) is expected


def test_a_large_generated_stream_is_stored_hashed_and_never_held_whole(store):
    tracemalloc.start()
    try:
        stored = store.put_stream(big_stream(), max_bytes=64 * MiB, expected_sha256=BIG_SHA256.upper())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert (stored.size, stored.sha256) == (BIG_SIZE, BIG_SHA256)
    assert peak < 24 * MiB  # S3: a 5 MiB part and its copies, whatever the file's size
    assert store.stat(stored.key).size == BIG_SIZE
    assert store.sha256_of(stored.key) == (BIG_SIZE, BIG_SHA256)
    assert all_keys(store) == [stored.key]


def test_a_file_like_source_works_and_each_upload_gets_its_own_key(store):
    first = store.put_stream(io.BytesIO(b"abc"), max_bytes=10, content_type="text/plain")
    second = store.put_stream([b"a", b"", b"bc"], max_bytes=10)

    assert first.sha256 == second.sha256 == ABC_SHA256
    assert first.key != second.key
    assert read_all(store, first.key) == read_all(store, second.key) == b"abc"


@pytest.mark.parametrize("megabytes", [1, 12])  # one request, and a multipart upload on S3
def test_a_hash_mismatch_is_refused_and_nothing_is_stored(store, megabytes):
    with pytest.raises(ValidationFailed) as refused:
        store.put_stream(filler(megabytes), max_bytes=64 * MiB, expected_sha256="0" * 64)

    assert refused.value.code == "hash_mismatch"
    assert all_keys(store) == []


def test_a_malformed_expected_hash_is_refused_before_reading(store):
    with pytest.raises(ValidationFailed) as refused:
        store.put_stream(filler(1), max_bytes=MiB, expected_sha256="abc")
    assert refused.value.code == "invalid_sha256"


@pytest.mark.parametrize("megabytes", [2, 12])
def test_an_oversize_upload_is_refused_and_nothing_is_stored(store, megabytes):
    with pytest.raises(TooLarge) as refused:
        store.put_stream(filler(megabytes), max_bytes=MiB + 1)

    assert refused.value.code == "too_large"
    assert "1 MB" in refused.value.message
    assert all_keys(store) == []


def test_keys_from_outside_cannot_name_a_path(store):
    for key in ["../../etc/passwd", "ab/../../x", "", "A" * 32]:
        with pytest.raises(ValidationFailed) as refused:
            store.open(key)
        assert refused.value.code == "invalid_object_key"
    with pytest.raises(NotFound):
        store.open("0" * 32)
    assert store.exists("0" * 32) is False


def test_retention_locks_an_object_against_deletion(store):
    locked = store.put_stream([b"sealed evidence"], max_bytes=MiB)
    free = store.put_stream([b"orphan"], max_bytes=MiB)
    until = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=1)

    store.set_retention(locked.key, until)
    store.set_retention(locked.key, until - timedelta(hours=1))  # COMPLIANCE is never shortened

    assert store.stat(locked.key).retain_until == until
    assert store.stat(free.key).retain_until is None
    with pytest.raises(InvalidState) as refused:
        store.delete(locked.key)
    assert refused.value.code == "object_locked"
    store.delete(free.key)
    assert all_keys(store) == [locked.key]
    assert read_all(store, locked.key) == b"sealed evidence"


def test_s3_retention_is_enforced_by_the_server(s3_store, s3_server):
    store = s3_store
    stored = store.put_stream([b"locked"], max_bytes=MiB)
    store.set_retention(stored.key, datetime.now(timezone.utc) + timedelta(days=1))
    raw = s3_server.client()
    version = next(raw.list_objects(store.bucket, prefix=stored.key, include_version=True)).version_id

    with pytest.raises(Exception, match="(?i)access ?denied|locked|retention"):
        raw.remove_object(store.bucket, stored.key, version_id=version)
    assert read_all(store, stored.key) == b"locked"


def test_local_objects_and_retention_files_are_read_only(local_store):
    store = local_store
    stored = store.put_stream([b"x"], max_bytes=MiB)
    store.set_retention(stored.key, datetime.now(timezone.utc) + timedelta(days=1))
    directory = store.root / stored.key[:2]

    assert sorted(p.name for p in directory.iterdir()) == [stored.key, f"{stored.key}.retention"]
    assert {oct(p.stat().st_mode & 0o777) for p in directory.iterdir()} == {"0o400"}


def test_download_links(store):
    stored = store.put_stream([b"download me"], max_bytes=MiB)
    url = store.presigned_get(stored.key, timedelta(minutes=5))
    if isinstance(store, LocalObjectStore):
        assert url is None
        return
    response = urllib3.request("GET", url)
    assert (response.status, response.data) == (200, b"download me")


def test_iter_keys_lists_only_objects_older_than_the_cutoff(store):
    stored = store.put_stream([b"x"], max_bytes=MiB)
    time.sleep(1.1)  # S3 modification times have one-second resolution
    assert list(store.iter_keys(older_than=datetime.now(timezone.utc))) == [stored.key]
    assert list(store.iter_keys(older_than=datetime.now(timezone.utc) - timedelta(hours=1))) == []


def test_an_s3_outage_fails_fast_and_a_retry_succeeds_after_restart(s3_store, s3_server):
    store = s3_store
    before = store.put_stream([b"before"], max_bytes=MiB)
    s3_server.stop()

    started = time.monotonic()
    with pytest.raises(StorageUnavailable) as down:
        store.put_stream(filler(6), max_bytes=64 * MiB)
    assert down.value.code == "storage_unavailable"
    assert time.monotonic() - started < 5
    with pytest.raises(StorageUnavailable):
        store.open(before.key)

    s3_server.start()
    after = store.put_stream(filler(6), max_bytes=64 * MiB)
    assert store.sha256_of(after.key)[0] == 6 * MiB
    assert read_all(store, before.key) == b"before"
