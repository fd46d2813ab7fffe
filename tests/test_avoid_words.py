"""A table headed "Avoid" (tests/rich_leaflet.py), or an instruction "Avoid milk.", is translated
with the language's own word for avoiding, with no "not" in it: that is the negation, and the
check stays silent; the same translation with the avoiding lost is still found."""

import pytest

from leaflets.checks import check_entry

# (language, correct translation of "Avoid" as a table heading, of "Avoid milk.", and "Avoid milk." lost)
AVOID = [
    ("pl", "Czego unikać", "Unikaj mleka.", "Pij mleko."),
    ("ro", "De evitat", "Evitați laptele.", "Beți lapte."),
    ("cy", "Osgoi", "Osgowch laeth.", "Yfwch laeth."),
    ("so", "Waxa laga fogaado", "Caanaha ka fogow.", "Cab caano."),
    ("ur", "پرہیز کریں", "دودھ سے پرہیز کریں۔", "دودھ پئیں۔"),
    ("ar", "تجنب", "تجنب الحليب.", "اشرب الحليب."),
    ("bn", "এড়িয়ে চলুন", "দুধ এড়িয়ে চলুন।", "দুধ পান করুন।"),
    ("pa", "ਪਰਹੇਜ਼ ਕਰੋ", "ਦੁੱਧ ਤੋਂ ਪਰਹੇਜ਼ ਕਰੋ।", "ਦੁੱਧ ਪੀਓ।"),
    ("ne", "परहेज गर्नुहोस्", "दूधबाट परहेज गर्नुहोस्।", "दूध पिउनुहोस्।"),
    ("zh_Hans", "避免", "避免喝牛奶。", "喝牛奶。"),
]


def _negation(msgid: str, msgstr: str, code: str) -> list:
    return [f for f in check_entry(msgid, msgstr, code, ()) if f.check == "negation"]


@pytest.mark.parametrize("code,heading,sentence,lost", AVOID, ids=[a[0] for a in AVOID])
def test_an_avoid_word_is_a_negation(code, heading, sentence, lost):
    assert not _negation("Avoid", heading, code)
    assert not _negation("Avoid milk.", sentence, code)
    assert _negation("Avoid milk.", lost, code)  # the avoiding dropped: still found
