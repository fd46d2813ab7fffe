"""The build loop above the writers (Sphinx's builder base): plan, translate, write, record.

Every artifact is written to a temporary file and renamed, so a refused or failed artifact
leaves the previous good output untouched, and `build/manifest.json` is rewritten at the end
from what is actually on disk.
"""
from __future__ import annotations

import hashlib
import json
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path

import formats
from . import catalogs, locales
from .errors import LeafletError
from .project import Project
from .translate import translate

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Target:
    leaflet: str
    locale: str
    format: str


@dataclass
class Outcome:
    target: Target
    state: str            # built | up-to-date | refused | unavailable | failed
    path: str = ""
    reason: str = ""


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, state: str) -> int:
        return sum(o.state == state for o in self.outcomes)

    @property
    def ok(self) -> bool:
        return not any(o.state in ("refused", "failed") for o in self.outcomes)


def artifact_path(out_dir: Path, project: Project, target: Target, options: formats.Options,
                  draft: bool) -> Path:
    """build/<ID>/<locale>/<ID>-<slug>.<locale>[.draft][.<size>pt].<ext>"""
    leaflet = project.leaflet(target.leaflet)
    writer = formats.get(target.format)
    parts = [f"{leaflet.meta.id}-{leaflet.meta.slug}", target.locale]
    if draft:
        parts.append("draft")
    if writer.EXTENSION in ("pdf", "docx") and options.size != formats.Options.size:
        parts.append(f"{options.size:g}pt")
    return Path(out_dir) / leaflet.meta.id / target.locale / (".".join(parts) + "." + writer.EXTENSION)


def build(project: Project, leaflet_ids: list[str], codes: list[str], format_names: list[str],
          options: formats.Options, out_dir: Path, draft: bool = False, report=print) -> Summary:
    summary = Summary()
    for lid in leaflet_ids:
        try:
            project.leaflet(lid)
        except LeafletError as exc:  # a source error: say it once, not once per locale
            report(f"refused {lid}: {exc}")
            summary.outcomes += [Outcome(Target(lid, c, f), "refused", reason=str(exc))
                                 for c in codes for f in format_names]
            continue
        for code in codes:
            summary.outcomes += _build_pair(project, lid, code, format_names, options, out_dir, draft, report)
    write_manifest(out_dir, project, summary)
    return summary


def _build_pair(project, lid, code, format_names, options, out_dir, draft, report) -> list[Outcome]:
    targets = [Target(lid, code, f) for f in format_names]
    try:
        doc = translate(project.leaflet(lid), code, project.shared_strings, draft=draft,
                        locales_dir=project.locales_dir)
    except LeafletError as exc:
        report(f"refused {lid} {code}: {exc}")
        return [Outcome(t, "refused", reason=str(exc)) for t in targets]
    outcomes = []
    for target in targets:
        writer = formats.get(target.format)
        path = artifact_path(out_dir, project, target, options, draft)
        reason = writer.unavailable(doc.locale)
        if reason:
            report(f"not available {lid} {code} {target.format}: {reason}")
            outcomes.append(Outcome(target, "unavailable", reason=reason))
            continue
        try:
            data = writer.write(doc, options)
        except LeafletError as exc:
            report(f"failed {lid} {code} {target.format}: {exc}")
            outcomes.append(Outcome(target, "failed", reason=str(exc)))
            continue
        except Exception as exc:  # a bug in a writer: say so plainly, keep the other artifacts going
            report(f"failed {lid} {code} {target.format}: internal error: {exc!r}")
            report(traceback.format_exc())
            outcomes.append(Outcome(target, "failed", reason=f"internal error: {exc!r}"))
            continue
        catalogs.write_atomic(path, data)
        outcomes.append(Outcome(target, "built", path=str(path)))
    return outcomes


def write_manifest(out_dir: Path, project: Project, summary: Summary) -> None:
    """Describe exactly what is on disk under out_dir, plus why anything asked for is missing."""
    out_dir = Path(out_dir)
    last = {o.path: o for o in summary.outcomes if o.path}
    artifacts = []
    for path in sorted(p for p in out_dir.glob("*/*/*") if p.is_file() and not p.name.startswith(".")):
        lid, code = path.parent.parent.name, path.parent.name
        data = path.read_bytes()
        artifacts.append({
            "leaflet": lid, "locale": code, "format": _format_of(path),
            "draft": ".draft." in path.name,
            "path": path.relative_to(out_dir).as_posix(), "bytes": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "this_build": str(path) in last,
        })
    not_built = [{"leaflet": o.target.leaflet, "locale": o.target.locale, "format": o.target.format,
                  "state": o.state, "reason": o.reason}
                 for o in summary.outcomes if o.state in ("refused", "unavailable", "failed")]
    manifest = {"artifacts": artifacts, "not_built": not_built}
    catalogs.write_atomic(out_dir / MANIFEST,
                          (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


def _format_of(path: Path) -> str:
    ext = path.suffix.lstrip(".")
    for name in formats.names():
        if formats.get(name).EXTENSION == ext:
            return name
    return ext
