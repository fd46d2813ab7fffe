"""Translation memory: suggestions for new entries from every other catalog of the same language.

A trust's leaflets share much of their text (preparation, after-care, risks, contact details).
When `update` or `init` makes an entry that has no translation yet, the memory offers the
translation of the same English (exact) or of a close sentence (difflib ratio >= THRESHOLD)
from another catalog of that language. A suggestion is always fuzzy, so it is never published
until a translator has looked at it, and carries a translator comment naming its origin; for a
close match the English it translates is shown as the previous msgid (`#|`), so Poedit, Lokalize
and Weblate show the difference. An entry with any translation is never touched.

Lookups must stay fast for a whole library (200 leaflets x 10 languages): exact matches by
dictionary; close ones from few candidates, those with the same words once numbers are set aside
(the commonest near-duplicate in clinical text: "6 hours" / "4 hours"), else those sharing the
query's rarest words, and difflib's cheap upper bounds before its ratio.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

import polib

from leaflets import catalogs, locales
from leaflets.errors import LeafletError
from leaflets.project import Project

THRESHOLD = 0.8  # below this a suggestion costs the translator more than it saves
COMMENT = "translation memory:"  # start of the translator comment on every suggestion
_RAREST = 3  # words of a query used to find candidates
_CANDIDATES = 8  # candidates compared with difflib, best first
_WORD = re.compile(r"\w+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass(frozen=True)
class Unit:
    """One reviewed translation: English, its translation, and the catalog it is in."""

    source: str
    target: str
    origin: str  # the catalog's file name, e.g. RAD_0009.po


@dataclass(frozen=True)
class Suggestion:
    unit: Unit
    score: float  # 1.0 for an exact match

    @property
    def comment(self) -> str:
        how = "exact match" if self.score == 1.0 else f"{int(self.score * 100)}% match"
        return f"{COMMENT} {how} in {self.unit.origin}"


@dataclass
class Counts:
    """What a fill did, for the command line and the benchmark."""

    exact: int = 0
    close: int = 0
    looked_up: int = 0

    def add(self, other: Counts) -> None:
        self.exact, self.close = self.exact + other.exact, self.close + other.close
        self.looked_up += other.looked_up


def _skeleton(text: str) -> str:
    return " ".join(_WORD.findall(_NUMBER.sub("#", text.lower())))


@dataclass
class Memory:
    """Every usable (translated, not fuzzy) singular entry of one language's catalogs."""

    units: list[Unit] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._exact: dict[str, list[Unit]] = {}
        self._skeletons: dict[str, list[int]] = {}
        self._words: dict[str, list[int]] = {}
        for number, unit in enumerate(self.units):
            self._exact.setdefault(unit.source, []).append(unit)
            self._skeletons.setdefault(_skeleton(unit.source), []).append(number)
            for word in set(_WORD.findall(unit.source.lower())):
                self._words.setdefault(word, []).append(number)

    @classmethod
    def of(cls, pos: Mapping[str, polib.POFile]) -> Memory:
        """The memory of a language from its catalogs, domain -> PO (common.po first, then by name)."""
        order = sorted(pos, key=lambda d: (d != catalogs.COMMON, d))
        return cls(
            [
                Unit(e.msgid, e.msgstr, f"{domain}.po")
                for domain in order
                for e in pos[domain]
                if not e.msgid_plural and e.msgid and catalogs.usable(e)
            ]
        )

    def suggest(self, source: str, exclude: str = "") -> Suggestion | None:
        """The best translation of `source` from a catalog other than `exclude`, or None."""
        for unit in self._exact.get(source, ()):
            if unit.origin != exclude:
                return Suggestion(unit, 1.0)
        matcher = SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(source)
        best: Suggestion | None = None
        for number in self._candidates(source):
            unit = self.units[number]
            if unit.origin == exclude:
                continue
            matcher.set_seq1(unit.source)
            floor = best.score if best else THRESHOLD
            if matcher.real_quick_ratio() >= floor and matcher.quick_ratio() >= floor:
                score = matcher.ratio()
                if score >= floor and score < 1.0 and (best is None or score > best.score):
                    best = Suggestion(unit, score)
        return best

    def _candidates(self, source: str) -> list[int]:
        same = self._skeletons.get(_skeleton(source))
        if same:
            return same[:_CANDIDATES]
        words = sorted(set(_WORD.findall(source.lower())), key=lambda w: len(self._words.get(w, ())))
        hits: Counter[int] = Counter()
        for word in [w for w in words if w in self._words][:_RAREST]:
            hits.update(self._words[word])
        return [number for number, _ in hits.most_common(_CANDIDATES)]

    def fill(self, po: polib.POFile, domain: str) -> Counts:
        """Suggest a translation for every entry of `po` that has none; never touch one that has."""
        counts = Counts()
        for entry in po:
            if entry.obsolete or entry.msgid_plural or not entry.msgid or entry.msgstr:
                continue
            counts.looked_up += 1
            found = self.suggest(entry.msgid, exclude=f"{domain}.po")
            if found is None:
                continue
            entry.msgstr = found.unit.target
            if "fuzzy" not in entry.flags:
                entry.flags.insert(0, "fuzzy")
            entry.tcomment = "\n".join(line for line in (entry.tcomment, found.comment) if line)
            if found.score < 1.0:
                entry.previous_msgctxt, entry.previous_msgid = None, found.unit.source
                counts.close += 1
            else:
                counts.exact += 1
        return counts


def language(locales_dir: Path, code: str, domains: Iterable[str]) -> dict[str, polib.POFile]:
    """Domain -> loaded catalog, for the domains of a language that have a catalog."""
    paths = {d: catalogs.po_path(locales_dir, code, d) for d in domains}
    return {d: catalogs.load(p) for d, p in paths.items() if p.exists()}


def compendium(memory: Memory, code: str) -> polib.POFile:
    """One PO of every translation in the memory (msgmerge --compendium's input, Weblate's and
    Poedit's translation-memory import): the first translation of each English, its origins in
    a comment."""
    po = polib.POFile(wrapwidth=catalogs.WRAP)
    po.header = f"Translation memory of language {code}: every finished (translated, not fuzzy) entry of its catalogs."
    po.metadata = {
        "Project-Id-Version": "compendium",
        "Language": code,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    seen: dict[str, polib.POEntry] = {}
    for unit in memory.units:
        entry = seen.get(unit.source)
        if entry is None:
            entry = seen[unit.source] = polib.POEntry(msgid=unit.source, msgstr=unit.target, tcomment="")
            po.append(entry)
        if unit.target == entry.msgstr:
            entry.tcomment = "\n".join(line for line in (entry.tcomment, f"from {unit.origin}") if line)
    return po


def tmx(memory: Memory, source_tag: str, target_tag: str) -> bytes:
    """The memory as TMX 1.4 (translate-toolkit's writer), for agencies' tools and Weblate."""
    from translate.storage.tmx import tmxfile

    store = tmxfile(sourcelanguage=source_tag, targetlanguage=target_tag)
    seen: set[tuple[str, str]] = set()
    for unit in memory.units:
        if (unit.source, unit.target) in seen:
            continue
        seen.add((unit.source, unit.target))
        tu = store.addsourceunit(unit.source)
        tu.target = unit.target
        tu.addnote(f"from {unit.origin}")
    return bytes(store)


def write(project: Project, code: str, out_dir: Path) -> list[Path]:
    """out_dir/<code>.po (compendium) and out_dir/<code>.tmx: the whole memory of a language."""
    from . import workflow

    found = Memory.of(language(project.locales_dir, code, workflow.domains(project)))
    if not found.units:
        raise LeafletError(f"{code} has no finished translations yet", fix="translate and clear the fuzzy flags first")
    paths = [Path(out_dir) / f"{code}.po", Path(out_dir) / f"{code}.tmx"]
    catalogs.write_atomic(paths[0], catalogs.po_bytes(compendium(found, code)))
    catalogs.write_atomic(paths[1], tmx(found, locales.SOURCE_LOCALE.tag, locales.info(code).tag))
    return paths
