"""Tests for lianxin.core.forms.form_submit: a form's own page runs its service once, or shows why not."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from lianxin.core.forms import form_submit


class NameForm(forms.Form):
    name = forms.CharField()


def test_an_unbound_form_runs_nothing_and_shows_no_errors() -> None:
    calls: list[dict[str, Any]] = []
    form = NameForm(None)

    assert form_submit(form, calls.append) is None
    assert calls == []
    assert form.errors == {}


def test_an_invalid_form_runs_nothing() -> None:
    calls: list[dict[str, Any]] = []
    form = NameForm({"name": ""})

    assert form_submit(form, calls.append) is None
    assert calls == []
    assert "name" in form.errors


def test_a_valid_form_returns_what_the_service_returns() -> None:
    form = NameForm({"name": "Li"})

    assert form_submit(form, lambda data: data["name"].upper()) == "LI"


def test_a_refusal_becomes_the_forms_non_field_errors() -> None:
    def refuse(data: dict[str, Any]) -> str:
        raise ValidationError(["Too late.", "Try another day."])

    form = NameForm({"name": "Li"})

    assert form_submit(form, refuse) is None
    assert form.non_field_errors() == ["Too late.", "Try another day."]
