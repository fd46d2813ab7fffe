"""Slowing down guesses of the access code: a few wrong codes per client, and not many more from
everyone together, in any window of time; beyond that the desk answers 429 with Retry-After.

Per client so one mistyping officer does not lock out the others; overall so guesses spread over
many addresses (or behind one proxy) are slowed too. Kept in memory: a restart forgets, which is
no help to a guesser who cannot restart the desk.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque

PER_CLIENT = 10  # wrong codes from one address ...
OVERALL = 50  # ... or from all addresses together ...
WINDOW = 300.0  # ... in this many seconds
MAX_CLIENTS = 10_000  # addresses remembered (the oldest are forgotten first)


class Throttle:
    def __init__(
        self, per_client: int = PER_CLIENT, overall: int = OVERALL, window: float = WINDOW, clock=time.monotonic
    ):
        self.per_client, self.overall, self.window, self.clock = per_client, overall, window, clock
        self._clients: dict[str, deque[float]] = {}
        self._all: deque[float] = deque()
        self._lock = threading.Lock()

    def wait(self, client: str) -> int:
        """Seconds this client must wait before trying again (0: it may try now)."""
        now = self.clock()
        with self._lock:
            waits = [0.0]
            mine = self._clients.get(client)
            for times, limit in ((mine, self.per_client), (self._all, self.overall)):
                if times is None:
                    continue
                while times and times[0] <= now - self.window:
                    times.popleft()
                if len(times) >= limit:
                    waits.append(times[len(times) - limit] + self.window - now)
            return math.ceil(max(waits))

    def failed(self, client: str) -> None:
        """Count a wrong code."""
        now = self.clock()
        with self._lock:
            if client not in self._clients and len(self._clients) >= MAX_CLIENTS:
                del self._clients[next(iter(self._clients))]
            self._clients.setdefault(client, deque()).append(now)
            self._all.append(now)
            if len(self._all) > self.overall * 4:
                self._all.popleft()
