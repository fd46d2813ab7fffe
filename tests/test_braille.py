"""Braille: page geometry, page numbers, and back-translation by liblouis recovering the plain-text copy.

Every locale with a braille code is translated once (module fixture) with the real liblouis, and
each page of the BRF is read back by liblouis's back-translator; the clinically dangerous parts
(numbers, phone numbers, addresses, kept drug names) must come back exactly.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

import formats
from formats import text
from formats.braille import louis, tables
from formats.braille.layout import BLANK, Block, numbered, paginate, wrap
from formats.braille.render import render
from leaflets import locales, patterns
from leaflets.errors import InstallationError, Kind, LeafletError
from leaflets.model import Leaflet, Notice, Paragraph, Segment, Strong, Text
from leaflets.project import Project
from leaflets.translate import translate

OPTIONS = formats.Options()
WRITER = formats.get("braille")

# Fraction of the plain-text copy's words that liblouis's back-translation gives back, as measured
# (README "Braille"); a fall below these means the braille or the layout lost words.
WORDS = {"en": 0.97, "ar": 0.95, "bn": 0.86, "cy": 0.79, "ne": 0.66, "pa": 0.94, "pl": 0.97, "ur": 0.85, "zh_Hans": 0.2}
# Codes whose numbers liblouis's back-translator misreads though they are written as in UEB (the
# number sign, then a-j): they are read by UEB's table too. Welsh: the comma and full stop after a
# number come back as the lowered digits 1 and 4 ("2026." reads "20264"). Chinese: a 1 before the
# full stop comes back as the syllable yi ("7991。" reads "799一。").
NUMBERS_AS_UEB = {"cy", "zh_Hans"}


@dataclass
class Copy:
    doc: Leaflet
    code: tables.Code
    brf: bytes
    pages: list[list[str]]  # Unicode cells
    plain: str  # the plain-text copy
    back: str  # the pages read back in the document's code
    back_latin: str  # ... and in the code for addresses and Latin names (uncontracted UEB)
    back_english: str  # ... and in contracted UEB, the code of the English sentences beside a translation


def _back(table: str, pages: list[list[str]]) -> str:
    """Each page read back by liblouis, line by line (the page number line left out)."""
    return "\n".join(louis.back_translate(table, line) for page in pages for line in page[1:] if line.strip(BLANK))


@pytest.fixture(scope="module")
def copies() -> dict[str, Copy]:
    project = Project(ROOT)
    english = tables.code_for(locales.info("en"), 2)
    assert english is not None
    out = {}
    for code in project.locale_codes():
        info = locales.info(code)
        found = tables.code_for(info, 2)
        if found is None:
            continue
        doc = translate(project.leaflet("RAD_0009"), code, project.shared_strings, locales_dir=project.locales_dir)
        pages = render(doc, OPTIONS).pages
        out[code] = Copy(
            doc,
            found,
            WRITER.write(doc, OPTIONS),
            pages,
            text.write(doc).decode(),
            _back(found.tables, pages),
            _back(tables.address_code(), pages),
            _back(english.tables, pages),
        )
    return out


def test_every_sample_language_with_a_code_is_made():
    have = {c for c in Project(ROOT).locale_codes() if tables.code_for(locales.info(c), 2)}
    assert have == {"en", "ar", "bn", "cy", "ne", "pa", "pl", "ur", "zh_Hans"}


def test_codes_are_the_established_ones():
    def table(code: str, grade: int) -> str:
        found = tables.code_for(locales.info(code), grade)
        assert found is not None
        return ",".join(Path(t).name for t in found.tables.split(","))

    assert table("en", 2) == "en-ueb-g2.ctb"  # UEB, not the pre-UEB en-GB-g2
    assert table("en", 1) == "en-ueb-g1.ctb"
    assert table("cy", 2) == "cy.tbl" and table("cy", 1) == "cy-cy-g1.utb"
    # liblouis 3.24's contracted Arabic and Urdu tables read numbers back wrong (3 as "ال", 500 as
    # "اس00"): the uncontracted codes are used; Urdu's has no Latin letters, uncontracted UEB supplies them
    assert table("ar", 2) == table("ar", 1) == "ar.tbl"
    assert table("ur", 2) == table("ur", 1) == "ur-pk-g1.utb,en-ueb-g1.ctb"
    assert table("bn", 2) == "bn.tbl,hi.tbl"  # the danda, from the Devanagari table
    assert table("zh_Hans", 2) == "zhcn-g1.ctb"  # current braille, not the two-cell system
    assert table("pl", 2) == "pl.tbl"  # Polish has no contracted code in liblouis: the same table
    assert tables.code_for(locales.info("ro"), 2) is None  # liblouis has only 8-dot computer braille


def test_pages_fit_and_are_numbered(copies):
    for code, copy in copies.items():
        assert copy.brf.endswith(b"\r\n\f"), code
        pages = copy.brf.decode("ascii").split("\f")[:-1]
        assert len(pages) == len(copy.pages) > 2, code
        for n, (page, cells) in enumerate(zip(pages, copy.pages, strict=True), start=1):
            lines = page.split("\r\n")[:-1]
            assert 1 < len(lines) <= OPTIONS.braille_lines, (code, n)
            assert all(len(line) <= OPTIONS.braille_cells for line in lines), (code, n)
            assert all(len(line) <= OPTIONS.braille_cells for line in cells), (code, n)
            # the page number: at the right margin of line 1, the number sign and digits of the code
            assert len(lines[0]) == OPTIONS.braille_cells and lines[0].lstrip().startswith("#"), (code, n)
            assert _page_number(cells[0]) == n, (code, n)


def test_first_page_identifies_the_document(copies):
    for code, copy in copies.items():
        first = "\n".join(louis.back_translate(copy.code.tables, line) for line in copy.pages[0][1:])
        latin = "\n".join(louis.back_translate(tables.address_code(), line) for line in copy.pages[0][1:])
        assert copy.doc.meta.id in _flat(latin) + _flat(first), code
        assert louis.version() in _flat(latin), code
        assert str(len(copy.pages)) in _numbers(_digits(first)), code  # "Page 1 of N" in the language
        if code in ("en", "cy", "pl"):
            assert copy.doc.meta.organisation.split()[0] in first, code


def test_numbers_phones_addresses_and_kept_names_come_back_exactly(copies):
    for code, copy in copies.items():
        plain, back, latin = _digits(copy.plain), _digits(copy.back), _flat(copy.back_latin)
        # numbers in addresses (IPG12) and in Latin names inside other scripts are checked with them
        in_code = patterns.EMAIL.sub(" ", patterns.WEBSITE.sub(" ", plain))
        if copy.doc.locale.script != "Latn":
            in_code = re.sub(r"[A-Za-z]\w*", " ", in_code, flags=re.ASCII)
        read = Counter(_numbers(back))
        if code in NUMBERS_AS_UEB:
            read |= Counter(_numbers(_digits(copy.back_latin)))
        missing = Counter(_numbers(in_code)) - read
        assert not missing, (code, missing)
        lines = copy.back.split("\n") + (copy.back_latin.split("\n") if code in NUMBERS_AS_UEB else [])
        for m in patterns.PHONE.finditer(plain):  # digit for digit, and on one line
            phone = "".join(m.group().split())
            assert any(phone in _flat(_digits(line)) for line in lines), (code, m.group())
        addresses = [patterns.trim_url(m.group()) for m in patterns.WEBSITE.finditer(copy.plain)]
        addresses += [m.group() for m in patterns.EMAIL.finditer(copy.plain)]
        assert addresses, code
        for address in addresses:
            assert address in latin, (code, address)
        for name in copy.doc.meta.keep:
            if name in copy.plain:  # a Latin-script name (other scripts spell it their own way)
                found = copy.back if copy.doc.locale.script == "Latn" else copy.back_latin
                assert name in found, (code, name)


def test_words_come_back_as_far_as_the_code_allows(copies):
    """Each word is read back in the code it was written in: the document's, or UEB for the English
    sentences beside a translation and for Latin-script words inside another script."""
    fractions = {}
    for code, copy in copies.items():
        plain = Counter(_words(copy.plain))
        in_english = {w for seg in copy.doc.all_segments() if seg.lang != copy.doc.locale.tag for w in _words(seg.text)}
        if copy.doc.locale.script != "Latn":
            in_english |= {w for w in plain if re.fullmatch(r"[A-Za-z][\w.'’/-]*", w, re.ASCII)}
        read = Counter(_words(copy.back))
        in_ueb = Counter(_words(copy.back_latin)) | Counter(_words(copy.back_english))
        found = sum(min(n, read[w] + (in_ueb[w] if w in in_english else 0)) for w, n in plain.items())
        fractions[code] = round(found / plain.total(), 3)
    print("\nback-translation: fraction of the plain-text words recovered:", fractions)
    for code, fraction in fractions.items():
        assert fraction >= WORDS[code], (code, fraction)


def test_a_notice_is_boxed_and_says_its_label(tmp_path):
    project = Project(ROOT)
    doc = translate(project.leaflet("RAD_0009"), "en", project.shared_strings, locales_dir=project.locales_dir)
    notice = Notice((Paragraph(Segment((Strong((Text("Do not drive"),)), Text(" for 24 hours.")), "x")),), _label(doc))
    braille = render(replace(doc, blocks=(notice, *doc.blocks)), OPTIONS)
    lines = [line for page in braille.pages for line in page]
    top = lines.index("⠶" * OPTIONS.braille_cells)  # box lines: dots 2356 above, 1245 below
    bottom = lines.index("⠛" * OPTIONS.braille_cells, top)
    inside = [louis.back_translate(braille.code.tables, line).strip() for line in lines[top + 1 : bottom]]
    assert len(inside) == 2 and inside[0] == "Important:" and inside[1].endswith(" for 24 hours.")
    # bold, with UEB's bold indicators (liblouis cannot read those back: they come back as \45/)
    bold = louis.translate(braille.code.tables, "Do not drive", typeform=louis.emphasis(braille.code.tables, "bold"))
    assert bold.startswith("⠘") and lines[top + 2].strip(BLANK).startswith(bold)


def test_a_character_the_code_cannot_write_stops_the_build_never_lost(copies):
    for code, word, char in (("pl", "Zadzwoń ☎ 0118", "U+260E"), ("zh_Hans", "6 ঘণ্টা", "U+0998")):
        doc = copies[code].doc
        para = Paragraph(Segment((Text(word),), "x", lang=doc.locale.tag, line=7))
        with pytest.raises(LeafletError, match=f"has no braille sign for .*{re.escape(char)}.* in line 7"):
            render(replace(doc, blocks=(para, *doc.blocks)), OPTIONS)


def _label(doc: Leaflet) -> Segment:
    return doc.label("notice")


def test_right_to_left_is_kept_in_logical_order(copies):
    for code in ("ar", "ur"):
        copy = copies[code]
        title = copy.doc.title.text.split()
        first_line = louis.back_translate(copy.code.tables, copy.pages[0][1]).split()
        assert first_line[0] == title[0], code  # the first word read is the first word written


def test_no_heading_ends_a_page_and_blocks_keep_their_text():
    heading = Block(BLANK.join(["⠓"] * 3), 4, 4, heading=True, space_before=True)
    para = Block(BLANK.join(["⠏⠏⠏⠏"] * 30), 2, 0)
    pages = paginate([para, para, para, heading, para], 40, 12)
    for page in pages:
        assert len(page) <= 11
    where = next(i for i, page in enumerate(pages) if any(line.strip(BLANK).startswith("⠓") for line in page))
    page = pages[where]
    at = next(i for i, line in enumerate(page) if line.strip(BLANK).startswith("⠓"))
    assert len(page) - at - 1 >= 2  # two lines of its text follow on the same page
    assert all(page[0] for page in pages)  # no page starts with a blank line
    cells = "".join(line.strip(BLANK) for page in pages for line in page)
    assert cells.count("⠏⠏⠏⠏") == 120 and cells.count("⠓") == 3


def test_wrap_breaks_only_between_words_and_divides_only_a_word_longer_than_a_line():
    words = ["⠁" * n for n in (3, 9, 1, 12, 7, 5, 2, 11)]
    lines = wrap(BLANK.join(words), 20, 2, 0)
    assert all(len(line) <= 20 for line in lines)
    assert [w for line in lines for w in line.split(BLANK) if w] == words
    assert lines[0].startswith(BLANK * 2) and not lines[1].startswith(BLANK)
    long = wrap("⠃" * 45, 20, 0, 2)
    assert [len(line) for line in long] == [20, 20, 9] and "".join(long).replace(BLANK, "") == "⠃" * 45
    numbers = numbered([["⠁"], ["⠃"]], 40, lambda n: "⠼" + "⠁⠃"[n - 1])
    assert numbers[1][0] == BLANK * 38 + "⠼⠃"


def test_uncontracted_on_request():
    project = Project(ROOT)
    doc = translate(project.leaflet("RAD_0009"), "en", project.shared_strings, locales_dir=project.locales_dir)
    one = render(doc, formats.Options(braille_grade=1, braille_cells=32, braille_lines=20))
    assert one.code.name == "Unified English uncontracted braille" and not one.code.contracted
    assert all(len(line) <= 32 for page in one.pages for line in page)
    assert all(len(page) <= 20 for page in one.pages)
    back = _back(one.code.tables, one.pages)
    assert "Vertebroplasty" in back and "procedure" in back  # uncontracted: whole words read back


def test_preview_shows_the_brf_pages(copies):
    preview = formats.get("braille-preview")
    copy = copies["cy"]
    html = preview.write(copy.doc, OPTIONS).decode()
    assert '<pre class="back" lang="cy" dir="ltr"' in html and "Ffôn 0118 322 7991" not in html  # read back, not print
    assert "0118 322 7991" in html
    pres = re.findall(r'<pre class="cells"[^>]*>(.*?)</pre>', html, re.S)
    display = tables.display_table()
    brf_pages = copy.brf.decode("ascii").split("\f")[:-1]
    assert len(pres) == len(brf_pages)
    for pre, page in zip(pres, brf_pages, strict=True):
        assert [louis.to_ascii(display, line).rstrip() for line in pre.split("\n")] == page.split("\r\n")[:-1]


def test_extent_counts_braille_pages(copies, tmp_path):
    path = tmp_path / "x.brf"
    path.write_bytes(copies["en"].brf)
    assert WRITER.extent(path) == f"{len(copies['en'].pages)} braille pages"


def test_somali_has_no_braille_code_and_says_so():
    reason = WRITER.unavailable(locales.info("so"))
    assert reason is not None and reason.kind == Kind.NO_CODE
    assert str(reason) == "there is no braille code for Somali in liblouis"
    assert WRITER.unavailable(locales.info("cy")) is None


def test_inputs_name_liblouis_and_every_table_file_read():
    inputs = WRITER.inputs(locales.info("cy"))
    assert inputs[0] == louis.version()
    stamps = [entry for entry in inputs[1:] if isinstance(entry, tuple)]
    assert len(stamps) == len(inputs) - 1
    names = {Path(str(entry[0])).name for entry in stamps}
    assert {"en-us-brf.dis", "cy.tbl", "cy-cy-g2.ctb", "cy-cy-g1.utb"} <= names  # cy.tbl includes the others
    assert {"en-ueb-g1.ctb", "en-ueb-g2.ctb"} <= names  # addresses and the English notice
    assert all(len(entry) == 3 for entry in stamps)  # all present: (path, size, mtime)


def test_a_missing_liblouis_fails_with_the_package_to_install(monkeypatch, copies):
    monkeypatch.setattr(louis, "LIBRARY", "liblouis.so.0-not-installed")
    louis._lib.cache_clear()
    try:
        assert WRITER.unavailable(locales.info("so")) is None  # not "no braille code" on a broken machine
        with pytest.raises(InstallationError, match="liblouis20"):
            WRITER.write(copies["en"].doc, OPTIONS)
    finally:
        monkeypatch.undo()
        louis._lib.cache_clear()
    assert WRITER.unavailable(locales.info("so")) is not None


def _build(env_tables: Path, out: Path, *locales_: str) -> subprocess.CompletedProcess:
    args = [sys.executable, str(ROOT / "pipeline.py"), "build", "--format", "braille", "--jobs", "1", "--out", str(out)]
    for code in locales_:
        args += ["--locale", code]
    env = dict(os.environ, LOUIS_TABLEPATH=str(env_tables))
    return subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)


def test_missing_tables_fail_with_the_package_to_install(tmp_path):
    empty = tmp_path / "tables"
    empty.mkdir()
    done = _build(empty, tmp_path / "out", "en", "so")
    assert done.returncode == 1
    assert "liblouis-data" in done.stdout + done.stderr and "make debs" in done.stdout + done.stderr
    assert "Somali" not in done.stdout  # not called "no braille code" on a machine without tables
    assert not list((tmp_path / "out").rglob("*.brf"))


def test_a_table_missing_an_include_fails_not_a_wrong_code(tmp_path):
    broken = tmp_path / "tables"
    shutil.copytree(tables.DEBIAN_TABLES, broken)
    (broken / "cy-cy-g2.ctb").unlink()  # cy.tbl, Welsh contracted, includes it
    done = _build(broken, tmp_path / "out", "cy", "en")
    assert done.returncode == 1
    said = done.stdout + done.stderr
    assert "cy.tbl cannot be read" in said and "liblouis-data" in said
    assert not list((tmp_path / "out").rglob("*.cy.brf"))
    assert list((tmp_path / "out").rglob("*.en.brf"))  # English is untouched


# --- helpers ------------------------------------------------------------------------------------


_DIGIT_CELLS = "⠚⠁⠃⠉⠙⠑⠋⠛⠓⠊"  # 0-9: the letters a-j after the number sign, in every code here


def _page_number(line: str) -> int:
    """A braille page number read by the rule a reader uses (number sign, then a-j), not by liblouis."""
    mark = line.strip(BLANK)
    assert mark[0] == "⠼" and all(c in _DIGIT_CELLS for c in mark[1:]), mark
    return int("".join(str(_DIGIT_CELLS.index(c)) for c in mark[1:]))


def _digits(s: str) -> str:
    """Every script's decimal digits as ASCII (the plain text may have Bengali digits, braille gives either),
    after NFKC: liblouis reads Chinese numbers back as full-width or bracketed digits (５, ⒁)."""
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in unicodedata.normalize("NFKC", s))


def _numbers(s: str) -> list[str]:
    return re.findall(r"\d+", s)


def _flat(s: str) -> str:
    """Without white space: the layout may break a line inside an address or between a number's groups."""
    return "".join(s.split())


def _words(s: str) -> list[str]:
    return [w for w in (w.strip(".,;:!?()\"'“”‘’«»。，：；（）、؟،۔।") for w in _digits(_vowels(s)).split()) if w]


def _vowels(s: str) -> str:
    """Indian vowel signs as their vowel letters: Bharati braille writes both with one cell and liblouis
    reads every vowel back as a letter (আপনার comes back আপনআর), which a braille reader does not."""
    out = []
    for c in s:
        name = unicodedata.name(c, "")
        if " VOWEL SIGN " in name:
            with contextlib.suppress(KeyError):
                c = unicodedata.lookup(name.replace(" VOWEL SIGN ", " LETTER "))
        out.append(c)
    return "".join(out)


def test_the_desk_offers_braille_and_says_when_it_cannot(project_copy):
    done = run_cli(project_copy, "request", "vertebroplasty", "Cymraeg", "braille", "--braille-grade", "1")
    assert done.returncode == 0, done.stderr
    path = Path(done.stdout.strip())
    assert path.name == "RAD_0009-vertebroplasty.cy.grade1.brf" and b"\f" in path.read_bytes()
    done = run_cli(project_copy, "request", "vertebroplasty", "Somali", "brf")
    assert done.returncode == 1
    assert done.stderr.startswith("Braille is not available in Somali; "), done.stderr
