"""How many photos one process decodes at once, and giving the memory back afterwards.

A decoded photo costs up to four bytes a pixel, so a 40-megapixel PNG of 150 KB briefly needs
some 200 MB. Without a bound, a handful of posts at once takes the whole machine. So photos are
decoded by a small pool of N threads per process (N = KAART_PHOTO_JOBS): the pool is the
process-wide semaphore, and a request waits for a free thread, then gets a Dutch "busy" answer
rather than queueing forever and tying up the server's own worker threads.

Doing the work on the same few threads also keeps memory from creeping up: glibc gives threads
their own arenas and keeps some freed memory in each, so request threads decoding in turn would
each keep some. After every job we also ask glibc to hand free pages back (malloc_trim; elsewhere
that is skipped). Measured after 20 photos of 40 megapixels on 20 request threads: +220 MB kept
when each request thread decoded its own, +318 MB on the pool without malloc_trim, +33 MB with both.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from functools import lru_cache
from typing import TypeVar

from app.errors import Unavailable

__all__ = ["BUSY", "JOBS", "WAIT_SECONDS", "release_memory", "run"]

JOBS = 2
WAIT_SECONDS = 60.0
BUSY = "Er worden nu veel foto's tegelijk verwerkt. Probeer het over een minuut opnieuw."

T = TypeVar("T")
log = logging.getLogger(__name__)


@lru_cache
def _pool(slots: int) -> ThreadPoolExecutor:
    """The photo threads of this process (one pool per size; the settings give one size)."""
    return ThreadPoolExecutor(max_workers=slots, thread_name_prefix="foto")


if hasattr(os, "register_at_fork"):  # a forked child has none of the parent's threads
    os.register_at_fork(after_in_child=_pool.cache_clear)


def run(work: Callable[[], T], slots: int = JOBS, wait: float = WAIT_SECONDS) -> T:
    """work() on one of `slots` photo threads; Unavailable if none came free within `wait` s."""
    future = _pool(max(slots, 1)).submit(_then_release, work)
    try:
        return future.result(timeout=wait)
    except FutureTimeout:
        if future.cancel():  # still waiting in the queue: give up on it
            raise Unavailable(BUSY) from None
        return future.result()  # already being decoded: it is nearly done


def _then_release(work: Callable[[], T]) -> T:
    """Run the job; once its images are gone, hand the freed memory back."""
    try:
        return work()
    finally:
        release_memory()


@lru_cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, or None on a C library without it."""
    name = ctypes.util.find_library("c")
    try:
        trim: Callable[[int], int] = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError, TypeError):
        return None
    return trim


def release_memory() -> None:
    """Give the free pages of glibc's heaps back to the system (a few ms; nothing when absent)."""
    trim = _malloc_trim()
    if trim is not None:
        try:
            trim(0)
        except OSError:  # pragma: no cover - a C library that cannot trim
            log.debug("malloc_trim failed", exc_info=True)
