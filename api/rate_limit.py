"""Rate limits of the public (no-login) endpoints: a token bucket per client address, in process.

Each replica keeps its own buckets, so behind a load balancer the limit a client meets is per replica; what it
guards against is one address flooding the 举报 form or the publication feed, not a distributed attack. The time
is the engine's clock (engine.clock), so the limit is the same in a test with a frozen clock.
"""

from __future__ import annotations

import math
import threading

from fastapi import Request

from engine import clock
from engine.errors import TooManyAttempts
from engine.settings import get_settings

MAX_CLIENTS = 10_000  # the buckets kept; beyond, the fullest (idle longest) are dropped


class TokenBuckets:
    def __init__(self, per_minute: float, burst: int):
        self.rate = per_minute / 60.0  # tokens per second
        self.burst = burst
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, at: epoch seconds)
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """Take a token for `key`; 0 when taken, else the seconds until one is available."""
        now = clock.now().timestamp()
        with self._lock:
            tokens, at = self._buckets.get(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + max(now - at, 0.0) * self.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                if len(self._buckets) > MAX_CLIENTS:
                    self._forget_idle(now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / self.rate if self.rate > 0 else 3600.0

    def _forget_idle(self, now: float) -> None:
        full = [key for key, (tokens, at) in self._buckets.items()
                if tokens + (now - at) * self.rate >= self.burst]
        for key in full or list(self._buckets)[:len(self._buckets) // 2]:
            del self._buckets[key]


def _buckets(request: Request) -> TokenBuckets:
    state = request.app.state
    if getattr(state, "public_rate_buckets", None) is None:
        settings = get_settings()
        state.public_rate_buckets = TokenBuckets(settings.public_rate_per_minute, settings.public_rate_burst)
    return state.public_rate_buckets


def public_rate_limit(request: Request) -> None:
    """A dependency of every public route: refuses a client address that used up its requests (429, Retry-After)."""
    address = request.client.host if request.client else "unknown"
    wait = _buckets(request).take(address)
    if wait > 0:
        raise TooManyAttempts("请求过于频繁, 请稍后再试", code="rate_limited",
                              details={"retry_after_seconds": max(math.ceil(wait), 1)})
