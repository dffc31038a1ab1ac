"""The multipart form of an evidence upload, parsed and streamed as it arrives.

The upload is never held whole, in memory or on disk: `python-multipart`'s streaming parser
reads `request.stream()` on the event loop and hands the file's bytes, through a bounded
channel, to a worker thread that streams them into the object store (hashing as they pass).
Starlette's `UploadFile` would spool anything above 1 MB to a temporary file first, writing
every byte twice. The metadata fields therefore come before the file in the form, so the
authorization, the case's state and the size limit of the evidence type are all known before
the first byte is stored. A body that ends early, a malformed form or a client that goes away
aborts the store's write, so nothing incomplete is ever stored.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import AsyncIterator

import anyio
from pydantic import ValidationError
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect, Request

from api.downloads import safe_content_type
from api.error_responses import PYDANTIC_MESSAGES
from documents.evidence.models import EvidenceMeta, EvidenceType
from engine import clock
from engine.calendar import SHANGHAI
from engine.errors import TooLarge, ValidationFailed
from engine.objects import SHA256_PATTERN, StoredObject

FILE_FIELD = "file"
FIELD_LABELS = {"type": "证据种类", "collected_by": "收集人", "collected_at": "收集时间", "place": "收集地点",
                "gps": "GPS坐标", "device": "收集设备", "description": "证据说明", "task_id": "所属环节",
                "sha256": "SHA-256", "filename": "文件名", "content_type": "文件类型"}
FORM_FIELDS = set(FIELD_LABELS) - {"filename", "content_type"}
MAX_FIELD_BYTES = 20_000
MAX_FIELD_COUNT = 40
CLOCK_SKEW = timedelta(minutes=5)  # how far ahead of the server a collecting device's clock may be
QUEUE_CHUNKS = 16  # at most this many network chunks (~64 KB each under uvicorn) wait for the store


@dataclass
class UploadForm:
    """The validated metadata fields of an upload."""

    meta: EvidenceMeta
    task_id: str | None
    sha256: str | None


async def request_body(request: Request) -> AsyncIterator[bytes]:
    try:
        async for chunk in request.stream():
            yield chunk
    except ClientDisconnect:
        raise _incomplete() from None


def _incomplete() -> ValidationFailed:
    return ValidationFailed("上传内容不完整(连接中断或表单未结束), 未保存任何文件", code="upload_incomplete")


class _UploadAborted(Exception):
    """Raised into the store's read loop so the object is never completed."""


class _ChannelReader:
    """`read(n)` for the store's worker thread over chunks sent from the event loop."""

    def __init__(self, receive):
        self._receive = receive
        self._pending = b""
        self._received = 0
        self.aborted = False

    def read(self, size: int = -1) -> bytes:
        while not self._pending:
            if self.aborted:
                raise _UploadAborted
            try:
                self._pending = anyio.from_thread.run(self._receive.receive)
            except anyio.EndOfStream:
                if self.aborted:
                    raise _UploadAborted from None
                if not self._received:
                    raise ValidationFailed("上传的文件为空", code="empty_file", details={"field": FILE_FIELD}) from None
                return b""
            self._received += len(self._pending)
        if size is None or size < 0:
            size = len(self._pending)
        data, self._pending = self._pending[:size], self._pending[size:]
        return data


async def stream_into_store(form: StreamedForm, body: AsyncIterator[bytes], put) -> StoredObject:
    """Feed the file's bytes to `put` running in a worker thread, with back-pressure both ways.

    The store may stop early (too large, unreachable): its error is the answer. The client may
    fail (truncated body, malformed form): the reader is aborted so the object is not completed,
    and the client's error is the answer.
    """
    send, receive = anyio.create_memory_object_stream[bytes](QUEUE_CHUNKS)
    reader = _ChannelReader(receive)
    outcome: dict = {}

    async def store_file() -> None:
        try:
            outcome["stored"] = await anyio.to_thread.run_sync(put, reader)
        except Exception as exc:
            outcome["error"] = exc
        finally:
            receive.close()

    client_error: Exception | None = None
    async with anyio.create_task_group() as group:
        group.start_soon(store_file)
        try:
            await form.send_file(body, send)
        except anyio.BrokenResourceError:
            pass  # the store stopped reading; its error says why
        except BaseException as exc:
            reader.aborted = True
            if not isinstance(exc, Exception):
                raise
            client_error = exc
        finally:
            send.close()
    if client_error is not None:
        raise client_error
    if "error" in outcome:
        raise outcome["error"]
    return outcome["stored"]


def _text(value: bytes) -> str:
    return value.decode("latin-1").encode("latin-1").decode("utf-8", errors="replace")


@dataclass
class StreamedForm:
    """A multipart/form-data body parsed as it arrives: metadata fields first, then the file."""

    content_type: str | None
    fields: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    filename: str = ""
    file_content_type: str = "application/octet-stream"
    file_seen: bool = False
    ended: bool = False

    def __post_init__(self):
        kind, options = parse_options_header(self.content_type)
        boundary = options.get(b"boundary")
        if kind != b"multipart/form-data" or not boundary:
            raise ValidationFailed("请以 multipart/form-data 表单上传证据文件", code="multipart_required")
        callbacks = {name: getattr(self, f"_{name}") for name in (
            "on_part_begin", "on_header_field", "on_header_value", "on_header_end", "on_headers_finished",
            "on_part_data", "on_part_end", "on_end")}
        try:
            self._parser = MultipartParser(boundary, callbacks)
        except FormParserError:
            raise ValidationFailed("表单分隔符(boundary)不正确", code="multipart_invalid") from None
        self._file_data: list[bytes] = []
        self._in_file = False
        self._file_done = False
        self._field_count = 0

    # -- feeding
    def _write(self, chunk: bytes) -> None:
        try:
            self._parser.write(chunk)
        except FormParserError as exc:
            raise ValidationFailed("表单格式不正确, 无法解析", code="multipart_invalid",
                                   details={"error": str(exc)[:200]}) from None

    async def read_fields(self, body: AsyncIterator[bytes]) -> None:
        """Parse up to the file part's headers (the file's first bytes may already be buffered)."""
        async for chunk in body:
            self._write(chunk)
            if self.file_seen or self.ended:
                return
        raise _incomplete()

    async def send_file(self, body: AsyncIterator[bytes], send) -> None:
        """Send the file's bytes on, up to the end of the form."""
        await self._flush(send)
        if not self.ended:
            async for chunk in body:
                self._write(chunk)
                await self._flush(send)
                if self.ended:
                    break
        if not self.ended:
            raise _incomplete()

    async def _flush(self, send) -> None:
        data, self._file_data = self._file_data, []
        for chunk in data:
            await send.send(chunk)

    # -- the fields
    def upload_form(self) -> UploadForm:
        if not self.file_seen:
            raise ValidationFailed("缺少上传文件(表单项 file)", code="file_required", details={"field": FILE_FIELD})
        values = {name: self._single(name) for name in FORM_FIELDS - {"collected_by"} if name in self.fields}
        sha256 = (values.pop("sha256", None) or "").strip().lower() or None
        if sha256 is not None and not SHA256_PATTERN.match(sha256):
            raise ValidationFailed("提供的 SHA-256 值格式不正确(应为64位十六进制)", code="invalid_sha256",
                                   details={"field": "sha256"})
        task_id = (values.pop("task_id", None) or "").strip() or None
        gps = _gps(values.pop("gps", None))
        raw = {**values, "collected_by": [n.strip() for n in self.fields.get("collected_by", []) if n.strip()],
               "filename": self.filename, "content_type": self.file_content_type, **gps}
        try:
            meta = EvidenceMeta.model_validate(raw)
        except ValidationError as exc:
            details = [_describe(e) for e in exc.errors()]
            hint = "(证据信息须填在文件之前)" if any(e["type"] == "missing" for e in exc.errors()) else ""
            raise ValidationFailed("证据信息不符合要求: " + "；".join(d["message"] for d in details) + hint,
                                   details=details) from None
        _refuse_future(meta.collected_at)
        return UploadForm(meta=meta, task_id=task_id, sha256=sha256)

    def _single(self, name: str) -> str:
        values = self.fields[name]
        if len(values) > 1:
            raise ValidationFailed(f"「{FIELD_LABELS[name]}」只能填写一次", details={"field": name})
        return values[0]

    # -- parser callbacks
    def _on_part_begin(self) -> None:
        self._headers: dict[str, str] = {}
        self._header_field = bytearray()
        self._header_value = bytearray()

    def _on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def _on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _on_header_end(self) -> None:
        self._headers[self._header_field.decode("latin-1").lower()] = self._header_value.decode("latin-1")
        self._header_field, self._header_value = bytearray(), bytearray()

    def _on_headers_finished(self) -> None:
        if self._file_done:
            raise ValidationFailed("文件须是表单的最后一项, 证据信息应填在文件之前", code="multipart_order")
        _, options = parse_options_header(self._headers.get("content-disposition"))
        name = _text(options.get(b"name", b""))
        if name == FILE_FIELD:
            self._in_file = self.file_seen = True
            self.filename = _text(options.get(b"filename", b""))
            self.file_content_type = safe_content_type(self._headers.get("content-type"))
            return
        if name not in FORM_FIELDS:
            raise ValidationFailed(f"不允许的表单项「{name[:50]}」", code="unknown_field", details={"field": name[:50]})
        self._field_count += 1
        if self._field_count > MAX_FIELD_COUNT:
            raise ValidationFailed("表单项过多", code="too_many_fields")
        self._field_name = name
        self._field_value = bytearray()

    def _on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._in_file:
            self._file_data.append(bytes(data[start:end]))
            return
        self._field_value += data[start:end]
        if len(self._field_value) > MAX_FIELD_BYTES:
            raise TooLarge(f"表单项「{FIELD_LABELS[self._field_name]}」过长", details={"field": self._field_name})

    def _on_part_end(self) -> None:
        if self._in_file:
            self._in_file, self._file_done = False, True
            return
        try:
            self.fields[self._field_name].append(self._field_value.decode("utf-8"))
        except UnicodeDecodeError:
            raise ValidationFailed(f"「{FIELD_LABELS[self._field_name]}」不是 UTF-8 文本",
                                   details={"field": self._field_name}) from None

    def _on_end(self) -> None:
        self.ended = True


def _refuse_future(collected_at: datetime) -> None:
    """Evidence is collected before it is uploaded; a device clock a few minutes ahead is tolerated."""
    moment = collected_at if collected_at.tzinfo else collected_at.replace(tzinfo=SHANGHAI)
    if moment > clock.now() + CLOCK_SKEW:
        raise ValidationFailed("「收集时间」不能晚于现在", code="collected_in_future",
                               details=[{"field": "collected_at", "message": "「收集时间」不能晚于现在"}])


GPS_PATTERN = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*[,，]\s*(-?\d+(?:\.\d+)?)\s*$")


def _gps(value: str | None) -> dict:
    if value is None or not value.strip():
        return {}
    match = GPS_PATTERN.match(value)
    if match is None:
        raise ValidationFailed("GPS坐标应写作「纬度,经度」, 如 26.33,114.50", details={"field": "gps"})
    return {"gps_lat": float(match.group(1)), "gps_lon": float(match.group(2))}


def _describe(error: dict) -> dict:
    name = str(error.get("loc", ("",))[0])
    if name in ("gps_lat", "gps_lon"):
        name = "gps"
    label = FIELD_LABELS.get(name, name)
    return {"field": name, "message": f"「{label}」{PYDANTIC_MESSAGES.get(error.get('type'), '不符合要求')}"}


def upload_request_schema() -> dict:
    """The OpenAPI description of the form (the route reads the body itself, so FastAPI cannot infer it)."""
    text = {"type": "string"}
    return {"required": True, "content": {"multipart/form-data": {
        "schema": {
            "type": "object",
            "required": ["type", "collected_by", "collected_at", FILE_FIELD],
            "additionalProperties": False,
            "properties": {
                "type": {"type": "string", "enum": [t.value for t in EvidenceType],
                         "description": "证据种类(行政处罚法第四十六条)"},
                "collected_by": {"type": "array", "items": {**text, "minLength": 1}, "minItems": 1, "description": "收集人, 每人一项"},
                "collected_at": {"type": "string", "format": "date-time", "description": "收集时间"},
                "place": {**text, "description": "收集地点"},
                "gps": {**text, "description": "GPS坐标「纬度,经度」"},
                "device": {**text, "description": "收集设备"},
                "description": {**text, "description": "证据说明"},
                "task_id": {**text, "description": "所属环节(任务 id)"},
                "sha256": {**text, "pattern": "^[0-9a-fA-F]{64}$", "description": "文件的 SHA-256, 不一致则拒收"},
                FILE_FIELD: {"type": "string", "format": "binary", "description": "证据文件, 须为表单最后一项"},
            },
        },
        "encoding": {"collected_by": {"style": "form", "explode": True}},
    }}}
