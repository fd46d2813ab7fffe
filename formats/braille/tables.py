"""Which liblouis table writes which language: chosen by the tables' own metadata, not a hand list.

liblouis tables declare `#+language:`, `#+type:`, `#+contraction:`, `#+grade:`, `#+system:` ...;
`lou_findTable` answers a query over them. We ask for a *literary* code (never computer braille,
which is what liblouis has for Romanian: 8-dot, which a BRF file cannot hold), contracted for
grade 2 where the language has a contracted code whose numbers read back exactly, else its
uncontracted one. Two facts liblouis cannot know are kept here: the UK's English code is Unified English Braille (liblouis's en-GB
tables are the older British code), and Chinese is tagged by the spoken language (Mandarin,
`cmn`) whose established code is "current braille" (zhcn-g1), not the two-cell system.

A machine without the tables is not a language without a code: `installed()` tells them apart,
so a missing table fails the build with the package to install (InstallationError).
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from leaflets.errors import InstallationError
from leaflets.model import LocaleInfo

from . import louis

PACKAGE = "liblouis-data"
DEBIAN_TABLES = Path("/usr/share/liblouis/tables")
DISPLAY = "en-us-brf.dis"  # BRF: North American Braille ASCII, what embossers and braille notetakers read

# liblouis's language tag where it differs from the locale's ISO 639-1 language
LANGUAGE = {"zh": "cmn"}  # written Standard Chinese, read in Mandarin (as the audio voices do)
# the braille system a country's readers use, where a language has several in liblouis
SYSTEM = {"en": "ueb", "cmn": "cmn-traditional"}

# metadata asked for, most wanted first, per requested grade
_WANTED = {
    2: ("contraction:full", "contraction:partial", "contraction:no", "grade:1", ""),
    1: ("contraction:no", "grade:1", ""),
}


@dataclass(frozen=True)
class Code:
    """One braille code: the table list liblouis is given, and how to name it for readers."""

    tables: str  # liblouis table list, e.g. "/usr/share/liblouis/tables/en-ueb-g2.ctb"
    name: str  # "Unified English contracted braille"
    contracted: bool
    missing: str = ""  # what of it is not installed: `check` raises InstallationError saying so

    def check(self) -> None:
        if self.missing:
            raise InstallationError(self.missing, fix=f"make debs (reinstall Debian package {PACKAGE})")

    @property
    def files(self) -> tuple[Path, ...]:
        """Every table file the code reads, includes too (for fingerprints)."""
        return tuple(sorted({f for table in self.tables.split(",") for f in _closure(Path(table))}))


def table_dirs() -> list[Path]:
    """Where liblouis looks for tables: LOUIS_TABLEPATH if set (then only there), else Debian's directory."""
    env = os.environ.get("LOUIS_TABLEPATH", "")
    return [Path(p) for p in env.split(",") if p] if env else [DEBIAN_TABLES]


def installed() -> bool:
    """True if liblouis and its tables are on the machine (else no answer about codes can be trusted)."""
    try:
        louis.version()
    except InstallationError:
        return False
    return any((d / DISPLAY).is_file() for d in table_dirs())


def require_installed() -> None:
    louis.version()  # the library itself: InstallationError naming liblouis20
    if not any((d / DISPLAY).is_file() for d in table_dirs()):
        where = ", ".join(map(str, table_dirs()))
        raise InstallationError(
            f"the liblouis braille tables are not installed (no {DISPLAY} in {where})",
            fix=f"make debs (Debian package {PACKAGE})",
        )


def display_table() -> str:
    require_installed()
    return next(str(d / DISPLAY) for d in table_dirs() if (d / DISPLAY).is_file())


def code_for(locale: LocaleInfo, grade: int) -> Code | None:
    """The code for a locale at a grade (1 or 2), or None if liblouis has no literary code for it."""
    return _code_for(LANGUAGE.get(locale.language, locale.language), grade, tuple(table_dirs()))


@cache
def _code_for(language: str, grade: int, dirs: tuple[Path, ...]) -> Code | None:
    base = f"language:{language} type:literary" + (f" system:{SYSTEM[language]}" if language in SYSTEM else "")
    for wanted in _WANTED[grade]:
        table = louis.find_table(f"{base} {wanted}".strip())
        if table is None:
            continue
        contraction = louis.table_info(table, "contraction") or ""
        contracted = contraction in ("full", "partial") or louis.table_info(table, "grade") == "2"
        if (grade == 1 and contracted) or louis.table_info(table, "dots") == "8":
            continue
        if not louis.compiles(table):  # found by its metadata, but a file it includes is missing
            problem = f"the braille table {table} cannot be read (a file it includes is missing or damaged)"
            return Code(table, louis.table_info(table, "display-name") or Path(table).name, contracted, problem)
        if not _reads_back_numbers(table):
            continue
        name = louis.table_info(table, "display-name") or Path(table).name
        table_list, missing = _supplied(table)
        return Code(table_list, name, contracted, missing)
    return None


# Characters a leaflet needs that some codes lack, and the code that supplies them, for tables
# writing the scripts in `writes`: Latin letters for addresses and names (Urdu's tables have none:
# uncontracted UEB, the UK's English code, supplies them) and the danda, which Unicode encodes
# once for all the Indian scripts (Bengali's table lacks it; Bharati braille writes it alike in all
# of them, as the Hindi table does).
UEB_UNCONTRACTED = "language:en type:literary system:ueb contraction:no"
_INDIAN_KA = "".join(chr(0x0915 + 0x80 * k) for k in range(9))  # KA of Devanagari ... Malayalam
_SUPPLIES = (
    (
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ().,:/-%",
        "",
        UEB_UNCONTRACTED,
    ),
    ("\u0964\u0965", _INDIAN_KA, "language:hi type:literary"),
)


_NUMBERS = ("0123456789", "3", "13", "500", "2026")


def _reads_back_numbers(table: str) -> bool:
    """True if the table's braille for numbers reads back as the same digits. liblouis 3.24's Arabic
    contracted table writes 3 as the number sign and c, and reads that back as "ال": a code whose
    numbers can be misread is not used for a medical leaflet (the uncontracted one is)."""
    return all(_read_back(table, louis.translate(table, number)) == number for number in _NUMBERS)


_SEPARATORS = "-/:"  # not the decimal marks: "7,5" written as two numbers could be read as 7 and 5


@cache
def number_restarts(table: str) -> str:
    """The separators after which a number must be translated on its own to keep its number sign.

    Some tables write "1-2" as the number sign, 1, hyphen, 2, and liblouis reads that back as "1-b"
    (the Bharati codes: Bengali, Nepali, Punjabi): a reader may too. Where writing the second number
    on its own (with its own number sign) reads back right and the whole does not, we do so."""
    out = ""
    for sep in _SEPARATORS:
        whole = f"1{sep}2"
        if _read_back(table, louis.translate(table, whole)) == whole:
            continue
        if _read_back(table, louis.translate(table, f"1{sep}") + louis.translate(table, "2")) == whole:
            out += sep
    return out


def _read_back(table: str, cells: str) -> str:
    """What liblouis reads back from cells, every script's digits as ASCII (Arabic gives ٣ for 3)."""
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in louis.back_translate(table, cells))


def _supplied(table: str) -> tuple[str, str]:
    """The table list: the table, followed by those supplying what it lacks (liblouis keeps the first
    table's definitions); and what is missing, if a supplying table is not installed."""
    out, missing = [table], ""
    for probe, writes, query in _SUPPLIES:
        if writes and len(louis.undefined_characters(table, writes)) == len(writes):
            continue
        if louis.undefined_characters(table, probe):
            found = louis.find_table(query)
            if found is None:
                missing = f"no braille table answers {query!r} (it supplies what {table} lacks)"
            else:
                out.append(found)
    return ",".join(out), missing


def address_code() -> str:
    """The table web and e-mail addresses are written with in every language: uncontracted UEB."""
    return _english_g1(tuple(table_dirs()))


@cache
def _english_g1(dirs: tuple[Path, ...]) -> str:
    found = louis.find_table(UEB_UNCONTRACTED)
    if found is None:
        raise InstallationError("the Unified English Braille tables are missing", fix=f"make debs ({PACKAGE})")
    return found


_INCLUDE = re.compile(r"^\s*include\s+(\S+)", re.MULTILINE)


def _closure(table: Path) -> set[Path]:
    """A table file and every file it includes, recursively (liblouis looks beside the includer first)."""
    seen: set[Path] = set()
    todo = [table]
    while todo:
        path = todo.pop()
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        for name in _INCLUDE.findall(path.read_text(encoding="utf-8", errors="replace")):
            todo += [d / name for d in (path.parent, *table_dirs()) if (d / name).is_file()][:1]
    return seen
