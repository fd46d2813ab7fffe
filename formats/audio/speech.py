"""Written leaflet text -> what each voice is given, per language, as runs of one voice each.

espeak-ng reads "0118 322 7991" as three large numbers, "1-2 hours" as "one minus two" or "one
two", drops "%" in Arabic, reads a web address's slashes as "or" in Polish and Welsh, every
number in English in Nepali, and Latin-script words through Mandarin or Urdu phonology. So the
text is rewritten first: phone numbers digit by digit in their groups; web and e-mail addresses
piece by piece with the language's "dot", "slash" and "at"; dates, times, percentages, risks
("1/500"), fractions, ranges and units with the language's words (the table below, one entry per
language); then every number in words (`numbers`). Finally the text is cut into runs: in a
language not written in Latin script, each stretch of Latin-script words (English names, drug
names, MRI, NICE, an address) is a run for the English voice, and the rest a run for the
language's own voice, synthesised separately (see `render`). A language without an entry keeps
espeak's own reading of those symbols; its phone numbers are still read digit by digit.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from babel.dates import format_date, get_month_names
from num2words import num2words

from leaflets.locales import from_tag
from leaflets.patterns import EMAIL, TAG, sub_phones, sub_websites

from .numbers import ascii_digits, say_numbers
from .voices import Voice, voice_for

ENGLISH = "en-GB"  # the voice of Latin-script words inside text in another script


@dataclass(frozen=True)
class Words:
    """How one language says what espeak gets wrong. Empty = leave it to espeak."""

    percent: str = ""  # "{n} per cent"
    range: str = ""  # "1-2" -> "{a} to {b}"
    one_in: str = ""  # a risk written "1/500" -> "{a} in {b}"
    fraction: str = ""  # "3/4" -> "{a} over {b}"
    alternative: str = ""  # "during / after" -> "during or after"
    dot: str = ""  # in web and e-mail addresses
    slash: str = ""
    at: str = ""
    plus: str = ""  # international phone prefix
    hour: str = ""  # "9:00" -> "{h} o'clock"
    time: str = ""  # "9:30" -> "{h} {m}"
    ampersand: str = ""
    less: str = ""
    more: str = ""
    of_from_20: str = ""  # Romanian "20 de minute": the word between a number from 20 and a unit
    units: dict[str, tuple[str, str]] = field(default_factory=dict)  # "mg": (one, many)
    abbreviations: dict[str, str] = field(default_factory=dict)  # whole words
    patterns: tuple[tuple[str, str], ...] = ()  # extra regex rewrites
    punctuation: dict[str, str] = field(default_factory=dict)  # full-width -> ASCII
    year: bool = False  # a year after a month is said as a year ("twenty twenty-six")


def _same(unit: dict[str, str]) -> dict[str, tuple[str, str]]:
    """Units whose word does not change after a number."""
    return {symbol: (word, word) for symbol, word in unit.items()}


WORDS: dict[str, Words] = {
    "en": Words(
        percent="{n} per cent",
        range="{a} to {b}",
        one_in="{a} in {b}",
        fraction="{a} over {b}",
        alternative="or",
        dot="dot",
        slash="slash",
        at="at",
        plus="plus",
        hour="{h} o'clock",
        time="{h} {m}",
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
        patterns=((r"(?<=\w)\(s\)", ""),),  # "fracture(s) is" -> "fracture is"
        year=True,
    ),
    "cy": Words(
        percent="{n} y cant",
        range="{a} i {b}",
        one_in="{a} mewn {b}",
        fraction="{a} dros {b}",
        alternative="neu",
        dot="dot",
        slash="slaes",
        at="at",
        plus="plws",
        hour="{h} o'r gloch",
        time="{h} {m}",
        ampersand="a",
        units=_same({"mg": "miligram", "ml": "mililitr", "kg": "cilogram", "cm": "centimetr", "mm": "milimetr"})
        | {"°C": ("gradd Celsius", "gradd Celsius")},
    ),
    "pl": Words(
        percent="{n} procent",
        range="{a} do {b}",
        one_in="{a} na {b}",
        fraction="{a} przez {b}",
        alternative="lub",
        dot="kropka",
        slash="ukośnik",
        at="małpa",
        plus="plus",
        hour="{h}",
        time="{h} {m}",
        ampersand="i",
        less="mniej niż",
        more="więcej niż",
        units={
            "mg": ("miligram", "miligramów"),
            "ml": ("mililitr", "mililitrów"),
            "kg": ("kilogram", "kilogramów"),
            "cm": ("centymetr", "centymetrów"),
            "mm": ("milimetr", "milimetrów"),
            "°C": ("stopień Celsjusza", "stopni Celsjusza"),
        },
    ),
    "ro": Words(
        percent="{n} la sută",
        range="{a} până la {b}",
        one_in="{a} la {b}",
        fraction="{a} supra {b}",
        alternative="sau",
        dot="punct",
        slash="bară",
        at="at",
        plus="plus",
        hour="ora {h}",
        time="ora {h} și {m}",
        ampersand="și",
        of_from_20="de",
        units={
            "mg": ("miligram", "miligrame"),
            "ml": ("mililitru", "mililitri"),
            "kg": ("kilogram", "kilograme"),
            "cm": ("centimetru", "centimetri"),
            "mm": ("milimetru", "milimetri"),
            "°C": ("grad Celsius", "grade Celsius"),
        },
    ),
    "ar": Words(
        percent="{n} بالمئة",
        range="{a} إلى {b}",
        one_in="{a} من كل {b}",
        fraction="{a} على {b}",
        alternative="أو",
        dot="نقطة",
        slash="شرطة مائلة",
        at="آت",
        plus="زائد",
        hour="الساعة {h}",
        time="الساعة {h} و{m} دقيقة",
        ampersand="و",
        units=_same(
            {
                "mg": "مليغرام",
                "ml": "مليلتر",
                "kg": "كيلوغرام",
                "cm": "سنتيمتر",
                "mm": "مليمتر",
                "°C": "درجة مئوية",
            }
        ),
        punctuation={"،": ", ", "؛": "; ", "؟": "? "},
    ),
    "ur": Words(
        percent="{n} فیصد",
        range="{a} سے {b}",
        one_in="{b} میں سے {a}",
        fraction="{a} بٹا {b}",
        alternative="یا",
        dot="ڈاٹ",
        slash="سلیش",
        at="ایٹ",
        plus="پلس",
        hour="{h} بجے",
        time="{h} بج کر {m} منٹ",
        ampersand="اور",
        units=_same(
            {
                "mg": "ملی گرام",
                "ml": "ملی لیٹر",
                "kg": "کلوگرام",
                "cm": "سینٹی میٹر",
                "mm": "ملی میٹر",
                "°C": "ڈگری سینٹی گریڈ",
            }
        ),
        punctuation={"۔": ". ", "،": ", ", "؛": "; ", "؟": "? "},
    ),
    "bn": Words(
        percent="{n} শতাংশ",
        range="{a} থেকে {b}",
        one_in="{b} জনে {a} জন",
        fraction="{b} ভাগের {a}",
        alternative="বা",
        dot="ডট",
        slash="স্ল্যাশ",
        at="অ্যাট",
        plus="প্লাস",
        hour="{h}টা",
        time="{h}টা {m} মিনিট",
        ampersand="এবং",
        units=_same(
            {
                "mg": "মিলিগ্রাম",
                "ml": "মিলিলিটার",
                "kg": "কিলোগ্রাম",
                "cm": "সেন্টিমিটার",
                "mm": "মিলিমিটার",
                "°C": "ডিগ্রি সেলসিয়াস",
            }
        ),
        punctuation={"।": ". "},
    ),
    "pa": Words(
        percent="{n} ਪ੍ਰਤੀਸ਼ਤ",
        range="{a} ਤੋਂ {b}",
        one_in="{b} ਵਿੱਚੋਂ {a}",
        fraction="{a} ਬਟਾ {b}",
        alternative="ਜਾਂ",
        dot="ਡਾਟ",
        slash="ਸਲੈਸ਼",
        at="ਐਟ",
        plus="ਪਲੱਸ",
        hour="{h} ਵਜੇ",
        time="{h} ਵੱਜ ਕੇ {m} ਮਿੰਟ",
        ampersand="ਅਤੇ",
        units=_same(
            {
                "mg": "ਮਿਲੀਗ੍ਰਾਮ",
                "ml": "ਮਿਲੀਲੀਟਰ",
                "kg": "ਕਿਲੋਗ੍ਰਾਮ",
                "cm": "ਸੈਂਟੀਮੀਟਰ",
                "mm": "ਮਿਲੀਮੀਟਰ",
                "°C": "ਡਿਗਰੀ ਸੈਲਸੀਅਸ",
            }
        ),
        punctuation={"।": ". "},
    ),
    "ne": Words(
        percent="{n} प्रतिशत",
        range="{a} देखि {b}",
        one_in="{b} जनामा {a} जना",
        fraction="{a} बटा {b}",
        alternative="वा",
        dot="डट",
        slash="स्ल्यास",
        at="एट",
        plus="प्लस",
        hour="{h} बजे",
        time="{h} बजेर {m} मिनेट",
        ampersand="र",
        units=_same(
            {
                "mg": "मिलिग्राम",
                "ml": "मिलिलिटर",
                "kg": "किलोग्राम",
                "cm": "सेन्टिमिटर",
                "mm": "मिलिमिटर",
                "°C": "डिग्री सेल्सियस",
            }
        ),
        punctuation={"।": ". "},
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
        fraction="{b}分之{a}",
        alternative="或",
        dot="点",
        slash="斜杠",
        at="艾特",
        plus="加",
        hour="{h}点",
        time="{h}点{m}分",
        ampersand="和",
        less="小于",
        more="大于",
        units=_same({"mg": "毫克", "ml": "毫升", "kg": "公斤", "cm": "厘米", "mm": "毫米", "°C": "摄氏度"}),
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


@functools.cache
def _pinyin() -> Callable[[str], list[str]]:
    """pypinyin, loaded with PINYIN_READINGS the first time Chinese is read (not for other languages)."""
    from pypinyin import Style, lazy_pinyin, load_single_dict

    load_single_dict({ord(han): readings for han, readings in PINYIN_READINGS.items()})
    return lambda text: lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True)


# --- the language-neutral rules ---------------------------------------------------------------

CODE = re.compile(r"\b([A-Z]+)_(\d+)(?: v([0-9A-F]{8}))?\b")  # leaflet codes such as RAD_0009, and their version
_NUMBER = r"\d+(?:[.,]\d+)?"
PERCENT = re.compile(rf"(?:({_NUMBER})\s?[%٪]|[%٪]\s?({_NUMBER}))")
ONE_IN = re.compile(r"(?<![\d/])(1)\s?/\s?(\d{2,}(?:[ ,]\d{3})*)(?![\d/])")
FRACTION = re.compile(r"(?<![\d/])(\d)\s?/\s?(\d)(?![\d/])")
VULGAR = re.compile("[½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞]")
RANGE = re.compile(rf"(?<![\d.,-])({_NUMBER})\s?[-–]\s?({_NUMBER})(?![\d-])")
DATE = re.compile(r"(?<![\d/.])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")  # UK order: day/month/year
TIME = re.compile(r"(?<![\d:])([01]?\d|2[0-3]):([0-5]\d)(?![\d:])")
ALTERNATIVE = re.compile(r"(?<=[^\W\d])\s*/\s*(?=[^\W\d])")
ANGLED = re.compile(r"<([^\s<>]+)>")  # "<www.nhs.uk>": brackets wrapping an address are not said
MARKUP = re.compile(r"[*_#`|~^\\{}\[\]\u00ad\u200b-\u200d\ufeff]")
SPACE = re.compile(r"\s+")
LINE_BREAK = re.compile(r"([.,;:!?])?[ \t]*\n\s*")  # a hard break is heard as the end of a sentence
SAYABLE = re.compile(r"[^\W_]")  # a run with no letter or digit says nothing
_SAID_AS_WORDS = {"org", "com", "net", "gov", "info"}
_LETTERS_DIGITS = re.compile(r"[A-Z]+(?=\d)|\d+|[^\W\d_]+")


@dataclass(frozen=True)
class Run:
    """A stretch of speech text and the voice that reads it."""

    text: str
    voice: Voice


def runs(text: str, lang: str) -> tuple[Run, ...]:
    """What the synthesiser is given for `text` in language `lang` (a BCP 47 tag or gettext
    code), as runs of one voice each. LookupError if the language has no voice."""
    voice = voice_for(lang)
    if voice is None:
        raise LookupError(f"no speech voice for its language ({lang})")
    latin = from_tag(lang).script == "Latn"
    text = rewrite(text, lang, latin)
    out: list[Run] = []
    for foreign, piece in [(False, text)] if latin else _scripts(text):
        run_lang, run_voice = (ENGLISH, _english()) if foreign else (lang, voice)
        said = say_numbers(piece, run_lang)
        if run_voice.romanise == "pinyin":
            said = " ".join(_pinyin()(said))
        said = SPACE.sub(" ", said).strip()
        if not SAYABLE.search(said):
            continue
        if out and out[-1].voice == run_voice:
            out[-1] = Run(f"{out[-1].text} {said}", run_voice)
        else:
            out.append(Run(said, run_voice))
    return tuple(out)


def _english() -> Voice:
    voice = voice_for(ENGLISH)
    assert voice is not None  # the table always has English
    return voice


def words_for(lang: str) -> Words:
    return WORDS.get(from_tag(lang).language, NO_WORDS)


def rewrite(text: str, lang: str, latin: bool = True) -> str:
    """The text with phone numbers, addresses, dates, times, risks, ranges, percentages and units
    rewritten as they are said in language `lang`; numbers are still digits. `latin`: the
    language is written in Latin script (otherwise addresses are read by the English voice,
    their separators in the language)."""
    w = words_for(lang)
    for wide, narrow in w.punctuation.items():
        text = text.replace(wide, narrow)
    text = ascii_digits(ANGLED.sub(r"\1", TAG.sub(" ", text.replace("\u00a0", " "))))
    text = LINE_BREAK.sub(lambda m: (m.group(1) or ".") + " ", text)
    text = EMAIL.sub(lambda m: _email(m.group(), w, latin), text)
    text = sub_websites(text, lambda url: _url(url, w, latin))
    text = sub_phones(text, lambda number: _phone(number, w))
    text = CODE.sub(lambda m: _code(m, latin), text)
    text = DATE.sub(lambda m: _date(m, lang), text)
    if w.time:
        text = TIME.sub(lambda m: (w.hour if m.group(2) == "00" else w.time).format(h=m.group(1), m=m.group(2)), text)
    if w.percent:
        text = PERCENT.sub(lambda m: w.percent.format(n=m.group(1) or m.group(2)), text)
    if w.one_in:
        text = ONE_IN.sub(lambda m: w.one_in.format(a=m.group(1), b=m.group(2)), text)
    if w.fraction:
        text = FRACTION.sub(lambda m: w.fraction.format(a=m.group(1), b=m.group(2)), text)
        text = VULGAR.sub(lambda m: " " + _vulgar(m.group(), w) + " ", text)
    if w.range:
        text = RANGE.sub(lambda m: w.range.format(a=m.group(1), b=m.group(2)), text)
    if w.units:
        text = _units(text, w)
    if w.year:
        text = _years(text, lang)
    if w.alternative:
        text = ALTERNATIVE.sub(f" {w.alternative} ", text)
    for written, said in w.abbreviations.items():
        text = re.sub(rf"(?<!\w){re.escape(written)}(?!\w)", said, text)
    for pattern, repl in w.patterns:
        text = re.sub(pattern, repl, text)
    for symbol, said in (("&", w.ampersand), ("<", w.less), (">", w.more)):
        if said:
            text = text.replace(symbol, f" {said} ")
    return SPACE.sub(" ", MARKUP.sub(" ", text)).strip()


def _is_latin(char: str) -> bool:
    return char.isalpha() and "LATIN" in unicodedata.name(char, "")


def _scripts(text: str) -> list[tuple[bool, str]]:
    """The text cut where the script of its letters changes: (is Latin, piece) in order. What
    is between a Latin word and the next word in another script (a bracket, a number) goes with
    the latter from the first space on, so "(Clopidogrel) 5 دن" says "5" in the language."""
    pieces: list[tuple[bool, str]] = []
    start, current, last_letter = 0, None, 0
    for i, char in enumerate(text):
        if not char.isalpha():
            continue
        latin = _is_latin(char)
        if current is None:
            current = latin
        elif latin != current:
            cut = last_letter + 1
            if current:  # leaving Latin: keep up to the first space after the last Latin letter
                space = text.find(" ", cut, i)
                cut = space if space >= 0 else cut
            else:  # entering Latin: the Latin run starts at its first letter's word
                space = text.rfind(" ", cut, i)
                cut = space + 1 if space >= 0 else i
            pieces.append((current, text[start:cut]))
            start, current = cut, latin
        last_letter = i
    pieces.append((bool(current), text[start:]))
    return [(latin, piece) for latin, piece in pieces if piece.strip()]


def _code(m: re.Match[str], latin: bool) -> str:
    """A leaflet code and its version (leaflets.version) spelled out: "R A D, 0 0 0 9, V, 5 6 C 3 ..."."""
    said = f"{_spell(m.group(1))}, {_english_digits(_spell(m.group(2)), latin)}"
    return said + (f", V, {_english_digits(_spell(m.group(3)), latin)}" if m.group(3) else "")


def _spell(token: str) -> str:
    """Letters and digits one by one: "0009" -> "0 0 0 9"."""
    return " ".join(token)


def _english_digits(text: str, latin: bool) -> str:
    """Digits inside a Latin-script name (an address, a code) in a language not written in Latin
    script: words for the English voice that reads the name, so they stay in its run."""
    return text if latin else say_numbers(text, ENGLISH)


def _phone(number: str, w: Words) -> str:
    """ "0118 322 7991" and "(0118) 322 7991" -> "0 1 1 8, 3 2 2, 7 9 9 1": digit groups as
    written. The "(0)" of "+44 (0)118 ..." is left out: it is not dialled with the +44."""
    plus = number.startswith("+")
    groups = [_spell(g) for g in re.split(r"\D+", number.replace("(0)", "")) if g]
    said = ", ".join(groups)
    return f"{w.plus or '+'} {said}" if plus else said


def _url(url: str, w: Words, latin: bool) -> str:
    """www.nice.org.uk/guidance/IPG12 -> "w w w dot nice dot org dot u k slash guidance slash I P G 1 2"."""
    bare = re.sub(r"^(?:[a-z]+://|mailto:)", "", url, flags=re.I).rstrip("/")
    if not (w.dot and w.slash):
        return bare
    host, _, path = bare.partition("/")
    said = _host(host, w, latin)
    for part in filter(None, path.split("/")):
        said += f" {w.slash} " + " ".join(_label(p, latin) for p in re.split(r"[-_.?=&]+", part) if p)
    return said


def _email(address: str, w: Words, latin: bool) -> str:
    """rbft.radiology@nhs.net -> "r b f t dot radiology at n h s dot net"."""
    if not (w.dot and w.at):
        return address
    local, _, host = address.partition("@")
    return f"{_host(local, w, latin)} {w.at} {_host(host, w, latin)}"


def _host(host: str, w: Words, latin: bool) -> str:
    return f" {w.dot} ".join(_label(part, latin) for part in host.split(".") if part)


def _label(label: str, latin: bool) -> str:
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
    return _english_digits(" ".join(pieces), latin)


def _date(m: re.Match[str], lang: str) -> str:
    """12/05/2026 -> the language's long date ("12 May 2026", "12 maja 2026", "2026年5月12日")."""
    day, month, year = (int(g) for g in m.groups())
    try:
        return format_date(date(year, month, day), format="long", locale=_babel(lang))
    except ValueError:  # not a real date: leave it to the other rules
        return m.group()


def _years(text: str, lang: str) -> str:
    """ "May 2026" -> "May twenty twenty-six" (English reads a year in pairs)."""
    months = "|".join(get_month_names("wide", locale=_babel(lang)).values())
    return re.sub(
        rf"\b({months}),? (\d{{4}})\b", lambda m: f"{m.group(1)} {num2words(int(m.group(2)), to='year')}", text
    )


def _babel(lang: str) -> str:
    """The babel locale of a tag, region included ("en-GB" writes dates the British way)."""
    return from_tag(lang).tag.replace("-", "_")


def _vulgar(char: str, w: Words) -> str:
    """ "½" -> "1 over 2" in the language's fraction words."""
    value = Fraction(unicodedata.numeric(char)).limit_denominator(10)
    return w.fraction.format(a=value.numerator, b=value.denominator)


def _units(text: str, w: Words) -> str:
    names = "|".join(sorted(map(re.escape, w.units), key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w.,])({_NUMBER})\s?({names})(?![\w])")

    def said(m: re.Match[str]) -> str:
        number, (one, many) = m.group(1), w.units[m.group(2)]
        of = ""
        if w.of_from_20 and number.isdigit() and int(number) >= 20 and not 0 < int(number) % 100 < 20:
            of = f" {w.of_from_20}"
        return f"{number}{of} {one if number == '1' else many}"

    return pattern.sub(said, text)
