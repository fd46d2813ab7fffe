"""build/index.html: every leaflet, in every language and format, as one accessible page.

Plain HTML with no external resources, so it opens from a shared drive or a USB stick;
large text, a real table with headers, `lang` and `dir` on every language's own words.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from html import escape
from pathlib import Path
from urllib.parse import quote

import polib

import formats
from formats.options import from_file_name
from leaflets import catalogs, inline, locales, pictures, review, schedule
from leaflets.errors import LeafletError
from leaflets.model import Meta, Segment, plain_text
from leaflets.project import Project
from leaflets.review import ReviewState
from leaflets.vocabulary import State
from leaflets.words import capital

from . import buildstate, manifest, output, plan, stamps

INDEX = "index.html"

_STYLE = """
body { font-family: Arial, "Noto Sans", sans-serif; font-size: 1.25rem; line-height: 1.5;
       color: #000; background: #fff; max-width: 70rem; margin: 1rem auto; padding: 0 1rem; }
table { border-collapse: collapse; width: 100%; margin-bottom: 2rem; }
caption { text-align: start; font-weight: bold; padding: .5rem 0; }
th, td { border: 2px solid #000; padding: .5rem .75rem; text-align: start; vertical-align: top; }
a { color: #00308f; }
a:focus { outline: 3px solid #000; background: #ffdd00; }
.note { font-size: 1.1rem; }
"""


@dataclass
class Known:
    """What the build's tasks found of each copy while making it (`tasks._listed`: the leaflet's
    front matter; a translation's title and review state), each kept with the sha256 of the bytes
    it was found in, and used for the page only while the files still hold those bytes."""

    metas: dict[str, tuple[str, Meta]] = field(default_factory=dict)  # leaflet -> (source sha256, front matter)
    copies: dict[tuple[str, str], tuple[tuple[str, ...], str, ReviewState]] = field(default_factory=dict)

    def add(self, lid: str, code: str, source: bytes, catalog: bytes | None, common: bytes | None, listed) -> None:
        if pictures.referenced(source):  # whether it can be read depends on its pictures too: the page reads it
            return
        meta, title, review_state = listed
        self.metas[lid] = (_sha(source), meta)
        if review_state is not None and catalog is not None and common is not None:
            self.copies[(lid, code)] = ((_sha(source), _sha(catalog), _sha(common)), title, review_state)

    def meta(self, project: Project, hashes: stamps.Hashes, lid: str) -> Meta:
        known = self.metas.get(lid)
        if known is not None and lid in project.source_files and known[0] == hashes.of(project.source_files[lid]):
            return known[1]
        return project.leaflet(lid).meta

    def copy(self, project: Project, hashes: stamps.Hashes, lid: str, code: str) -> tuple[str, ReviewState] | None:
        known = self.copies.get((lid, code))
        if known is None:
            return None
        files = (
            project.source_files[lid],
            catalogs.po_path(project.locales_dir, code, lid),
            catalogs.po_path(project.locales_dir, code, catalogs.COMMON),
        )
        return (known[1], known[2]) if known[0] == tuple(hashes.of(f) for f in files) else None


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write(
    out_dir: Path,
    project: Project,
    today: date,
    state: buildstate.BuildState | None = None,
    known: Known | None = None,
) -> Path:
    """The page for what the manifest lists; `state` is the build's (else read from the folder),
    `known` what its tasks found of the copies they made."""
    out_dir = Path(out_dir)
    state = state or buildstate.BuildState(out_dir, lambda _: None)
    known = known or Known()
    data = manifest.read(out_dir)
    files = defaultdict(list)
    for a in data["artifacts"]:
        files[(a["leaflet"], a["locale"], a["format"])].append(a)
    missing = {(n["leaflet"], n["locale"], n["format"]): n for n in data["not_built"]}
    shown = [f for f in formats.names() if any(k[2] == f for k in list(files) + list(missing))]
    body = [
        "<h1>Patient information leaflets</h1>",
        f"<p>Every leaflet of {escape(_organisation(project, state.hashes, known))} in every language and format we have made. "
        f"Updated {today.isoformat()}. Translations marked <strong>not yet checked</strong> have not been "
        f"reviewed by a clinician: tell the patient so before giving them one. Copies marked "
        f"<strong>out of date</strong> no longer match the current leaflet and are not linked.</p>",
    ]
    for lid in project.leaflet_ids():
        body += _leaflet_table(out_dir, project, state, lid, files, missing, shown, today, known)
    page = (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>Patient information leaflets</title>\n<style>" + _STYLE + "</style>\n</head>\n"
        "<body>\n<main>\n" + "\n".join(body) + "\n</main>\n</body>\n</html>\n"
    )
    path = out_dir / INDEX
    output.write_file(out_dir, path, page.encode("utf-8"))
    return path


def _organisation(project: Project, hashes: stamps.Hashes, known: Known) -> str:
    for lid in project.leaflet_ids():
        try:
            return known.meta(project, hashes, lid).organisation
        except LeafletError:
            continue
    return "the trust"


def _leaflet_table(out_dir, project, records, lid, files, missing, shown, today: date, known: Known) -> list[str]:
    try:
        meta = known.meta(project, records.hashes, lid)
    except LeafletError:  # the build has said why, to the author; readers are told plainly
        return [
            f'<h2 id="{escape(lid)}">{escape(lid)}</h2>',
            "<p>This leaflet cannot be issued at the moment: its text is being corrected.</p>",
        ]
    rows = []
    for code in project.locale_codes():
        info = locales.info(code)
        title, state = _title_and_review(project, records.hashes, lid, code, meta.title, known)
        cells = [
            f'<th scope="row"><span lang="{info.tag}" dir="{info.direction}">{escape(info.native_name)}</span>'
            f' ({escape(info.english_name)})<br><span class="note" lang="{info.tag}" dir="{info.direction}">'
            f"{escape(title)}</span></th>"
        ]
        for fmt in shown:
            cells.append(
                "<td>"
                + _cell(out_dir, project, records, files.get((lid, code, fmt), []), missing.get((lid, code, fmt)))
                + "</td>"
            )
        cells.append(f"<td>{escape(state)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    head = "".join(f'<th scope="col">{escape(capital(formats.title(f)))}</th>' for f in shown)
    return [
        f'<h2 id="{escape(lid)}">{escape(meta.title.text)} ({escape(lid)})</h2>',
        *_review_due(meta.next_review, today),
        f"<table>\n<caption>{escape(lid)}: languages and formats</caption>",
        f'<thead><tr><th scope="col">Language</th>{head}<th scope="col">Review</th></tr></thead>',
        "<tbody>",
        *rows,
        "</tbody>\n</table>",
    ]


def _review_due(next_review, today: date) -> list[str]:
    """A line saying "Review due" or "Overdue" (and how long) above the leaflet's table, or none."""
    due = schedule.review(next_review, today)
    if due.standing == schedule.Standing.CURRENT:
        return []
    if due.standing == schedule.Standing.OVERDUE:
        return [
            f'<p class="note"><strong>Overdue</strong>: {escape(str(due))}. Tell the patient it may be out of date.</p>'
        ]
    return [f'<p class="note"><strong>Review due</strong>: {escape(str(due))}.</p>']


# What a reader is told about a copy that is not there, by the build's state (never its internal reason).
_NOT_THERE = {
    State.UNAVAILABLE: "Not available in this language",
    State.REFUSED: "Not ready to issue yet",
    State.FAILED: "Could not be made: ask the Patient Information team",
}


def _cell(
    out_dir: Path, project: Project, state: buildstate.BuildState, artifacts: list[dict], missing: dict | None
) -> str:
    """Links to the current copies, each labelled with its options ("Large print, 24 pt"); a copy
    that no longer says what its English source or its translation says is marked out of date
    and not linked.
    Drafts are for proof-readers, never listed here."""
    parts = []
    for a in sorted((a for a in artifacts if not a["draft"]), key=lambda a: a["path"]):
        writer = formats.get(a["format"])
        path = out_dir / a["path"]
        label = ", ".join((capital(writer.title), *writer.labels(_made_with(writer, a["path"]))))
        facts = [_size(a["bytes"])]
        extent = writer.extent(path)
        if extent:
            facts.append(extent)
        if _out_of_date(project, state, a):
            parts.append(f"{escape(label)}: <strong>out of date</strong> (not linked until it is remade)")
        else:
            parts.append(f'<a href="{quote(a["path"])}">{escape(label)}</a> ({", ".join(facts)})')
    if missing and not parts:
        parts.append(escape(_NOT_THERE.get(missing["state"], "Not available")))
    return "<br>".join(parts) or "Not made yet"


def _made_with(writer: formats.Writer, path: str) -> formats.Options:
    """The options a copy was made with, read from its name by the options record's own templates
    (`name_parts` writes only what differs from the usual copy, so the rest is usual)."""
    usual = formats.Options()
    return replace(usual, **from_file_name(usual, writer.uses, Path(path).name))


def _out_of_date(project: Project, state: buildstate.BuildState, artifact: dict) -> bool:
    """True unless the English source, the shared strings and the language's catalogs say what
    they said when the copy was made (by content, `plan.text_hash`: a touched or checked-out file
    is not a change). A copy whose record does not say (made by an older version) is not vouched for."""
    lid, code = artifact["leaflet"], artifact["locale"]
    rec = state.records.get(artifact["path"])
    if rec is None or not rec.text or lid not in project.source_files:
        return True
    return rec.text != plan.text_hash(state.hashes, project, lid, code)


def _title_and_review(project, hashes, lid, code, title, known: Known) -> tuple[str, str]:
    english_title = title.text
    if code == locales.SOURCE_CODE:
        return english_title, "Source text"
    found = known.copy(project, hashes, lid, code)
    if found is None:
        try:
            po = _catalog(hashes, catalogs.po_path(project.locales_dir, code, lid))
            common = _catalog(hashes, catalogs.po_path(project.locales_dir, code, catalogs.COMMON))
        except (OSError, catalogs.CatalogError):
            return english_title, "No translation"
        found = listing(po, common, title, review.pictures_of(project, lid, code))
    title_there, state = found
    words = {
        review.Review.REVIEWED: f"Checked by {state.by}, {state.on}",
        review.Review.UNREVIEWED: "Not yet checked",
        review.Review.STALE: f"Not yet checked (changed since {state.on})",
    }
    return title_there, words.get(state.state, state.state)


def listing(
    po: polib.POFile, common: polib.POFile, title: Segment, shown: review.Pictures = ()
) -> tuple[str, ReviewState]:
    """A translation's title (in English until translated) and review state, as the page shows them."""
    entry = po.find(title.source)
    there = plain_text(inline.parse(entry.msgstr)) if entry is not None and catalogs.usable(entry) else title.text
    return there, review.state(po, common, shown)


def _catalog(hashes, path: Path) -> polib.POFile:
    """A catalog, parsed once for every leaflet that shows it (common.po) and every page made
    while its content is the same (the desk's process makes many)."""
    return _parsed(str(path), hashes.of(path))


@lru_cache(maxsize=64)
def _parsed(path: str, digest: str) -> polib.POFile:
    return catalogs.load(Path(path))  # read only: never changed by a caller


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{max(1, round(n / 1000))} KB"
