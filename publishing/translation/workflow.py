"""The catalog workflow behind `extract`, `init`, `update` and `status`."""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polib

from leaflets import catalogs, locales, review, schedule, translate
from leaflets.collector import fewer_collections
from leaflets.errors import LeafletError
from leaflets.files import write_atomic
from leaflets.project import Project
from leaflets.version import version
from leaflets.vocabulary import Review

from ..engine import buildstate
from ..engine.stamps import load as load_cache
from . import memory, retired


def templates(project: Project) -> dict[str, polib.POFile]:
    """Domain -> POT, built from the sources."""
    return {domain: template(project, domain) for domain in project.domains()}


def template(project: Project, domain: str) -> polib.POFile:
    if domain == catalogs.COMMON:
        return catalogs.common_template(project.shared_strings, project.common_path, project.root)
    return catalogs.leaflet_template(project.leaflet(domain), project.root)


def extract(project: Project, warnings: list[str] | None = None) -> list[Path]:
    """Write the template of every source that changed, and remove those whose source is gone.

    Returns the files changed (none when the sources did not). A small cache of source and
    template fingerprints (.cache/extract.json) lets an unchanged source skip parsing. What an
    author should hear about a leaflet whose template changed (emphasised drug-like words not in
    `keep:`) is added to `warnings`, found in the same pass that parsed it.
    """
    cache_path = project.root / ".cache" / "extract.json"
    cache = load_cache(cache_path, _stamp_lists, _warn, "extraction cache") or {}
    sources = {**project.source_files, catalogs.COMMON: project.common_path}
    stamps = {
        domain: [
            buildstate.code_hash(),
            buildstate.file_hash(source),
            buildstate.file_hash(catalogs.template_path(project.locales_dir, domain)),
        ]
        for domain, source in sources.items()
    }
    stale = [domain for domain in sources if cache.get(domain) != stamps[domain]]
    changed = []
    for domain, data, said in _template_bytes(project, stale):
        path = catalogs.template_path(project.locales_dir, domain)
        if write_atomic(path, data):
            changed.append(path)
            if warnings is not None:
                warnings += said
        stamps[domain][2] = buildstate.file_hash(path)
    for orphan in sorted((project.locales_dir / catalogs.TEMPLATES).glob("*.pot")):
        if orphan.stem not in sources:
            orphan.unlink()
            changed.append(orphan)
    if stamps != cache:
        write_atomic(cache_path, json.dumps(stamps, indent=1).encode("utf-8"))
    return changed


def missing_catalogs(project: Project) -> list[Path]:
    """The catalogs `update` would create: a leaflet's, in each language that has none for it."""
    return [
        path
        for code in project.locale_codes()[1:]
        for domain in project.domains()
        if not (path := catalogs.po_path(project.locales_dir, code, domain)).exists()
    ]


def _stamp_lists(data) -> bool:
    return isinstance(data, dict) and all(isinstance(v, list) and len(v) == 3 for v in data.values())


def _warn(line: str) -> None:
    print(line, file=sys.stderr)


PARALLEL_FROM = 24  # below this many templates, starting workers costs more than it saves


def _template_bytes(project: Project, domains: list[str]) -> list[tuple[str, bytes, list[str]]]:
    """Each domain's POT bytes, made on every core when there are many (a library-wide
    re-extraction); forked workers are safe here, as extraction never starts the speech engine."""
    jobs = min(len(os.sched_getaffinity(0)), len(domains) // (PARALLEL_FROM // 2))
    if len(domains) < PARALLEL_FROM or jobs < 2:
        return _templates_of(project, domains)
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        parts = pool.starmap(_templates_of, [(project, domains[k::jobs]) for k in range(jobs)])
    return [item for part in parts for item in part]


def _templates_of(project: Project, domains: list[str]) -> list[tuple[str, bytes, list[str]]]:
    """Each domain's template bytes and its author warnings (the leaflet is parsed once for both)."""
    from leaflets.reader import drug_name_warnings

    return [
        (
            domain,
            catalogs.po_bytes(template(project, domain)),
            [] if domain == catalogs.COMMON else drug_name_warnings(project.leaflet(domain)),
        )
        for domain in domains
    ]


@dataclass
class Updated:
    """What `init` or `update` wrote, and what the translation memory suggested."""

    changed: list[Path] = field(default_factory=list)
    suggested: memory.Counts = field(default_factory=memory.Counts)


def init(project: Project, code: str) -> Updated:
    """Create a new locale's catalogs from the templates (never overwriting existing ones),
    with suggestions from the locale's other catalogs where some already exist."""
    if code == locales.SOURCE_CODE:
        raise LeafletError(f"{code!r} is the source language", fix="it needs no catalogs")
    locales.info(code)
    extract(project)
    missing = [d for d in project.domains() if not catalogs.po_path(project.locales_dir, code, d).exists()]
    if not missing:
        raise LeafletError(
            f"locale {code} already exists",
            catalogs.po_path(project.locales_dir, code, catalogs.COMMON).parent,
            fix="use `pipeline.py update` to bring it up to date",
        )
    done = Updated()
    seen = _stats(project, [code], project.domains())
    _update_language(project, code, memory.language(project.locales_dir, code, project.domains()), missing, done, seen)
    return done


def update(project: Project) -> Updated:
    """Re-extract, then merge the templates into every locale's catalogs (creating missing ones),
    filling entries that have no translation from the translation memory (as fuzzy suggestions).

    Every catalog is read before any is written, so a broken one stops the update unchanged.
    """
    extract(project)
    names = project.domains()
    codes = project.locale_codes()[1:]
    seen = _stats(project, codes, names)
    loaded = {code: memory.language(project.locales_dir, code, names) for code in codes}
    done = Updated()
    for code, pos in loaded.items():
        _update_language(project, code, pos, names, done, seen)
    return done


def _stats(project: Project, codes: list[str], names: list[str]) -> dict[Path, tuple[int, int, int] | None]:
    """Each catalog's stat before it is read, to see under its lock whether another command wrote it since."""
    paths = (catalogs.po_path(project.locales_dir, c, d) for c in codes for d in names)
    return {p: catalogs.stat_key(p) for p in paths}


def _update_language(
    project: Project,
    code: str,
    pos: dict[str, polib.POFile],
    names: list[str],
    done: Updated,
    seen: dict[Path, tuple[int, int, int] | None],
) -> None:
    """Merge (or create) the catalogs `names` of one locale; `pos` are its catalogs as they were
    read (when `seen`). Each is merged and written under its lock, from what is on disk then: a
    catalog another command (`import-xliff`, a sign-off, another `init`) wrote meanwhile is read again."""
    suggestions = memory.Memory.of({**retired.catalogs_of(project, code), **pos})  # withdrawn leaflets' too
    for domain in names:
        template = catalogs.template_path(project.locales_dir, domain)
        path = catalogs.po_path(project.locales_dir, code, domain)
        with catalogs.locked(path):
            old = pos.get(domain)
            if catalogs.stat_key(path) != seen.get(path):
                old = catalogs.load(path) if path.exists() else None
            if old is None:
                po = catalogs.new_catalog(catalogs.load(template), code, domain)
            else:
                po = catalogs.merge(old, path, template)
            done.suggested.add(suggestions.fill(po, domain, code))
            if old is None:
                data = catalogs.po_bytes(po)
            else:
                data = catalogs.po_bytes_keeping_layout(po, old, path.read_text(encoding="utf-8"))
            if write_atomic(path, data):
                done.changed.append(path)


@dataclass
class Counts:
    leaflet: str
    locale: str
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    translated_words: int = 0
    total_words: int = 0
    review: str = Review.UNREVIEWED
    suppressed: int = 0  # check findings silenced by ignore-* flags
    errors: int = 0  # check errors in the leaflet's catalog and common.po (leaflets.checks)
    warnings: int = 0
    started: bool = True  # False: the leaflet has no catalog in this language yet
    missing_shared: str = ""  # optional shared strings not translated (said in English), keys joined by ", "
    error: str = ""  # why the leaflet's source cannot be read
    # The shared catalog (common.po), which every leaflet of the locale needs: counted apart, so
    # that a leaflet's percentage is its own entries (an untouched new leaflet shows 0%).
    shared_translated: int = 0
    shared_total: int = 0
    version: str = ""  # the English's version (leaflets.version), printed on every copy

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent(self) -> float:
        return round(100.0 * self.translated / self.total, 1) if self.total else 100.0


def status(project: Project, leaflet_ids=None, codes=None) -> list[Counts]:
    """`_status`, reusing the rows of catalogs unchanged since they were last counted."""
    from .catalogcache import cached_status

    return cached_status(project, leaflet_ids, codes, _status, Counts)


def _status(project: Project, leaflet_ids=None, codes=None) -> list[Counts]:
    """Per leaflet x locale: entries and words translated, fuzzy and untranslated.

    Measured against the current templates (built from the sources), so a catalog that has
    not been updated since the source changed shows its new entries as untranslated. A leaflet
    whose source cannot be read gets rows saying why, and the others are still counted. A large
    library is counted on every core, each worker taking every n-th leaflet (forked, as for
    extraction: status never starts the speech engine); the findings they check are kept together.
    """
    from ..engine.checkcache import FindingsCache  # findings `check` and `build` found are not sought again

    ids = leaflet_ids or project.leaflet_ids()
    codes = [c for c in codes or project.locale_codes() if c != locales.SOURCE_CODE]
    memo = FindingsCache(project.root)
    jobs = min(len(os.sched_getaffinity(0)), len(ids) // (PARALLEL_FROM // 2))
    if len(ids) < PARALLEL_FROM or jobs < 2 or not codes or threading.active_count() > 1:  # no fork beside threads
        rows, broken = _rows(project, ids, codes, memo)
    else:
        rows, broken = {}, {}
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            parts = pool.starmap(_rows_apart, [(project, ids[k::jobs], codes) for k in range(jobs)])
        for part_rows, part_broken, fresh in parts:
            rows |= part_rows
            broken |= part_broken
            memo.keep(fresh)
    memo.save()
    return [rows.get((lid, code)) or Counts(lid, code, error=broken[lid]) for code in codes for lid in ids]


def _rows_apart(project: Project, ids: list[str], codes: list[str]) -> tuple[dict, dict, dict]:
    """`_rows` in a worker: its rows, its broken leaflets, and the findings it used or found."""
    from ..engine.checkcache import FindingsCache

    memo = FindingsCache(project.root, lambda _: None)  # the parent has said if the file is damaged
    with fewer_collections():
        rows, broken = _rows(project, ids, codes, memo)
    return rows, broken, memo.fresh


def _rows(project: Project, ids: list[str], codes: list[str], memo) -> tuple[dict, dict[str, str]]:
    """Each (leaflet, locale)'s counted row, and why each leaflet that cannot be read cannot."""
    from leaflets import checks  # checks read catalogs too; imported here to keep start-up light

    pots, broken = {catalogs.COMMON: template(project, catalogs.COMMON)}, {}
    for lid in ids:
        try:
            pots[lid] = template(project, lid)
        except LeafletError as exc:
            broken[lid] = str(exc)
    healthy = [lid for lid in ids if lid not in broken]
    found: dict[tuple[str, str], list] = {}
    versions = {lid: version(project.leaflet(lid)) for lid in healthy}  # once per leaflet, not per language
    commons: dict[str, polib.POFile | None] = {}  # each language's common.po, read once for all its leaflets
    rows: dict[tuple[str, str], Counts] = {}
    checked: dict[tuple[str, str], polib.POFile | None] = {}  # the catalog the checks just parsed

    def counted(lid: str, code: str) -> None:
        counts = rows[(lid, code)] = Counts(lid, code)
        counts.version = versions[lid]
        po = checked.pop((lid, code), None)
        _count(project, code, lid, pots, counts, commons, po)
        mine = found.get((lid, code), []) + found.get((catalogs.COMMON, code), [])
        counts.suppressed = sum(f.suppressed for f in mine)
        counts.errors = sum(not f.suppressed and f.severity == checks.ERROR for f in mine)
        counts.warnings = sum(not f.suppressed and f.severity != checks.ERROR for f in mine)

    def parsed(lid: str, code: str, po: polib.POFile | None) -> None:
        checked.clear()  # one at a time: counted as soon as it is checked
        checked[(lid, code)] = po

    for domain, code, findings in (
        checks.scan(project, healthy, codes, memo, on_parse=parsed) if healthy and codes else ()
    ):
        found[(domain, code)] = findings
        if domain != catalogs.COMMON:  # each language's common.po comes first
            counted(domain, code)
    for code in codes:
        for lid in healthy:
            if (lid, code) not in rows:  # no catalog in that language
                counted(lid, code)
    return rows, broken


def _count(
    project: Project,
    code: str,
    lid: str,
    pots: dict,
    counts: Counts,
    commons: dict[str, polib.POFile | None],
    po: polib.POFile | None = None,
) -> None:
    """Count one row; `po`: the leaflet's catalog as the checks parsed it (else it is read here)."""
    loaded = {}
    optional = {(s.key, s.text) for s in project.shared_strings if s.optional}
    missing = []
    used = translate.used_labels(project.leaflet(lid))
    for domain in (lid, catalogs.COMMON):
        path = catalogs.po_path(project.locales_dir, code, domain)
        if domain != catalogs.COMMON:
            loaded[domain] = po if po is not None else catalogs.load(path) if path.exists() else None
        else:  # read only below
            if code not in commons:
                commons[code] = catalogs.load(path) if path.exists() else None
            loaded[domain] = commons[code]
        entries = {catalogs.key(e): e for e in loaded[domain] or () if not e.obsolete}
        for t in pots[domain]:
            if domain == catalogs.COMMON and catalogs.key(t) in optional:  # not counted: never refuses a copy
                e = entries.get(catalogs.key(t))
                if e is None or not catalogs.usable(e):
                    missing.append(t.msgctxt)
                continue
            if domain == catalogs.COMMON and t.msgctxt in translate.WHEN_USED and t.msgctxt not in used:
                continue  # a shared string only leaflets with a table, a picture ... need
            e = entries.get(catalogs.key(t))
            if domain == catalogs.COMMON:
                counts.shared_total += 1
                counts.shared_translated += e is not None and catalogs.usable(e)
                continue
            words = len(t.msgid.split())
            counts.total_words += words
            if e is not None and catalogs.usable(e):
                counts.translated += 1
                counts.translated_words += words
            elif e is not None and "fuzzy" in e.flags:
                counts.fuzzy += 1
            else:
                counts.untranslated += 1
    counts.started = loaded[lid] is not None
    counts.missing_shared = ", ".join(missing)
    if loaded[lid] is not None and loaded[catalogs.COMMON] is not None:
        counts.review = str(review.state(loaded[lid], loaded[catalogs.COMMON], review.pictures_of(project, lid, code)))


@dataclass
class Due:
    """A leaflet whose review is due within the window asked for, or overdue."""

    leaflet: str
    title: str
    author: str
    next_review: str  # YYYY-MM
    standing: str  # "review due" or "overdue"
    days: int  # until it is due (0: this month), or since it fell overdue
    said: str  # the sentence `due` prints
    languages: dict[str, str]  # locale -> review state: the translations to check again after the review


def due(project: Project, today: date, within: int = schedule.WINDOW) -> tuple[list[Due], list[LeafletError]]:
    """The leaflets whose review falls within `within` days of `today` or is past, most overdue
    first, and the leaflets whose source (its dates among them) cannot be read."""
    found, broken = [], []
    for lid in project.leaflet_ids():
        try:
            leaflet = project.leaflet(lid)
        except LeafletError as exc:
            broken.append(exc)
            continue
        standing = schedule.review(leaflet.meta.next_review, today, within)
        if standing.standing == schedule.Standing.CURRENT:
            continue
        languages = {}
        for code in project.locale_codes()[1:]:
            path = catalogs.po_path(project.locales_dir, code, lid)
            if path.exists():
                languages[code] = review_of(project, code, lid)
        found.append(
            Due(
                lid,
                leaflet.meta.title.text,
                leaflet.meta.author,
                str(leaflet.meta.next_review),
                str(standing.standing),
                standing.days,
                str(standing),
                languages,
            )
        )
    overdue = schedule.Standing.OVERDUE
    found.sort(key=lambda d: (d.standing != overdue, -d.days if d.standing == overdue else d.days, d.leaflet))
    return found, broken


def review_of(project: Project, code: str, lid: str) -> str:
    """A translation's review state as `status` says it ("reviewed by ... on ...", "unreviewed");
    "source" for the English."""
    if code == locales.SOURCE_CODE:
        return str(Review.SOURCE)
    try:
        po, common = (catalogs.load(catalogs.po_path(project.locales_dir, code, d)) for d in (lid, catalogs.COMMON))
    except (LeafletError, OSError):
        return "unknown: its catalog cannot be read"
    return str(review.state(po, common, review.pictures_of(project, lid, code)))
