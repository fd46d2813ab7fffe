"""The data check: are the committed sources, templates and translations fit to publish?

Run by CI before the tests (`make datacheck`, `python -m publishing.translation.datacheck`). It judges the
data, not the code: a catalog left behind by a source change, a check finding, a broken header.
The unit tests test behaviour on copies they make themselves, so committing real work (a new
translation, a clinician's sign-off) never breaks a unit test; it is judged here instead.
Prints one line per problem (file, what is wrong, how to fix it); exit status 1 if any.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from leaflets import catalogs, checks, review
from leaflets.errors import LeafletError
from leaflets.project import Project

from . import workflow

SAMPLE = "Unreviewed sample translation"  # the header comment of translations written for testing


def problems(project: Project) -> list[str]:
    """Every problem in the project's data, one line each, in a stable order, each said once.
    A file that cannot be read stops only the part of the check that needed it."""
    found: list[str] = []
    for part in (_stale_templates, _incomplete, _catalogs, _findings):
        try:
            found.extend(part(project))
        except LeafletError as exc:
            found.append(str(exc))
    return list(dict.fromkeys(found))


def _stale_templates(project: Project) -> Iterator[str]:
    for domain in project.domains():
        path = catalogs.template_path(project.locales_dir, domain)
        try:
            wanted = catalogs.po_bytes(workflow.template(project, domain))
        except LeafletError as exc:
            yield str(exc)
            continue
        if not path.exists() or path.read_bytes() != wanted:
            yield f"{_rel(project, path)}: out of date with its source (run `pipeline.py extract`)"


def _incomplete(project: Project) -> Iterator[str]:
    for row in workflow.status(project):
        if row.error:
            continue  # said by _stale_templates
        if row.fuzzy or row.untranslated:
            path = catalogs.po_path(project.locales_dir, row.locale, row.leaflet)
            yield (
                f"{_rel(project, path)}: {row.fuzzy} fuzzy and {row.untranslated} untranslated entries against the "
                f"current source, with common.po (translate them: `pipeline.py status --locale {row.locale}`)"
            )


def _catalogs(project: Project) -> Iterator[str]:
    for code in project.locale_codes()[1:]:
        for domain in project.domains():
            yield from _catalog(project, code, domain)


def _findings(project: Project) -> Iterator[str]:
    return (str(f) for f in checks.run(project))


def _catalog(project: Project, code: str, domain: str) -> Iterator[str]:
    path = catalogs.po_path(project.locales_dir, code, domain)
    where = _rel(project, path)
    if not path.exists():
        yield f"{where}: missing (run `pipeline.py init {code}`, which adds only what is missing)"
        return
    try:
        po = catalogs.load(path)
    except LeafletError as exc:
        yield str(exc)
        return
    meta = po.metadata
    if meta.get("Language") != code:
        yield f"{where}: header Language is {meta.get('Language')!r}, not {code!r} (set it to {code})"
    if "charset=UTF-8" not in meta.get("Content-Type", ""):
        yield f"{where}: header Content-Type does not say charset=UTF-8 (save as UTF-8 and say so)"
    if not meta.get("Plural-Forms", "").startswith("nplurals="):
        yield f"{where}: header Plural-Forms is missing (copy it from a fresh `pipeline.py init {code}`)"
    if not meta.get("Language-Team"):
        yield f"{where}: header Language-Team is empty (name the translators' team)"
    if SAMPLE in po.header and meta.get(review.BY):
        yield (
            f"{where}: says it is an unreviewed sample but carries a sign-off by {meta[review.BY]} "
            "(remove the sample comment from the header, or the sign-off)"
        )
    done = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    if done.returncode:  # msgfmt names the file and line itself
        yield from (f"msgfmt --check: {line}" for line in done.stderr.splitlines() if "fatal error" not in line)


def _rel(project: Project, path: Path) -> str:
    return str(path.relative_to(project.root)) if path.is_relative_to(project.root) else str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m publishing.translation.datacheck", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--root", default=str(Path(__file__).resolve().parents[2]), help="project root")
    project = Project(Path(parser.parse_args(argv).root))
    try:
        found = problems(project)
        checked = f"{len(project.source_files)} leaflet(s) x {len(project.locale_codes()) - 1} translation(s)"
    except LeafletError as exc:  # the project cannot even be read (two leaflets with one id ...)
        found, checked = [str(exc)], "a project that cannot be read"
    for line in found:
        print(line, file=sys.stderr)
    print(f"data check: {len(found)} problem(s) in {checked}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
