"""Object storage for evidence and documents: S3 (MinIO or any S3 service) or a local directory.

Both stores share one contract:
- uploads stream in chunks and are hashed (SHA-256) while they stream; nothing is buffered whole;
- an oversize upload or a hash mismatch is refused *before* the object is completed, so a refused
  upload leaves nothing behind;
- keys are random 128-bit ids chosen by the store (32 lowercase hex digits), never user input, so an
  object is never overwritten and a key can never name a path outside the store;
- the application never deletes: `delete` exists for `zhifa storage gc` only and refuses an object
  under retention.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import BinaryIO, Protocol

import urllib3
from minio import Minio
from minio.error import MinioException, S3Error
from minio.retention import COMPLIANCE, Retention

from zhifa.errors import InvalidState, NotFound, StorageUnavailable, TooLarge, ValidationFailed
from zhifa.settings import Settings

CHUNK_SIZE = 1024 * 1024
PART_SIZE = 5 * 1024 * 1024
KEY_PATTERN = re.compile(r"^[0-9a-f]{32}$")
SHA256_PATTERN = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int
    sha256: str


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    modified_at: datetime
    retain_until: datetime | None


class Readable(Protocol):
    def read(self, size: int = -1) -> bytes: ...


def new_key() -> str:
    return uuid.uuid4().hex


def check_key(key: str) -> str:
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        raise ValidationFailed("对象键格式不正确", code="invalid_object_key", details={"key": str(key)[:80]})
    return key


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


class HashingReader:
    """Wraps an upload source, counting and hashing every byte read through it.

    Raises `TooLarge` as soon as more than `max_bytes` arrive, and `ValidationFailed`
    (`hash_mismatch`) when the source ends with a digest other than the expected one. Both happen
    inside the store's read loop, before the store completes the object.
    """

    def __init__(self, source: Readable | Iterable[bytes], *, max_bytes: int, expected_sha256: str | None):
        if expected_sha256 is not None:
            expected_sha256 = expected_sha256.strip().lower()
            if not SHA256_PATTERN.match(expected_sha256):
                raise ValidationFailed("提供的 SHA-256 值格式不正确(应为64位十六进制)", code="invalid_sha256")
        self._read_source = source.read if hasattr(source, "read") else _ChunkReader(source).read
        self.max_bytes = max_bytes
        self.expected_sha256 = expected_sha256
        self._hash = hashlib.sha256()
        self.size = 0
        self.finished = False

    def read(self, size: int = -1) -> bytes:
        if self.finished:
            return b""
        data = self._read_source(CHUNK_SIZE if size is None or size < 0 else min(size, CHUNK_SIZE))
        if not data:
            self._finish()
            return b""
        self.size += len(data)
        if self.size > self.max_bytes:
            raise TooLarge(
                f"文件超过大小上限({_human(self.max_bytes)})",
                details={"max_bytes": self.max_bytes},
            )
        self._hash.update(data)
        return bytes(data)

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()

    def _finish(self) -> None:
        self.finished = True
        if self.expected_sha256 is not None and self.sha256 != self.expected_sha256:
            raise ValidationFailed(
                "文件的 SHA-256 与提供的值不一致,上传被拒绝",
                code="hash_mismatch",
                details={"expected": self.expected_sha256, "actual": self.sha256},
            )


class _ChunkReader:
    """`read(n)` over an iterable of byte chunks (e.g. a generator), holding at most one chunk."""

    def __init__(self, chunks: Iterable[bytes]):
        self._chunks = iter(chunks)
        self._pending = b""

    def read(self, size: int) -> bytes:
        while not self._pending:
            chunk = next(self._chunks, None)
            if chunk is None:
                return b""
            self._pending = bytes(chunk)
        data, self._pending = self._pending[:size], self._pending[size:]
        return data


def _human(size: int) -> str:
    if size >= 1024**3:
        return f"{size / 1024**3:g} GB"
    if size >= 1024**2:
        return f"{size / 1024**2:g} MB"
    return f"{size} 字节"


class ObjectStore(ABC):
    @abstractmethod
    def put_stream(
        self,
        stream: Readable | Iterable[bytes],
        *,
        max_bytes: int,
        expected_sha256: str | None = None,
        content_type: str = "application/octet-stream",
    ) -> StoredObject:
        """Store a new object from a stream; returns its new key, size and SHA-256."""

    @abstractmethod
    def open(self, key: str) -> BinaryIO:
        """A streaming reader (also a context manager) over the object's current content."""

    @abstractmethod
    def stat(self, key: str) -> ObjectInfo: ...

    @abstractmethod
    def exists(self, key: str) -> bool: ...

    @abstractmethod
    def presigned_get(self, key: str, expires: timedelta) -> str | None:
        """A short-lived download URL, or None when the store cannot give one (stream instead)."""

    @abstractmethod
    def set_retention(self, key: str, until: datetime) -> None:
        """Lock the object against deletion until `until` (COMPLIANCE: can be extended, never shortened)."""

    @abstractmethod
    def delete(self, key: str) -> None:
        """For `zhifa storage gc` only; raises InvalidState(`object_locked`) for a retained object."""

    @abstractmethod
    def iter_keys(self, older_than: datetime) -> Iterator[str]:
        """Keys of the objects last written before `older_than`."""

    def sha256_of(self, key: str) -> tuple[int, str]:
        """Re-read the object and return (size, SHA-256) of what is stored now."""
        digest = hashlib.sha256()
        size = 0
        with self.open(key) as reader:
            while chunk := reader.read(CHUNK_SIZE):
                digest.update(chunk)
                size += len(chunk)
        return size, digest.hexdigest()


def _locked(key: str, until: datetime) -> InvalidState:
    return InvalidState(
        f"对象处于保留期内(至 {until.isoformat()}),不能删除",
        code="object_locked",
        details={"key": key, "retain_until": until.isoformat()},
    )


# --------------------------------------------------------------------------- local directory


class LocalObjectStore(ObjectStore):
    """Objects as read-only files `<root>/<key[:2]>/<key>`; retention in a sidecar `<key>.retention`.

    A write goes to a temporary file in the object's directory, is fsynced, then hard-linked to its
    final name (a link fails if the name exists, so nothing is ever overwritten) and the temporary
    name removed.
    """

    def __init__(self, root: Path):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        check_key(key)
        return self.root / key[:2] / key

    def _retention_path(self, key: str) -> Path:
        return self._path(key).with_name(f"{key}.retention")

    def put_stream(self, stream, *, max_bytes, expected_sha256=None, content_type="application/octet-stream"):
        reader = HashingReader(stream, max_bytes=max_bytes, expected_sha256=expected_sha256)
        key = new_key()
        final = self._path(key)
        tmp_path: Path | None = None
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(final.parent / f".tmp-{key}", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444)
            tmp_path = final.parent / f".tmp-{key}"
            with os.fdopen(fd, "wb") as out:
                while chunk := reader.read(CHUNK_SIZE):
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.link(tmp_path, final)
            _fsync_dir(final.parent)
        except OSError as exc:
            raise StorageUnavailable("本地对象存储写入失败", details={"error": str(exc)}) from exc
        finally:
            if tmp_path is not None:
                tmp_path.unlink(missing_ok=True)
        return StoredObject(key=key, size=reader.size, sha256=reader.sha256)

    def open(self, key):
        try:
            return open(self._path(key), "rb")
        except FileNotFoundError:
            raise NotFound("对象不存在", details={"key": key}) from None

    def stat(self, key):
        try:
            st = self._path(key).stat()
        except FileNotFoundError:
            raise NotFound("对象不存在", details={"key": key}) from None
        return ObjectInfo(
            key=key,
            size=st.st_size,
            modified_at=datetime.fromtimestamp(st.st_mtime, timezone.utc),
            retain_until=self._retain_until(key),
        )

    def exists(self, key):
        return self._path(key).is_file()

    def presigned_get(self, key, expires):
        return None

    def _retain_until(self, key: str) -> datetime | None:
        try:
            data = json.loads(self._retention_path(key).read_text())
        except FileNotFoundError:
            return None
        return datetime.fromisoformat(data["retain_until"])

    def set_retention(self, key, until):
        until = _aware(until)
        path = self._path(key)
        if not path.is_file():
            raise NotFound("对象不存在", details={"key": key})
        current = self._retain_until(key)
        if current is not None and current >= until:
            return
        sidecar = self._retention_path(key)
        tmp = sidecar.with_name(f".tmp-{key}.retention")
        tmp.write_text(json.dumps({"mode": "COMPLIANCE", "retain_until": until.isoformat()}))
        os.chmod(tmp, 0o444)
        os.replace(tmp, sidecar)
        os.chmod(path, 0o444)
        _fsync_dir(path.parent)

    def delete(self, key):
        until = self._retain_until(key)
        if until is not None and until > _utcnow():
            raise _locked(key, until)
        self._path(key).unlink(missing_ok=True)
        self._retention_path(key).unlink(missing_ok=True)

    def iter_keys(self, older_than):
        cutoff = _aware(older_than).timestamp()
        if not self.root.is_dir():
            return
        for shard in sorted(self.root.iterdir()):
            if not shard.is_dir():
                continue
            for path in sorted(shard.iterdir()):
                if not KEY_PATTERN.match(path.name):
                    continue
                try:
                    modified = path.stat().st_mtime
                except FileNotFoundError:  # removed by a concurrent gc
                    continue
                if modified < cutoff:
                    yield path.name


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --------------------------------------------------------------------------- S3


@contextmanager
def _s3_errors(key: str | None = None):
    """Network trouble becomes StorageUnavailable; a missing object becomes NotFound."""
    try:
        yield
    except S3Error as exc:
        if exc.code in ("NoSuchKey", "NoSuchVersion", "NoSuchBucket"):
            raise NotFound("对象不存在", details={"key": key}) from exc
        raise StorageUnavailable(
            "对象存储拒绝了请求", details={"s3_code": exc.code, "key": key}
        ) from exc
    except (urllib3.exceptions.HTTPError, MinioException, OSError) as exc:
        raise StorageUnavailable(
            "对象存储暂时不可用,请稍后重试", details={"error": type(exc).__name__, "key": key}
        ) from exc


class _S3Reader:
    def __init__(self, response, key: str):
        self._response = response
        self._key = key

    def read(self, size: int = -1) -> bytes:
        with _s3_errors(self._key):
            return self._response.read(None if size is None or size < 0 else size)

    def close(self) -> None:
        self._response.close()
        self._response.release_conn()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


class S3ObjectStore(ObjectStore):
    """Objects in one S3 bucket created with object lock (hence versioning) enabled.

    Key choice: random ids, uploaded directly under their final key. The upload reads its source
    through a `HashingReader`, which raises on oversize or on a hash mismatch while the SDK is still
    reading: before the single PUT is sent (objects up to one part) or before the multipart upload is
    completed (the SDK then aborts it). So a refused upload never becomes an object, and no
    temporary key or server-side copy (which would double the I/O of a 2 GB video) is needed.
    `put_object(length=-1, part_size=5 MiB, num_parallel_uploads=1)` keeps at most one part in memory.
    """

    def __init__(self, client: Minio, bucket: str):
        self.client = client
        self.bucket = bucket
        self._bucket_ready = False

    @classmethod
    def from_settings(cls, settings: Settings) -> S3ObjectStore:
        endpoint = settings.s3_endpoint or ""
        secure = settings.s3_secure
        if "://" in endpoint:
            scheme, endpoint = endpoint.split("://", 1)
            secure = scheme == "https"
        http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=settings.s3_connect_timeout, read=settings.s3_read_timeout),
            retries=urllib3.Retry(
                total=2, connect=1, read=1, backoff_factor=0.1, status_forcelist=[500, 502, 503, 504]
            ),
            maxsize=10,
        )
        client = Minio(
            endpoint.rstrip("/"),
            access_key=settings.s3_access_key,
            secret_key=settings.s3_secret_key,
            secure=secure,
            region=settings.s3_region,
            http_client=http,
        )
        return cls(client, settings.s3_bucket)

    def ensure_bucket(self) -> None:
        if self._bucket_ready:
            return
        with _s3_errors():
            if not self.client.bucket_exists(self.bucket):
                try:
                    self.client.make_bucket(self.bucket, object_lock=True)
                except S3Error as exc:
                    if exc.code not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                        raise
        self._bucket_ready = True

    def put_stream(self, stream, *, max_bytes, expected_sha256=None, content_type="application/octet-stream"):
        reader = HashingReader(stream, max_bytes=max_bytes, expected_sha256=expected_sha256)
        self.ensure_bucket()
        key = new_key()
        with _s3_errors(key):
            self.client.put_object(
                self.bucket,
                key,
                reader,
                length=-1,
                part_size=PART_SIZE,
                num_parallel_uploads=1,
                content_type=content_type or "application/octet-stream",
            )
        return StoredObject(key=key, size=reader.size, sha256=reader.sha256)

    def open(self, key):
        check_key(key)
        with _s3_errors(key):
            return _S3Reader(self.client.get_object(self.bucket, key), key)

    def stat(self, key):
        check_key(key)
        with _s3_errors(key):
            obj = self.client.stat_object(self.bucket, key)
            retention = self._retention(key)
        return ObjectInfo(
            key=key,
            size=obj.size or 0,
            modified_at=_aware(obj.last_modified),
            retain_until=retention,
        )

    def _retention(self, key: str, version_id: str | None = None) -> datetime | None:
        try:
            config = self.client.get_object_retention(self.bucket, key, version_id=version_id)
        except S3Error as exc:
            if exc.code in ("InvalidRequest", "ObjectLockConfigurationNotFoundError", "NoSuchObjectLockConfiguration"):
                return None
            raise
        return _aware(config.retain_until_date) if config and config.retain_until_date else None

    def exists(self, key):
        try:
            self.stat(key)
        except NotFound:
            return False
        return True

    def presigned_get(self, key, expires):
        check_key(key)
        with _s3_errors(key):
            return self.client.presigned_get_object(self.bucket, key, expires=expires)

    def set_retention(self, key, until):
        check_key(key)
        until = _aware(until)
        with _s3_errors(key):
            current = self._retention(key)
            if current is not None and current >= until:
                return
            try:
                self.client.set_object_retention(self.bucket, key, Retention(COMPLIANCE, until))
            except S3Error as exc:
                if exc.code in ("InvalidRequest", "ObjectLockConfigurationNotFoundError"):
                    raise InvalidState(
                        "存储桶未启用对象锁定,无法设置保留期", code="retention_unsupported",
                        details={"bucket": self.bucket},
                    ) from exc
                raise

    def delete(self, key):
        """Removes every version of the key; the server refuses any version under retention."""
        check_key(key)
        now = _utcnow()
        with _s3_errors(key):
            versions = [
                v for v in self.client.list_objects(self.bucket, prefix=key, include_version=True)
                if v.object_name == key
            ]
            for version in versions:
                until = None if version.is_delete_marker else self._retention(key, version.version_id)
                if until is not None and until > now:
                    raise _locked(key, until)
            for version in versions:
                try:
                    self.client.remove_object(self.bucket, key, version_id=version.version_id)
                except S3Error as exc:
                    if exc.code == "AccessDenied":
                        raise InvalidState(
                            "对象处于保留期内,不能删除", code="object_locked", details={"key": key}
                        ) from exc
                    raise

    def iter_keys(self, older_than):
        cutoff = _aware(older_than)
        with _s3_errors():
            if not self.client.bucket_exists(self.bucket):
                return
            for obj in self.client.list_objects(self.bucket, recursive=True):
                if KEY_PATTERN.match(obj.object_name) and obj.last_modified and _aware(obj.last_modified) < cutoff:
                    yield obj.object_name


def get_object_store(settings: Settings) -> ObjectStore:
    if settings.s3_endpoint:
        return S3ObjectStore.from_settings(settings)
    return LocalObjectStore(settings.objects_dir)
