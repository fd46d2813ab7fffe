"""Negation and comparison data: every sample language has every kind listed, the English and
each sample translation agree on the real leaflet, and the severities follow the rule (warning;
error when an instruction with a number loses its negation or reverses a comparison)."""

import pytest

from leaflets import catalogs
from leaflets.checks import ERROR, WARNING, check_entry
from leaflets.checks.negation import CLAUSE_KINDS, GRAMMAR_KINDS, KINDS, counts, forms

SAMPLE_LANGUAGES = ("pl", "ro", "cy", "so", "ur", "ar", "bn", "pa", "ne", "zh_Hans")


@pytest.mark.parametrize("code", SAMPLE_LANGUAGES)
def test_every_sample_language_has_every_kind(code):
    assert {*KINDS, *CLAUSE_KINDS} <= set(forms(code)) <= {*KINDS, *CLAUSE_KINDS, *GRAMMAR_KINDS}


def test_counts_in_four_scripts():
    assert counts("Do not eat for at least 6 hours before it.", "en") == {
        "negation": 1,
        "verbal": 1,
        "at_least": 1,
        "before": 1,
    }
    assert counts("Nie jedz co najmniej 6 godzin przed zabiegiem.", "pl") == {"negation": 1, "at_least": 1, "before": 1}
    assert counts("کم از کم 6 گھنٹے پہلے کچھ نہ کھائیں۔", "ur")["at_least"] == 1
    assert counts("উপযুক্ত নন।", "bn") == {"negation": 1}  # a danda ends the word
    assert counts("手术前至少6小时内不要进食", "zh_Hans") == {"negation": 1, "at_least": 1, "before": 1}


def test_a_phrase_only_before_a_number():
    assert counts("you can get up to use the bathroom", "en") == {}
    assert counts("in up to 10% of cases", "en") == {"at_most": 1}


@pytest.mark.parametrize(
    "code,good,bad,severity",
    [
        ("pl", "Zabieg trwa krócej niż 60 minut.", "Zabieg trwa dłużej niż 60 minut.", ERROR),
        ("ar", "يستغرق الإجراء أقل من 60 دقيقة.", "يستغرق الإجراء أكثر من 60 دقيقة.", ERROR),
        ("pa", "ਇਲਾਜ ਵਿੱਚ 60 ਮਿੰਟ ਤੋਂ ਘੱਟ ਸਮਾਂ ਲੱਗਦਾ ਹੈ।", "ਇਲਾਜ ਵਿੱਚ 60 ਮਿੰਟ ਤੋਂ ਵੱਧ ਸਮਾਂ ਲੱਗਦਾ ਹੈ।", ERROR),
        ("zh_Hans", "手术通常不到60分钟。", "手术通常超过60分钟。", ERROR),
    ],
)
def test_reversed_comparison_with_a_number_is_an_error(code, good, bad, severity):
    msgid = "The procedure usually takes less than 60 minutes."
    assert "negation" not in {f.check for f in check_entry(msgid, good, code)}
    assert [f.severity for f in check_entry(msgid, bad, code) if f.check == "negation"] == [severity]


def test_lost_negation_without_a_number_is_a_warning():
    found = check_entry("It is not suitable.", "Jest odpowiednia.", "pl")
    assert [(f.check, f.severity) for f in found] == [("negation", WARNING)]


@pytest.mark.parametrize("code", SAMPLE_LANGUAGES)
def test_the_sample_translations_raise_no_negation_finding(code):
    """The lists were checked against every sample entry: a correct translation stays silent."""
    for domain in ("RAD_0009", catalogs.COMMON):
        po = catalogs.load(catalogs.po_path(catalogs.Path("locales"), code, domain))
        for e in filter(catalogs.usable, po):
            if not e.msgid_plural:
                assert "negation" not in {f.check for f in check_entry(e.msgid, e.msgstr, code)}, e.msgid


@pytest.mark.parametrize(
    "code,drop",
    [
        ("pl", ("nic nie pić", "pić")),
        ("ur", ("کچھ نہ پئیں", "کچھ پئیں")),
        ("bn", ("কোনো পানীয় পান করবেন না", "কোনো পানীয় পান করবেন")),
        ("zh_Hans", ("6小时内不要进食", "6小时内进食")),
    ],
)
def test_one_instruction_losing_its_negation_is_found(code, drop):
    """ "Do not eat for 6 hours or drink for 2 hours": each clause of the translation keeps its "not"."""
    po = catalogs.load(catalogs.po_path(catalogs.Path("locales"), code, "RAD_0009"))
    entry = next(e for e in po if e.msgid.startswith("**Patients are asked"))
    assert drop[0] in entry.msgstr
    wrong = entry.msgstr.replace(drop[0], drop[1])
    found = [f for f in check_entry(entry.msgid, wrong, code) if f.check == "negation"]
    assert [f.severity for f in found] == [WARNING] and "no negation of its own" in found[0].message
