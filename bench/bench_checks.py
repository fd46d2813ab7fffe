"""Benchmark of the translation safety checks (issue 3).

Prints the time of `pipeline.py check` (whole process) and of checks.run in-process, cold and
warm, on the sample translations and on generated projects of 50 and 200 leaflets in every
sample locale (every msgid and msgstr made unique, so no cache flatters the numbers).
Goal: the checks cost a build well under a second per 10 leaflets x 10 locales.
"""

from __future__ import annotations

import statistics
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.generate import generate
from leaflets import catalogs, checks
from leaflets.files import write_atomic
from leaflets.project import Project

ROOT = Path(__file__).resolve().parent.parent

SEED = "RAD_0009"


def tag(n: int) -> str:
    """A letters-only marker (digits would change the numbers check's work)."""
    letters = string.ascii_lowercase
    return "Q" + "".join(letters[(n // 26**i) % 26] for i in range(3))


def translated_project(target: Path, count: int) -> Project:
    """Generated leaflets, each with every sample locale's catalogs (seed translations, tagged)."""
    generate(target, count)
    sample = Project(ROOT)
    for code in sample.locale_codes()[1:]:
        seed = catalogs.load(catalogs.po_path(sample.locales_dir, code, SEED))
        common = catalogs.po_path(sample.locales_dir, code, catalogs.COMMON)
        write_atomic(catalogs.po_path(target / "locales", code, catalogs.COMMON), common.read_bytes())
        for n in range(1, count + 1):
            for entry in seed:
                entry.msgid, entry.msgstr = _retag(entry.msgid, n), _retag(entry.msgstr, n)
            write_atomic(catalogs.po_path(target / "locales", code, f"GEN_{n:04d}"), catalogs.po_bytes(seed))
            for entry in seed:
                entry.msgid, entry.msgstr = _untag(entry.msgid, n), _untag(entry.msgstr, n)
    return Project(target)


def _retag(text: str, n: int) -> str:
    return f"{tag(n)} {text}" if text else text


def _untag(text: str, n: int) -> str:
    return text[len(tag(n)) + 1 :] if text else text


def entries(project: Project) -> int:
    return sum(
        1
        for code in project.locale_codes()[1:]
        for lid in [*project.leaflet_ids(), catalogs.COMMON]
        for e in catalogs.load(catalogs.po_path(project.locales_dir, code, lid))
        if catalogs.usable(e)
    )


def in_process(project: Project) -> tuple[float, float, int]:
    for memo in (checks._source_facts, checks._markup, checks._in_words, checks.negation._counts):
        memo.cache_clear()  # cold: nothing remembered from the project before
    start = time.perf_counter()
    found = checks.run(project, include_suppressed=True)
    cold = time.perf_counter() - start
    start = time.perf_counter()
    checks.run(project, include_suppressed=True)
    return cold, time.perf_counter() - start, len(found)


def whole_process(root: Path, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, str(ROOT / "pipeline.py"), "--root", str(root), "check", "--json"],
            capture_output=True,
            check=False,
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    print(
        f"{'project':<22} {'catalogs':>8} {'entries':>8} {'findings':>8} {'cold s':>8} {'warm s':>8} "
        f"{'us/entry':>9} {'CLI s':>7}"
    )
    rows = [("sample translations", Project(ROOT))]
    with tempfile.TemporaryDirectory() as tmp:
        for count in (50, 200):
            rows.append((f"{count} leaflets", translated_project(Path(tmp) / str(count), count)))
        for name, project in rows:
            n = entries(project)
            cold, warm, found = in_process(project)
            catalogs_n = len(project.locale_codes()[1:]) * (len(project.leaflet_ids()) + 1)
            print(
                f"{name:<22} {catalogs_n:>8} {n:>8} {found:>8} {cold:>8.2f} {warm:>8.2f} "
                f"{1e6 * cold / n:>9.0f} {whole_process(project.root):>7.2f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
