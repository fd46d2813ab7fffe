"""Build progress: a one-line bar on a terminal, plain lines otherwise (logs, CI, pipes)."""

from __future__ import annotations

import shutil
import sys
from enum import StrEnum

from leaflets.vocabulary import State


class Progress:
    def __init__(self, total: int, stream=None, shown: tuple[StrEnum, ...] = (State.BUILT,)):
        self.stream = stream or sys.stderr
        self.shown = shown  # the states said in a line of their own when not on a terminal (an import's too)
        self.total, self.done = total, 0
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()

    def step(self, label: str, state: StrEnum) -> None:
        """One artifact finished (or found up to date)."""
        self.done += 1
        if self.tty:
            width = max(10, min(30, shutil.get_terminal_size().columns - 60))
            filled = width * self.done // max(self.total, 1)
            line = f"[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} {state} {label}"
            self.stream.write("\r\x1b[K" + line[: shutil.get_terminal_size().columns - 1])
            self.stream.flush()
        elif state in self.shown:  # refusals and failures were said by message()
            print(f"{state} {label}", file=self.stream)

    def message(self, line: str) -> None:
        """A line that must stay visible (a refusal, a failure, a warning)."""
        if self.tty:
            self.stream.write("\r\x1b[K")
        print(line, file=self.stream)

    def close(self) -> None:
        if self.tty and self.total:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
