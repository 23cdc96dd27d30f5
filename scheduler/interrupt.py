"""Ctrl-C and SIGTERM during a long job: the first stops the search and keeps the best roster,
a second one gives up at once."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable
from typing import TypeVar

from scheduler.solver.stopping import StopSignal

T = TypeVar("T")
SIGNALS = (signal.SIGINT, signal.SIGTERM)


def run_interruptibly(job: Callable[[], T], stop: StopSignal) -> T:
    """Run job in a worker thread while this (main) thread answers signals.

    CP-SAT holds the worker inside native code for seconds at a time; Python only runs signal
    handlers in the main thread, so the main thread waits here and relays them to `stop`.
    """
    box: dict[str, object] = {}

    def work() -> None:
        try:
            box["result"] = job()
        except BaseException as exc:  # re-raised in the main thread below
            box["error"] = exc

    def handle(number: int, frame: object) -> None:
        if stop.requested:
            raise KeyboardInterrupt
        name = signal.Signals(number).name
        print(
            f"\n{name}: stopping the search; the best roster found so far is kept "
            "(again to give up without writing).",
            file=sys.stderr,
            flush=True,
        )
        stop.request()

    previous = {number: signal.getsignal(number) for number in SIGNALS}
    worker = threading.Thread(target=work, daemon=True)
    try:
        for number in SIGNALS:
            signal.signal(number, handle)
        worker.start()
        while worker.is_alive():
            worker.join(0.2)
            # Native code may have reset a handler; keep ours in place.
            for number in SIGNALS:
                signal.signal(number, handle)
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["result"]  # type: ignore[return-value]
