"""What phone numbers, web and e-mail addresses and HTML tags look like in leaflet text.

One definition each, shared by the translation checks (which find them in every language to
compare source and translation), the speech text (which reads them digit by digit or letter by
letter) and front-matter validation. Neighbours are tested as ASCII only: Chinese writes
"致电0118 322 7991" and "访问www.nhs.uk" with no space, and `\\b` would see 电 and 访 as letters.
Wherever a space may separate digit groups, so may a no-break space: the core glues digit
groups with U+00A0 (inline.glue_numbers) and French typography uses U+202F.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# --- phone numbers --------------------------------------------------------------------------------

_GAP = "[ \u00a0\u202f-]"  # between digit groups: space, no-break spaces, hyphen

PHONE = re.compile(
    r"(?<![A-Za-z0-9+.,/-])"
    rf"(?:\+\d{{1,3}}{_GAP}?(?:\(0\){_GAP}?)?|\(0|0)\d{{1,4}}\)?(?:{_GAP}?\d{{2,4}}){{1,4}}(?!\d)"
)
"""A UK national number (0118 322 7991, 020 7946 0018, (0118) 322 7991) or an international one
(+44 118 322 7991, +44 (0)118 322 7991): a leading 0 or +, digit groups as anyone writes them.
Not preceded by a letter, digit or . , / - so that the tail of a decimal, date or code is not
taken for one. A match is only shaped like a phone number: `is_phone` counts its digits and
`sub_phones` finds the real ones in running text."""

PHONE_DIGITS = {False: range(10, 12), True: range(9, 16)}
"""How many digits a phone number has: national (UK, with its leading 0) 10 or 11, international
(country code included, the "(0)" not) 9 to 15, the E.164 maximum."""

_LAST_GROUP = re.compile(f"{_GAP}+\\d{{2,4}}$")


def phone_key(phone: str) -> str:
    """The number dialled: its digits, with a leading + if international, the (0) of
    "+44 (0)118" dropped. "(0118) 322 7991" and "0118-322-7991" give the same key."""
    phone = phone.replace("(0)", "")
    return ("+" if phone.startswith("+") else "") + re.sub(r"\D", "", phone)


def is_phone(text: str) -> bool:
    """Whether a PHONE-shaped text has as many digits as a phone number."""
    key = phone_key(text)
    return len(key.lstrip("+")) in PHONE_DIGITS[key.startswith("+")]


def sub_phones(text: str, repl: Callable[[str], str]) -> str:
    """`text` with each phone number in it replaced by repl(number).

    A PHONE match may run on into a number written after it with only a space between
    ("0118 322 7991 24 hours a day"): digit groups after a gap are dropped from its end until
    what is left has a phone number's digits, and the search goes on from there.
    """
    out, done = [], 0
    m = PHONE.search(text)
    while m:
        number = m.group()
        while not is_phone(number) and _LAST_GROUP.search(number):
            number = _LAST_GROUP.sub("", number)
        if is_phone(number):
            out += [text[done : m.start()], repl(number)]
            done = m.start() + len(number)
            m = PHONE.search(text, done)
        else:
            m = PHONE.search(text, m.end())
    return "".join(out) + text[done:]


# --- web and e-mail addresses ---------------------------------------------------------------------

TLDS = ("uk", "com", "org", "net", "gov", "info", "eu", "int", "io")
"""Top-level domains a UK leaflet names. A bare name.name is taken for a web address only when
it ends in one of these: otherwise "approx.5", "fig.2" or initials would be addresses too."""

_URL_CHAR = r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]"  # RFC 3986: no spaces, quotes or non-ASCII
_URL_END = r"[A-Za-z0-9\-_~/#\[\]@$&()*+=%]"  # not sentence punctuation . , ; : ! ? '
_TAIL = ".,;:!?'\""

WEBSITE = re.compile(
    r"(?<![A-Za-z0-9.@/-])"
    rf"(?:(?:(?:https?|ftp)://|mailto:|www\.){_URL_CHAR}*{_URL_END}"
    rf"|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:{'|'.join(TLDS)})(?![A-Za-z0-9_-])(?:/(?:{_URL_CHAR}*{_URL_END})?)?)",
    re.I,
)
"""A web address: with a scheme or www. (www.royalberkshire.nhs.uk, https://www.nice.org.uk/
guidance/IPG12) or a bare name ending in one of TLDS (nhs.uk, NHS.UK). ASCII only, so an
address written against Chinese text stops where the Chinese starts; never ends with sentence
punctuation, so WEBSITE.fullmatch checks a front-matter value and a search stops before the
full stop. Not after @: the host of an e-mail address is not a web address of its own."""


def trim_url(url: str) -> str:
    """A WEBSITE match without a ')' that closes a bracket around it, nor punctuation before that
    bracket: "(see www.nhs.uk.)" mentions www.nhs.uk; a balanced "_(bar)" is part of the address."""
    while url and (url[-1] in _TAIL or (url[-1] == ")" and url.count("(") < url.count(")"))):
        url = url[:-1]
    return url


# What every WEBSITE match contains (a scheme, www. or a dot before one of TLDS): a text without
# it has none, found by a search far quicker than WEBSITE's (which starts at every letter).
_WEBSITE_HINT = re.compile(rf"://|mailto:|www\.|\.(?:{'|'.join(TLDS)})(?![A-Za-z0-9_-])", re.I)


def sub_websites(text: str, repl: Callable[[str], str]) -> str:
    """`text` with each web address in it replaced by repl(address) (trimmed by trim_url)."""
    if not _WEBSITE_HINT.search(text):
        return text

    def one(m: re.Match) -> str:
        url = trim_url(m.group())
        return repl(url) + m.group()[len(url) :]

    return WEBSITE.sub(one, text)


EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
"""An e-mail address (rbft.radiology@nhs.net): the usual local-part characters, then a host with
at least one dot. It cannot end in punctuation, so a full stop after it is not taken."""

# --- markup ---------------------------------------------------------------------------------------

TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
"""An HTML or XML tag (<b>, </i>, <br/>, <span dir="rtl">): a name, then attributes only after
white space, so an address in angle brackets ("<www.nhs.uk>") is not taken for one."""
