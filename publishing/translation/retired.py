"""Retired leaflets: withdrawn by the trust, out of the way, their translations still of use.

`pipeline.py retire ID --why TEXT` moves the leaflet's source, template and every language's
catalog out of `source/` and `locales/` into `retired/ID/` (the record of the withdrawal beside
them in `withdrawn.json`), so `status`, `build` and the desk no longer see it, while the
translation memory still offers its sentences to the leaflets that remain. A leaflet whose
source was simply deleted leaves catalogs behind: `extract` names them and says to retire it.

The move is one rename at the end: everything is gathered in `retired/.ID.partial/` first, so an
interrupted retire leaves the leaflet either active or retired, and running it again finishes it.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

import polib

from leaflets import catalogs
from leaflets.errors import LeafletError
from leaflets.files import write_atomic
from leaflets.project import Project

FOLDER = "retired"
RECORD = "withdrawn.json"


@dataclass(frozen=True)
class Withdrawn:
    """The record of a leaflet's withdrawal."""

    id: str
    title: str
    on: str  # ISO date
    why: str
    files: tuple[str, ...]  # where each file was, relative to the project root

    def sentence(self) -> str:
        """What the person at the desk is told."""
        title = f" ({self.title})" if self.title else ""
        return (
            f"{self.id}{title} was withdrawn on {self.on}: it can no longer be issued. "
            "Ask the Patient Information team what to give instead."
        )


def folder(project: Project) -> Path:
    return project.root / FOLDER


def withdrawn(project: Project) -> dict[str, Withdrawn]:
    """Every retired leaflet, by id (a record that cannot be read is skipped: it is the team's archive)."""
    found: dict[str, Withdrawn] = {}
    base = folder(project)
    if not base.is_dir():
        return found
    for record in sorted(base.glob(f"*/{RECORD}")):
        if record.parent.name.startswith("."):
            continue
        try:
            data = json.loads(record.read_text(encoding="utf-8"))
            found[data["id"]] = Withdrawn(
                data["id"], data.get("title", ""), data["on"], data.get("why", ""), tuple(data.get("files", ()))
            )
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return found


def retire(project: Project, lid: str, why: str, today: date) -> Withdrawn:
    """Move a leaflet's source, template and catalogs into retired/ID/ and record why and when."""
    lid = lid.strip()
    if not _same_id(f"{lid}-x.md", lid):
        raise LeafletError(f"{lid[:40]!r} is not a leaflet code", fix="e.g. RAD_0009")
    done = withdrawn(project).get(lid)
    if done is not None:
        raise LeafletError(f"{lid} was already retired on {done.on}", folder(project) / lid)
    files = _files(project, lid)
    if not files:
        raise LeafletError(
            f"unknown leaflet {lid!r}: no source, template or catalog of it",
            fix="known leaflets: " + (", ".join(project.leaflet_ids()) or "none in source/"),
        )
    base = folder(project)
    for place in (base, base / f".{lid}.partial", base / lid):
        if place.is_symlink():
            raise LeafletError("is a symbolic link; retire does not write through links", place, fix="remove it")
    if (base / lid).exists():
        raise LeafletError(
            "already exists but holds no record of a withdrawal", base / lid, fix="move it aside, then retire again"
        )
    staging = base / f".{lid}.partial"
    staging.mkdir(parents=True, exist_ok=True)
    record = staging / RECORD
    if record.exists():  # an earlier retire was interrupted: keep its record, finish the move
        data = json.loads(record.read_text(encoding="utf-8"))
        entry = Withdrawn(data["id"], data["title"], data["on"], data["why"], tuple(data["files"]))
    else:
        entry = Withdrawn(lid, _title(project, lid), today.isoformat(), " ".join(why.split()), tuple(files))
    write_atomic(record, json.dumps(asdict(entry), indent=1, ensure_ascii=False).encode("utf-8"))
    for rel in files:
        target = staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.rename(project.root / rel, target)
    os.rename(staging, base / lid)
    return entry


def _files(project: Project, lid: str) -> list[str]:
    """The leaflet's files still in the active project, relative to its root."""
    found = [path for path in project.source_dir.glob(f"{lid}-*.md") if _same_id(path.name, lid)]
    template = catalogs.template_path(project.locales_dir, lid)
    found += [template] if template.exists() else []
    found += sorted(project.locales_dir.glob(f"*/LC_MESSAGES/{lid}.po"))
    return [str(p.relative_to(project.root)) for p in found]


def _same_id(name: str, lid: str) -> bool:
    from leaflets import reader

    match = reader.FILENAME.match(name)
    return bool(match and match.group("id") == lid)


def _title(project: Project, lid: str) -> str:
    try:
        return project.leaflet(lid).meta.title.text
    except (LeafletError, KeyError):
        return ""


def catalogs_of(project: Project, code: str) -> dict[str, polib.POFile]:
    """The retired catalogs of one language, as `retired/ID` -> PO, for the translation memory."""
    found = {}
    for lid in withdrawn(project):
        path = folder(project) / lid / "locales" / code / "LC_MESSAGES" / f"{lid}.po"
        if path.is_file() and not path.is_symlink():
            try:
                found[f"{FOLDER}/{lid}"] = catalogs.load(path)
            except LeafletError:
                continue  # a broken retired catalog offers nothing; the active ones still do
    return found


def orphans(project: Project) -> dict[str, list[Path]]:
    """Catalogs in locales/ whose leaflet has no source: domain -> their paths."""
    known = {*project.leaflet_ids(), catalogs.COMMON}
    found: dict[str, list[Path]] = {}
    for path in sorted(project.locales_dir.glob("*/LC_MESSAGES/*.po")):
        if path.stem not in known:
            found.setdefault(path.stem, []).append(path)
    return found
