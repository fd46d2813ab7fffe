"""Importing documents into a project: one file, several, or whole folders.

Each document is converted in a staging folder inside source/ (hidden: the reader's `*.md` and
the desk never see it) and read back by the leaflet reader there, pictures included, so only a
leaflet that `extract` accepts is ever put in place; then its new pictures and its source are
renamed into place (never written through a link). A bad document is one line naming it and
leaves nothing behind; the rest are imported. Reports and the summary go to build/import/.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import tempfile
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path

import yaml

from leaflets import reader
from leaflets.errors import LeafletError
from leaflets.files import write_atomic
from leaflets.model import plain_text, segments
from leaflets.project import Project
from leaflets.vocabulary import State
from publishing.engine import crashlog, output
from publishing.engine.progress import Progress

from . import documents, fields, markdown
from .markdown import Writer
from .pictures import Pictures, content_index
from .report import Report, quote

TRUST_WIDE = ("organisation", "website")  # taken from the other leaflets when all of them agree
MAX_SLUG_WORDS = 6
STAGE_PREFIX = ".import-"


class Status(StrEnum):
    """What became of one document."""

    IMPORTED = "imported"
    REPLACED = "replaced"
    WOULD_IMPORT = "would import"  # --dry-run
    SKIPPED = "skipped"  # its code is in source/ already
    REFUSED = State.REFUSED  # the same word the build and the desk use for a refusal


class ImportRefused(LeafletError):
    """A request `import` cannot carry out (no such file, a source folder that is a link)."""


@dataclass
class Options:
    ident: str | None = None  # --id, for one document
    dry_run: bool = False
    replace: bool = False
    meta: dict[str, str] = field(default_factory=dict)  # --meta KEY=VALUE: for fields a document lacks


@dataclass
class Outcome:
    """What became of one document (a row of the summary)."""

    file: Path
    status: Status
    code: str = ""
    target: Path | None = None
    report: Report | None = None
    reason: str = ""

    @property
    def warnings(self) -> int:
        return self.report.warnings if self.report else 0


def documents_in(paths: list[Path]) -> list[Path]:
    """The files named, and every file under the folders named (sorted; hidden files, Word's
    `~$` lock files and links skipped: a link could lead out of the folder)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path):  # os.walk does not follow links to folders
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    file = Path(root) / name
                    if not name.startswith((".", "~$")) and not file.is_symlink():
                        out.append(file)
        elif path.exists():
            out.append(path)
        else:
            raise ImportRefused("no such file or folder", path)
    return out


def slug(title: str) -> str:
    """A file-name slug from a title: ASCII, lower case, at most MAX_SLUG_WORDS words."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())
    small = {"a", "an", "the", "and", "of", "for", "to", "your", "in", "on", "with", "after", "about"}
    chosen = [w for w in words if w not in small][:MAX_SLUG_WORDS] or words[:MAX_SLUG_WORDS]
    return "-".join(chosen) or "leaflet"


def trust_wide(project: Project) -> dict[str, str]:
    """Organisation and website when every leaflet in source/ gives the same one."""
    found: dict[str, Counter] = {key: Counter() for key in TRUST_WIDE}
    for path in project.source_files.values():
        try:
            text = path.read_text(encoding="utf-8")
            front = yaml.safe_load(text.split("\n---", 1)[0].removeprefix("---")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        for key in TRUST_WIDE:
            if isinstance(front, dict) and front.get(key):
                found[key][str(front[key])] += 1
    return {key: next(iter(c)) for key, c in found.items() if len(c) == 1}


def _safe_folder(folder: Path) -> None:
    """Refuse a folder (or one above it, inside the project) that is a link, before writing in it."""
    if folder.is_symlink():
        raise ImportRefused("is a symbolic link; import does not write through links", folder, fix="remove the link")


class Library:
    """One import run: the project, its known pictures and codes, the options."""

    def __init__(self, project: Project, options: Options):
        self.project, self.options = project, options
        self.source = project.source_dir
        self.images = self.source / "images"
        self.reports = project.root / "build" / "import"
        for folder in (self.source, self.images):
            _safe_folder(folder)
        _clear_stale_stages(self.source)
        self.known = content_index(self.images)
        self.defaults = trust_wide(project)
        self.codes: dict[str, Path] = {}  # codes imported in this run -> the document

    def run(self, paths: list[Path], stream=None, out=None) -> list[Outcome]:
        """Import every document; print each report to `out` and each refusal to `stream`."""
        files = documents_in(paths)
        if self.options.ident and len(files) != 1:
            raise ImportRefused(
                f"--id names one leaflet but {len(files)} documents were given", fix="import one file with --id"
            )
        progress = Progress(len(files), stream=stream, shown=(Status.IMPORTED, Status.REPLACED, Status.WOULD_IMPORT))
        outcomes = []
        for file in files:
            outcome = self.one(file)
            outcomes.append(outcome)
            if outcome.report is not None:
                status = f"{outcome.status}: {outcome.reason}" if outcome.reason else outcome.status
                text = outcome.report.text(str(outcome.target or ""), status)
                if progress.tty:  # the report goes above the bar, not after it on its line
                    progress.stream.write("\r\x1b[K")
                print(text, file=out)
                self.keep_report(outcome, text)
            if outcome.status in (Status.REFUSED, Status.SKIPPED):
                progress.message(f"{outcome.status}: {outcome.reason}")
            progress.step(str(file), outcome.status)
        progress.close()
        if len(files) > 1 or self.options.dry_run:
            self.keep_summary(outcomes)
        return outcomes

    def one(self, file: Path) -> Outcome:
        outcome = Outcome(file, Status.REFUSED, report=Report(str(file)))
        try:
            self.convert(outcome)
        except LeafletError as exc:
            if isinstance(exc, ImportRefused):
                raise
            outcome.status, outcome.reason = Status.REFUSED, str(exc)
            if outcome.report is not None and not (outcome.report.checks or outcome.report.missing):
                outcome.report = None  # refused before anything was read: the one line says it all
        except OSError as exc:  # a link where the source goes, a full disk: said plainly, and on
            outcome.status, outcome.report = Status.REFUSED, None
            outcome.reason = f"{file}: not written: {output.describe(exc)}"
        except Exception as exc:  # a bug met on one document must not stop the others: logged, said, and on
            outcome.status, outcome.report = Status.REFUSED, None
            outcome.reason = f"{file}: {crashlog.line(exc, self.project.root / 'build')}"
        return outcome

    def convert(self, outcome: Outcome) -> None:
        file, report = outcome.file, outcome.report
        assert report is not None
        with tempfile.TemporaryDirectory(prefix="import-media-") as media:
            doc = documents.read(file, Path(media))
            report.checks += doc.notes
            found, blocks, levels = fields.read(
                doc.blocks, doc.meta, doc.side_texts, doc.properties, report, reader.OPTIONAL
            )
            self.fill(found, file)
            code = outcome.code = found.values["id"]
            existing = self.project.source_files.get(code)
            if code in self.codes:
                raise documents.BadDocument(
                    f"has the leaflet code {code} of {self.codes[code]} (imported in this run)", file
                )
            if existing is not None and not self.options.replace:
                self.codes[code] = file
                outcome.status, outcome.target = Status.SKIPPED, existing
                outcome.reason = f"{file}: {code} is already {existing.relative_to(self.project.root)} (--replace to import it again)"
                return
            # a leaflet imported again keeps its file name (and so its history), whatever its title now
            name = existing.name if existing is not None else f"{code}-{slug(found.values['title'])}.md"
            target = outcome.target = self.source / name
            with _Stage(self.source, self.options.dry_run) as stage:
                pictures = Pictures(
                    name.removesuffix(".md"), stage / "images", dict(self.known), file, Path(media), report
                )
                pictures.convert_drawings()
                writer = Writer(report, pictures, levels)
                body = writer.body(blocks)
                staged = stage / name
                front = found.front()
                if found.sources:
                    front["sources"] = [writer.inline(nodes).strip() for nodes in found.sources]
                staged.write_text(_front_matter(front) + "\n" + body, encoding="utf-8")
                leaflet = self.verify(staged, file)
                _lost_text(report, leaflet, found.values["title"], writer.texts)
                for warning in reader.drug_name_warnings(leaflet):  # what `extract` would say: said now
                    report.check(warning.split(": warning: ", 1)[-1])
                _unmapped(report, doc.texts, staged.read_text(encoding="utf-8"))
                self.codes[code] = file
                if self.options.dry_run:
                    outcome.status = Status.WOULD_IMPORT
                    return
                self.commit(staged, target, pictures)
        outcome.status = Status.REPLACED if existing is not None else Status.IMPORTED
        self.known.update({h: n for h, n in pictures.known.items() if n in pictures.new})

    def fill(self, found: fields.Fields, file: Path) -> None:
        """--id, then --meta and the trust-wide values for what the document lacks; refuse what is still missing."""
        if self.options.ident:
            ident = self.options.ident
            if found.values.get("id", ident) != ident:
                found.report.check(f"the document says its code is {found.values['id']}; --id made it {ident}")
            found.values["id"] = ident
        for key, value in self.options.meta.items():
            found.take(key, value, "--meta")
        for key, value in self.defaults.items():
            found.take(key, value, "the other leaflets in source/")
        if "title" not in found.values:
            raise documents.BadDocument(
                "has no title",
                file,
                fix="give it a Title paragraph or a first heading, or set File > Properties > Title",
            )
        if "id" not in found.values:
            found.report.missing.append("id (leaflet code)")
            raise documents.BadDocument(
                "no leaflet code found in it",
                file,
                fix="import it alone with --id CODE, or write 'Leaflet code: RAD_0042' in its footer",
            )
        if not re.fullmatch(r"[A-Z][A-Z0-9]*_[0-9]+", found.values["id"]):
            raise documents.BadDocument(
                f"its leaflet code {found.values['id']!r} is not one the pipeline uses",
                file,
                fix="give it one with --id, e.g. --id RAD_0042",
            )
        due = found.values.get("next_review", "")
        if re.fullmatch(r"\d{4}-\d{2}", due) and due < date.today().strftime("%Y-%m"):
            found.report.check(f"its next review date ({due}) has passed: review it before it is published")
        needed = [
            k for k in reader.REQUIRED if k not in found.values and not (k == "phone" and len(found.contacts) > 1)
        ]
        found.report.missing += needed
        if needed:
            raise documents.BadDocument(
                "not found in it: " + ", ".join(needed),
                file,
                fix="add them to the document, or give them for this import: "
                + " ".join(f"--meta {k}={_EXAMPLES.get(k, '...')}" for k in needed),
            )

    def verify(self, staged: Path, file: Path):
        """The leaflet reader's verdict on the staged source. A refusal names the document and the
        reason, and keeps the refused source in build/import/ for the author to look at."""
        try:
            return reader.read(staged)
        except reader.SourceError as exc:
            errors = getattr(exc, "errors", [exc])
            said = "; ".join(f"line {e.line}: {e.reason}" for e in errors[:3])
            kept = ""
            if not self.options.dry_run:
                _write(self.reports, staged.name, staged.read_bytes())
                kept = f"; the refused source is {self.reports / staged.name}"
            raise documents.BadDocument(
                f"the leaflet made from it is not one the source format accepts yet ({said})",
                file,
                fix="change the document and import it again" + kept,
            ) from exc

    def commit(self, staged: Path, target: Path, pictures: Pictures) -> None:
        """New pictures, then the source, each written atomically."""
        written: list[Path] = []
        try:
            if pictures.new:
                self.images.mkdir(exist_ok=True)
                _safe_folder(self.images)
            for name in sorted(pictures.new):
                write_atomic(self.images / name, pictures.new[name], create_folder=False)
                written.append(self.images / name)
            write_atomic(target, staged.read_bytes(), create_folder=False)
        except BaseException:
            for path in written:
                path.unlink(missing_ok=True)
            raise
        self.project.__dict__.pop("source_files", None)  # a cached_property: the folder changed

    def keep_report(self, outcome: Outcome, text: str) -> None:
        if self.options.dry_run:
            return
        name = f"{outcome.code or outcome.file.stem}.import.txt"
        _write(self.reports, name, text.encode("utf-8"))

    def keep_summary(self, outcomes: list[Outcome]) -> None:
        buffer = io.StringIO()
        table = csv.writer(buffer, lineterminator="\n")
        table.writerow(["file", "leaflet code", "source", "warnings", "status", "reason"])
        for o in outcomes:
            target = str(o.target.relative_to(self.project.root)) if o.target else ""
            table.writerow([str(o.file), o.code, target, o.warnings, o.status, o.reason])
        if not self.options.dry_run:
            _write(self.reports, "summary.csv", buffer.getvalue().encode("utf-8"))


_EXAMPLES = {
    "organisation": "'Royal Berkshire NHS Foundation Trust'",
    "department": "'Radiology Department'",
    "phone": "'0118 322 7991'",
    "website": "www.royalberkshire.nhs.uk",
    "author": "'Dr A Speirs'",
    "reviewed": "2024-05",
    "next_review": "2027-05",
}


STALE_STAGE = 3600  # seconds: a staging folder this old was left by an import that was killed


def _clear_stale_stages(source: Path) -> None:
    """Staging folders an interrupted import left in source/ (never a link, never a fresh one)."""
    if not source.is_dir():
        return
    for stage in source.glob(STAGE_PREFIX + "*"):
        if stage.is_dir() and not stage.is_symlink() and time.time() - stage.stat().st_mtime > STALE_STAGE:
            shutil.rmtree(stage, ignore_errors=True)


class _Stage:
    """A hidden staging folder inside source/ (so the final renames stay on one disk), removed after."""

    def __init__(self, source: Path, dry_run: bool):
        self.source, self.dry_run = source, dry_run
        self.path: Path | None = None

    def __enter__(self) -> Path:
        base = None if self.dry_run or not self.source.is_dir() else self.source
        self.path = Path(tempfile.mkdtemp(prefix=STAGE_PREFIX, dir=base))
        (self.path / "images").mkdir()
        return self.path

    def __exit__(self, *exc) -> None:
        if self.path is not None:
            shutil.rmtree(self.path, ignore_errors=True)


def _front_matter(front: dict) -> str:
    """YAML front matter in the reader's key order; `contacts` only when the reader takes them."""
    if "contacts" not in reader.OPTIONAL:
        front.pop("contacts", None)
    elif len(front.get("contacts", ())) > 1:
        front.pop("phone", None)  # the README: `phone` may be left out when `contacts` are given
    text = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=1000, default_flow_style=False)
    for key in ("reviewed", "next_review"):  # quoted, as authors are told to write them
        text = re.sub(rf"^{key}: (\d{{4}}-\d{{2}})$", rf"{key}: '\1'", text, flags=re.M)
    return "---\n" + text + "---\n"


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold()))


def _lost_text(report: Report, leaflet, title: str, texts: list[str]) -> None:
    """Every passage the writer kept must be in the leaflet as read back; any that is not is said."""
    got = " ".join([_words(title), *(_words(plain_text(s.inlines)) for s in segments(leaflet.blocks))])
    for text in texts:
        words = _words(text)
        if words and words not in got:
            report.check(f"text not found in the imported leaflet: {quote(text)}: add it by hand")


def _unmapped(report: Report, texts: list[str], source: str) -> None:
    """Every paragraph and cell of the file (read apart from pandoc) must be in the source or among the
    passages moved out of the body: what pandoc itself dropped is said, not lost silently."""
    have = _words(re.sub(r"\]\([^)\s]+", "](", source))  # link targets are not text
    moved = {_words(text) for text in report.moved_texts}
    for text in texts:
        words = _words(text)
        label = markdown.notice_words(text)  # "Important: ..." lost its label to the notice kind
        if words and words not in have and words not in moved and not (label and _words(label) in have):
            report.check(f"text of the document not found in the import: {quote(text)}: add it by hand")


def _write(folder: Path, name: str, data: bytes) -> None:
    """A report or the summary, written atomically (build/ and its import/ folder are not links)."""
    for at in (folder.parent, folder):
        _safe_folder(at)
    write_atomic(folder / name, data)


def meta_values(items: list[str]) -> dict[str, str]:
    """--meta KEY=VALUE options as a dict; a key the front matter does not have is refused."""
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or key.strip() not in reader.REQUIRED or not value.strip():
            raise ImportRefused(
                f"--meta {item!r} is not KEY=VALUE with a front-matter key",
                fix="keys: " + ", ".join(k for k in reader.REQUIRED if k not in ("id", "title")),
            )
        out[key.strip()] = value.strip()
    return out


def summary_line(outcomes: list[Outcome]) -> str:
    counts = Counter(o.status for o in outcomes)
    said = ", ".join(f"{counts[s]} {s}" for s in Status if counts[s])
    return f"{len(outcomes)} document(s): {said or 'nothing to import'}"
