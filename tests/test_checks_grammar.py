"""Issue 27, items 1-4: typography normalised before every check, negation as grammar (the
verbal negator apart from concord words; languages without data said so), clock times and
durations, numbers in words. The corpus figures are in test_mistakes.py; these pin the rules."""

from __future__ import annotations

import pytest
from conftest import run_cli

from leaflets import number_words
from leaflets.checks import ERROR, WARNING, check_entry, negation, times, tokens, unchecked


def test_typography_is_plain_one_character_for_one():
    typographic = "Don’t ‘twist’ “or” bend – 1—2\u00a0h\u202fx ʼ"
    plain = tokens.typography(typographic)
    assert plain == "Don't 'twist' \"or\" bend - 1-2 h x '" and len(plain) == len(typographic)
    assert tokens.normalise("۱\u202f۰۰۰ mg") == "1\u066c000 mg"  # a narrow space groups thousands


@pytest.mark.parametrize("apostrophe", ["'", "’", "ʼ", "‘"])
def test_a_typographic_negation_is_a_negation(apostrophe):
    msgid = f"Don{apostrophe}t twist or bend your back for 6 hours."
    found = check_entry(msgid, "Przez 6 godzin skręcaj i zginaj plecy.", "pl")
    assert [(f.check, f.severity) for f in found] == [("negation", ERROR)]
    assert check_entry(msgid, "Przez 6 godzin nie skręcaj ani nie zginaj pleców.", "pl") == []


def test_concord_words_are_not_a_negation():
    assert negation.counts("nic pić", "pl") == {"concord": 1}
    assert negation.counts("nic nie pić", "pl") == {"concord": 1, "negation": 1}
    assert negation.dropped_negators("nic nie jeść, a przez 2 godziny nic pić", "pl") == ["nic"]
    assert negation.dropped_negators("nie jeść ani nie pić", "pl") == []


@pytest.mark.parametrize(
    "code,bad,good",
    [
        ("pl", "Proszę przyjmować żadnych innych leków.", "Proszę nie przyjmować żadnych innych leków."),
        ("ro", "Luați niciun alt medicament.", "Nu luați niciun alt medicament."),
    ],
)
def test_a_dropped_verbal_negator_beside_concord_words_is_an_error(code, bad, good):
    msgid = "Do not take any other medicines."
    found = [f for f in check_entry(msgid, bad, code) if f.check == "negation"]
    assert [f.severity for f in found] == [ERROR] and "without the verbal negator" in found[0].message
    assert check_entry(msgid, good, code) == []


def test_a_language_without_negation_data_is_told_so(project_copy):
    assert not negation.has_data("ta") and negation.has_data("pl")
    assert unchecked(["pl", "ta"]) == [negation.missing_data_notice("ta")]
    notice = "negation not checked for Tamil: add it in leaflets/data/negation.yaml"
    assert notice in negation.missing_data_notice("ta")
    done = run_cli(project_copy, "init", "ta")
    assert done.returncode == 0 and notice in done.stderr
    for command in (["check"], ["status"], ["check", "--locale", "ta"]):
        assert notice in run_cli(project_copy, *command).stderr, command
    assert notice not in run_cli(project_copy, "check", "--locale", "pl").stderr


@pytest.mark.parametrize(
    "code,text,minutes",
    [
        ("en", "at 1pm", {780}),
        ("en", "at 1 P.M.", {780}),
        ("en", "at 7.30am", {450}),
        ("en", "at 3 o'clock", {180, 900}),
        ("pl", "o 13:00", {780}),
        ("pl", "o 8:00", {480}),  # a 24-hour locale: 8:00 is the morning
        ("ur", "دوپہر ۱ بجے", {780}),
        ("ur", "1:00 PM", {780}),
        ("bn", "দুপুর ১টায়", {780}),
        ("bn", "রাত ১টায়", {60}),
        ("cy", "am 1yh", {780}),
        ("cy", "am 13:00", {780}),
        ("zh_Hans", "下午1点", {780}),
    ],
)
def test_clock_times(code, text, minutes):
    (found,) = times.find(tokens.normalise(text), code)
    assert found.minutes == minutes


def test_a_changed_time_is_named_alone():
    found = check_entry("Take 500 mg at 8pm and 250 mg at 8am.", "Przyjmij 500 mg o 20:00 i 250 mg o 9:00.", "pl")
    assert [(f.check, f.severity) for f in found] == [("times", ERROR)]
    assert found[0].message == "the time 8am (08:00) in the source is 9:00 in the translation"
    found = check_entry("Take 500 mg at 1pm.", "Przyjmij 50 mg o 13:00.", "pl")
    assert [f.message for f in found] == ["500 in the source, 50 in the translation"]


@pytest.mark.parametrize(
    "msgid,msgstr,code",
    [
        ("Drink the contrast over 1-2 hours.", "Wypij kontrast w ciągu 1–2 godzin.", "pl"),
        ("The infusion is given over 30 minutes.", "Wlew podaje się przez 30 minut.", "pl"),
        ("Drink the contrast within 2 hours.", "Wypij kontrast w ciągu 2 godzin.", "pl"),
    ],
)
def test_durations_are_not_comparisons(msgid, msgstr, code):
    assert check_entry(msgid, msgstr, code) == []


def test_over_is_still_more_than_where_it_compares():
    assert negation.counts("if the bleeding lasts over 2 hours", "en") == {"more": 1}
    assert negation.counts("patients aged over 65", "en") == {"more": 1}
    found = check_entry("Call us if it bleeds for over 2 hours.", "Zadzwoń, jeśli krwawi krócej niż 2 godziny.", "pl")
    assert [(f.check, f.severity) for f in found] == [("negation", ERROR)]


def test_a_reversed_comparison_beside_a_bare_number_is_an_error():
    found = check_entry("Use it at least 5 times a day.", "Używaj go co najwyżej 5 razy dziennie.", "pl")
    assert [(f.check, f.severity) for f in found] == [("negation", ERROR)]
    found = check_entry("Use it at least daily.", "Używaj go co najwyżej codziennie.", "pl")
    assert [(f.check, f.severity) for f in found] == [("negation", WARNING)]


@pytest.mark.parametrize(
    "text,code,value",
    [
        ("pięćset", "pl", 500),
        ("pięciuset", "pl", 500),
        ("dwieście pięćdziesiąt", "pl", 250),
        ("پانچ سو", "ur", 500),
        ("bum cant", "cy", 500),
        ("hanner cant", "cy", 50),
        ("পাঁচ শো", "bn", 500),
        ("তিনটি", "bn", 3),
    ],
)
def test_numbers_in_words_by_value(text, code, value):
    assert number_words.values(text, code) == {value: 1}


def test_two_numbers_in_words_side_by_side_stay_two():
    assert number_words.values("dwie trzy", "pl") == {2: 1, 3: 1}


def test_a_wrong_number_in_words_is_an_error_naming_both_values():
    found = check_entry("Take 500 mg.", "Weź pięćdziesiąt mg.", "pl")
    assert [(f.check, f.severity, f.message) for f in found] == [
        ("numbers", ERROR, "500 in the source, 50 in the translation")
    ]
    assert check_entry("Take 500 mg.", "Weź pięćset mg.", "pl") == []
    found = check_entry("Take two tablets.", "Weź trzy tabletki.", "pl")
    assert [(f.check, f.severity) for f in found] == [("numbers", ERROR)]


def test_check_fuzzy_checks_fuzzy_entries_and_drafts_print_their_findings(project_copy):
    import polib

    path = project_copy / "locales/pl/LC_MESSAGES/RAD_0009.po"
    po = polib.pofile(str(path))
    entry = next(e for e in po if "less than 60 minutes" in e.msgid)
    entry.msgstr = entry.msgstr.replace("60", "90")
    entry.flags.insert(0, "fuzzy")
    po.save(str(path))
    plain = run_cli(project_copy, "check", "--locale", "pl")
    assert plain.returncode == 0 and "90" not in plain.stdout
    fuzzy = run_cli(project_copy, "check", "--locale", "pl", "--fuzzy")
    assert fuzzy.returncode == 1 and "fuzzy entry: 60 in the source, 90 in the translation" in fuzzy.stdout

    entry = next(e for e in po if "less than 60 minutes" in e.msgid)
    entry.flags.remove("fuzzy")
    po.save(str(path))
    draft = run_cli(project_copy, "build", "--locale", "pl", "--format", "text", "--draft", "--jobs", "1")
    assert "draft: " in draft.stdout and "60 in the source, 90 in the translation" in draft.stdout
    assert "1 error" in draft.stdout


@pytest.mark.parametrize(
    "msgid,msgstr",
    [
        ("Nothing by mouth for 6 hours.", "Nic doustnie przez 6 godzin."),
        ("No food for 6 hours.", "Żadnego jedzenia przez 6 godzin."),
    ],
)
def test_a_concord_word_alone_negates_a_noun(msgid, msgstr):
    assert check_entry(msgid, msgstr, "pl") == []


def test_a_time_may_be_written_with_its_hour_in_words():
    assert check_entry("Please arrive at 1pm.", "请于下午一点到达。", "zh_Hans") == []
    found = check_entry("Please arrive at 1pm.", "请于下午两点到达。", "zh_Hans")
    assert [(f.check, f.severity) for f in found] == [("times", ERROR)]


def test_welsh_am_is_for_not_a_morning():
    assert check_entry("Take 1 tablet for 6 hours.", "Cymerwch 1 dabled am 6 awr.", "cy") == []
    assert [t.written for t in times.find("Cymerwch 1 am 6 awr, neu am 2 AM", "cy")] == ["2 AM"]


@pytest.mark.parametrize(
    "msgid,msgstr,code",
    [
        ("Take 2 tablets at night.", "رات 2 گولیاں لیں۔", "ur"),
        ("You will stay 2 nights in hospital.", "آپ 2 رات ہسپتال میں رہیں گے۔", "ur"),
        ("Come at 8 in the evening.", "Przyjdź o 20:00.", "pl"),
        ("Come at 8pm.", "Przyjdź o 8 wieczorem.", "pl"),
    ],
)
def test_a_day_period_beside_a_number_is_not_always_a_time(msgid, msgstr, code):
    assert not [f for f in check_entry(msgid, msgstr, code) if f.check in ("times", "numbers")]
