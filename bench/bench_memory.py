"""Benchmark of the translation memory (issue 19): the lookups `update` makes for 200 leaflets x
10 languages. Goal: <= 2 s in total.

Each language gets a catalog per generated leaflet (bench/generate.py: the seed with "(leaflet N)"
in every sentence), translated but for every fifth entry (a different fifth in each leaflet), so
every gap has near-duplicates in the other 199 catalogs. Timed: building each language's memory
and filling every catalog's gaps, as `update` does after merging; not timed: reading the PO
files and msgmerge, which `update` does with or without a memory. CPU time is printed beside the
wall clock, as the machine may be shared. Two libraries:
  numbers  - the leaflets differ by a number (found through the number-blind index);
  words    - they differ by a word instead (found through the rarest shared words).
"""

from __future__ import annotations

import copy
import re
import string
import tempfile
import time
from pathlib import Path

import polib

from bench.generate import generate
from leaflets import catalogs
from leaflets.project import Project
from publishing.translation import memory, workflow

ROOT = Path(__file__).resolve().parent.parent
LEAFLETS = 200
GAP = 5  # every fifth entry of a catalog is untranslated


def _word(n: int) -> str:
    letters = string.ascii_lowercase
    return "q" + "".join(letters[(n // 26**i) % 26] for i in range(3))


def library(project: Project, code: str, words: bool) -> dict[str, polib.POFile]:
    """Domain -> catalog of one language: the seed's translations, marked with the leaflet."""
    sample = Project(ROOT)
    seed = {e.msgid: e.msgstr for e in catalogs.load(catalogs.po_path(sample.locales_dir, code, "RAD_0009"))}
    out = {catalogs.COMMON: catalogs.load(catalogs.po_path(sample.locales_dir, code, catalogs.COMMON))}
    for n, lid in enumerate(project.leaflet_ids(), start=1):
        pot = workflow.template(project, lid)
        po = catalogs.new_catalog(pot, code, lid)
        for k, entry in enumerate(po):
            original = re.sub(rf" \(leaflet {n}\)", "", entry.msgid)
            if words:
                entry.msgid = entry.msgid.replace(f"(leaflet {n})", f"(leaflet {_word(n)})")
            if (k + n) % GAP and seed.get(original):
                entry.msgstr = f"{seed[original]} ({n})"
        out[lid] = po
    return out


def run(project: Project, words: bool) -> list[tuple[str, int, int, int, int, float, float]]:
    rows = []
    for code in Project(ROOT).locale_codes()[1:]:
        pos = library(project, code, words)
        fresh = copy.deepcopy(pos)
        start, cpu = time.perf_counter(), time.process_time()
        found = memory.Memory.of(pos)
        counts = memory.Counts()
        for domain, po in fresh.items():
            counts.add(found.fill(po, domain))
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        rows.append((code, len(found.units), counts.looked_up, counts.exact, counts.close, cpu, wall))
    return rows


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = Project(generate(Path(tmp) / "lib", LEAFLETS))
        print(f"{LEAFLETS} leaflets x 10 languages; memory build + lookups, in-process")
        print(
            f"{'library':<8} {'language':<8} {'units':>7} {'lookups':>8} {'exact':>6} {'close':>6} "
            f"{'cpu s':>7} {'wall s':>7}"
        )
        for words in (False, True):
            name = "words" if words else "numbers"
            rows = run(project, words)
            for code, units, looked, exact, close, cpu, wall in rows:
                print(f"{name:<8} {code:<8} {units:>7} {looked:>8} {exact:>6} {close:>6} {cpu:>7.3f} {wall:>7.3f}")
            cpu, wall = sum(r[-2] for r in rows), sum(r[-1] for r in rows)
            found, looked = sum(r[3] + r[4] for r in rows), sum(r[2] for r in rows)
            print(
                f"{name:<8} {'total':<8} {'':>7} {looked:>8} {found:>13} {cpu:>7.2f} {wall:>7.2f}  (goal <= 2 s)",
                flush=True,
            )


if __name__ == "__main__":
    main()
