"""Benchmark of the build engine (issue 12): per-artifact cost by format, no-op rebuilds, status
with unchanged catalogs, and Dask against the local process pool, all in one run.

Whole commands, as a user runs them, with bytecode caching on (as in an installed pipeline).
Goals: seed no-op <= 0.3 s; 200 leaflets x 10 locales x text no-op <= 1.5 s and linear;
status with unchanged catalogs <= 1.5 s; Dask LocalCluster 2 workers / pool 2 jobs <= 1.15x.
The per-artifact CPU figures feed the README's paper plan for a national library.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import formats
from bench.generate import SAMPLE_CODES, generate

ROOT = Path(__file__).resolve().parent.parent
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(cmd: list[str]) -> tuple[float, float, str]:
    """(wall s, CPU s of the command and every process it started, stdout)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=ENV)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd[2:6])} ... failed: {done.stderr[-800:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def median_wall(cmd: list[str], repeat: int) -> float:
    return statistics.median(run(cmd)[0] for _ in range(repeat))


def pipeline(root: Path, *args: str) -> list[str]:
    return [sys.executable, str(ROOT / "pipeline.py"), "--root", str(root), *args]


def built(stdout: str) -> int:
    last = stdout.strip().splitlines()[-1] if stdout.strip() else ""
    return int(last.split(" built")[0]) if " built" in last and last[0].isdigit() else 0


def main() -> None:
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        seed = tmp_path / "seed"
        for name in formats.default_names():  # one format at a time, one job: cost per artifact
            wall, cpu, out = run(pipeline(ROOT, "build", "--format", name, "--jobs", "1", "--out", str(seed)))
            n = built(out) or 1
            rows.append((f"seed, {name}: {n} artifacts, 1 job", f"{wall:.2f}", f"{cpu / n:.3f} CPU s per artifact"))
        noop = median_wall(pipeline(ROOT, "build", "--out", str(seed)), 5)
        rows.append(("seed no-op rebuild (44 artifacts)", f"{noop:.3f}", "goal <= 0.3 s"))

        noops = {}
        for count in (50, 100, 200):
            project = generate(tmp_path / f"gen{count}", count, SAMPLE_CODES[:9])  # + English: 10 locales
            wall, cpu, out = run(pipeline(project, "build", "--format", "text", "--jobs", "2"))
            rows.append((f"{count} leaflets x 10 locales, text, cold, 2 jobs", f"{wall:.2f}", f"{built(out)} built"))
            noops[count] = median_wall(pipeline(project, "build", "--format", "text"), 5)
            one = median_wall(
                pipeline(project, "build", "--format", "text", "--leaflet", "GEN_0001", "--locale", "en"), 5
            )
            per = (noops[count] - one) / (count * 10 - 1) * 1000
            rows.append(
                (
                    f"{count} leaflets x 10 locales, text, no-op",
                    f"{noops[count]:.3f}",
                    f"{per:.3f} ms per artifact beyond start-up ({one:.3f} s)",
                )
            )
        rows[-1] = (*rows[-1][:2], rows[-1][2] + "; goal <= 1.5 s and linear")
        gen200 = tmp_path / "gen200"
        cold = run(pipeline(gen200, "status"))[0]
        rows.append(("status, 200 leaflets x 10 locales, first run", f"{cold:.3f}", "fills .cache/status.json"))
        warm = median_wall(pipeline(gen200, "status"), 3)
        rows.append(("status, catalogs unchanged", f"{warm:.3f}", "goal <= 1.5 s"))

        walls = {}
        for executor in ("local", "dask"):
            out = tmp_path / f"full-{executor}"
            walls[executor] = run(pipeline(ROOT, "build", "--executor", executor, "--jobs", "2", "--out", str(out)))[0]
            rows.append((f"seed full build, {executor}, 2 workers", f"{walls[executor]:.2f}", ""))
        same = _artifacts(tmp_path / "full-local") == _artifacts(tmp_path / "full-dask")
        rows.append(
            (
                "Dask / pool",
                f"{walls['dask'] / walls['local']:.2f}x",
                "goal <= 1.15x; " + ("same bytes" if same else "BYTES DIFFER"),
            )
        )

    width = max(len(r[0]) for r in rows)
    print(f"{'build engine':<{width}}  {'wall s':>8}  note")
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>8}  {note}")


def _artifacts(out: Path) -> dict[str, str]:
    return {a["path"]: a["sha256"] for a in json.loads((out / "manifest.json").read_text())["artifacts"]}


if __name__ == "__main__":
    main()
