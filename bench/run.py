"""`make bench`: run every benchmark script in bench/ (bench_*.py), one after another.

Each prints its figures beside their goals ("NOT met" where one is missed); the run fails only
when a benchmark itself could not run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

here = Path(__file__).resolve().parent
failed = 0
for script in sorted(here.glob("bench_*.py")):
    print(f"\n== {script.name} ==", flush=True)
    failed |= subprocess.run([sys.executable, "-m", f"bench.{script.stem}"], cwd=here.parent).returncode != 0
sys.exit(1 if failed else 0)
