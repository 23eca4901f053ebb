"""The `figure` filter: counts and hours written one way on every page."""

from decimal import Decimal

from django.template import Context, Template
from django.utils import translation

from lianxin.core.templatetags.lianxin import figure


def test_counts_group_thousands_with_commas() -> None:
    assert figure(23597) == "23,597"
    assert figure(7) == "7"
    assert figure(1234567) == "1,234,567"


def test_whole_hours_show_no_decimal_and_other_hours_one() -> None:
    assert figure(Decimal("5532.0")) == "5,532"
    assert figure(Decimal("2.5")) == "2.5"
    assert figure(0.25) == "0.3"
    assert figure(Decimal("0")) == "0"


def test_nothing_and_words_pass_through() -> None:
    assert figure(None) == "—"
    assert figure(Decimal("-0.04")) == "0"
    assert figure(Decimal("NaN")) == "NaN"
    assert figure("—") == "—"


def test_the_same_in_chinese_and_in_english_pages() -> None:
    template = Template("{% load lianxin %}{{ hours|figure }} {{ people|figure }}")
    for language in ("zh-hans", "en"):
        with translation.override(language):
            text = template.render(Context({"hours": Decimal("5532.0"), "people": 23597}))
        assert text == "5,532 23,597"
