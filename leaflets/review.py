"""Clinical review sign-off, recorded in the PO header where translators' tools keep it.

`signoff` stores who reviewed, when, and two fingerprints: of the English source text and of
the translation as reviewed. If either changes afterwards the sign-off is stale: the
translation still builds, with the "not yet checked by a clinician" notice, and a release
build refuses it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polib

from . import catalogs
from .errors import LeafletError
from .vocabulary import Review

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


def fingerprints(po: polib.POFile, common: polib.POFile) -> tuple[str, str]:
    """sha256 of the English text, and of the translation, of a leaflet's catalog + the shared one."""
    source, target = hashlib.sha256(), hashlib.sha256()
    for catalog in (po, common):
        for e in catalog:
            if e.obsolete:
                continue
            source.update(f"{e.msgctxt or ''}\x04{e.msgid}\x00{e.msgid_plural}\x00".encode())
            strings = [e.msgstr_plural[k] for k in sorted(e.msgstr_plural)] if e.msgid_plural else [e.msgstr]
            target.update(("\x00".join(strings) + ("\x01fuzzy" if "fuzzy" in e.flags else "") + "\x02").encode())
    return "sha256:" + source.hexdigest(), "sha256:" + target.hexdigest()


def state(po: polib.POFile | None, common: polib.POFile | None) -> ReviewState:
    if po is None:
        return ReviewState(Review.SOURCE)
    meta = po.metadata
    if not meta.get(BY):
        return ReviewState(Review.UNREVIEWED)
    source, target = fingerprints(po, common)
    why = (
        "the English text changed"
        if meta.get(SOURCE_HASH) != source
        else "the translation changed"
        if meta.get(TRANSLATION_HASH) != target
        else ""
    )
    return ReviewState(Review.STALE if why else Review.REVIEWED, meta[BY], meta.get(DATE, "?"), why)


def signoff(po_file: Path, common_file: Path, by: str, on: date, pack: str = "") -> None:
    """Record a clinician's sign-off of a complete translation (and, if given, of which review
    pack they read: its sha256 and file name)."""
    by = " ".join(by.split())
    if len(by) < 3 or "," not in by:
        raise LeafletError(
            f"reviewer {by!r} is not a name and role", fix='e.g. --by "Dr A Khan, consultant radiologist"'
        )
    with catalogs.locked(po_file):  # what is signed off is what is written back, nobody's edit lost
        po, common = catalogs.load(po_file), catalogs.load(common_file)
        source, target = fingerprints(po, common)
        po.metadata.update({BY: by, DATE: on.isoformat(), SOURCE_HASH: source, TRANSLATION_HASH: target})
        if pack:
            po.metadata[PACK] = pack
        else:
            po.metadata.pop(PACK, None)  # a sign-off without a pack: an older pack says nothing of it
        catalogs.write_atomic(po_file, catalogs.po_bytes(po))
