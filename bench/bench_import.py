#!/usr/bin/env python3
"""Benchmark of `pipeline.py import`: a folder of Word leaflets into a fresh project, beside pandoc
alone reading the same files (one `pandoc -f docx -t gfm` per file, as a script would), measured
in the same run.

Goal: the whole import at most 2x pandoc alone. Usage: bench/bench_import.py [--documents N] [--repeat N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.wordcorpus import Spec, leaflet

ROOT = Path(__file__).resolve().parent.parent
GOAL_RATIO = 2.0


def corpus(folder: Path, documents: int) -> list[Path]:
    """`documents` Word leaflets, each its own code and title, a third with a table and a picture
    (which the reader refuses until it takes them: the import still reads and checks them)."""
    folder.mkdir(parents=True)
    return [
        leaflet(
            folder / f"leaflet-{n:03d}.docx",
            Spec(
                code=f"BEN_{n:04d}",
                title=f"Exercises after surgery, part {n}",
                table=n % 3 == 0,
                picture=n % 3 == 0,
                contacts=1,
            ),
        )
        for n in range(documents)
    ]


def fresh_project(base: Path) -> Path:
    root = base / "project"
    shutil.rmtree(root, ignore_errors=True)
    (root / "source").mkdir(parents=True)
    shutil.copy(ROOT / "source" / "common.yaml", root / "source" / "common.yaml")
    (root / "locales").mkdir()
    return root


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=2, help="timed rounds of each (the median is reported)")
    args = parser.parse_args()
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        print("pandoc not installed: nothing to compare (apt-get install pandoc)")
        return 1
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        base = Path(tmp)
        files = corpus(base / "docs", args.documents)
        ours, theirs, summary = [], [], ""
        for _ in range(args.repeat):
            start = time.perf_counter()
            for file in files:
                subprocess.run([pandoc, "-f", "docx", "-t", "gfm", str(file)], check=True, capture_output=True)
            theirs.append(time.perf_counter() - start)
            root = fresh_project(base)
            start = time.perf_counter()
            done = subprocess.run(
                [sys.executable, str(ROOT / "pipeline.py"), "--root", str(root), "import", str(base / "docs")],
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
            ours.append(time.perf_counter() - start)
            summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr.strip()
    mine, alone = statistics.median(ours), statistics.median(theirs)
    ratio = mine / alone
    print(f"import of {args.documents} Word leaflets (median of {args.repeat} runs): {summary}")
    print(f"{'tool':44} {'seconds':>8} {'ms/doc':>8}")
    print(f"{'pipeline.py import (one process, the folder)':44} {mine:8.2f} {mine * 1000 / args.documents:8.1f}")
    print(f"{'pandoc -f docx -t gfm, once per file':44} {alone:8.2f} {alone * 1000 / args.documents:8.1f}")
    verdict = "meets" if ratio <= GOAL_RATIO else "NOT met:"
    print(f"ratio {ratio:.2f}x; {verdict} the goal of at most {GOAL_RATIO:g}x")
    return 0  # a goal missed is reported above, not a failure of the benchmark


if __name__ == "__main__":
    sys.exit(main())
