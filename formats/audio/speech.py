"""Written leaflet text -> text a speech engine reads correctly, per language.

espeak-ng reads "0118 322 7991" as three large numbers, "1-2 hours" as "one dash two", a
slash as "slash" and "5 mg" as "five em gee". The rules here are language-neutral regexes;
the words they put in come from one small table per language. A language without a table
(or a table without some word) keeps espeak's own reading of that symbol, which is safe: phone
numbers are still read digit by digit, since digits need no words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pypinyin import Style, lazy_pinyin, load_single_dict

from leaflets.locales import from_tag
from leaflets.patterns import TAG, sub_phones, sub_websites

from .voices import Voice, voice_for


@dataclass(frozen=True)
class Words:
    """How one language says what espeak gets wrong. Empty = leave it to espeak."""

    percent: str = ""  # "{n} per cent"
    range: str = ""  # "1-2" -> "{a} to {b}"
    one_in: str = ""  # a risk written "1/500" -> "{a} in {b}"
    alternative: str = ""  # "during / after" -> "during or after"
    dot: str = ""  # in web addresses
    slash: str = ""  # in web addresses
    plus: str = ""  # international phone prefix
    ampersand: str = ""
    less: str = ""
    more: str = ""
    units: dict[str, tuple[str, str]] = field(default_factory=dict)  # "mg": (one, many)
    abbreviations: dict[str, str] = field(default_factory=dict)  # whole words
    patterns: tuple[tuple[str, str], ...] = ()  # extra regex rewrites
    punctuation: dict[str, str] = field(default_factory=dict)  # full-width -> ASCII


WORDS: dict[str, Words] = {
    "en": Words(
        range="{a} to {b}",
        one_in="{a} in {b}",
        alternative="or",
        dot="dot",
        slash="slash",
        plus="plus",
        ampersand="and",
        less="less than",
        more="more than",
        units={
            "mg": ("milligram", "milligrams"),
            "mcg": ("microgram", "micrograms"),
            "µg": ("microgram", "micrograms"),
            "g": ("gram", "grams"),
            "kg": ("kilogram", "kilograms"),
            "ml": ("millilitre", "millilitres"),
            "mL": ("millilitre", "millilitres"),
            "mm": ("millimetre", "millimetres"),
            "cm": ("centimetre", "centimetres"),
            "km": ("kilometre", "kilometres"),
            "°C": ("degree Celsius", "degrees Celsius"),
            "mmHg": ("millimetre of mercury", "millimetres of mercury"),
            "hrs": ("hour", "hours"),
            "mins": ("minute", "minutes"),
        },
        abbreviations={
            "Tel": "Telephone",
            "Dr": "Doctor",
            "e.g.": "for example",
            "i.e.": "that is",
            "etc.": "et cetera",
            "approx.": "approximately",
            "vs": "versus",
            "vs.": "versus",
            "Mr": "Mister",
            "Mrs": "Missus",
        },
        patterns=((r"(?<=\w)\(s\)", ""),),
    ),  # "fracture(s) is" -> "fracture is"
    "cy": Words(
        percent="{n} y cant", range="{a} i {b}", one_in="{a} mewn {b}", alternative="neu", dot="dot", ampersand="a"
    ),
    "pl": Words(
        range="{a} do {b}",
        one_in="{a} na {b}",
        alternative="lub",
        dot="kropka",
        ampersand="i",
        less="mniej niż",
        more="więcej niż",
        units={
            "mg": ("miligram", "miligramów"),
            "ml": ("mililitr", "mililitrów"),
            "kg": ("kilogram", "kilogramów"),
            "cm": ("centymetr", "centymetrów"),
        },
    ),
    "pt": Words(
        percent="{n} por cento",
        range="{a} a {b}",
        one_in="{a} em {b}",
        alternative="ou",
        dot="ponto",
        slash="barra",
        ampersand="e",
    ),
    "tr": Words(percent="yüzde {n}", alternative="veya", dot="nokta", ampersand="ve"),
    "zh": Words(
        percent="百分之{n}",
        range="{a}到{b}",
        one_in="{b}分之{a}",
        alternative="或",
        dot="点",
        slash="斜杠",
        ampersand="和",
        less="小于",
        more="大于",
        punctuation={
            "，": ", ",
            "。": ". ",
            "、": ", ",
            "；": "; ",
            "：": ": ",
            "？": "? ",
            "！": "! ",
            "（": " (",
            "）": ") ",
            "“": '"',
            "”": '"',
            "《": '"',
            "》": '"',
        },
    ),
}
NO_WORDS = Words()

# Han characters whose everyday reading is not the one pypinyin picks first, in medical text:
# 椎 is zhuī in 椎体, 椎骨 (vertebra, vertebral bone); chuí is literary.
PINYIN_READINGS = {"椎": "zhuī,chuí"}
load_single_dict({ord(han): readings for han, readings in PINYIN_READINGS.items()})

# --- the language-neutral rules ---------------------------------------------------------------

CODE = re.compile(r"\b([A-Z]+)_(\d+)\b")  # leaflet codes such as RAD_0009
_NUMBER = r"\d+(?:[.,]\d+)?"
PERCENT = re.compile(rf"(?:({_NUMBER})\s?[%٪]|[%٪]\s?({_NUMBER}))")
ONE_IN = re.compile(r"(?<![\d/])(1)\s?/\s?(\d{2,}(?:[ ,]\d{3})*)(?![\d/])")
RANGE = re.compile(rf"(?<![\d.,-])({_NUMBER})\s?[-–]\s?({_NUMBER})(?![\d-])")
ALTERNATIVE = re.compile(r"(?<=[^\W\d])\s*/\s*(?=[^\W\d])")
ANGLED = re.compile(r"<([^\s<>]+)>")  # "<www.nhs.uk>": brackets wrapping an address are not said
MARKUP = re.compile(r"[*_#`|~^\\{}\[\]\u00ad\u200b-\u200d\ufeff]")
SPACE = re.compile(r"\s+")
LINE_BREAK = re.compile(r"([.,;:!?])?[ \t]*\n\s*")  # a hard break is heard as the end of a sentence
_SAID_AS_WORDS = {"org", "com", "net", "gov", "info"}
_LETTERS_DIGITS = re.compile(r"[A-Z]+(?=\d)|\d+|[^\W\d]+")


@dataclass(frozen=True)
class Run:
    """A stretch of speech text and the voice that reads it."""

    text: str
    voice: Voice


def runs(text: str, lang: str) -> tuple[Run, ...]:
    """What the synthesiser is given for `text` in language `lang`, as runs of one voice each.
    LookupError if the language has no voice."""
    voice = voice_for(lang)
    if voice is None:
        raise LookupError(f"no speech voice for its language ({lang})")
    said = speech_text(text, lang, voice.romanise)
    return (Run(said, voice),) if said else ()


def words_for(lang: str) -> Words:
    return WORDS.get(from_tag(lang).language, NO_WORDS)


def speech_text(text: str, lang: str, romanise: str = "") -> str:
    """What the synthesiser is given for `text` in language `lang` (BCP 47 tag or code)."""
    w = words_for(lang)
    for wide, ascii_ in w.punctuation.items():
        text = text.replace(wide, ascii_)
    text = ANGLED.sub(r"\1", TAG.sub(" ", text.replace("\u00a0", " ")))
    text = LINE_BREAK.sub(lambda m: (m.group(1) or ".") + " ", text)
    text = sub_websites(text, lambda url: _url(url, w))
    text = sub_phones(text, lambda number: _phone(number, w))
    text = CODE.sub(lambda m: f"{_spell(m.group(1))}, {_spell(m.group(2))}", text)
    if w.percent:
        text = PERCENT.sub(lambda m: w.percent.format(n=m.group(1) or m.group(2)), text)
    if w.one_in:
        text = ONE_IN.sub(lambda m: w.one_in.format(a=m.group(1), b=m.group(2)), text)
    if w.range:
        text = RANGE.sub(lambda m: w.range.format(a=m.group(1), b=m.group(2)), text)
    if w.units:
        text = _units(text, w.units)
    if w.alternative:
        text = ALTERNATIVE.sub(f" {w.alternative} ", text)
    for written, said in w.abbreviations.items():
        text = re.sub(rf"(?<!\w){re.escape(written)}(?!\w)", said, text)
    for pattern, repl in w.patterns:
        text = re.sub(pattern, repl, text)
    for symbol, said in (("&", w.ampersand), ("<", w.less), (">", w.more)):
        if said:
            text = text.replace(symbol, f" {said} ")
    text = SPACE.sub(" ", MARKUP.sub(" ", text)).strip()
    if romanise == "pinyin":
        text = SPACE.sub(" ", " ".join(lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True)))
    return text


def _spell(token: str) -> str:
    """Letters and digits one by one: "0009" -> "0 0 0 9"."""
    return " ".join(token)


def _phone(number: str, w: Words) -> str:
    """ "0118 322 7991" and "(0118) 322 7991" -> "0 1 1 8, 3 2 2, 7 9 9 1": digit groups as
    written. The "(0)" of "+44 (0)118 ..." is left out: it is not dialled with the +44."""
    plus = number.startswith("+")
    groups = [_spell(g) for g in re.split(r"\D+", number.replace("(0)", "")) if g]
    said = ", ".join(groups)
    return f"{w.plus or '+'} {said}" if plus else said


def _url(url: str, w: Words) -> str:
    """www.nice.org.uk/guidance/IPG12 -> "w w w dot nice dot org dot u k slash guidance slash I P G 1 2"."""
    bare = re.sub(r"^(?:[a-z]+://|mailto:)", "", url, flags=re.I).rstrip("/")
    if not (w.dot and w.slash):
        return bare
    host, _, path = bare.partition("/")
    said = f" {w.dot} ".join(_label(part) for part in host.split("."))
    for part in filter(None, path.split("/")):
        said += f" {w.slash} " + " ".join(_label(p) for p in re.split(r"[-_.?=&]+", part) if p)
    return said


def _label(label: str) -> str:
    """A piece of a web address as it is said: short or vowel-less names and codes letter by letter."""
    pieces = []
    for piece in _LETTERS_DIGITS.findall(label):
        low = piece.lower()
        spelled = (
            piece.isdigit()
            or (piece.isupper() and len(piece) > 1)
            or (len(piece) <= 3 and low not in _SAID_AS_WORDS)
            or not re.search("[aeiouy]", low)
        )
        pieces.append(_spell(piece) if spelled else piece)
    return " ".join(pieces)


def _units(text: str, units: dict[str, tuple[str, str]]) -> str:
    names = "|".join(sorted(map(re.escape, units), key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w.,])({_NUMBER})\s?({names})(?![\w])")

    def said(m):
        one, many = units[m.group(2)]
        return f"{m.group(1)} {one if m.group(1) == '1' else many}"

    return pattern.sub(said, text)
