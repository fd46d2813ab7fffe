"""build/manifest.json: exactly what is on disk under the output directory, and why anything
asked for is not there."""

from __future__ import annotations

import json
from pathlib import Path

import formats
from leaflets import catalogs

MANIFEST = "manifest.json"


def write(out_dir: Path, not_built: list[dict], digest) -> bool:
    """Scan out_dir/<leaflet>/<locale>/* and record every artifact with its size and sha256.

    `digest(path)` gives a file's sha256 (the build state answers from its records when the
    file is untouched, so a no-op build does not re-read every output). True if it changed.
    """
    out_dir = Path(out_dir)
    # longest extension first, so "preview.html" is not taken for "html"
    by_extension = sorted(((formats.extension(n), n) for n in formats.names()), key=lambda e: -len(e[0]))
    artifacts = []
    for path in sorted(p for p in out_dir.glob("*/*/*") if p.is_file() and not p.name.startswith(".")):
        artifacts.append(
            {
                "leaflet": path.parent.parent.name,
                "locale": path.parent.name,
                "format": next((n for ext, n in by_extension if path.name.endswith("." + ext)), path.suffix[1:]),
                "draft": ".draft." in path.name,
                "path": path.relative_to(out_dir).as_posix(),
                "bytes": path.stat().st_size,
                "sha256": digest(path),
            }
        )
    manifest = {"artifacts": artifacts, "not_built": not_built}
    return catalogs.write_atomic(
        out_dir / MANIFEST, (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    )


def read(out_dir: Path) -> dict:
    try:
        return json.loads((Path(out_dir) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"artifacts": [], "not_built": []}
