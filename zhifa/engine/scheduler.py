"""The timer worker: fires due cases found through the indexed `case.next_due` column.

It sleeps until the earliest pending due time, but never longer than the poll
interval, so a timer armed by another process is seen within that interval.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from zhifa.engine import clock
from zhifa.engine.runtime import Runtime

logger = logging.getLogger(__name__)


def run_worker(runtime: Runtime, *, poll_seconds: float = 1.0, stop: threading.Event | None = None,
               once: bool = False) -> None:
    stop = stop or threading.Event()
    while not stop.is_set():
        try:
            fired = runtime.fire_due()
            if fired:
                logger.info("fired timers of cases %s", fired)
        except Exception:  # the worker must survive a database outage; it retries on the next pass
            logger.exception("timer pass failed")
        if once:
            return
        next_due = runtime.next_due()
        wait = poll_seconds
        if next_due is not None:
            wait = max(0.05, min(poll_seconds, (next_due - clock.now()) / timedelta(seconds=1)))
        stop.wait(wait)


def start_background_worker(runtime: Runtime, poll_seconds: float = 1.0) -> threading.Event:
    """Run the worker in a daemon thread (inside `zhifa serve`); set the returned event to stop it."""
    stop = threading.Event()
    threading.Thread(target=run_worker, args=(runtime,), kwargs={"poll_seconds": poll_seconds, "stop": stop},
                     name="zhifa-timers", daemon=True).start()
    return stop
