"""core.forms.PlainSelect writes the same HTML as Django's select template, whatever is chosen."""

import pytest
from django import forms
from django.utils import translation

from lianxin.core.forms import PlainSelect

CHOICES = [("", "any"), ("a", "A & <b>"), ("b", 'say "b"'), (3, "three")]


class Templated(forms.Form):
    kind = forms.ChoiceField(choices=CHOICES, required=False)
    many = forms.MultipleChoiceField(choices=CHOICES, required=False, widget=forms.SelectMultiple)


class Plain(forms.Form):
    kind = forms.ChoiceField(choices=CHOICES, required=False, widget=PlainSelect)
    many = forms.MultipleChoiceField(
        choices=CHOICES, required=False, widget=PlainSelect(attrs={"multiple": True, "class": "x"})
    )


@pytest.mark.parametrize("data", [{}, {"kind": "a"}, {"kind": "3"}, {"kind": "<nope>"}, {"many": ["a", "b"]}])
def test_the_html_is_the_templates(data: dict[str, object]) -> None:
    templated, plain = Templated(data), Plain(data)
    templated.is_valid()
    plain.is_valid()
    assert str(plain["kind"]) == str(templated["kind"])
    # The same options and choices with attributes of its own (bare True, a quoted value).
    many = str(plain["many"])
    assert many.startswith('<select name="many" multiple class="x"')
    assert many.count("<option") == len(CHOICES)


def test_an_unbound_form_and_grouped_choices_read_as_the_template_writes_them() -> None:
    grouped = [("Letters", [("a", "A"), ("b", "B")]), ("n", "N")]
    with translation.override("en"):
        assert PlainSelect(choices=grouped).render("g", "b") == forms.Select(choices=grouped).render("g", "b")
        assert str(Plain()["kind"]) == str(Templated()["kind"])
