"""What a build must make: each artifact's path and fingerprint, and which are already made.

The plan is cheap so that a no-op build is: input files are hashed once and then known by
their stat (`stamps.Hashes`), a writer's code is known by its files' stats, and a writer's
external inputs (fonts, voices: `Writer.inputs`, which may load font tables or locale data)
are asked once per writer and locale and kept in the build state, keyed by the writer's code
and by the installed packages (dpkg's status file, Python's site-packages). Nothing here
imports a writer's rendering code or the speech engine.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import formats
from leaflets import catalogs, locales, pictures
from leaflets.errors import InstallationError, Kind, LeafletError
from leaflets.project import Project
from leaflets.vocabulary import Target

from . import buildstate, stamps

# Debian's package database and Python's: installing or upgrading anything changes their stat.
ENVIRONMENT = ("/var/lib/dpkg/status", *sorted({p for p in sys.path if p.endswith("-packages")}))
HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Item:
    """One artifact to consider: where it goes and what its bytes depend on."""

    target: Target
    path: Path
    fingerprint: str
    text: str = ""  # what it says comes from (`text_hash`): the catalogue's "out of date"


@dataclass
class Plan:
    todo: dict[tuple[str, str], list[Item]] = field(default_factory=dict)  # by (leaflet, locale)
    done: list[tuple[Item, buildstate.Record]] = field(default_factory=list)  # up to date, as last recorded
    failed: list[tuple[Item, str, str]] = field(default_factory=list)  # cannot be planned: (item, reason, kind)
    fingerprints: Fingerprints | None = None

    def code_version(self, names: tuple[str, ...]) -> str:
        return self.fingerprints.code_version(names) if self.fingerprints else ""


def artifact_path(out_dir: Path, source: Path, target: Target, options: formats.Options, draft: bool) -> Path:
    """build/<ID>/<locale>/<ID>-<slug>.<locale>[.draft][.24pt][.120wpm][.grade1][.32x25].<ext>: drafts never
    share a release's name, and a copy made with other options never overwrites the usual one."""
    writer = formats.get(target.format)
    parts = [source.stem, target.locale, *(["draft"] if draft else []), *writer.name_parts(options)]
    name = ".".join(parts) + "." + writer.extension
    return Path(os.path.join(out_dir, target.leaflet, target.locale, name))  # one Path: this runs per artifact


class Fingerprints:
    """Everything an artifact's bytes depend on (not the build date: a rebuild only because a
    day passed would churn every file)."""

    def __init__(self, project: Project, state: buildstate.BuildState, draft: bool, release: bool):
        self.project, self.state, self.draft, self.release = project, state, draft, release
        self.hashes = state.hashes
        # the core, and the task that drives the writers
        self.core = core_code(self.hashes)
        self.shared = self.hashes.of(project.common_path)
        self.locales_dir = str(project.locales_dir)
        self.environment = json.dumps([sys.version, *stamps.stat_key(list(ENVIRONMENT))])
        self._writers: dict[str, str] = {}

    def writer_code(self, name: str) -> str:
        if name not in self._writers:
            self._writers[name] = writer_code(self.hashes, name)
        return self._writers[name]

    def code_version(self, names: tuple[str, ...]) -> str:
        """What a job's worker must run: checked there (`tasks.render`), so a cluster machine with
        another version of the pipeline refuses rather than making other bytes."""
        return code_version(self.core, [self.writer_code(n) for n in names])

    def writer_inputs(self, name: str, code: str) -> str:
        """The writer's external inputs for a locale, from the state unless its code or the
        installed packages changed since they were asked for."""
        key = hashlib.sha256(f"{self.environment}\0{self.writer_code(name)}".encode()).hexdigest()
        facts = self.state.writers.get(name)
        if facts is None or facts["key"] != key:
            facts = self.state.writers[name] = {"key": key, "inputs": {}}
            self.state.changed = True
        known = facts["inputs"].get(code)
        if not (isinstance(known, list) and len(known) == 2 and stamps.stat_key(_files(known[1])) == known[1]):
            inputs = formats.get(name).inputs(locales.info(code))
            known = facts["inputs"][code] = [repr(inputs), stamps.stat_key(_files(inputs))]
            self.state.changed = True
        return str(known[0])

    def of(self, target: Target, options: formats.Options) -> str:
        parts = [
            self._inputs(target.leaflet, target.locale),
            self._writer(target.format, options),
            self.writer_inputs(target.format, target.locale),
        ]
        if self.release:  # expiry is judged by month
            parts.append(f"{options.build_date:%Y-%m}")
        return buildstate.fingerprint(parts)

    @cache  # noqa: B019 (one instance per build: the cache goes with it)
    def _inputs(self, lid: str, code: str) -> str:
        """What every format of a (leaflet, locale) depends on: source, shared strings, catalogs, core."""
        source, shared, *catalogs_ = (self.hashes.of(f) for f in text_files(self.project, lid, code))
        pictures_ = [self.hashes.of(p) for p in picture_files(self.project, lid, code, self._picture_names(lid))]
        return buildstate.fingerprint([source, shared, self.core, *catalogs_, *pictures_])

    @cache  # noqa: B019
    def text(self, lid: str, code: str) -> str:
        return text_hash(self.hashes, self.project, lid, code, self._picture_names(lid))

    @cache  # noqa: B019
    def _picture_names(self, lid: str) -> list[str]:
        """The picture files the leaflet's source names (a byte scan, once per leaflet: no parsing)."""
        return pictures.referenced(self.project.source_files[lid].read_bytes())

    @cache  # noqa: B019
    def _writer(self, name: str, options: formats.Options) -> str:
        used = repr(list(formats.get(name).used_options(options)))
        return f"{self.writer_code(name)} {used} draft={self.draft} release={self.release}"


def text_files(project: Project, lid: str, code: str) -> list[str]:
    """What a (leaflet, locale) says comes from: the source, the shared strings, and in a
    translation its two catalogs (strings, not Paths: this runs for every leaflet and locale)."""
    found = [str(project.source_files[lid]), str(project.common_path)]
    if code != locales.SOURCE_CODE:
        folder = os.path.join(project.locales_dir, code, "LC_MESSAGES")
        found += [os.path.join(folder, f"{d}.po") for d in (lid, catalogs.COMMON)]
    return found


def picture_files(project: Project, lid: str, code: str, names: list[str] | None = None) -> list[str]:
    """The picture files a (leaflet, locale) shows (`pictures.paths`: the English ones and the
    language's own replacements), as paths; `names`: the source's picture names if known."""
    if names is None:
        try:
            names = pictures.referenced(project.source_files[lid].read_bytes())
        except OSError:  # no source: its hash says "absent" already
            names = []
    return [os.path.join(project.root, p) for p in pictures.paths(project.root, names, code)] if names else []


def text_hash(hashes: stamps.Hashes, project: Project, lid: str, code: str, names: list[str] | None = None) -> str:
    """The one rule for "has what it says changed": the content of its text files and of the
    pictures it shows (a picture with words says things too), not their times: a checkout or a
    copy changes those, an edit saved unchanged too. `names`: as for `picture_files`."""
    return hashes.of_files([*text_files(project, lid, code), *picture_files(project, lid, code, names)])


def core_code(hashes: stamps.Hashes) -> str:
    """The core and the task that drives the writers: a change redoes everything."""
    return hashes.of_files([*buildstate.core_files(), HERE / "tasks.py"])


def writer_code(hashes: stamps.Hashes, name: str) -> str:
    writer = formats.get(name)
    return hashlib.sha256(f"{name}\0{writer.version}\0{hashes.of_files(list(writer.code_files))}".encode()).hexdigest()


def code_version(core: str, writers: list[str]) -> str:
    return buildstate.fingerprint([core, *writers])


def _files(inputs: object) -> list[str]:
    """Every absolute file path named in a writer's inputs (or in their stat key), so that a
    font replaced by hand, not by a package, is seen too."""
    if isinstance(inputs, str):
        return [inputs] if inputs.startswith("/") else []
    if isinstance(inputs, (list, tuple)):
        return [path for part in inputs for path in _files(part)]
    return []


def plan(
    project: Project,
    targets: list[Target],
    out_dir: Path,
    options: formats.Options,
    draft: bool,
    release: bool,
    state: buildstate.BuildState,
) -> Plan:
    """Sort targets into up to date (as recorded) and to do (grouped by leaflet and locale)."""
    prints = Fingerprints(project, state, draft, release)
    out = Plan(fingerprints=prints)
    for target in targets:
        path = artifact_path(out_dir, project.source_files[target.leaflet], target, options, draft)
        try:
            item = Item(target, path, prints.of(target, options), prints.text(target.leaflet, target.locale))
        except LeafletError as exc:  # e.g. a writer's inputs cannot be found: the installation is broken
            kind = Kind.INSTALLATION if isinstance(exc, InstallationError) else Kind.OTHER
            out.failed.append((Item(target, path, ""), str(exc), kind))
            continue
        except Exception as exc:  # a bug in a writer's `inputs`: say where, plan the rest
            from .crashlog import line

            out.failed.append((Item(target, path, ""), line(exc, project.root), Kind.INTERNAL))
            continue
        previous = state.up_to_date(path, item.fingerprint)
        if previous is None:
            out.todo.setdefault((target.leaflet, target.locale), []).append(item)
        else:
            out.done.append((item, previous))
    return out
