"""Catalog integrity, as `msgfmt --check` sees it: faults that make gettext tools refuse a catalog
or print the wrong string, whatever the translation says.

* a msgid defined twice (with the same msgctxt): which one is printed is an accident;
* a translated plural entry with more or fewer msgstr[N] than the header's nplurals: a missing form makes
  gettext reuse another ("5 punkty" for "5 punktów");
* a translated msgstr that does not begin and end with a newline exactly when its msgid does.

The Plural-Forms header itself is validated when the catalog is loaded (catalogs.load). Faults
are found here once and used by both `check` (errors) and `build` (catalogs.load refuses the
catalog), so the two agree on what is publishable.
"""

from __future__ import annotations

from dataclasses import dataclass

import polib


@dataclass(frozen=True)
class Fault:
    line: int
    what: str
    fix: str


def msgid_lines(text: str) -> dict[int, int]:
    """polib's entry line (its first comment) -> the line of its msgid, which editors want."""
    out, start = {}, None
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            start = None
            continue
        if start is None:
            start = number
        if line.startswith("msgid "):
            out[start] = number
    return out


def faults(po: polib.POFile, nplurals: int, lines: dict[int, int] | None = None) -> list[Fault]:
    """Every integrity fault of a loaded catalog; lines maps polib's entry line to its msgid's."""
    lines = lines or {}
    out: list[Fault] = []
    seen: dict[tuple[str, str], int] = {}
    for entry in po:
        if entry.obsolete:
            continue
        line = lines.get(entry.linenum, entry.linenum)
        key = (entry.msgctxt or "", entry.msgid)
        if key in seen:
            out.append(
                Fault(
                    line,
                    f"duplicate message definition (first defined at line {seen[key]})",
                    "delete one of the two entries: msgfmt refuses a file with both",
                )
            )
            continue
        seen[key] = line
        strings = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if "fuzzy" in entry.flags or not any(strings):
            continue  # msgfmt skips what is not translated
        if entry.msgid_plural:
            forms = sorted(entry.msgstr_plural)
            if forms != list(range(nplurals)):
                out.append(
                    Fault(
                        line,
                        f"plural entry has {len(forms)} form(s) (msgstr[{']['.join(map(str, forms))}]), "
                        f"the Plural-Forms header says nplurals={nplurals}",
                        f"give exactly msgstr[0] to msgstr[{nplurals - 1}]",
                    )
                )
        for text in (s for s in strings if s):
            for where, test in (("begin", str.startswith), ("end", str.endswith)):
                if test(entry.msgid, "\n") != test(text, "\n"):
                    out.append(
                        Fault(
                            line,
                            f"msgid and msgstr do not both {where} with a newline (\\n)",
                            f"make the translation {where} as the English does",
                        )
                    )
    return out
