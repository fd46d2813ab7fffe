"""Benchmark of the build engine (issue 12): per-artifact cost by format, no-op rebuilds, status
with unchanged catalogs, and Dask against the local process pool, all in one run.

Whole commands, as a user runs them, with bytecode caching on (as in an installed pipeline).
Goals: seed no-op <= 0.3 s; 200 leaflets x 10 locales x text no-op <= 1.5 s and linear;
status with unchanged catalogs <= 1.5 s; Dask LocalCluster 2 workers / pool 2 jobs <= 1.15x.
The per-artifact CPU figures feed the README's paper plan for a national library.

Issue 26's ratios (`python -m bench.bench_engine ratios [LEAFLETS]` runs only these; BENCH_CODE=DIR
measures the pipeline.py of another checkout, for before and after): a plain-text copy against
the floor of parsing its two catalogs with polib and writing the text (<= 4x), a cold `check`
per catalog against parsing it (<= 3x), the first `status` of 1,000 leaflets x 3 languages
(<= 15 s), and a one-sentence edit's rebuild of every format against the cold build (<= 0.3).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import formats
from bench.generate import SAMPLE_CODES, generate, seed_copy

ROOT = Path(__file__).resolve().parent.parent
CODE = Path(os.environ.get("BENCH_CODE") or ROOT)  # whose pipeline.py is measured
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
    return [sys.executable, str(CODE / "pipeline.py"), "--root", str(root), *args]


def built(stdout: str) -> int:
    last = stdout.strip().splitlines()[-1] if stdout.strip() else ""
    return int(last.split(" built")[0]) if " built" in last and last[0].isdigit() else 0


RATIO_CODES = ("pl", "ro", "cy")


def ratios(tmp_path: Path, count: int) -> list[tuple[str, str, str]]:
    """Issue 26's figures: each a ratio of two measurements made in this one run."""
    import polib

    rows = []
    project = generate(tmp_path / f"ratios{count}", count, RATIO_CODES)
    copies = count * len(RATIO_CODES)
    catalogs_po = sorted(project.glob("locales/*/LC_MESSAGES/*.po"))

    start = time.process_time()  # the floor: both catalogs parsed with polib, the text written
    for path in catalogs_po:
        if path.stem == "common":
            continue
        leaflet, common = polib.pofile(str(path)), polib.pofile(str(path.with_name("common.po")))
        text = "\n\n".join(e.msgstr for po in (leaflet, common) for e in po if e.msgstr)
        (tmp_path / f"{path.parent.parent.name}-{path.stem}.txt").write_text(text, encoding="utf-8")
    floor = (time.process_time() - start) / copies
    wall, cpu, out = run(
        pipeline(
            project, "build", "--format", "text", "--locale", "pl", "--locale", "ro", "--locale", "cy", "--jobs", "2"
        )
    )
    per = cpu / max(1, built(out))
    rows.append(
        (
            f"text copy, {count} leaflets x 3 locales, cold, 2 jobs: CPU per copy",
            f"{per * 1000:.1f} ms",
            f"{per / floor:.1f}x the polib parse-and-write floor ({floor * 1000:.2f} ms); goal <= 4x",
        )
    )

    start = time.process_time()  # the floor of a check: parsing each catalog
    for path in catalogs_po:
        polib.pofile(str(path))
    parse = (time.process_time() - start) / len(catalogs_po)
    shutil.rmtree(project / ".cache", ignore_errors=True)
    wall, cpu, _ = run(pipeline(project, "check"))
    per = cpu / len(catalogs_po)
    rows.append(
        (
            f"cold check, {len(catalogs_po)} catalogs: CPU per catalog",
            f"{per * 1000:.1f} ms",
            f"{per / parse:.1f}x parsing it ({parse * 1000:.2f} ms); goal <= 3x",
        )
    )

    # the same copies once `check` has found the findings (.cache/checks.json): no catalog checked again
    wall, cpu, out = run(
        pipeline(
            project,
            "build",
            "--format",
            "text",
            "--locale",
            "pl",
            "--locale",
            "ro",
            "--locale",
            "cy",
            "--jobs",
            "2",
            "--out",
            str(tmp_path / "after-check"),
        )
    )
    per = cpu / max(1, built(out))
    rows.append(
        ("text copy, the same, after `check`: CPU per copy", f"{per * 1000:.1f} ms", f"{per / floor:.1f}x the floor")
    )

    shutil.rmtree(project / ".cache", ignore_errors=True)
    wall, cpu, _ = run(pipeline(project, "status"))
    rows.append(
        (f"first status, {count} leaflets x 3 locales", f"{wall:.2f} s", f"{cpu:.1f} CPU s; goal <= 15 s for 1,000 x 3")
    )

    seed = seed_copy(tmp_path / "seed-edit")  # a one-sentence edit to a Polish catalog, every format rebuilt
    _, cold, _ = run(pipeline(seed, "build", "--locale", "pl", "--jobs", "1"))
    po = seed / "locales/pl/LC_MESSAGES/RAD_0009.po"
    text = po.read_text(encoding="utf-8")
    at = text.index('msgstr "', text.index("msgid", text.index("#: ")))
    po.write_text(text[: at + 8] + "Ważne: " + text[at + 8 :], encoding="utf-8")
    _, edit, out = run(pipeline(seed, "build", "--locale", "pl", "--jobs", "1"))
    rows.append(
        (
            "one-sentence edit, pl, every format: rebuild / cold CPU",
            f"{edit / cold:.2f}",
            f"{edit:.1f} / {cold:.1f} CPU s, {built(out)} rebuilt; goal <= 0.3",
        )
    )
    return [*rows, _against_the_engines(tmp_path)]


def _against_the_engines(tmp_path: Path) -> tuple[str, str, str]:
    """The seed's full cold build (every locale and format, 2 jobs) against the speech engines
    alone: the espeak-ng CLI reading each voiced locale's speech text (its voices and pauses, as
    bench_audio gives them) into a WAV, then the lame CLI encoding it, one after another."""
    from bench.bench_audio import cli
    from leaflets.project import Project
    from leaflets.translate import translate

    project = Project(ROOT)
    engines = engines_cpu = 0.0
    for code in project.locale_codes():
        doc = translate(project.leaflet("RAD_0009"), code, project.shared_strings, locales_dir=project.locales_dir)
        if formats.get("audio").unavailable(doc.locale):
            continue
        folder = tmp_path / f"engines-{code}"
        folder.mkdir()
        espeak, lame, _ = cli(doc, formats.Options(), folder)
        for cmd in (espeak, lame):
            wall, cpu, _ = run(cmd)
            engines, engines_cpu = engines + wall, engines_cpu + cpu
    seed = seed_copy(tmp_path / "seed-full")
    wall, cpu, out = run(pipeline(seed, "build", "--jobs", "2", "--out", str(tmp_path / "seed-full-out")))
    return (
        "seed full build, every locale and format, cold, 2 jobs, against espeak-ng + lame alone",
        f"{wall / engines:.2f}x",
        f"{wall:.1f} / {engines:.1f} s wall ({cpu:.1f} / {engines_cpu:.1f} CPU s), {built(out)} built; goal <= 1x",
    )


def _print(rows: list[tuple[str, str, str]]) -> None:
    width = max(len(r[0]) for r in rows)
    print(f"{'build engine':<{width}}  {'figure':>8}  note")
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>8}  {note}")


def main() -> None:
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        seed = tmp_path / "seed"
        project = seed_copy(tmp_path / "project")
        for name in formats.default_names():  # one format at a time, one job: cost per artifact
            shutil.rmtree(project / ".cache", ignore_errors=True)  # no speech or chapters kept from before
            wall, cpu, out = run(pipeline(project, "build", "--format", name, "--jobs", "1", "--out", str(seed)))
            n = built(out) or 1
            rows.append((f"seed, {name}: {n} artifacts, 1 job", f"{wall:.2f}", f"{cpu / n:.3f} CPU s per artifact"))
        noop = median_wall(pipeline(project, "build", "--out", str(seed)), 5)
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
            shutil.rmtree(project / ".cache", ignore_errors=True)  # both cold: nothing spoken or encoded is kept
            walls[executor] = run(pipeline(project, "build", "--executor", executor, "--jobs", "2", "--out", str(out)))[
                0
            ]
            rows.append((f"seed full build, {executor}, 2 workers", f"{walls[executor]:.2f}", ""))
        same = _artifacts(tmp_path / "full-local") == _artifacts(tmp_path / "full-dask")
        rows.append(
            (
                "Dask / pool",
                f"{walls['dask'] / walls['local']:.2f}x",
                "goal <= 1.15x; " + ("same bytes" if same else "BYTES DIFFER"),
            )
        )

        rows += ratios(tmp_path, 1000)
    _print(rows)


def _artifacts(out: Path) -> dict[str, str]:
    return {a["path"]: a["sha256"] for a in json.loads((out / "manifest.json").read_text())["artifacts"]}


if __name__ == "__main__":
    if sys.argv[1:2] == ["ratios"]:
        with tempfile.TemporaryDirectory() as tmp:
            _print(ratios(Path(tmp), int(sys.argv[2]) if len(sys.argv) > 2 else 300))
    else:
        main()
