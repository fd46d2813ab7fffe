"""Audio writer without synthesis: speech-text normalisation, the voice table, the spoken script."""

from __future__ import annotations

import re

import pytest
from babel.core import get_global

import formats
from formats.audio import render as audio
from formats.audio.speech import WORDS, speech_text
from formats.audio.voices import PINYIN, VOICES, voice_for
from leaflets.errors import Kind
from leaflets.inline import glue_numbers
from leaflets.locales import info
from leaflets.model import Heading, ListBlock, Text, segments
from leaflets.project import Project
from leaflets.translate import translate
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def english():
    project = Project(ROOT)
    return translate(project.leaflet("RAD_0009"), "en", project.shared_strings)


def spoken_texts(doc) -> list[str]:
    return [speech_text(p.written, p.segment.lang, voice_for(p.segment.lang).romanise) for p in audio.script(doc)]


# --- the seed leaflet's script ---------------------------------------------------------------


def test_seed_phone_number_is_read_as_digit_groups(english):
    texts = spoken_texts(english)
    assert english.meta.phone == "0118 322 7991"
    contact = next(t for t in texts if "Radiology Department" in t)
    assert "0 1 1 8, 3 2 2, 7 9 9 1" in contact
    assert not re.search(r"\d{2}", contact), contact  # no number espeak could read as a large one


def test_seed_script_reads_risks_percentages_ranges_and_web_addresses(english):
    text = " ".join(spoken_texts(english))
    assert "1 in 500" in text
    assert "first 1 to 2 hours" in text
    assert "w w w dot royalberkshire dot n h s dot u k" in text
    assert "slash guidance slash I P G 1 2" in text
    assert "during or after" in text
    assert "R A D, 0 0 0 9" in text  # the leaflet code, not "rad underscore nine"
    assert "Doctor Archie Speirs" in text
    assert not re.search(r"[*_<>#]|\(s\)", text)


def test_script_order_intro_sections_lists_footer_end(english):
    parts = audio.script(english)
    headings = [b.content for b in english.blocks + english.footer if isinstance(b, Heading)]
    h2 = [b.content.text for b in english.blocks + english.footer if isinstance(b, Heading) and b.level == 2]
    # the title on its own (a document segment), then the rest of the introduction
    assert parts[0].segment is english.title and parts[0].shown and parts[0].chapter == english.title.text
    assert parts[1].written == f"An audio leaflet from {english.meta.organisation}." and not parts[1].shown
    assert parts[2].length and parts[2].segment.source == english.label("audio_length", minutes=1).source
    assert parts[3].segment.text == english.label("audio_sections", sections=len(h2)).text
    # the sections are few and short enough to be named
    assert [p.written for p in parts[4 : 4 + len(h2)]] == h2 and not any(p.shown for p in parts[4 : 4 + len(h2)])
    assert [p.chapter for p in parts if p.chapter] == [english.title.text] + [h.text for h in headings]
    assert [p.level for p in parts if p.chapter] == [1] + [1 if h.text in h2 else 2 for h in headings]
    chapters = [p for p in parts if p.chapter and p.segment is not english.title]
    assert all(p.pause == audio.SECTION for p in chapters if p.level == 1)
    assert all(p.pause in (audio.SUBSECTION, audio.AFTER_HEADING) for p in chapters if p.level == 2)
    lists = [b for b in english.blocks if isinstance(b, ListBlock)]
    announced = [p.segment.text for p in parts if p.segment.source.startswith("A list of")]
    assert announced == [english.label("audio_list", count=len(b.items)).text for b in lists]
    footer_texts = [p.segment.text for p in parts[-len(english.footer) - 1 : -1]]
    assert footer_texts == [b.content.text for b in english.footer]
    assert parts[-1].segment.text == english.label("audio_end").text


def test_shown_parts_are_the_plain_text_segments_in_order(english):
    """What a transcript or read-along shows is every segment the plain-text copy has, in its order."""
    shown = [p.segment for p in audio.script(english) if p.shown]
    assert shown == [english.title, *english.notices, *segments(english.blocks), *segments(english.footer)]


def test_longest_designed_pause_is_the_section_pause():
    pauses = [
        audio.LEAD_IN,
        audio.INTRO,
        audio.NOTICE,
        audio.SUBSECTION,
        audio.AFTER_HEADING,
        audio.PARAGRAPH,
        audio.ITEM,
        audio.ENDING,
        audio.TAIL,
    ]
    assert max(pauses) < audio.SECTION


def test_ordered_list_items_are_numbered(english):
    from dataclasses import replace

    block = next(b for b in english.blocks if isinstance(b, ListBlock))
    doc = replace(english, blocks=(replace(block, ordered=True, start=3),), footer=())
    contents = {item.content for item in block.items}
    items = [p.written for p in audio.script(doc) if p.segment in contents]
    assert [i.split(" ")[0] for i in items] == ["3.", "4.", "5."]


# --- the normaliser ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written, said",
    [
        ("About 1-2 hours", "About 1 to 2 hours"),
        ("a risk of 1/500", "a risk of 1 in 500"),
        ("take 5 mg, then 1 ml", "take 5 milligrams, then 1 millilitre"),
        ("at 37 °C, 5 m away", "at 37 degrees Celsius, 5 m away"),  # "m" could be minutes: left alone
        ("e.g. this, i.e. that", "for example this, that is that"),
        ('a <b>bold</b> claim & a < 5 "quote"', 'a bold claim and a less than 5 "quote"'),
        ("**strong** _x_ `y`", "strong x y"),
        ("Call +44 118 322 7991.", "Call plus 4 4, 1 1 8, 3 2 2, 7 9 9 1."),
        ("see https://www.nhs.uk/conditions/.", "see w w w dot n h s dot u k slash conditions."),
        ("Tel 0118\u00a0322\u00a07991", "Telephone 0 1 1 8, 3 2 2, 7 9 9 1"),
        ("Call (0118) 322 7991.", "Call 0 1 1 8, 3 2 2, 7 9 9 1."),
        ("Call (0118)\u00a0322\u00a07991.", "Call 0 1 1 8, 3 2 2, 7 9 9 1."),
        ("Call +44 (0)118 322 7991.", "Call plus 4 4, 1 1 8, 3 2 2, 7 9 9 1."),  # (0): not dialled with +44
        ("Call +44\u00a0(0)118\u00a0322\u00a07991.", "Call plus 4 4, 1 1 8, 3 2 2, 7 9 9 1."),
        ("Zadzwoń 0118\u202f322\u202f7991", "Zadzwoń 0 1 1 8, 3 2 2, 7 9 9 1"),  # narrow no-break spaces
        ("Call 0118 322 7991 24 hours a day", "Call 0 1 1 8, 3 2 2, 7 9 9 1 24 hours a day"),
        ("Visit <www.nhs.uk>.", "Visit w w w dot n h s dot u k."),
    ],
)
def test_english_normalisation(written, said):
    assert speech_text(written, "en-GB") == said


def test_years_numbers_and_initials_are_left_to_the_voice():
    assert speech_text("In 2025, 12 of 65 patients", "en") == "In 2025, 12 of 65 patients"
    assert speech_text("born in the U.K. in 1990", "en") == "born in the U.K. in 1990"
    assert speech_text("visit nhs.uk today", "en") == "visit n h s dot u k today"


def test_email_address_is_left_whole_to_the_voice():
    # espeak says "at" and "dot" in the voice's own language (Polish "małpa", "kropka")
    assert speech_text("E-mail rbft.radiology@nhs.net today.", "en") == "E-mail rbft.radiology@nhs.net today."


def test_address_against_chinese_text_stops_where_the_chinese_starts():
    said = speech_text("请访问www.nhs.uk或致电(0118) 322 7991。", "zh-Hans")
    assert "w w w 点 n h s 点 u k或致电0 1 1 8, 3 2 2, 7 9 9 1" in said


def test_glued_phone_numbers_are_read_as_digit_groups():
    """Translated segments carry no-break spaces between digit groups (inline.glue_numbers)."""
    (glued,) = glue_numbers((Text("Dzwoń: +44 (0)118 322 7991 lub (0118) 322 7991."),))
    assert "\u00a0" in glued.text
    assert speech_text(glued.text, "pl") == "Dzwoń: + 4 4, 1 1 8, 3 2 2, 7 9 9 1 lub 0 1 1 8, 3 2 2, 7 9 9 1."


def test_language_without_a_table_falls_back_safely():
    assert "hi" not in WORDS
    said = speech_text("फ़ोन 0118 322 7991, 50% www.example.nhs.uk <b>x</b>", "hi")
    assert "0 1 1 8, 3 2 2, 7 9 9 1" in said  # digits need no words
    assert "50%" in said and "www.example.nhs.uk" in said  # espeak's own reading
    assert "<" not in said


def test_turkish_percent_comes_first():
    assert speech_text("hastaların %50'si", "tr") == "hastaların yüzde 50'si"
    assert speech_text("50% hasta", "tr") == "yüzde 50 hasta"


def test_vertebra_is_read_zhui_in_mandarin():
    assert speech_text("椎体成形术和椎骨", "zh", PINYIN).split()[:2] == ["zhui1", "ti3"]
    assert "zhui1 gu3" in speech_text("椎体成形术和椎骨", "zh", PINYIN)


def test_mandarin_becomes_numbered_pinyin():
    said = speech_text("大约50%的患者。请致电0118 322 7991，谢谢", "zh-Hans", PINYIN)
    assert "bai3 fen1 zhi1 50" in said
    assert "0 1 1 8, 3 2 2, 7 9 9 1" in said
    assert not re.search(r"[\u4e00-\u9fff，。]", said)
    assert re.fullmatch(r"([a-z]+[1-5]|[\d,.]+|[, .])+", said.replace(" ", " ")), said


# --- voices --------------------------------------------------------------------------------


def test_english_is_british_not_caribbean():
    assert voice_for("en").espeak == "gmw/en"
    assert voice_for("en-GB").espeak == "gmw/en"


def test_mandarin_uses_the_pinyin_voice():
    for code in ("zh", "zh_Hans", "zh-Hans", "zh_Hant"):
        assert voice_for(code).espeak == "sit/cmn-Latn-pinyin" and voice_for(code).romanise == PINYIN


def test_most_specific_entry_wins():
    assert voice_for("pt_BR").espeak == "roa/pt-BR"
    assert voice_for("pt").espeak == "roa/pt"
    assert voice_for("pl-PL").espeak == "zlw/pl"


@pytest.mark.parametrize(
    "code, name",
    [("so", "Somali"), ("ti", "Tigrinya"), ("ps", "Pashto"), ("ckb", "Central Kurdish"), ("ja", "Japanese")],
)
def test_locale_without_voice_is_unavailable_with_a_reason(code, name):
    reason = formats.get("audio").unavailable(info(code))
    assert reason is not None and reason.kind == Kind.NO_VOICE
    assert str(reason) == f"there is no speech voice for {name}" and reason.subject == name


def test_locales_with_voices_are_available():
    for code in ("en", "pl", "ur", "ar", "bn", "pa", "cy", "ro", "ne", "zh_Hans"):
        assert formats.get("audio").unavailable(info(code)) is None


def test_iso_639_2_codes_name_the_same_language():
    aliases = get_global("language_aliases")
    for code, voice in VOICES.items():
        language = code.split("_")[0]
        if language == "yue":  # ISO 639-2 has only the macrolanguage zho
            assert voice.iso639_2 == "zho"
            continue
        assert re.fullmatch("[a-z]{3}", voice.iso639_2)
        assert aliases.get(voice.iso639_2) == language, (code, voice.iso639_2)


def test_a_language_written_in_another_script_gets_no_voice_of_the_usual_script():
    from formats.audio.voices import voice_for

    assert voice_for("pa").espeak == "inc/pa"
    assert voice_for("pa_Arab") is None  # Shahmukhi: the Gurmukhi voice cannot read it
