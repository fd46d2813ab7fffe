"""The shared text patterns: phone numbers, web and e-mail addresses, HTML tags."""

import pytest

from leaflets.patterns import EMAIL, PHONE, TAG, WEBSITE, is_phone, phone_key, sub_phones, sub_websites

NBSP, NNBSP = "\u00a0", "\u202f"


def phones(text: str) -> list[str]:
    found = []
    sub_phones(text, lambda number: found.append(number) or "")
    return found


def websites(text: str) -> list[str]:
    found = []
    sub_websites(text, lambda url: found.append(url) or "")
    return found


# --- phone numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "0118 322 7991",
        "01183227991",
        "0118-322-7991",
        "020 7946 0018",
        "(0118) 322 7991",
        "+44 118 322 7991",
        "+44 (0)118 322 7991",
        f"0118{NBSP}322{NBSP}7991",
        f"(0118){NBSP}322{NBSP}7991",
        f"+44{NBSP}(0)118{NBSP}322{NBSP}7991",
        f"0118{NNBSP}322{NNBSP}7991",
    ],
)
def test_front_matter_phone_numbers_fullmatch(value):
    assert PHONE.fullmatch(value) and is_phone(value)


@pytest.mark.parametrize("value", ["118 322 7991", "0118 322", "phone", "0118 322 7991 ext", "+44"])
def test_what_is_not_a_phone_number(value):
    assert not (PHONE.fullmatch(value) and is_phone(value))


def test_the_same_number_written_differently_has_one_key():
    keys = {phone_key(n) for n in ("0118 322 7991", "(0118) 322 7991", "0118-322-7991", f"0118{NBSP}322{NBSP}7991")}
    assert keys == {"01183227991"}
    assert phone_key("+44 (0)118 322 7991") == phone_key("+44 118 322 7991") == "+441183227991"


def test_phone_numbers_in_running_text():
    assert phones("Call (0118) 322 7991 or +44 (0)118 322 7991.") == ["(0118) 322 7991", "+44 (0)118 322 7991"]
    assert phones("请致电0118 322 7991。") == ["0118 322 7991"]  # no space before it in Chinese


def test_a_number_written_after_a_phone_number_is_not_part_of_it():
    assert phones("Call 0118 322 7991 24 hours a day.") == ["0118 322 7991"]
    assert phones("0118 322 7991 0118 322 7992") == ["0118 322 7991", "0118 322 7992"]


def test_decimals_dates_and_long_numbers_are_not_phone_numbers():
    assert phones("It weighs 1.0118 322 kg; ref 2024/0118 322 7991; 01183227991245 units") == []


def test_replacement_keeps_the_rest_of_the_text():
    assert sub_phones("Call 0118 322 7991 24 hours.", lambda n: "<tel>") == "Call <tel> 24 hours."


# --- web and e-mail addresses ----------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "www.royalberkshire.nhs.uk",
        "https://www.nice.org.uk/guidance/IPG12",
        "royalberkshire.nhs.uk",
        "NHS.UK",
        "http://nhs.uk/",
    ],
)
def test_front_matter_websites_fullmatch(value):
    assert WEBSITE.fullmatch(value)


@pytest.mark.parametrize(
    "value", ["www.royalberkshire.nhs.uk.", "royal berkshire", "royalberkshire.nhs", "U.K.", "www.nhs.uk/a b"]
)
def test_what_is_not_a_website(value):
    assert not WEBSITE.fullmatch(value)


def test_web_addresses_in_running_text():
    assert websites("See www.nhs.uk. Or (see nhs.uk/conditions.)") == ["www.nhs.uk", "nhs.uk/conditions"]
    assert websites("https://en.wikipedia.org/wiki/Foo_(bar), born in the U.K. in 1990") == [
        "https://en.wikipedia.org/wiki/Foo_(bar)"
    ]
    assert websites("详情请访问www.royalberkshire.nhs.uk或访问nhs.uk了解。") == ["www.royalberkshire.nhs.uk", "nhs.uk"]
    assert websites("e-mail rbft.radiology@nhs.net") == []  # the host of an e-mail address


def test_email_addresses():
    assert EMAIL.findall("E-mail rbft.radiology@nhs.net. 发送电子邮件至rbft.radiology@nhs.net。") == [
        "rbft.radiology@nhs.net",
        "rbft.radiology@nhs.net",
    ]


# --- tags ------------------------------------------------------------------------------------


def test_tags_and_what_only_looks_like_one():
    assert TAG.findall('a <b>bold</b> <br/> <span dir="rtl">x</span>') == [
        "<b>",
        "</b>",
        "<br/>",
        '<span dir="rtl">',
        "</span>",
    ]
    assert TAG.findall("see <www.nhs.uk>, a < b, 5 > 3, <3") == []
