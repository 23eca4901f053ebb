"""`figure` writes a count and a quantity one way in every language (lianxin/core/templatetags/figures.py)."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation


def render(value: object, language: str = "zh-hans") -> str:
    with translation.override(language):
        return Template("{% load figures %}{{ value|figure }}").render(Context({"value": value}))


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (23597, "23,597"),
        (0, "0"),
        (1234567, "1,234,567"),
        (Decimal("5532.5"), "5,532.5"),
        (Decimal("5532.46"), "5,532.5"),
        (Decimal("5532.45"), "5,532.5"),  # half up, as people round
        (Decimal("2620"), "2,620.0"),  # hours keep their decimal even when whole
        (Decimal("-0.04"), "0.0"),
        (2.25, "2.3"),
        (None, "—"),
        ("n/a", "n/a"),
    ],
)
def test_a_count_is_grouped_and_a_quantity_has_one_decimal(value: object, written: str) -> None:
    assert render(value) == written


def test_chinese_and_english_pages_write_the_same_number() -> None:
    # Django's intcomma writes 23597 in Chinese (no separator) and 23,597 in English.
    assert render(23597, "zh-hans") == render(23597, "en") == "23,597"
    assert render(Decimal("5532.5"), "zh-hans") == render(Decimal("5532.5"), "en") == "5,532.5"
