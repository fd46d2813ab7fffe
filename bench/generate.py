"""Generate N distinct leaflets from the seed source, for scale benchmarks.

Every block gets the leaflet's number so no two leaflets share msgids (the case that makes
some tools quadratic). With `codes`, each locale also gets complete catalogs: made by
`pipeline.py extract` and `init`, then translated as the English itself (so every build
succeeds; the identity is what the test suite uses too).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from leaflets import catalogs
from leaflets.files import write_atomic

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "source" / "RAD_0009-vertebroplasty.md"
SAMPLE_CODES = ("pl", "ro", "cy", "so", "ur", "ar", "bn", "pa", "ne", "zh_Hans")


def seed_copy(where: Path) -> Path:
    """The seed project's sources and catalogs, with nothing built or kept (no `.cache`: no speech
    or encoded chapters from an earlier build make a measured build look cheaper)."""
    shutil.copytree(ROOT / "source", where / "source")
    shutil.copytree(ROOT / "locales", where / "locales")
    return where


def generate(target: Path, count: int, codes: tuple[str, ...] = ()) -> Path:
    """A project root under `target` with `count` leaflets, the shared strings, and catalogs for `codes`."""
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
    if codes:
        pipeline = [sys.executable, str(ROOT / "pipeline.py"), "--root", str(target)]
        subprocess.run([*pipeline, "extract"], check=True, capture_output=True)
        for code in codes:
            subprocess.run([*pipeline, "init", code], check=True, capture_output=True)
            for path in (target / "locales" / code / "LC_MESSAGES").glob("*.po"):
                identity(path)
    return target


def identity(path: Path) -> None:
    """Translate every entry of a catalog as itself (msgstr = msgid)."""
    po = catalogs.load(path)
    for e in po:
        if e.msgid_plural:
            e.msgstr_plural = {i: (e.msgid if i == 0 else e.msgid_plural) for i in e.msgstr_plural}
        else:
            e.msgstr = e.msgid
        if "fuzzy" in e.flags:
            e.flags.remove("fuzzy")
    write_atomic(path, catalogs.po_bytes(po))


if __name__ == "__main__":
    print(generate(Path(sys.argv[1]), int(sys.argv[2]), tuple(sys.argv[3:])))
