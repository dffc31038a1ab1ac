"""S3 (MinIO in production, any S3-compatible service) through the `minio` SDK, with object lock."""

from __future__ import annotations

import io
from contextlib import contextmanager
from datetime import datetime

import urllib3
from minio import Minio
from minio.error import MinioException, S3Error
from minio.retention import COMPLIANCE, Retention

from engine.errors import InvalidState, NotFound, StorageUnavailable
from engine.objects.base import (
    ANCHOR_PATTERN,
    KEY_PATTERN,
    PART_SIZE,
    HashingReader,
    ObjectInfo,
    ObjectStore,
    StoredObject,
    _aware,
    _locked,
    _utcnow,
    check_anchor_name,
    check_key,
    content_disposition,
    new_key,
)
from engine.settings import Settings


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

    def presigned_get(self, key, expires, *, filename=None, content_type=None):
        check_key(key)
        headers = {}
        if filename:
            headers["response-content-disposition"] = content_disposition(filename)
        if content_type:
            headers["response-content-type"] = content_type
        with _s3_errors(key):
            return self.client.presigned_get_object(self.bucket, key, expires=expires, response_headers=headers or None)

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

    # ---- record anchors: objects `anchor/<name>` under COMPLIANCE retention from the moment they are written ----
    def put_anchor(self, name, data, retain_until):
        key = f"anchor/{check_anchor_name(name)}"
        self.ensure_bucket()
        with _s3_errors(key):
            if any(True for _ in self.client.list_objects(self.bucket, prefix=key)):
                raise InvalidState("锚点已存在, 不能覆盖", code="anchor_exists", details={"name": name})
            self.client.put_object(self.bucket, key, io.BytesIO(data), length=len(data), content_type="application/json",
                                   retention=Retention(COMPLIANCE, _aware(retain_until)))

    def read_anchor(self, name):
        key = f"anchor/{check_anchor_name(name)}"
        with _s3_errors(key), _S3Reader(self.client.get_object(self.bucket, key), key) as reader:
            return reader.read()

    def anchor_names(self):
        with _s3_errors():
            if not self.client.bucket_exists(self.bucket):
                return []
            names = (obj.object_name.removeprefix("anchor/")
                     for obj in self.client.list_objects(self.bucket, prefix="anchor/", recursive=True))
            return sorted(name for name in names if ANCHOR_PATTERN.match(name))
