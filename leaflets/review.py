"""Clinical review sign-off, recorded in the PO header where translators' tools keep it.

`signoff` stores who reviewed, when, and two fingerprints: of the English source text and of
the translation as reviewed, each with the pictures it shows (a picture with words is content a
clinician signed off: the English ones in the first, a language's own replacements in the second). If either changes afterwards the sign-off is stale: the
translation still builds, with the "not yet checked by a clinician" notice, and a release
build refuses it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Protocol

import polib

from . import catalogs, pictures
from .errors import LeafletError
from .files import write_atomic
from .vocabulary import Review


class Sources(Protocol):
    """What `pictures_of` needs of a project (a `Project`; named by shape, since the project
    module stands above this one)."""

    root: Path

    @property
    def source_files(self) -> dict[str, Path]: ...


BY, DATE, SOURCE_HASH, TRANSLATION_HASH = (
    "X-Reviewed-By",
    "X-Reviewed-Date",
    "X-Reviewed-Source-Hash",
    "X-Reviewed-Translation-Hash",
)
PACK = "X-Reviewed-Pack"  # "sha256:... <file name>" of the review pack the clinician signed


@dataclass(frozen=True)
class ReviewState:
    state: Review
    by: str = ""
    on: str = ""
    why: str = ""

    def __str__(self) -> str:
        if self.state == Review.REVIEWED:
            return f"reviewed by {self.by} on {self.on}"
        if self.state == Review.STALE:
            return f"stale: {self.why} since review by {self.by} on {self.on}"
        return self.state


Pictures = Sequence[tuple[str, bytes]]  # (path under the project, bytes): what `pictures.files` gives


def fingerprints(po: polib.POFile, common: polib.POFile, shown: Pictures = ()) -> tuple[str, str]:
    """sha256 of the English text, and of the translation, of a leaflet's catalog + the shared one,
    with the pictures the copy shows (`shown`): source/images/ ones in the English fingerprint, a
    language's replacements (locales/<lang>/images/) in the translation's. No pictures, no change
    to the fingerprints signed off before pictures existed; a replacement identical to the English
    picture is none (so a model and the files on disk give the same fingerprints)."""
    source, target = hashlib.sha256(), hashlib.sha256()
    for catalog in (po, common):
        for e in catalog:
            if e.obsolete:
                continue
            source.update(f"{e.msgctxt or ''}\x04{e.msgid}\x00{e.msgid_plural}\x00".encode())
            strings = [e.msgstr_plural[k] for k in sorted(e.msgstr_plural)] if e.msgid_plural else [e.msgstr]
            target.update(("\x00".join(strings) + ("\x01fuzzy" if "fuzzy" in e.flags else "") + "\x02").encode())
    english = {PurePosixPath(p).name: data for p, data in shown if p.startswith("source/")}
    for path, data in sorted(dict(shown).items()):
        name = PurePosixPath(path).name
        if path.startswith("source/"):
            source.update(f"\x03{name}\x00{hashlib.sha256(data).hexdigest()}\x00".encode())
        elif english.get(name) != data:
            target.update(f"\x03{name}\x00{hashlib.sha256(data).hexdigest()}\x00".encode())
    return "sha256:" + source.hexdigest(), "sha256:" + target.hexdigest()


def pictures_of(project: Sources, lid: str, code: str) -> Pictures:
    """The picture files a leaflet's copy in a language shows, as the build reads them
    (`pictures.files`: the English ones, and the language's own replacements)."""
    try:
        text = project.source_files[lid].read_bytes()
    except (KeyError, OSError):
        return ()
    return pictures.files(project.root, text, code)


def state(po: polib.POFile | None, common: polib.POFile | None, shown: Pictures = ()) -> ReviewState:
    if po is None:
        return ReviewState(Review.SOURCE)
    meta = po.metadata
    if not meta.get(BY):
        return ReviewState(Review.UNREVIEWED)
    source, target = fingerprints(po, common, shown)
    why = (
        "the English text changed"
        if meta.get(SOURCE_HASH) != source
        else "the translation changed"
        if meta.get(TRANSLATION_HASH) != target
        else ""
    )
    return ReviewState(Review.STALE if why else Review.REVIEWED, meta[BY], meta.get(DATE, "?"), why)


def signoff(
    po_file: Path, common_file: Path, by: str, on: date, pack: str = "", shown: Pictures = ()
) -> dict[str, str]:
    """Record a clinician's sign-off of a complete translation (and, if given, of which review
    pack they read: its sha256 and file name). Only the header's sign-off lines are written: the
    rest of the catalog stays byte for byte as the translator's tool wrapped it. Returns the
    header values recorded."""
    by = " ".join(by.split())
    if len(by) < 3 or "," not in by:
        raise LeafletError(
            f"reviewer {by!r} is not a name and role", fix='e.g. --by "Dr A Khan, consultant radiologist"'
        )
    with catalogs.locked(po_file):  # what is signed off is what is written back, nobody's edit lost
        po, common = catalogs.load(po_file), catalogs.load(common_file)
        source, target = fingerprints(po, common, shown)
        values = {BY: by, DATE: on.isoformat(), SOURCE_HASH: source, TRANSLATION_HASH: target, PACK: pack or None}
        text = Path(po_file).read_text(encoding="utf-8")
        changed = with_header(text, values)
        written = polib.pofile(changed, wrapwidth=0).metadata
        if any(written.get(k) != v for k, v in values.items() if v) or (not pack and PACK in written):
            raise LeafletError("the catalog's header could not be updated", po_file, fix='check its msgid "" header')
        write_atomic(po_file, changed.encode("utf-8"))
        return {k: v for k, v in values.items() if v}


def with_header(text: str, values: dict[str, str | None]) -> str:
    """A PO text with header fields set (None: removed), every other line left as it is.

    The header's msgstr is read as logical lines (a field a tool wrapped over several quoted
    lines is one field); a field set here is written on one line where it was, or added at the
    end of the header."""
    lines = text.split("\n")
    start = next(
        (i for i in range(len(lines) - 1) if lines[i].strip() == 'msgid ""' and lines[i + 1].startswith("msgstr")),
        None,
    )
    if start is None:
        raise LeafletError('the catalog has no header (msgid "")', fix="save it once with a gettext tool")
    first = start + 1
    end = first + 1
    while end < len(lines) and lines[end].startswith('"'):
        end += 1
    pieces = [lines[first][len("msgstr") :].strip(), *lines[first + 1 : end]]
    fields: list[tuple[str, list[str]]] = []  # (key, its quoted lines)
    open_field = False
    for n, piece in enumerate(pieces):
        content = piece.strip()[1:-1]
        if n == 0 and not content:
            continue
        if open_field:
            fields[-1][1].append(piece)
        else:
            fields.append((content.split(":", 1)[0], [piece]))
        open_field = not content.endswith("\\n")
    out: list[str] = []
    todo = dict(values)
    for key, quoted in fields:
        if key in todo:
            value = todo.pop(key)
            if value is not None:
                out.append(_quoted(f"{key}: {value}"))
            continue
        out += quoted
    out += [_quoted(f"{k}: {v}") for k, v in todo.items() if v is not None]
    return "\n".join([*lines[:first], 'msgstr ""', *out, *lines[end:]])


def _quoted(field: str) -> str:
    return '"' + polib.escape(field) + '\\n"'
