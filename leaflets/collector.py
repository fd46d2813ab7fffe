"""The cyclic garbage collector, told to run less often while a library is checked or counted.

Checking allocates many short-lived objects (parsed entries, facts, findings) while what it keeps
(parsed templates, findings) grows: at Python's default threshold (a young collection every 700
allocations, a full one every hundred of those, each scanning everything kept) the collector was
a tenth of `status`'s and a twentieth of `check`'s time. Cycles are still collected, so memory
stays bounded (the first `status` of 1,000 leaflets x 3 locales peaks at the same size).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

THRESHOLD = 100_000  # allocations between young collections


@contextmanager
def fewer_collections() -> Iterator[None]:
    """While inside: what exists already is set aside from collections (gc.freeze: it was there
    before the work began) and young objects are collected every THRESHOLD allocations; then
    both as they were. Only in the main thread: two threads doing this at once would each put
    back what the other set (a server's threads keep the collector as Python sets it)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(THRESHOLD, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
