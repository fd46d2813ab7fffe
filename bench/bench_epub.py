#!/usr/bin/env python3
"""Benchmark of the read-along EPUB: its own cost on top of the shared synthesis, and the whole
audio family (MP3 + transcript + EPUB from one narration) against the MP3 alone, same run.

Goal: the family <= 1.3x the MP3 alone. Usage: python -m bench.bench_epub [--locales en,pl,ur]
"""

from __future__ import annotations

import argparse
import time
from datetime import date

import formats
from formats.contract import sharing
from leaflets.project import Project
from leaflets.translate import translate

OPTIONS = formats.Options(build_date=date(2026, 5, 1))
GOAL = 1.3


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--locales", default="en,pl,ur,zh_Hans")
    args = parser.parse_args()
    project = Project(".")
    family = [n for n in ("audio", "transcript", "epub") if n in formats.names()]
    print(f"| locale | MP3 alone s | {' + '.join(family)} s | ratio | EPUB on top of the synthesis ms |")
    print("|---|---|---|---|---|")
    worst = 0.0
    for code in args.locales.split(","):
        doc = translate(project.leaflet("RAD_0009"), code, project.shared_strings, locales_dir=project.locales_dir)
        t = time.perf_counter()
        formats.get("audio").write(doc, OPTIONS)
        alone = time.perf_counter() - t
        with sharing():  # one build task: the family shares one narration
            t = time.perf_counter()
            for name in family:
                formats.get(name).write(doc, OPTIONS)
            together = time.perf_counter() - t
            t = time.perf_counter()
            formats.get("epub").write(doc, OPTIONS)  # the narration is the task's now: the EPUB's own work
            epub_ms = (time.perf_counter() - t) * 1000
        ratio = together / alone
        worst = max(worst, ratio)
        print(f"| {code} | {alone:.2f} | {together:.2f} | {ratio:.2f}x | {epub_ms:.0f} |")
    print(f"\nworst ratio {worst:.2f}x (goal <= {GOAL}x): {'met' if worst <= GOAL else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
