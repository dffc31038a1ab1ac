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

from engine.objects.base import (  # noqa: F401 - the package's public names
    CHUNK_SIZE,
    KEY_PATTERN,
    PART_SIZE,
    SHA256_PATTERN,
    HashingReader,
    ObjectInfo,
    ObjectStore,
    Readable,
    StoredObject,
    check_key,
    content_disposition,
    new_key,
)
from engine.objects.local import LocalObjectStore
from engine.objects.s3 import S3ObjectStore
from engine.settings import Settings


def get_object_store(settings: Settings) -> ObjectStore:
    if settings.s3_endpoint:
        return S3ObjectStore.from_settings(settings)
    return LocalObjectStore(settings.objects_dir)
