"""build/manifest.json: every artifact this folder's builds made that is on disk, and why
anything asked for is not there.

Listed from the build state's records, not by scanning the folder: a file somebody else put
there is not the build's to describe (or to delete).
"""

from __future__ import annotations

import json
from pathlib import Path

from . import buildstate
from .output import write_file

MANIFEST = "manifest.json"


def write(out_dir: Path, state: buildstate.BuildState) -> bool:
    """Record every built artifact still on disk with its size and sha256. True if it changed.

    The sha256 comes from the state's record when the file is as it was written, so a no-op
    build does not re-read every output.
    """
    out_dir = Path(out_dir)
    artifacts = []
    for key, rec in state.built():
        path = out_dir / key
        leaflet, locale, fmt = rec.target.split(" ")
        artifacts.append(
            {
                "leaflet": leaflet,
                "locale": locale,
                "format": fmt,
                "draft": ".draft." in path.name,
                "path": Path(key).as_posix(),
                "bytes": path.stat().st_size,
                "sha256": state.digest(path),
            }
        )
    manifest = {"artifacts": artifacts, "not_built": state.not_built()}
    data = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    return write_file(out_dir, out_dir / MANIFEST, data)


def read(out_dir: Path) -> dict:
    """The manifest, or an empty one if there is none (or it is damaged: the next build rewrites it)."""
    try:
        data = json.loads((Path(out_dir) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = None
    if not (
        isinstance(data, dict) and isinstance(data.get("artifacts"), list) and isinstance(data.get("not_built"), list)
    ):
        return {"artifacts": [], "not_built": []}
    return data
