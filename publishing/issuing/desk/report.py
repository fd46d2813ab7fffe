"""The requests report for the information team: what was issued and which needs could not be
met, by leaflet, language, format and size, over any period; the unmet needs most asked for;
a chart of unmet needs by month drawn on the server as SVG (no JavaScript), with the same
figures in a table beside it for those who cannot see it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from leaflets.errors import LeafletError
from publishing.issuing import asks

from .requestlog import Outcome, RequestLog, Row, as_csv

DEFAULT_DAYS = 30
TOP = 10  # unmet needs listed as the most asked for


def period(args, today: date) -> tuple[date, date, dict[str, str]]:
    """The report's dates from ?from=&to= (ISO dates; the last 30 days by default), and any errors."""
    errors = {}
    values = []
    for key, default in (("from", today - timedelta(days=DEFAULT_DAYS)), ("to", today)):
        text = args.get(key, "")
        try:
            values.append(date.fromisoformat(text) if text else default)
        except ValueError:
            errors[key] = f"Enter the {'start' if key == 'from' else 'end'} date as a date, like {today.isoformat()}"
            values.append(default)
    if not errors and values[0] > values[1]:
        errors["to"] = "The end date must be on or after the start date"
    return values[0], values[1], errors


def language_name(code: str) -> str:
    try:
        return asks.language(code).english
    except (LeafletError, ValueError):
        return code


@dataclass(frozen=True)
class Bar:
    month: str  # "2026-11"
    label: str  # "Nov 2026"
    count: int
    x: int
    y: int
    height: int


class Report:
    CHART_WIDTH, CHART_HEIGHT, BAR_GAP = 600, 220, 8

    def __init__(self, log: RequestLog, start: date, end: date):
        self.start, self.end = start, end
        self.rows: list[Row] = log.summary(start, end)
        self.monthly = log.unmet_by_month(start, end)

    @property
    def issued(self) -> list[Row]:
        return [r for r in self.rows if r.outcome in (Outcome.ISSUED, Outcome.EMAILED)]

    @property
    def unmet(self) -> list[Row]:
        return [r for r in self.rows if r.outcome == Outcome.UNMET]

    def totals(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for r in self.rows:
            counts["issued" if r.outcome != Outcome.UNMET else "unmet"] += r.count
        return counts

    def most_asked(self) -> list[tuple[str, str, str, int]]:
        """(language, format, why, requests) of the unmet needs, most asked for first: where to invest."""
        counts: Counter[tuple[str, str, str]] = Counter()
        for r in self.unmet:
            counts[(self.language(r), r.format, r.need)] += r.count
        return [(lang, fmt, need, n) for (lang, fmt, need), n in counts.most_common(TOP)]

    @staticmethod
    def language(row: Row) -> str:
        """The language as the team reads it: "Bengali (asked as Sylheti)", or the words asked for."""
        if not row.language:
            return f"“{row.asked}” (not recognised)"
        name = language_name(row.language)
        return f"{name} (asked as {row.asked})" if row.asked else name

    def months(self) -> list[tuple[str, str]]:
        """Every month of the period, ("2026-11", "Nov 2026")."""
        out = []
        year, month = self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            out.append((f"{year:04d}-{month:02d}", date(year, month, 1).strftime("%b %Y")))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out

    def bars(self) -> list[Bar]:
        """The chart's bars, laid out for an SVG of CHART_WIDTH x CHART_HEIGHT (labels below)."""
        months = self.months()[-24:]  # two years at most: wider periods are in the table
        top = max([self.monthly.get(m, 0) for m, _ in months] + [1])
        width = (self.CHART_WIDTH - 40) // max(len(months), 1)
        out = []
        for i, (month, label) in enumerate(months):
            count = self.monthly.get(month, 0)
            height = round(count / top * (self.CHART_HEIGHT - 60))
            out.append(Bar(month, label, count, 40 + i * width, self.CHART_HEIGHT - 40 - height, height))
        return out

    def bar_width(self) -> int:
        return max((self.CHART_WIDTH - 40) // max(len(self.months()[-24:]), 1) - self.BAR_GAP, 4)

    def csv(self) -> str:
        return as_csv(self.rows, language_name)
