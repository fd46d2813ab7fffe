"""Benchmark of the build engine and extraction (issue 8).

Prints: full build of every leaflet x locale x format with 1 and 2 jobs, a no-op rebuild,
and extraction of 50/100/200 generated leaflets (whole process, to grow linearly) beside
po4a and mdpo where they are installed, measured in the same run.
Goals: no-op < 1 s; 200-leaflet extraction <= 0.5 s.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.generate import generate, seed_copy

ROOT = Path(__file__).resolve().parent.parent

PY = sys.executable


def timed(cmd: list[str], repeat: int = 1, **kw) -> float:
    """Median wall time of a whole command."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True, **kw)
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{cmd[:3]} failed: {done.stderr[-500:]}")
    return statistics.median(times)


def pipeline(root: Path, *args: str) -> list[str]:
    return [PY, str(ROOT / "pipeline.py"), "--root", str(root), *args]


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        seed = seed_copy(tmp / "seed")
        for jobs in (1, 2):
            out = tmp / f"build{jobs}"
            shutil.rmtree(seed / ".cache", ignore_errors=True)  # cold: nothing spoken or encoded kept
            t = timed(pipeline(seed, "build", "--jobs", str(jobs), "--out", str(out)))
            n = len(list(out.glob("*/*/*")))
            rows.append((f"full build, {jobs} job(s), {n} artifacts", t, ""))
        t = timed(pipeline(seed, "build", "--jobs", "2", "--out", str(tmp / "build2")), repeat=5)
        rows.append(("no-op rebuild", t, "goal < 1 s"))

        for count in (50, 100, 200):
            project = generate(tmp / f"gen{count}", count)
            t = timed(pipeline(project, "extract"), repeat=1)
            rows.append((f"extract {count} leaflets (cold)", t, "goal <= 0.5 s" if count == 200 else ""))
        t = timed(pipeline(tmp / "gen200", "extract"), repeat=3)
        rows.append(("extract 200 leaflets (unchanged, re-run)", t, ""))
        sources = sorted((tmp / "gen200" / "source").glob("*.md"))
        if shutil.which("po4a-updatepo"):
            cmd = [
                "po4a-updatepo",
                "-f",
                "text",
                "-o",
                "markdown",
                "-o",
                "yfm_keys=title",
                "-M",
                "UTF-8",
                "-p",
                str(tmp / "po4a.pot"),
            ]
            for s in sources:
                cmd += ["-m", str(s)]
            rows.append(("peer: po4a, 200 leaflets", timed(cmd), "notes: 1.56 s"))
        else:
            rows.append(("peer: po4a", float("nan"), "not installed"))
        if shutil.which("md2po"):
            rows.append(
                (
                    "peer: mdpo md2po, 200 leaflets",
                    timed(["md2po", *map(str, sources), "-s", "--po-filepath", str(tmp / "mdpo.pot")]),
                    "notes: 58 s",
                )
            )
        else:
            rows.append(("peer: mdpo", float("nan"), "not installed"))

    width = max(len(r[0]) for r in rows)
    print(f"{'build engine and extraction':<{width}}  {'wall s':>8}  note")
    for name, t, note in rows:
        print(f"{name:<{width}}  {t:>8.3f}  {note}")


if __name__ == "__main__":
    main()
