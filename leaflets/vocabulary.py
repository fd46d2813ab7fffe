"""The words every floor shares: what is made (a target), what became of it (its state and
outcome), why not (a reason, from `errors`), where a translation stands with its clinical
sign-off, and when a leaflet is past its review date.

They live in the core, one floor below everything that speaks them, so the engine's lower
modules, the issuing service and the desk compare enum members, never string literals, and
judge a review date by one rule. `State` is a `StrEnum`: it is written to the build state and
the manifest as its plain value ("up to date") and compares equal to it when read back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol

from .errors import Kind, Reason

__all__ = ["NOT_MADE", "Kind", "Outcome", "Reason", "Review", "State", "Target", "past_review"]


class State(StrEnum):
    """What became of one artifact in a build."""

    BUILT = "built"
    UP_TO_DATE = "up to date"
    REFUSED = "refused"
    UNAVAILABLE = "unavailable"
    FAILED = "failed"

    @property
    def ready(self) -> bool:
        """A current copy is on disk (made now or earlier from the same inputs)."""
        return self in (State.BUILT, State.UP_TO_DATE)


NOT_MADE = (State.REFUSED, State.UNAVAILABLE, State.FAILED)  # each said once, with its reason


class Review(StrEnum):
    """Where a translation stands with its clinical sign-off (`leaflets.review` judges it)."""

    SOURCE = "source"  # the English original: nothing to review
    REVIEWED = "reviewed"
    STALE = "stale"  # signed off, but the English or the translation changed since
    UNREVIEWED = "unreviewed"

    @property
    def unchecked(self) -> bool:
        """The patient must be told no clinician has checked this text as it is now."""
        return self in (Review.UNREVIEWED, Review.STALE)


@dataclass(frozen=True)
class Target:
    """One artifact asked for: a leaflet in a locale in a format."""

    leaflet: str
    locale: str
    format: str

    @property
    def label(self) -> str:
        return f"{self.leaflet} {self.locale} {self.format}"


@dataclass
class Outcome:
    """What became of one target, with where it is or why not."""

    target: Target
    state: State
    path: str = ""
    reason: str = ""
    kind: str = ""  # why not, as errors.Kind ("no voice", "check errors" ...); "" when built


class Month(Protocol):
    """A year and month (`model.YearMonth`, a date)."""

    @property
    def year(self) -> int: ...
    @property
    def month(self) -> int: ...


def past_review(due: Month | str, today: date) -> bool:
    """A leaflet is past its review date once the month of its `next_review` is over: due in
    2026-05, it is current throughout May and past it from 1 June. `due` may be the "YYYY-MM"
    the build state keeps."""
    if isinstance(due, str):
        year, _, month = due.partition("-")
        return (int(year), int(month)) < (today.year, today.month)
    return (due.year, due.month) < (today.year, today.month)
