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
        raise LeafletError(f"{code!r} is not a locale code", fix="use a code such as pl, ur, zh_Hans or pt_BR")
    from babel import Locale, UnknownLocaleError
    from babel.core import get_global

    try:
        loc = Locale.parse(code)
    except (UnknownLocaleError, ValueError) as exc:
        raise LeafletError(
            f"{code!r} is not a locale babel knows", fix="use a code such as pl, ur, zh_Hans or pt_BR"
        ) from exc
    likely = get_global("likely_subtags").get(code) or get_global("likely_subtags").get(loc.language, "")
    script = loc.script or (likely.split("_")[1] if likely.count("_") >= 1 else "Latn")
    tag = "en-GB" if code == SOURCE_CODE else code.replace("_", "-")
    return LocaleInfo(
        code=code,
        tag=tag,
        language=loc.language,
        script=script,
        direction=loc.text_direction,
        english_name=ENGLISH_NAMES.get(code, loc.get_display_name("en")),
        native_name=loc.get_display_name(loc),
    )


def from_tag(tag: str) -> LocaleInfo:
    """LocaleInfo for a BCP 47 tag such as a segment's language: the inverse of info(code).tag,
    so the source's "en-GB" is the source locale "en", not a locale of its own. A gettext code
    ("zh_Hans") is taken as it is.

    >>> from_tag("en-GB").code, from_tag("zh-Hans").code, from_tag("ur").code
    ('en', 'zh_Hans', 'ur')
    """
    return info(SOURCE_CODE if tag == info(SOURCE_CODE).tag else tag.replace("-", "_"))


def plural_forms(code: str) -> str:
    """The Plural-Forms header for a locale, from CLDR via babel."""
    from babel.messages.plurals import get_plural

    return get_plural(code).plural_forms
