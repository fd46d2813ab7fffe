"""Line setting for the large-print PDF: fonts per character, breaking, bidi order."""

from __future__ import annotations

import itertools

import pytest
from bidi import get_display

from formats.pdf import fonts as pdf_fonts
from formats.pdf.lines import NUMBER_GROUPS, Span, lay_out, spans
from leaflets.model import Emphasis, Link, Strong, Text

ARABIC = (
    "قبل الإجراء، يجب عليك التوقف عن تناول الطعام لمدة 6 ساعات والسوائل لمدة ساعتين. "
    "اتصل بقسم الأشعة على الرقم 0118 322 7991 إذا كانت لديك أسئلة (مثل الأدوية). "
    "يشعر حوالي 50% من المرضى بتحسن في الألم بعد فحص MRI والعلاج."
)
URDU = (
    "طریقہ کار سے پہلے آپ کو 6 گھنٹے تک کچھ نہیں کھانا چاہیے اور 2 گھنٹے تک کچھ نہیں پینا "
    "چاہیے۔ کسی بھی سوال کے لیے ریڈیالوجی ڈیپارٹمنٹ کو 0118 322 7991 پر فون کریں۔ تقریباً "
    "50% مریضوں کو MRI اسکین کے بعد درد میں آرام ملتا ہے۔"
)
# A sentence per script of the font table, with digits and punctuation in it.
SAMPLES = {
    ("en", "Latn"): "Stop Warfarin 5 days before; call 0118 322 7991 (24 hours).",
    ("ru", "Cyrl"): "Прекратите приём варфарина за 5 дней (позвоните 0118 322 7991).",
    ("el", "Grek"): "Σταματήστε τη βαρφαρίνη 5 ημέρες πριν (τηλέφωνο 0118 322 7991).",
    ("ar", "Arab"): ARABIC,
    ("fa", "Arab"): "۶ ساعت پیش از عمل چیزی نخورید؛ مهره‌ها (50%) با شماره‌ی 0118 322 7991 تماس بگیرید.",
    ("ur", "Arab"): URDU,
    ("bn", "Beng"): "প্রক্রিয়ার ৬ ঘণ্টা আগে কিছু খাবেন না। 0118 322 7991 নম্বরে ফোন করুন (50%)।",
    ("hi", "Deva"): "प्रक्रिया से 6 घंटे पहले कुछ न खाएँ। हमें 0118 322 7991 पर फ़ोन करें (50%)।",
    ("pa", "Guru"): "ਪ੍ਰਕਿਰਿਆ ਤੋਂ 6 ਘੰਟੇ ਪਹਿਲਾਂ ਕੁਝ ਨਾ ਖਾਓ। ਸਾਨੂੰ 0118 322 7991 'ਤੇ ਫ਼ੋਨ ਕਰੋ (50%)।",
    ("gu", "Gujr"): "પ્રક્રિયાના 6 કલાક પહેલાં કંઈ ખાશો નહીં. અમને 0118 322 7991 પર ફોન કરો (50%).",
    ("ta", "Taml"): "சிகிச்சைக்கு 6 மணி நேரத்திற்கு முன் எதுவும் சாப்பிட வேண்டாம் (0118 322 7991).",
    ("am", "Ethi"): "ከሂደቱ 6 ሰዓት በፊት ምንም አይብሉ። በ 0118 322 7991 ይደውሉልን (50%)።",
    ("zh", "Hans"): "手术前6小时内请勿进食，服用500毫克止痛药。请致电0118 322 7991与我们联系（约50%）。",
    ("zh", "Hant"): "手術前6小時內請勿進食，服用500毫克止痛藥。請致電0118 322 7991與我們聯繫（約50%）。",
}
MIRROR = str.maketrans("()[]{}<>«»", "((((((((((")


def _set(text, language, script, tag, rtl, width, size=18.0, parts=None):
    chain = pdf_fonts.chain(language, script)
    return lay_out(parts or [Span(text)], chain, tag, rtl, size, width)


def _logical(line) -> str:
    return "".join(p.text for p in line.pieces)


def _visual(line) -> str:
    """The characters of a line from left to right, as the pieces are placed."""
    out = []
    for p in sorted(line.pieces, key=lambda p: p.x):
        out.append(p.text[::-1] if p.rtl else p.text)
    return "".join(out)


def _expected_visual(logical: str) -> str:
    """python-bidi's own display order for a right-to-left line (Rust implementation), with
    grouped numbers isolated as left-to-right, as the writer means them to read."""
    isolated = NUMBER_GROUPS.sub(lambda m: "\u2066" + m.group() + "\u2069", logical)
    return "".join(ch for ch in get_display(isolated, base_dir="R") if ch not in "\u2066\u2069")


@pytest.mark.parametrize("text,language", [(ARABIC, "ar"), (URDU, "ur")])
def test_rtl_lines_are_in_unicode_bidi_visual_order(text, language):
    lines = _set(text, language, "Arab", language, True, 300).lines
    assert len(lines) >= 3
    assert "".join(_logical(line) + " " for line in lines).split() == text.split()
    for line in lines:
        assert _visual(line).translate(MIRROR) == _expected_visual(_logical(line)).translate(MIRROR)
    first = lines[0]
    rightmost = max(first.pieces, key=lambda p: p.x + p.width)
    assert rightmost.text.split()[0] == text.split()[0]


@pytest.mark.parametrize("text,language", [(ARABIC, "ar"), (URDU, "ur")])
def test_phone_number_reads_left_to_right_and_stays_on_one_line(text, language):
    lines = _set(text, language, "Arab", language, True, 260).lines
    holding = [line for line in lines if "0118" in _logical(line) or "7991" in _logical(line)]
    assert len(holding) == 1
    logical, visual = _logical(holding[0]), _visual(holding[0])
    assert "0118 322 7991" in logical and "0118 322 7991" in visual
    # the word before the number (logically) is to its right, the word after it to its left
    before = text.split("0118")[0].split()[-1]
    after = text.split("7991")[1].split()[0]
    assert visual.index(after[::-1]) < visual.index("0118") < visual.index(before[::-1])


def test_numbers_are_glued_to_their_neighbours_in_any_script():
    text = (
        "Stop taking it 5 days before, eat nothing for 6 hours, take 500 mg twice a day, "
        "come back on 12 May 2026 or ring 0118 322 7991 at any time of the day or night."
    )
    for width in (150, 200, 260, 330):
        for line in _set(text, "en", "Latn", "en-GB", False, width).lines:
            words = _logical(line).split()
            for phrase in ("5 days", "6 hours", "500 mg", "12 May 2026", "0118 322 7991"):
                first, last = phrase.split()[0], phrase.split()[-1]
                if first in words[:-1] or last in words[1:]:
                    assert phrase in _logical(line), (width, _logical(line))


def test_chinese_breaks_between_characters_but_not_inside_numbers_or_before_closing_marks():
    text = SAMPLES[("zh", "Hans")] * 3
    width = 230.0
    lines = _set(text, "zh", "Hans", "zh-Hans", False, width).lines
    assert len(lines) >= 5
    assert "".join(_logical(line) for line in lines) == text
    assert all(line.width <= width + 0.5 for line in lines)
    for a, b in itertools.pairwise(lines):
        end, start = _logical(a), _logical(b)
        assert start[0] not in "，。、）％%"
        assert end[-1] not in "（"
        assert not end[-1].isdigit() and not start[0].isdigit()  # numbers keep their neighbours
    assert any("0118 322 7991" in _logical(line) for line in lines)


@pytest.mark.parametrize("key", list(SAMPLES), ids=[f"{k[0]}-{k[1]}" for k in SAMPLES])
def test_every_script_is_drawn_with_real_glyphs(key):
    language, script = key
    text = SAMPLES[key]
    chain = pdf_fonts.chain(language, script)
    assert chain.missing(text) is None
    rtl = script == "Arab"
    lines = _set(text, language, script, language, rtl, 250, parts=[Span(text, bold=True)]).lines
    assert "".join(_logical(line) for line in lines).replace(" ", "") == text.replace(" ", "")
    for line in lines:
        for piece in line.pieces:
            if piece.glyphs is None:
                continue
            face = piece.face.reportlab.face
            gids = [face.charToGlyph[ord(ch)] for ch in piece.glyphs]
            assert 0 not in gids, (piece.face.pdf_name, piece.text)  # .notdef: a box
            assert "Italic" not in piece.face.pdf_name
            assert piece.face.pdf_name.endswith("-Bold") or piece.face.fake_bold


def test_a_character_missing_from_the_first_font_comes_from_the_next():
    arabic = pdf_fonts.chain("ar", "Arab")
    families = arabic.families("50% (نعم)")
    assert families[2] == "NotoSans" and families[4] == "NotoSans"  # % and ( from Noto Sans
    assert families[5] == "NotoNaskhArabic"
    assert ord("%") not in pdf_fonts.face("NotoNaskhArabic", False).cmap
    urdu = pdf_fonts.chain("ur", "Arab")
    assert urdu.families("کیا")[0] == "NotoNastaliqUrdu"
    ethiopic = pdf_fonts.chain("am", "Ethi")
    assert ethiopic.families("ሰዓት 6")[-1] == "NotoSans"
    assert ethiopic.families("ሰዓት 6")[0] == "NotoSansEthiopic"


def test_combining_marks_stay_in_the_font_of_their_letter():
    text = "é" + "ba\u0301"  # precomposed, then a with a combining acute accent
    families = pdf_fonts.chain("hi", "Deva").families("क\u093f" + text)
    assert families[0] == families[1] == "NotoSansDevanagari"
    assert families[-1] == families[-2] == "NotoSans"


def test_no_hyphenation_and_soft_hyphens_are_dropped():
    text = "Verte\u00adbro\u00adplasty is an extra\u00adordinarily effective proce\u00addure " * 4
    lines = _set(text, "en", "Latn", "en-GB", False, 200).lines
    words = set(text.replace("\u00ad", "").split())
    for line in lines:
        assert "\u00ad" not in _logical(line)
        assert set(_logical(line).split()) <= words


def test_a_word_longer_than_the_line_is_cut_and_nothing_is_lost():
    url = "www.example.nhs.uk/" + "very-long-path-segment/" * 12
    lines = _set("See " + url + " now", "en", "Latn", "en-GB", False, 250).lines
    assert all(line.width <= 250.5 for line in lines)
    assert "".join(_logical(line) for line in lines).replace(" ", "") == ("See" + url + "now")


def test_emphasis_is_bold_and_links_show_their_address():
    parts = spans(
        (
            Text("a "),
            Emphasis((Text("b"),)),
            Strong((Text("c"),)),
            Link("https://www.nice.org.uk/guidance/IPG12", (Text("NICE guidance"),)),
        )
    )
    assert [(p.text, p.bold) for p in parts[:3]] == [("a ", False), ("b", True), ("c", True)]
    assert parts[-1].text == " (www.nice.org.uk/guidance/IPG12)"
    shown = spans((Link("https://www.nice.org.uk/x", (Text("www.nice.org.uk/x"),)),))
    assert [p.text for p in shown] == ["www.nice.org.uk/x"]


def test_tall_scripts_get_the_leading_they_need():
    latin = _set("Some text", "en", "Latn", "en-GB", False, 300)
    urdu = _set(URDU, "ur", "Arab", "ur", True, 300)
    assert latin.pitch >= 1.4 * 18
    top, bottom = pdf_fonts.face("NotoNastaliqUrdu", False).extent
    assert urdu.pitch >= (top + bottom) * 18 > latin.pitch
