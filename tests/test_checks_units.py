"""Units, numbers in context, number words and fractions: what the units check reads in each
script family, and what it must leave alone."""

from decimal import Decimal

import pytest

from leaflets import number_words
from leaflets.checks import check_entry
from leaflets.checks import tokens as checks_tokens
from leaflets.checks.units import lexicon, quantities

SAMPLE_LANGUAGES = ("pl", "ro", "cy", "so", "ur", "ar", "bn", "pa", "ne", "zh_Hans")


def _units(text: str, code: str) -> list[tuple[str, str]]:
    plain = checks_tokens.normalise(text)
    return [
        (checks_tokens.show(q.value), q.unit) for q in quantities(plain, code, code in ("pl", "ro", "cy", "so", "en"))
    ]


@pytest.mark.parametrize(
    "code,text,expected",
    [
        ("en", "Stop it at least 5 days before; no food for 6 hours.", [("5", "day"), ("6", "hour")]),
        ("en", "Take ½ a tablet, then 1-2 hours of rest.", [("0.5", "tablet"), ("1", "hour"), ("2", "hour")]),
        (
            "pl",
            "po 2 godzinach, przez 5 dni, 3 tabletki, 20 minut",
            [("2", "hour"), ("5", "day"), ("3", "tablet"), ("20", "minute")],
        ),
        ("ro", "20 de minute, 12 luni", [("20", "minute"), ("12", "month")]),
        ("cy", "5 diwrnod, 2 ddiwrnod, 3 awr", [("5", "day"), ("2", "day"), ("3", "hour")]),
        ("ur", "60 منٹ سے کم، 12 مہینوں کے اندر", [("60", "minute"), ("12", "month")]),
        ("ar", "خلال 20 دقيقة و12 شهرًا و%50", [("20", "minute"), ("12", "month"), ("50", "percent")]),
        ("bn", "60 মিনিটের কম, ৫ দিন", [("60", "minute"), ("5", "day")]),
        ("ne", "60 मिनेटभन्दा कम, 5 दिन", [("60", "minute"), ("5", "day")]),
        ("zh_Hans", "不到60分钟，至少5天，12个月", [("60", "minute"), ("5", "day"), ("12", "month")]),
    ],
)
def test_units_are_read_in_each_script(code, text, expected):
    assert _units(text, code) == expected


def test_a_word_that_only_starts_like_a_unit_is_not_one():
    assert _units("5 minutowych przerw", "pl") == [("5", "minute")]  # inflected: still minutes
    assert _units("5 dniówkarzy", "pl") == [("5", "")]  # a longer word: not a unit


@pytest.mark.parametrize("code", SAMPLE_LANGUAGES)
def test_every_sample_language_knows_the_time_units(code):
    units = {u for _, u in lexicon(code)}
    assert {"minute", "hour", "day", "week", "month", "year", "percent"} <= units


def test_an_unrecognised_unit_is_never_an_error():
    # "godzinkach" is not listed: the number is there, its unit unknown, so nothing is claimed
    assert [f.check for f in check_entry("Rest for 2 hours.", "Odpoczywaj przez 2 godzinkach.", "pl")] == []


@pytest.mark.parametrize(
    "code,msgstr",
    [
        ("pl", "Nie jedz przez 6 godzin ani nie pij przez 2 godziny przed zabiegiem."),
        ("ur", "عمل سے پہلے 6 گھنٹے تک کچھ نہ کھائیں اور 2 گھنٹے تک کچھ نہ پئیں۔"),
        ("bn", "চিকিৎসার আগের 6 ঘণ্টা কিছু খাবেন না এবং আগের 2 ঘণ্টা কিছু পান করবেন না।"),
        ("zh_Hans", "手术前6小时内不要进食，手术前2小时内不要喝水。"),
    ],
)
def test_numbers_in_their_places_pass_and_swapped_fail(code, msgstr):
    msgid = "Do not eat for 6 hours or drink for 2 hours before the procedure."
    assert "context" not in {f.check for f in check_entry(msgid, msgstr, code)}
    swapped = msgstr.replace("6", "#").replace("2", "6").replace("#", "2")
    assert "context" in {f.check for f in check_entry(msgid, swapped, code)}


@pytest.mark.parametrize(
    "text,code,value",
    [
        ("pół tabletki", "pl", "0.5"),
        ("dwie godziny", "pl", "2"),
        ("două ore", "ro", "2"),
        ("آدھی گولی", "ur", "0.5"),
        ("आधा चक्की", "ne", "0.5"),
        ("দুই ঘণ্টা", "bn", "2"),
        ("两小时", "zh_Hans", "2"),
        ("半片", "zh_Hans", "0.5"),
    ],
)
def test_number_words(text, code, value):
    assert number_words.values(text, code)[Decimal(value)] == 1


def test_fractions_are_one_number():
    assert checks_tokens.normalise("½ a tablet, 1½ hours, ¾") == "0.5 a tablet, 1.5 hours, 0.75"
    assert [f.check for f in check_entry("Take ½ a tablet.", "Weź pół tabletki.", "pl")] == []
    assert [f.check for f in check_entry("Take ½ a tablet.", "Weź 2 tabletki.", "pl")] == ["numbers"]
    assert [f.check for f in check_entry("Take 2 tablets.", "Weź trzy tabletki.", "pl")] == ["numbers"]
