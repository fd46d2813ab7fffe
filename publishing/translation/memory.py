"""Translation memory: suggestions for new entries from every other catalog of the same language.

A trust's leaflets share much of their text (preparation, after-care, risks, contact details).
When `update` or `init` makes an entry that has no translation yet, the memory offers the
translation of the same English (exact) or of a close sentence (difflib's ratio over the words
and marks of the two, >= THRESHOLD)
from another catalog of that language. A suggestion is always fuzzy, so it is never published
until a translator has looked at it, and carries a translator comment naming its origin; for a
close match the English it translates is shown as the previous msgid (`#|`), so Poedit, Lokalize
and Weblate show the difference. An entry with any translation is never touched.

Nothing is laundered through the memory: a translation that fails the checks against its own
English (leaflets.checks: an error) is never offered, and an offered one is checked against the
new English, each error it has there written into its comment ("6 in the source, 4 in the
translation"), so the translator sees what to change before clearing the fuzzy flag.

Lookups must stay fast for a whole library (200 leaflets x 10 languages): exact matches by
dictionary; close ones from few candidates, those with the same words once numbers are set aside
(the commonest near-duplicate in clinical text: "6 hours" / "4 hours"), else those sharing the
query's rarest words, and difflib's cheap upper bounds before its ratio.
"""

from __future__ import annotations

import heapq
import operator
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cached_property, lru_cache
from pathlib import Path

import polib

from leaflets import catalogs, locales
from leaflets.errors import LeafletError
from leaflets.files import write_atomic
from leaflets.project import Project

from . import retired

THRESHOLD = 0.8  # below this a suggestion costs the translator more than it saves
GOOD = 0.95  # a candidate this close ends the search (candidates come most alike first)
COMMENT = "translation memory:"  # start of the translator comment on every suggestion
_RAREST = 3  # words of a query used to find candidates
_CANDIDATES = 4  # candidates compared with difflib, most shared words first
_WORD = re.compile(r"[^\W\d_]{4,}")  # the words worth indexing: four letters or more
_TOKEN = re.compile(r"\w+|[^\w\s]")
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
    withheld: int = 0  # suggestions not offered: their own translation fails the checks

    def add(self, other: Counts) -> None:
        self.exact, self.close = self.exact + other.exact, self.close + other.close
        self.looked_up += other.looked_up
        self.withheld += other.withheld


def _skeleton(text: str) -> str:
    """The English with its numbers set aside: "Wait 6 hours." and "Wait 4 hours." share one."""
    return _NUMBER.sub("#", text.lower())


@dataclass
class Memory:
    """Every usable (translated, not fuzzy) singular entry of one language's catalogs."""

    units: list[Unit] = field(default_factory=list)

    def __post_init__(self) -> None:
        first: dict[str, int] = {}
        for unit in self.units:
            first.setdefault(unit.origin, len(first))
        self.units.sort(key=lambda u: first[u.origin])  # each catalog's units together, in order
        self._spans: dict[str, range] = {}
        self._exact: dict[str, list[Unit]] = {}
        self._skeletons: dict[str, list[int]] = {}
        for number, unit in enumerate(self.units):
            span = self._spans.get(unit.origin)
            self._spans[unit.origin] = range(span.start if span else number, number + 1)
            self._exact.setdefault(unit.source, []).append(unit)
            self._skeletons.setdefault(_skeleton(unit.source), []).append(number)
        self._tokens: dict[int, list[str]] = {}

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
        query = _TOKEN.findall(source)
        # the same words, only numbers differ: the first from another catalog is as good as any
        same = next((n for n in self._skeletons.get(_skeleton(source), ()) if self.units[n].origin != exclude), None)
        found = self._best(query, [same]) if same is not None else None
        return found or self._best(query, self._sharing_rare_words(source, exclude))

    def _best(self, query: list[str], candidates: Iterable[int]) -> Suggestion | None:
        """The candidate closest to the query's tokens, at least THRESHOLD; the first from GOOD."""
        best: Suggestion | None = None
        matcher: SequenceMatcher | None = None
        for number in candidates:
            if number not in self._tokens:
                self._tokens[number] = _TOKEN.findall(self.units[number].source)
            tokens = self._tokens[number]
            if query and len(tokens) == len(query):  # a word or number swapped: alike without difflib
                alike = sum(map(operator.eq, tokens, query)) / len(query)
                if alike >= GOOD:
                    return Suggestion(unit=self.units[number], score=min(alike, 0.99))
            if matcher is None:
                matcher = SequenceMatcher(None, autojunk=False)
                matcher.set_seq2(query)
            matcher.set_seq1(tokens)
            floor = best.score if best else THRESHOLD
            if matcher.real_quick_ratio() >= floor and matcher.quick_ratio() >= floor:
                score = min(matcher.ratio(), 0.99)  # same words, other spacing: still not the same English
                if score >= floor and (best is None or score > best.score):
                    best = Suggestion(unit=self.units[number], score=score)
                    if score >= GOOD:
                        break
        return best

    @cached_property
    def _words(self) -> dict[str, list[int]]:
        """Word -> the units it is in (made at the first lookup that needs it)."""
        index: defaultdict[str, list[int]] = defaultdict(list)
        words = _WORD.findall
        for number, unit in enumerate(self.units):
            for word in set(words(unit.source.lower())):
                index[word].append(number)
        return dict(index)

    def _sharing_rare_words(self, source: str, exclude: str) -> list[int]:
        """Units from catalogs other than `exclude` that have the query's rarest words (rarest
        among those other catalogs have at all): those with all _RAREST of them, else most."""
        index, own = self._words, self._spans.get(exclude, range(0))
        words = [w for w in set(_WORD.findall(source.lower())) if w in index]
        words = sorted(
            (w for w in words if not (index[w][0] in own and index[w][-1] in own)), key=lambda w: len(index[w])
        )[:_RAREST]
        if not words:
            return []
        every = set(index[words[0]]).intersection(*(index[w] for w in words[1:]))
        every.difference_update(own)
        if every:
            return heapq.nsmallest(_CANDIDATES, every)
        hits: Counter[int] = Counter()
        for word in words:
            hits.update(index[word])
        for number in own:
            hits.pop(number, None)
        return [n for n, _ in hits.most_common(_CANDIDATES)]

    def fill(self, po: polib.POFile, domain: str, code: str = "") -> Counts:
        """Suggest a translation for every entry of `po` that has none; never touch one that has.
        code: the catalogs' locale (else the PO's Language header), for the checks."""
        counts = Counts()
        code = code or po.metadata.get("Language", "")
        for entry in po:
            if entry.obsolete or entry.msgid_plural or not entry.msgid or entry.msgstr:
                continue
            counts.looked_up += 1
            found = self.suggest(entry.msgid, exclude=f"{domain}.po")
            if found is None:
                continue
            if code and _errors(found.unit.source, found.unit.target, code):
                counts.withheld += 1
                continue
            entry.msgstr = found.unit.target
            if "fuzzy" not in entry.flags:
                entry.flags.insert(0, "fuzzy")
            here = _errors(entry.msgid, found.unit.target, code) if code and found.score < 1.0 else ()
            comment = found.comment + "".join(f"; against this English: {e}" for e in here)
            entry.tcomment = "\n".join(line for line in (entry.tcomment, comment) if line)
            if found.score < 1.0:
                entry.previous_msgctxt, entry.previous_msgid = None, found.unit.source
                counts.close += 1
            else:
                counts.exact += 1
        return counts


@lru_cache(maxsize=4096)
def _errors(source: str, target: str, code: str) -> tuple[str, ...]:
    """The check errors of a translation, as "numbers: 6 in the source, 4 in the translation"."""
    from leaflets import checks

    try:
        found = checks.check_entry(source, target, code)
    except LeafletError:  # a locale the checks do not know: nothing to say
        return ()
    return tuple(f"{f.check}: {f.message}" for f in found if f.severity == checks.ERROR)


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
    found = Memory.of({**retired.catalogs_of(project, code), **language(project.locales_dir, code, project.domains())})
    if not found.units:
        raise LeafletError(f"{code} has no finished translations yet", fix="translate and clear the fuzzy flags first")
    paths = [Path(out_dir) / f"{code}.po", Path(out_dir) / f"{code}.tmx"]
    tags = (locales.SOURCE_LOCALE.tag, locales.info(code).tag)
    for path, data in zip(paths, (catalogs.po_bytes(compendium(found, code)), tmx(found, *tags)), strict=True):
        with catalogs.locked(path):
            write_atomic(path, data)
    return paths
