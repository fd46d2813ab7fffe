"""Numbers as words in the reader's language, by the best-kept source that covers it.

A number the voice reads in the wrong language ("5" in English inside Nepali text, as
espeak-ng 1.51 does) or the wrong way ("2.5" as "two five") is as dangerous as a misprint, and
the speech-text a native reviewer reads should show the words that will be heard. So numbers
are written out before synthesis by num2words where it covers the language, by indic-num2words
for the Indic languages num2words lacks, and left as digits only for languages whose espeak-ng
voice is tested to read them in the language (Urdu, Punjabi, Mandarin; tests/test_audio_speech
checks that through espeak-ng's phoneme output). Decimals are always said as the integer part,
the language's word for the decimal mark and the digits one by one ("2.5" -> "two point five"),
which is how they are read aloud in all of these languages and avoids num2words' broken Arabic
decimals. No grammatical agreement is attempted (Polish "dwa godziny" for "dwie", Romanian "doi"
for "două"): no library does it, and the number itself is never wrong.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from babel.numbers import get_decimal_symbol, get_group_symbol
from num2words import CONVERTER_CLASSES, num2words

from leaflets.locales import from_tag

NUM2WORDS, INDIC, ESPEAK = "num2words", "indic-num2words", "espeak-ng"
INDIC_LANGUAGES = {"bn", "gu", "hi", "kn", "ml", "mr", "ne", "or", "pa", "ta", "te"}  # indic-num2words 1.3.2

# Languages whose espeak-ng voice reads digits in the language itself (tested); every other
# language is written out by a library or, if none covers it, left to espeak and listed in README.
VOICE_READS_DIGITS = {"ur", "pa", "zh"}

# The word for the decimal mark where the library gives none we can use on its own.
# (Urdu and Punjabi: espeak-ng reads "2.5" right itself; Mandarin: it drops the point.)
DECIMAL_WORDS = {"ar": "فاصلة", "ne": "दशमलव", "zh": "点"}

_GAPS = " \u00a0\u202f"


def source(lang: str) -> str:
    """Which of NUM2WORDS, INDIC or ESPEAK writes a language's numbers."""
    language = from_tag(lang).language
    if language in VOICE_READS_DIGITS:
        return ESPEAK
    if language in CONVERTER_CLASSES:
        return NUM2WORDS
    if language in INDIC_LANGUAGES:
        return INDIC
    return ESPEAK


def ascii_digits(text: str) -> str:
    """Every decimal digit (Arabic-Indic, Devanagari, Bengali, Gurmukhi, full-width ...) as 0-9."""
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() and not c.isascii() else c for c in text)


@cache
def _number_pattern(lang: str) -> re.Pattern[str]:
    """A number as the language writes it: digits in threes after its group mark (any space for
    languages that group with one), then a decimal part after its decimal mark or a full stop."""
    locale = from_tag(lang).code
    group, decimal = get_group_symbol(locale), get_decimal_symbol(locale)
    gap = f"[{_GAPS}]" if not group.strip() else re.escape(group)
    marks = "".join(sorted({re.escape(decimal), re.escape(".")}))
    return re.compile(rf"(?<![\d.,])(\d{{1,3}}(?:{gap}\d{{3}})+(?!\d)|\d+)(?:[{marks}](\d+))?(?!\d)")


def say_numbers(text: str, lang: str) -> str:
    """`text` with every number in it written out in language `lang`."""
    text = ascii_digits(text)
    return _number_pattern(lang).sub(lambda m: words(re.sub(r"\D", "", m.group(1)), m.group(2) or "", lang), text)


def words(integer: str, fraction: str, lang: str) -> str:
    """An integer part and decimal digits ("2", "5") said in the language ("two point five")."""
    how = source(lang)
    language = from_tag(lang).language
    if how == ESPEAK:
        said = integer
    elif how == INDIC:
        said = _indic(integer, language)
    else:
        said = num2words(int(integer), lang=language)
    if not fraction:
        return said
    if how == ESPEAK and language not in DECIMAL_WORDS:
        return f"{integer}.{fraction}"
    mark = DECIMAL_WORDS.get(language) or _decimal_word(language)
    digits = " ".join(words(d, "", lang) for d in fraction)
    return f"{said}{mark}{digits}" if language == "zh" else f"{said} {mark} {digits}"


def _indic(integer: str, language: str) -> str:
    from num_to_words import num_to_word  # indic-num2words

    return str(num_to_word(int(integer), language, separator=" "))


@cache
def _decimal_word(language: str) -> str:
    """num2words' own word for the decimal mark ("point", "przecinek", "virgulă")."""
    said = num2words(1.5, lang=language).split()
    return " ".join(w for w in said[1:-1] if w.isalpha()) or "."
