"""When a leaflet's review falls due: one rule for `due`, the catalogue, the desk and `request`.

A leaflet's `next_review` is a month. Its review is *due* from the first day of that month
(and shown as coming up when that day is within the window asked for, 90 days by default); it
is *overdue* from the first day of the month after, as `build --release` has always counted it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .model import YearMonth
from .vocabulary import past_review

WINDOW = 90  # days ahead that `due` and the catalogue look by default


class Standing(StrEnum):
    CURRENT = "current"
    DUE = "review due"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class Review:
    """Where a leaflet stands with its review on a given day."""

    standing: Standing
    next_review: YearMonth
    days: int  # overdue: days since it fell overdue; due or current: days until the month starts (0 within it)

    def __str__(self) -> str:
        if self.standing == Standing.OVERDUE:
            return f"overdue: review was due {self.next_review}, {_span(self.days)} ago"
        if self.days == 0:
            return f"review due this month ({self.next_review})"
        said = "review due" if self.standing == Standing.DUE else "next review"
        return f"{said} {self.next_review}, in {_span(self.days)}"


def review(next_review: YearMonth, today: date, within: int = WINDOW) -> Review:
    start = date(next_review.year, next_review.month, 1)
    after = date(next_review.year + next_review.month // 12, next_review.month % 12 + 1, 1)
    if past_review(next_review, today):
        return Review(Standing.OVERDUE, next_review, (today - after).days + 1)
    days = max(0, (start - today).days)
    return Review(Standing.DUE if days <= within else Standing.CURRENT, next_review, days)


def _span(days: int) -> str:
    if days < 62:
        return f"{days} day{'s' if days != 1 else ''}"
    months = round(days / 30.44)
    return f"{months} months" if months < 24 else f"{months // 12} years {months % 12} months"
