"""The object-store contract: keys, hashing while streaming, the ObjectStore interface."""

from __future__ import annotations

import hashlib
import re
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import BinaryIO, Protocol
from urllib.parse import quote

from engine.errors import (
    InvalidState,
    TooLarge,
    ValidationFailed,
)

CHUNK_SIZE = 1024 * 1024
PART_SIZE = 5 * 1024 * 1024
KEY_PATTERN = re.compile(r"^[0-9a-f]{32}$")
SHA256_PATTERN = re.compile(r"^[0-9a-f]{64}$")
# record anchors (engine.anchor) are the only objects the engine names itself: `anchor-<ordinal, 20 digits>`
ANCHOR_PATTERN = re.compile(r"^anchor-[0-9]{20}$")


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
    def presigned_get(self, key: str, expires: timedelta, *, filename: str | None = None,
                      content_type: str | None = None) -> str | None:
        """A short-lived download URL serving the object under `filename`, or None when the store cannot
        give one (stream instead)."""

    @abstractmethod
    def set_retention(self, key: str, until: datetime) -> None:
        """Lock the object against deletion until `until` (COMPLIANCE: can be extended, never shortened)."""

    @abstractmethod
    def delete(self, key: str) -> None:
        """For `zhifa storage gc` only; raises InvalidState(`object_locked`) for a retained object."""

    @abstractmethod
    def iter_keys(self, older_than: datetime) -> Iterator[str]:
        """Keys of the objects last written before `older_than`."""

    @abstractmethod
    def put_anchor(self, name: str, data: bytes, retain_until: datetime) -> None:
        """Write a record anchor once under its own name (refused if the name exists) and retain it."""

    @abstractmethod
    def read_anchor(self, name: str) -> bytes: ...

    @abstractmethod
    def anchor_names(self) -> list[str]:
        """Every anchor's name, oldest first (the ordinal orders them)."""

    def sha256_of(self, key: str) -> tuple[int, str]:
        """Re-read the object and return (size, SHA-256) of what is stored now."""
        digest = hashlib.sha256()
        size = 0
        with self.open(key) as reader:
            while chunk := reader.read(CHUNK_SIZE):
                digest.update(chunk)
                size += len(chunk)
        return size, digest.hexdigest()


def check_anchor_name(name: str) -> str:
    if not isinstance(name, str) or not ANCHOR_PATTERN.match(name):
        raise ValidationFailed("锚点名称不正确", code="anchor_name_invalid", details={"name": str(name)[:80]})
    return name


def _locked(key: str, until: datetime) -> InvalidState:
    return InvalidState(
        f"对象处于保留期内(至 {until.isoformat()}),不能删除",
        code="object_locked",
        details={"key": key, "retain_until": until.isoformat()},
    )


# --------------------------------------------------------------------------- local directory


def content_disposition(filename: str) -> str:
    """`attachment` with the real (Chinese) name as RFC 5987 `filename*` and a plain ASCII fallback."""
    plain = filename.isascii() and filename.isprintable() and not any(c in filename for c in '"\\;%')
    extension = filename.rpartition(".")[2] if "." in filename else ""
    fallback = filename if plain else "download" + (f".{extension}" if extension.isascii() and extension.isalnum() else "")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
