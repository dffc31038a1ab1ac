"""Facts about the caller that one request reads once (their case scope), kept exactly as long as the request.

`api.deps.request_cache` gives every request an empty cache of its own before anything else runs; a sync route
and its dependencies, run in the thread pool in a copy of the request's context, share it. Outside a request (the
worker, the command line, a service called directly) nothing is cached: every call reads afresh. A write that
changes what is cached (a user added to a case, an agency moved) empties it (see `api.case_scope`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")
_cache: ContextVar[dict | None] = ContextVar("zhifa_request_cache", default=None)


def start() -> None:
    """A new, empty cache for the request whose context this runs in."""
    _cache.set({})


def cached(key: Hashable, compute: Callable[[], T]) -> T:
    cache = _cache.get()
    if cache is None:
        return compute()
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def clear() -> None:
    cache = _cache.get()
    if cache is not None:
        cache.clear()
