"""Work under a time limit, in a thread of its own, for callers that cannot start a process.

A Dask worker (a daemon process) and the web server (one process serving the page) both check
a file this way: past the limit the caller goes on and the thread is sent an exception, which
stops Python code at once (a call into C finishes first).
"""

from __future__ import annotations

import ctypes
import threading
from typing import Callable, TypeVar

T = TypeVar("T")


# Threads told to stop that have not yet: a call into C (a PDF's parse) runs on to its end.
_abandoned: set[threading.Thread] = set()
_abandoned_lock = threading.Lock()


def abandoned_still_running() -> int:
    """How many threads whose time ran out are still running: a server refuses new work past a
    bound on these, so slow files cannot pile up threads and memory without end."""
    with _abandoned_lock:
        for thread in [t for t in _abandoned if not t.is_alive()]:
            _abandoned.discard(thread)
        return len(_abandoned)


class TimeLimitExceeded(Exception):
    """The work did not finish within its time; it has been told to stop."""


class _Abandoned(BaseException):
    """Sent into the work's thread once its time is up (BaseException: no `except Exception` keeps it going)."""


def run_with_time_limit(work: Callable[[], T], timeout: float) -> T:
    """`work()`'s result or exception, or TimeLimitExceeded after `timeout` seconds."""
    outcome: list = []

    def run() -> None:
        try:
            outcome.append((True, work()))
        except _Abandoned:
            pass
        except BaseException as exc:  # handed to the caller's thread, where it belongs
            outcome.append((False, exc))

    thread = threading.Thread(target=run, daemon=True, name="narrative-check-timed")
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident), ctypes.py_object(_Abandoned))
        with _abandoned_lock:
            _abandoned.add(thread)
        raise TimeLimitExceeded(f"> {timeout:g} s")
    finished, value = outcome[0]
    if not finished:
        raise value
    return value
