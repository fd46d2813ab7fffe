"""How an option a copy may vary is declared, once, and everything derived from that declaration.

Each field of `formats.Options` that a person may choose carries a `Spec` in its metadata
(`option(...)`): its range or choices, its command-line help, its plain label for the desk, how it
is written in a file name and in the catalogue. The command line's flags, the desk's form fields
and query parsing, `Writer.name_parts` and the catalogue's labels are all read from these specs,
so adding an option is one field of the record and the writer that reads it, nothing else. Which
writers use an option is said by the writers themselves, in `Writer.uses` (which also keys their
fingerprints and file names), so it is never written twice.

Out-of-range values are refused in `check` only, with one message (`OptionError`), whoever asked.
"""

from __future__ import annotations

import contextlib
import re
import string
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from typing import Any

from leaflets.errors import LeafletError

KEY = "option"  # the metadata key a declared field's Spec is kept under


class OptionError(LeafletError):
    """A value an option cannot take: one sentence, the same on the command line and the desk."""


@dataclass(frozen=True)
class Spec:
    """One option as people see it. `label` is plain, mid-sentence ("print size"); `help` is for
    the command line; `name` and `shown` are str.format templates over the whole Options record
    ("{size:g}pt", "{size:g} pt"), so two options may share one part ("{braille_cells}x{braille_lines}")."""

    label: str
    help: str
    low: float | None = None  # the range, both ends included
    high: float | None = None
    unit: str = ""  # after a number, plural: "points", "words a minute"
    choices: tuple[tuple[Any, str], ...] = ()  # the only values allowed, each with its plain label
    words: tuple[tuple[str, Any], ...] = ()  # names for values ("slower" = 120), accepted anywhere
    offered: tuple[Any, ...] = ()  # the values the desk lists; () = the choices, the words or the range
    hint: str = ""  # said after the allowed range when a value is refused, and on the desk
    name: str = ""  # its part of a file name when it differs from the default; "" = none
    shown: str = ""  # how a copy's value is labelled (catalogue, request log); "" = not labelled
    always_shown: bool = False  # labelled even at its default ("Large print, 18 pt")
    metavar: str = ""
    query: str = ""  # its key in a desk address, if not the flag's words ("speed")


def option(default: Any, **spec: Any) -> Any:
    """A field of the options record, declared with its Spec (see `Spec` for the keywords)."""
    return field(default=default, metadata={KEY: Spec(**spec)})


@dataclass(frozen=True)
class Declared:
    """A declared option: the field's name and default, with its Spec."""

    name: str
    default: Any
    spec: Spec

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def usual(self) -> str:
        """Its default as typed: "18", "150", "2"."""
        return _number(self.default)

    @property
    def key(self) -> str:
        """Its name in a desk form and address."""
        return self.spec.query or self.name.replace("_", "-")

    @property
    def allowed(self) -> str:
        """What values it takes, for people: "16-32 points", "2 or 1"."""
        s = self.spec
        if s.choices:
            values = [str(v) for v, _ in s.choices]
            return ", ".join(values[:-1]) + " or " + values[-1] if len(values) > 1 else values[0]
        text = f"{_number(s.low)}-{_number(s.high)}" + (f" {s.unit}" if s.unit else "")
        if s.words:
            text += ", or " + ", ".join(w for w, _ in s.words)
        return text

    def parse(self, text: str) -> Any:
        """The value a person typed ("24", "slower"), checked; OptionError if it cannot be one."""
        words = dict(self.spec.words)
        cleaned = " ".join(str(text).split()).casefold()
        if cleaned in words:
            return words[cleaned]
        kind = type(self.default)
        try:
            value = kind(cleaned) if kind in (int, str) else float(cleaned)
        except ValueError:
            raise OptionError(
                f"{self.spec.label} {str(text)[:20]!r} is not a value it takes", fix=f"choose {self.allowed}"
            ) from None
        self.check(value)
        return value

    def check(self, value: Any) -> None:
        """The one place a value is refused."""
        s = self.spec
        if s.choices:
            ok = value in [v for v, _ in s.choices]
        elif s.low is None and s.high is None:  # any value of its kind (a word, a name)
            ok = isinstance(value, type(self.default))
        else:
            ok = isinstance(value, int | float) and value == value  # not NaN
            ok = ok and (s.low is None or value >= s.low) and (s.high is None or value <= s.high)
        if not ok:
            raise self.refusal(value)

    def refusal(self, value: object) -> OptionError:
        shown = _number(value) if isinstance(value, int | float) else str(value)[:20]
        return OptionError(
            f"{self.spec.label} {shown} is out of range", fix=f"choose {self.allowed}" + _also(self.spec.hint)
        )

    def offered(self) -> list[tuple[str, str]]:
        """(value as the desk sends it, plain label) of each value the desk lists; [] = a number box."""
        s = self.spec
        if s.offered:
            return [(_number(v), self.label_of(v)) for v in s.offered]
        if s.choices:
            return [(_number(v), label) for v, label in s.choices]
        if s.words:
            return [(w, w.capitalize()) for w, _ in s.words]
        if isinstance(self.default, int) and s.low is not None and s.high is not None and s.high - s.low < 12:
            return [(str(v), self.label_of(v)) for v in range(int(s.low), int(s.high) + 1)]
        return []

    def label_of(self, value: Any) -> str:
        """A value as people read it: "24 points", "contracted (grade 2)"."""
        for v, label in self.spec.choices:
            if v == value:
                return label
        return _number(value) + (f" {self.spec.unit}" if self.spec.unit else "")


def _also(hint: str) -> str:
    return f"; {hint}" if hint else ""


def _number(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def declared(record: type | object) -> list[Declared]:
    """Every option a person may choose in an options record (class or instance), in field order."""
    found = fields(record)  # type: ignore[arg-type]
    return [Declared(f.name, f.default, f.metadata[KEY]) for f in found if KEY in f.metadata]


def find(record: type | object, name: str) -> Declared:
    return next(d for d in declared(record) if d.name == name)


def check_all(options: object) -> None:
    """Refuse an options record with any declared value out of its range (Options.__post_init__)."""
    for d in declared(options):
        d.check(getattr(options, d.name))


def name_parts(options: object, usual: object, used: Iterable[str]) -> tuple[str, ...]:
    """Each declared option among `used` that differs from `usual`, written as its `name` says
    ("24pt", "120wpm", "grade1", "32x25"); an option without a name template is not in file names."""
    parts: list[str] = []
    for d in _among(options, used):
        if d.spec.name and getattr(options, d.name) != getattr(usual, d.name):
            part = d.spec.name.format(**_values(options))
            if part not in parts:
                parts.append(part)
    return tuple(parts)


def labels(options: object, usual: object, used: Iterable[str]) -> tuple[str, ...]:
    """How a copy's options are labelled for people: "24 pt", "120 words a minute", "grade 1"."""
    parts: list[str] = []
    for d in _among(options, used):
        if d.spec.shown and (d.spec.always_shown or getattr(options, d.name) != getattr(usual, d.name)):
            part = d.spec.shown.format(**_values(options))
            if part not in parts:
                parts.append(part)
    return tuple(parts)


def from_file_name(usual: object, used: Iterable[str], name: str) -> dict[str, Any]:
    """The options a file name says (the inverse of `name_parts`: "x.pl.24pt.pdf" -> {"size": 24.0});
    an option whose template matches no dot-separated part of the name is at its usual value."""
    found: dict[str, Any] = {}
    for d in _among(usual, used):
        match = d.spec.name and re.search(r"(?<=\.)" + _pattern(d.spec.name).pattern + r"(?=\.)", name)
        if match:
            for field_name, text in match.groupdict().items():
                kind = type(getattr(usual, field_name))
                with contextlib.suppress(ValueError):  # a word where a number belongs: not this option
                    found[field_name] = kind(float(text)) if kind in (int, float) else text
    return found


def _pattern(template: str) -> re.Pattern[str]:
    """A name template as a pattern: "{size:g}pt" matches "24pt" and "16.5pt"."""
    out, seen = [], set()
    for literal, name, _spec, _conv in string.Formatter().parse(template):
        out.append(re.escape(literal))
        if name is not None:
            out.append(f"(?P={name})" if name in seen else f"(?P<{name}>[0-9]+(?:\\.[0-9]+)?|[a-z]+)")
            seen.add(name)
    return re.compile("".join(out))


def _among(options: object, used: Iterable[str]) -> Iterator[Declared]:
    wanted = set(used)
    return (d for d in declared(options) if d.name in wanted)


def _values(options: object) -> dict[str, Any]:
    return {f.name: getattr(options, f.name) for f in fields(options)}  # type: ignore[arg-type]
