"""Locale facts: a segment's BCP 47 tag back to its locale."""

import pytest

from leaflets.errors import LeafletError
from leaflets.locales import SOURCE_CODE, from_tag, info


@pytest.mark.parametrize("code", ["en", "pl", "ur", "zh_Hans", "zh_Hant", "pt_BR", "pa_Arab", "ckb"])
def test_from_tag_is_the_inverse_of_the_tag(code):
    assert from_tag(info(code).tag) == info(code)


def test_the_source_tag_is_the_source_locale():
    assert from_tag("en-GB").code == SOURCE_CODE == from_tag("en").code


def test_right_to_left_and_script_come_with_the_tag():
    assert from_tag("ur").rtl and from_tag("ur").script == "Arab"
    assert from_tag("zh-Hans").script == "Hans" and not from_tag("zh-Hans").rtl


@pytest.mark.parametrize("tag", ["xx-YY", "../x", ""])
def test_unknown_tags_are_refused(tag):
    with pytest.raises(LeafletError):
        from_tag(tag)


def test_the_stated_source_locale_is_what_babel_says():
    from leaflets import locales

    locales.info.cache_clear()
    assert locales.info(locales.SOURCE_CODE) == locales.SOURCE_LOCALE
