"""The engine's notion of "now".

SpiffWorkflow's timers read the wall clock directly; zhifa's timer definitions
(`engine.timers`) and everything else read this clock instead, so tests,
the worker and the API agree on the time.

`ZHIFA_NOW` (an ISO datetime) makes a process's clock start at that instant and
run forward in real time: a worker started in another process with the same
setting sees the same "now" as the test that started it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

from engine.settings import get_settings

_override: Callable[[], datetime] | None = None
_started = time.monotonic()


def now() -> datetime:
    """Current time, timezone-aware, in UTC."""
    if _override is not None:
        return _override().astimezone(timezone.utc)
    start = get_settings().now
    if start is not None:
        if start.tzinfo is None:
            raise ValueError("ZHIFA_NOW 必须带时区, 例如 2026-02-13T09:00:00+08:00")
        return (start + timedelta(seconds=time.monotonic() - _started)).astimezone(timezone.utc)
    return datetime.now(timezone.utc)


def set_clock(source: Callable[[], datetime] | None) -> None:
    """Replace the clock (tests); None restores the default."""
    global _override
    _override = source


@contextmanager
def using(source: Callable[[], datetime]) -> Iterator[None]:
    """Read `source` as the clock inside the block (a simulated story), then the clock in use before."""
    global _override
    previous, _override = _override, source
    try:
        yield
    finally:
        _override = previous


class FrozenClock:
    """A clock that stands still until moved; for tests."""

    def __init__(self, at: datetime):
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **delta) -> None:
        self.at = self.at + timedelta(**delta)
