"""A stored file sent to the client: what a service hands back (`Download`) and how a route sends it.

A stream's download is recorded (`on_start`) only once the response has started: its headers were sent, so the
client is receiving the file. A content type outside `SAFE_CONTENT_TYPES` is sent as application/octet-stream.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO, Callable

from fastapi.responses import RedirectResponse, Response, StreamingResponse
from python_multipart.multipart import parse_options_header

from api.schemas import ErrorBody
from engine.objects import CHUNK_SIZE, content_disposition

BINARY = {"schema": {"type": "string", "format": "binary"}}
# what evidence may be stored and sent as; anything else (or malformed) is application/octet-stream
SAFE_CONTENT_TYPES = frozenset({
    "application/octet-stream", "application/pdf", "application/zip", "application/msword", "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/vnd.ofd", "text/plain",
    "image/jpeg", "image/png", "image/gif", "image/webp", "image/heic", "image/heif", "image/tiff", "image/bmp",
    "audio/mpeg", "audio/mp4", "audio/aac", "audio/wav", "audio/x-wav", "audio/amr", "audio/ogg",
    "video/mp4", "video/quicktime", "video/x-msvideo", "video/mpeg", "video/webm", "video/3gpp",
})
STORAGE_DOWN = {503: {"model": ErrorBody, "description": "对象存储暂时不可用(storage_unavailable)"}}


@dataclass(frozen=True)
class Download:
    """A redirect to `url` (S3) or `stream` with its name and type."""

    filename: str
    content_type: str
    url: str | None = None
    stream: BinaryIO | None = None
    on_start: Callable[[], None] | None = None


def safe_content_type(value: str | None) -> str:
    """The media type (without parameters) when it is on the safe list, else application/octet-stream."""
    kind, _options = parse_options_header((value or "").strip())
    text = kind.decode("latin-1").lower()
    return text if text in SAFE_CONTENT_TYPES else "application/octet-stream"


def _chunks(stream, on_start):
    """The file's bytes; iterated only after the response's headers went out, so `on_start` runs then."""
    with stream:
        if on_start is not None:
            on_start()
        while chunk := stream.read(CHUNK_SIZE):
            yield chunk


def download_response(download: Download) -> Response:
    """A redirect to the presigned URL, or the stream sent as an attachment."""
    if download.url is not None:
        return RedirectResponse(download.url, status_code=307)
    headers = {"Content-Disposition": content_disposition(download.filename), "X-Content-Type-Options": "nosniff"}
    return StreamingResponse(_chunks(download.stream, download.on_start), media_type=safe_content_type(download.content_type),
                             headers=headers)
