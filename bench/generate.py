"""Generate N distinct leaflets from the seed source, for scale benchmarks.

Every block gets the leaflet's number so no two leaflets share msgids (the case that makes
some tools quadratic).
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "source" / "RAD_0009-vertebroplasty.md"


def generate(target: Path, count: int) -> Path:
    """A project root under `target` with `count` leaflets and the shared strings."""
    source = target / "source"
    if target.exists():
        shutil.rmtree(target)
    source.mkdir(parents=True)
    shutil.copy(ROOT / "source" / "common.yaml", source / "common.yaml")
    text = SEED.read_text(encoding="utf-8")
    front, body = text.split("\n---\n", 1)
    for n in range(1, count + 1):
        lid = f"GEN_{n:04d}"
        numbered = re.sub(r"([.?!:])(\s*)$", rf" (leaflet {n})\1\2", body, flags=re.M)
        (source / f"{lid}-generated-{n}.md").write_text(
            front.replace("id: RAD_0009", f"id: {lid}") + "\n---\n" + numbered, encoding="utf-8"
        )
    return target


if __name__ == "__main__":
    print(generate(Path(sys.argv[1]), int(sys.argv[2])))
