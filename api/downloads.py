"""A stored file sent to the client: what a service hands back (`Download`) and how a route sends it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from fastapi.responses import RedirectResponse, Response, StreamingResponse

from api.schemas import ErrorBody
from engine.objects import CHUNK_SIZE, content_disposition

BINARY = {"schema": {"type": "string", "format": "binary"}}
STORAGE_DOWN = {503: {"model": ErrorBody, "description": "对象存储暂时不可用(storage_unavailable)"}}


@dataclass(frozen=True)
class Download:
    """A redirect to `url` (S3) or `stream` with its name and type."""

    filename: str
    content_type: str
    url: str | None = None
    stream: BinaryIO | None = None


def _chunks(stream):
    with stream:
        while chunk := stream.read(CHUNK_SIZE):
            yield chunk


def download_response(download: Download) -> Response:
    """A redirect to the presigned URL, or the stream sent as an attachment."""
    if download.url is not None:
        return RedirectResponse(download.url, status_code=307)
    headers = {"Content-Disposition": content_disposition(download.filename), "X-Content-Type-Options": "nosniff"}
    return StreamingResponse(_chunks(download.stream), media_type=download.content_type, headers=headers)
