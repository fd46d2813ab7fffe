"""Large-print PDF writer speed on the seed leaflet, in one process.

For each locale with a catalog (drafts where one is incomplete): pages, size, the first PDF
of that locale in the process (its fonts are loaded and its words shaped then) and the median
of REPEATS further PDFs of the same document. Beside it, the same English text set by
reportlab's own platypus (Paragraphs in Noto Sans, no shaping, no fallback fonts, no
bidi), the peer figure for "one more PDF in a running build" (~15 ms for 8 pages).
Then what tagging costs (PDF/UA-1 marked content, structure tree, annotations, XMP) for an
English and an Urdu PDF: the writer with and without it in the same run (`tagged=False`
leaves out the marked content and the structure; the logical-order drawing and the ToUnicode
fix are in both).
Last, the marginal cost of a 12-row table (the bowel-preparation leaflet's diet table).
Goals: tagged/untagged <= 1.2x; an extra English PDF in a running build <= 25 ms; a 12-row table <= 15 ms.
Run: .venv/bin/python -m bench.bench_pdf
"""

from __future__ import annotations

import statistics
import time
from dataclasses import replace
from datetime import date
from functools import partial
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

import pikepdf
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from formats import Options
from formats.pdf import fonts as pdf_fonts
from formats.pdf import render as pdf
from leaflets import catalogs
from leaflets.errors import LeafletError
from leaflets.model import Segment, Table, Text, segments
from leaflets.project import Project
from leaflets.translate import translate

ROOT = Path(__file__).resolve().parent.parent

REPEATS = 7
OPTIONS = Options(build_date=date(2026, 5, 1))


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return (time.perf_counter() - start) * 1000, result


def document(project: Project, leaflet: str, code: str):
    try:
        return translate(project.leaflet(leaflet), code, project.shared_strings, locales_dir=project.locales_dir)
    except LeafletError:
        return translate(
            project.leaflet(leaflet), code, project.shared_strings, draft=True, locales_dir=project.locales_dir
        )


def platypus(doc) -> bytes:
    """The same text through reportlab's Paragraph: the baseline cost of reportlab itself."""
    font = pdf_fonts.face("NotoSans", False).reportlab.fontName
    style = ParagraphStyle("body", fontName=font, fontSize=18, leading=27)
    story = []
    for seg in [doc.title, *segments(doc.blocks), *segments(doc.footer)]:
        story += [Paragraph(escape(seg.text), style), Spacer(0, 27)]
    out = BytesIO()
    SimpleDocTemplate(out, pagesize=A4, invariant=1).build(story)
    return out.getvalue()


def main() -> None:
    project = Project(ROOT)
    leaflet = project.leaflet_ids()[0]
    codes = ["en", *catalogs.locale_codes(project.locales_dir)]
    print(f"{'locale':8} {'pages':>5} {'KB':>6} {'first ms':>9} {'warm ms':>8}")
    warm_en = 0.0
    for code in codes:
        doc = document(project, leaflet, code)
        write = partial(pdf.write, doc, OPTIONS)
        first, data = timed(write)
        warm = statistics.median(timed(write)[0] for _ in range(REPEATS))
        with pikepdf.open(BytesIO(data)) as written:
            pages = len(written.pages)
        warm_en = warm if code == "en" else warm_en
        print(f"{code:8} {pages:5d} {len(data) / 1024:6.0f} {first:9.0f} {warm:8.0f}")
    print(f"\n{'tagging':8} {'untagged ms':>11} {'tagged ms':>9} {'ratio':>6}")
    for code in ("en", "ur"):
        doc = document(project, leaflet, code)
        plain = statistics.median(
            timed(lambda doc=doc: pdf.write(doc, OPTIONS, tagged=False))[0] for _ in range(REPEATS)
        )
        tagged = statistics.median(timed(lambda doc=doc: pdf.write(doc, OPTIONS))[0] for _ in range(REPEATS))
        print(f"{code:8} {plain:11.0f} {tagged:9.0f} {tagged / plain:5.2f}x")
    doc = document(project, leaflet, "en")
    platypus(doc)
    base = statistics.median(timed(lambda: platypus(doc))[0] for _ in range(REPEATS))
    print(f"\nreportlab platypus, same English text: {base:.0f} ms; writer/platypus = {warm_en / base:.1f}x")
    print(f"an extra English PDF in a running build: {warm_en:.0f} ms (goal <= 25 ms)")
    with_table = replace(doc, blocks=(*doc.blocks, _table(12)))
    pdf.write(with_table, OPTIONS)
    # CPU time (other work on the machine inflates wall time), the median of runs of each, interleaved
    runs = [(cpu(lambda: pdf.write(doc, OPTIONS)), cpu(lambda: pdf.write(with_table, OPTIONS))) for _ in range(25)]
    plain, table = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
    print(f"a table of 12 rows x 3 columns in the English PDF: +{table - plain:.1f} ms (goal <= 15 ms)")


def cpu(fn) -> float:
    """Milliseconds of this process's CPU time that fn() takes."""
    start = time.process_time()
    fn()
    return (time.process_time() - start) * 1000


def _table(rows: int) -> Table:
    """A diet table like the bowel-preparation leaflet's: 3 columns, a few words a cell."""

    def cell(text: str) -> Segment:
        return Segment((Text(text),), text)

    header = tuple(cell(t) for t in ("Food group", "What you can eat", "Avoid"))
    body = tuple(
        (cell(f"Group {n}"), cell("White bread, rice and pasta"), cell("Wholemeal bread and cereals"))
        for n in range(rows)
    )
    return Table(header, body, ("", "", ""))


if __name__ == "__main__":
    main()
