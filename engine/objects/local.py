"""The embedded default: objects as read-only files under a directory (ZHIFA_DATA_DIR/objects).

Only the service's own account reads them: directories 0700, objects 0400 (never written again).
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path

from engine.errors import InvalidState, NotFound, StorageUnavailable
from engine.objects.base import (
    ANCHOR_PATTERN,
    CHUNK_SIZE,
    KEY_PATTERN,
    HashingReader,
    ObjectInfo,
    ObjectStore,
    StoredObject,
    _aware,
    _locked,
    _utcnow,
    check_anchor_name,
    check_key,
    new_key,
)

READ_ONLY = 0o400  # the owner reads; nobody writes an object once stored, nobody else reads it
PRIVATE_DIR = 0o700


def _private_dir(directory: Path) -> None:
    """Create `directory` (and the parents it needs) readable by the owner only."""
    for missing in reversed([d for d in (directory, *directory.parents) if not d.exists()]):
        missing.mkdir(mode=PRIVATE_DIR, exist_ok=True)


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
            _private_dir(final.parent)
            fd = os.open(final.parent / f".tmp-{key}", os.O_WRONLY | os.O_CREAT | os.O_EXCL, READ_ONLY)
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

    def presigned_get(self, key, expires, *, filename=None, content_type=None):
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
        os.chmod(tmp, READ_ONLY)
        os.replace(tmp, sidecar)
        os.chmod(path, READ_ONLY)
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


    # ---- record anchors: <root>/anchor/<name>, read-only, retention in a sidecar as for objects ----
    def _anchor_path(self, name: str) -> Path:
        return self.root / "anchor" / check_anchor_name(name)

    def put_anchor(self, name, data, retain_until):
        path = self._anchor_path(name)
        try:
            _private_dir(path.parent)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, READ_ONLY)
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            path.with_name(f"{name}.retention").write_text(
                json.dumps({"mode": "COMPLIANCE", "retain_until": _aware(retain_until).isoformat()}))
            _fsync_dir(path.parent)
        except FileExistsError:
            raise InvalidState("锚点已存在, 不能覆盖", code="anchor_exists", details={"name": name}) from None
        except OSError as exc:
            raise StorageUnavailable("本地对象存储写入失败", details={"error": str(exc)}) from exc

    def read_anchor(self, name):
        try:
            return self._anchor_path(name).read_bytes()
        except FileNotFoundError:
            raise NotFound("锚点不存在", details={"name": name}) from None

    def anchor_names(self):
        folder = self.root / "anchor"
        if not folder.is_dir():
            return []
        return sorted(path.name for path in folder.iterdir() if ANCHOR_PATTERN.match(path.name))


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --------------------------------------------------------------------------- S3
