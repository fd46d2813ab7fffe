"""Growth of the record of copies issued and its archive (issue 25): bytes per 1,000 copies issued.

Nine real copies of the seed (English, Polish, Arabic x plain text, large print, Word) are built,
then 1,000 issues are recorded, cycling through them, as the desk and `request` record them
(record_issue: version, review state, sha256, the row, the bytes if new). Printed: the record's
bytes per 1,000 rows, the archive's bytes (each distinct file once) and the time per copy
recorded. Run: .venv/bin/python -m bench.bench_archive
"""

from __future__ import annotations

import io
import shutil
import tempfile
import time
from pathlib import Path

import formats
from leaflets.project import Project
from publishing.engine.build import Request, build
from publishing.engine.progress import Progress
from publishing.issuing import archive

ROOT = Path(__file__).resolve().parent.parent
ISSUES = 1000


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "proj"
        root.mkdir()
        for part in ("source", "locales"):
            shutil.copytree(ROOT / part, root / part)
        project = Project(root)
        options = formats.Options()
        request = Request(out_dir=str(root / "build"), options=options)
        summary = build(
            project,
            ["RAD_0009"],
            ["en", "pl", "ar"],
            ["text", "large-print", "word"],
            request,
            jobs=2,
            progress=Progress(1, io.StringIO()),
        )
        copies = [(o.target, Path(o.path)) for o in summary.outcomes if o.state in ("built", "up to date")]
        start = time.perf_counter()
        for n in range(ISSUES):
            target, path = copies[n % len(copies)]
            with open(path, "rb") as data:
                archive.record_issue(
                    project, "RAD_0009", target.locale, target.format, options, data, path.name, "desk"
                )
        elapsed = time.perf_counter() - start
        state = root / archive.STATE
        objects = _size(state / archive.OBJECTS)
        record = _size(state) - objects
        distinct = sum(p.stat().st_size for _, p in copies)
        print(f"{ISSUES} copies issued, {len(copies)} distinct files ({distinct:,} bytes)")
        print(f"record (SQLite): {record:,} bytes = {record / ISSUES:.0f} bytes per copy")
        print(f"archive objects: {objects:,} bytes (each distinct file once: {objects == distinct})")
        print(f"bytes per 1,000 copies issued: {record + objects:,} (record {record:,} + archive {objects:,})")
        print(f"time per copy recorded: {1000 * elapsed / ISSUES:.2f} ms")


if __name__ == "__main__":
    main()
