"""The worker: fires due timers and renders documents, off the request path.

Timers are found through the indexed `case.next_due` column; the worker sleeps
until the earliest pending due time, but never longer than the poll interval,
so work armed by another process is seen within that interval. Every pass
claims its rows with `FOR UPDATE SKIP LOCKED`, so several workers share them,
and handles them one at a time: an item that fails is kept aside with its error
and retried later (engine.work_items) while the pass goes on with the others.

The first pass (the timers) is urgent: it runs again after every other pass that did
work, so a statutory timer that falls due while a batch of documents renders waits
for that batch only, not for the whole round (a backlog of renditions once held
timers up by seconds).

Once its start-up is done (models checked, database migrated, passes built), the worker logs `READY`, a line
a supervisor or a benchmark can wait for before it counts on timers being fired.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from engine import clock

logger = logging.getLogger(__name__)

READY = "zhifa worker 已就绪"

Pass = Callable[[], int]  # does some work, returns how many items it handled


def run_worker(passes: Sequence[Pass], next_due: Callable[[], datetime | None], *, poll_seconds: float = 1.0,
               stop: threading.Event | None = None, once: bool = False) -> None:
    stop = stop or threading.Event()
    urgent, *others = passes
    logger.info("%s (pid %s)", READY, os.getpid())
    while not stop.is_set():
        busy = _run_pass(urgent)
        for work in others:
            if _run_pass(work):
                busy = True
                _run_pass(urgent)
        if busy:
            continue  # with `once`, until nothing is left: renditions go in small batches, not one per round
        if once:
            return
        stop.wait(_wait_seconds(next_due, poll_seconds))


def _run_pass(work: Pass) -> bool:
    try:
        return bool(work())
    except Exception:  # the worker must survive a database or storage outage; it retries next pass
        logger.exception("worker pass %s failed", getattr(work, "__name__", work))
        return False


def _wait_seconds(next_due: Callable[[], datetime | None], poll_seconds: float) -> float:
    """Until the earliest due timer, at most one poll interval; a full interval while the database is down."""
    try:
        due = next_due()
    except Exception:
        logger.exception("worker: next due time unknown")
        return poll_seconds
    if due is None:
        return poll_seconds
    return max(0.05, min(poll_seconds, (due - clock.now()) / timedelta(seconds=1)))


def start_background_worker(passes: Sequence[Pass], next_due: Callable[[], datetime | None],
                            poll_seconds: float = 1.0) -> threading.Event:
    """Run the worker in a daemon thread (inside `zhifa serve`); set the returned event to stop it."""
    stop = threading.Event()
    threading.Thread(target=run_worker, args=(passes, next_due), kwargs={"poll_seconds": poll_seconds, "stop": stop},
                     name="zhifa-worker", daemon=True).start()
    return stop
