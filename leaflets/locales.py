"""Locale facts from babel's CLDR data: names, script, direction, BCP 47 tag, plural forms.

Locale codes are gettext's (`pl`, `zh_Hans`, `pt_BR`): they name the `locales/<code>/`
directories. Anything babel does not know is refused here, so a path like `../x` can never
become a directory name.
"""

from __future__ import annotations

import re
from functools import cache

from .errors import LeafletError
from .model import LocaleInfo

SOURCE_CODE = "en"
# The source language, British English, stated here so that reading and extracting sources
# need not load babel's CLDR data (a test checks babel says the same).
SOURCE_LOCALE = LocaleInfo(
    code=SOURCE_CODE,
    tag="en-GB",
    language="en",
    script="Latn",
    direction="ltr",
    english_name="English",
    native_name="English",
)

# Where the NHS and patients in the UK say a language's name differently from CLDR.
ENGLISH_NAMES = {"bn": "Bengali", "zh_Hans": "Chinese (Simplified)", "zh_Hant": "Chinese (Traditional)"}
# Other names people ask for a language by (request matching).
ALSO_KNOWN_AS = {
    "bn": ("Bangla", "Bangladeshi"),
    "pa": ("Panjabi", "Gurmukhi"),
    "zh_Hans": ("Chinese", "Mandarin", "Simplified Chinese", "简体中文"),
    "zh_Hant": ("Traditional Chinese", "Cantonese", "繁體中文"),
    "fa": ("Persian", "Farsi"),
    "ckb": ("Kurdish", "Sorani"),
    "ti": ("Tigrinya",),
    "cy": ("Cymraeg",),
}
_CODE = re.compile(r"^[a-z]{2,3}(_[A-Z][a-z]{3})?(_([A-Z]{2}|[0-9]{3}))?$")


@cache
def info(code: str) -> LocaleInfo:
    """LocaleInfo for a gettext locale code.

    >>> info("ur").direction, info("ur").script, info("zh_Hans").tag
    ('rtl', 'Arab', 'zh-Hans')
    """
    if not _CODE.match(code or ""):
        raise LeafletError(f"{code!r} is not a locale code", fix=_suggest(code))
    from babel import Locale, UnknownLocaleError
    from babel.core import get_global

    try:
        loc = Locale.parse(code)
    except (UnknownLocaleError, ValueError) as exc:
        raise LeafletError(f"{code!r} is not a locale babel knows", fix=_suggest(code)) from exc
    likely = get_global("likely_subtags").get(code) or get_global("likely_subtags").get(loc.language, "")
    script = loc.script or (likely.split("_")[1] if likely.count("_") >= 1 else "Latn")
    tag = "en-GB" if code == SOURCE_CODE else code.replace("_", "-")
    return LocaleInfo(
        code=code,
        tag=tag,
        language=loc.language,
        script=script,
        direction=loc.text_direction,
        english_name=ENGLISH_NAMES.get(code) or loc.get_display_name("en") or code,
        native_name=loc.get_display_name(loc) or code,
    )


def by_name(name: str) -> list[str]:
    """Locale codes a language is called by in English: babel's name for it, ours, or another
    name people use ("Farsi").

    >>> by_name("Farsi"), by_name("persian"), by_name("Welsh")
    (['fa'], ['fa'], ['cy'])
    """
    from babel import Locale

    wanted = " ".join(name.split()).casefold()
    found = [c for c, names in ALSO_KNOWN_AS.items() if wanted in (n.casefold() for n in names)]
    found += [c for c, n in ENGLISH_NAMES.items() if n.casefold() == wanted]
    found += [c for c, n in Locale("en").languages.items() if n.casefold() == wanted]
    return list(dict.fromkeys(found))


def _suggest(name: str) -> str:
    known = []
    for code in by_name(name or ""):
        try:  # a name babel has but no locale data for ("Klingon" is tlh) is no suggestion
            known.append(f"{code} ({info(code).english_name})")
        except LeafletError:
            continue
    if known:
        return "did you mean " + " or ".join(known) + "?"
    return "use a code such as pl, ur, zh_Hans or pt_BR"


def from_tag(tag: str) -> LocaleInfo:
    """LocaleInfo for a BCP 47 tag such as a segment's language: the inverse of info(code).tag,
    so the source's "en-GB" is the source locale "en", not a locale of its own. A gettext code
    ("zh_Hans") is taken as it is.

    >>> from_tag("en-GB").code, from_tag("zh-Hans").code, from_tag("ur").code
    ('en', 'zh_Hans', 'ur')
    """
    return info(SOURCE_CODE if tag == info(SOURCE_CODE).tag else tag.replace("-", "_"))


# Where the plural tables disagree, the choice (README, "Plural forms" tells why). Welsh: CLDR's
# six forms (0, 1, 2, 3, 6, other), as Weblate and CLDR have them; translate-toolkit's table has
# two forms (n == 2 alone), GNU msginit none, babel five (zero merged into other).
PLURAL_CHOICES = {
    "cy": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n==3 ? 3 : n==6 ? 4 : 5);",
    # translate-toolkit lists only pt (Brazil's rule, as CLDR's pt) and pt_BR; CLDR's pt_PT:
    "pt_PT": "nplurals=2; plural=(n != 1);",
}


def plural_forms(code: str) -> str:
    """The Plural-Forms header for a locale.

    translate-toolkit's table first: it is GNU gettext's for every language msginit knows (but
    Irish, Latvian and Portuguese, see README) and Weblate's, and it fixes babel's departures
    (Turkish, Persian and Hungarian with one form, Arabic with its last two forms swapped).
    Then babel's CLDR rules, for the languages translate-toolkit does not list.
    """
    from translate.lang.data import languages

    if code in PLURAL_CHOICES:
        return PLURAL_CHOICES[code]
    known = languages.get(code) or languages.get(code.split("_")[0])
    if known:
        return f"nplurals={known[1]}; plural={_wrapped(known[2])};"
    from babel.messages.plurals import get_plural

    return get_plural(code).plural_forms


def _wrapped(expression: str) -> str:
    """`n > 1` -> `(n > 1)`, as gettext writes them; `0` and `(n != 1)` stay as they are."""
    expression = expression.strip()
    if expression.isdigit():
        return expression
    depth = 0
    for i, char in enumerate(expression):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and i < len(expression) - 1:
            return f"({expression})"
    return expression if expression.startswith("(") else f"({expression})"
