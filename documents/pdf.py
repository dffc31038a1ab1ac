"""PDF rendition through a persistent LibreOffice (unoserver), for the worker, never the request path.

`UnoServer` starts and stops one unoserver process (LibreOffice stays loaded between
conversions, ~0.25 s each instead of ~1.5 s for a one-shot `soffice --convert-to`);
`PdfConverter` talks to any unoserver over its XML-RPC interface. Without LibreOffice the
service still runs: `pdf_status()` says why PDF rendition is unavailable, and converting
raises `PdfUnavailable`.

unoserver runs in its own session (a Ctrl-C in the terminal must not kill LibreOffice under a
conversion), so it never receives the signal that stops the process that started it: the
process must stop it, and SIGTERM is made to unwind the stack as SIGINT does (see
`_unwind_on_sigterm`) so that `UnoServer.stop()` runs in `zhifa serve` and `zhifa worker`.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import xmlrpc.client
from dataclasses import dataclass
from pathlib import Path

from engine.errors import ZhifaError

DEFAULT_UNO_DIR = Path("/opt/zhifa-uno")  # created by scripts/setup-system.sh
START_TIMEOUT_SECONDS = 90.0


class PdfUnavailable(ZhifaError):
    code = "pdf_unavailable"


@dataclass(frozen=True)
class PdfStatus:
    available: bool
    message: str


def pdf_status(uno_dir: Path = DEFAULT_UNO_DIR) -> PdfStatus:
    """Whether this machine can render PDFs, with the reason in Chinese when it cannot."""
    server = uno_dir / "bin" / "unoserver"
    if not server.exists():
        return PdfStatus(False, f"PDF 转换不可用：未找到 unoserver（{server}），请运行 scripts/setup-system.sh 安装 LibreOffice")
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        return PdfStatus(False, "PDF 转换不可用：未安装 LibreOffice，请运行 scripts/setup-system.sh")
    return PdfStatus(True, "PDF 转换可用")


class PdfConverter:
    """Client of a running unoserver (local or remote), e.g. `http://127.0.0.1:2003`."""

    def __init__(self, url: str, *, timeout_seconds: float = 120.0):
        self.url = url
        self.timeout_seconds = timeout_seconds

    def _proxy(self) -> xmlrpc.client.ServerProxy:
        transport = _TimeoutTransport(self.timeout_seconds)
        return xmlrpc.client.ServerProxy(self.url, allow_none=True, transport=transport)

    def ping(self) -> bool:
        try:
            self._proxy().info()
            return True
        except (OSError, xmlrpc.client.Error):
            return False

    def convert(self, docx: bytes) -> bytes:
        """The PDF of a .docx, converted by LibreOffice."""
        try:
            result = self._proxy().convert(None, xmlrpc.client.Binary(docx), None, "pdf", None, [], True, None, None)
        except (OSError, xmlrpc.client.Error) as exc:
            raise PdfUnavailable(f"PDF 转换失败：{exc}", details={"url": self.url}) from exc
        return result.data


class _TimeoutTransport(xmlrpc.client.Transport):
    def __init__(self, timeout: float):
        super().__init__()
        self._timeout = timeout

    def make_connection(self, host):
        connection = super().make_connection(host)
        connection.timeout = self._timeout
        return connection


def _raise_system_exit(signum: int, _frame) -> None:
    raise SystemExit(128 + signum)


def _unwind_on_sigterm() -> None:
    """Make SIGTERM raise SystemExit, so `finally` blocks and context managers run and stop LibreOffice.

    Python's default action for SIGTERM ends the process at once and would leave unoserver and
    soffice running under PID 1. Only the main thread can set handlers, and a handler the
    application installed itself is left alone (uvicorn installs its own while it serves, restores
    this one afterwards and re-raises the signal it caught, which then unwinds `zhifa serve`).
    """
    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _raise_system_exit)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class UnoServer:
    """One persistent unoserver + LibreOffice on 127.0.0.1, with its own throwaway profile."""

    def __init__(self, uno_dir: Path = DEFAULT_UNO_DIR):
        self.uno_dir = uno_dir
        self._process: subprocess.Popen | None = None
        self._home: str | None = None
        self.converter: PdfConverter | None = None

    def start(self) -> PdfConverter:
        status = pdf_status(self.uno_dir)
        if not status.available:
            raise PdfUnavailable(status.message)
        _unwind_on_sigterm()
        port, uno_port = _free_port(), _free_port()
        self._home = tempfile.mkdtemp(prefix="zhifa-uno-")
        self._process = subprocess.Popen(
            [str(self.uno_dir / "bin" / "unoserver"), "--interface", "127.0.0.1", "--port", str(port), "--uno-port", str(uno_port)],
            env={**os.environ, "HOME": self._home},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its LibreOffice child is stopped with it
        )
        converter = PdfConverter(f"http://127.0.0.1:{port}")
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        try:
            while not converter.ping():
                if self._process.poll() is not None or time.monotonic() > deadline:
                    raise PdfUnavailable("PDF 转换不可用：LibreOffice 未能启动")
                time.sleep(0.3)
        except BaseException:  # also a SIGTERM or Ctrl-C while LibreOffice is starting
            self.stop()
            raise
        self.converter = converter
        return converter

    def stop(self) -> None:
        if self._process is not None:
            if self._process.poll() is None:
                os.killpg(self._process.pid, signal.SIGTERM)
                try:
                    self._process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    pass
            try:  # LibreOffice's launcher (oosplash) outlives unoserver: end the whole group
                os.killpg(self._process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._process.wait()
        self._process = None
        self.converter = None
        if self._home:
            shutil.rmtree(self._home, ignore_errors=True)
            self._home = None

    def __enter__(self) -> PdfConverter:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
