"""The shapes POST forms share: validate, call a service, show what it refused.

`form_action` serves the small forms on a page (errors become flash messages); `form_submit`
serves a form's own page (errors are shown on the form, above its fields)."""

import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from lianxin.core.params import MAX_INT, id_or_none, validate_date_in_range

# What an action returns: the success message, and where to go (None: back where it came from).
Outcome = tuple[str, str | None]

T = TypeVar("T")
M = TypeVar("M", bound=models.Model)


class EmptyForm(forms.Form):
    """A button with nothing to fill in: the press (and its CSRF token) is the whole input."""


def form_action(
    request: HttpRequest, form: forms.Form, action: Callable[[dict[str, Any]], Outcome], *, back: str
) -> HttpResponse:
    """Run `action` on a valid form; a form or service error is shown on `back` and nothing is written."""
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return redirect(back)
    try:
        success, target = action(form.cleaned_data)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(back)
    messages.success(request, success)
    return redirect(target or back)


def object_action(
    request: HttpRequest,
    obj: M,
    form: forms.Form,
    action: Callable[[M, dict[str, Any]], Outcome],
    *,
    back: str | None = None,
) -> HttpResponse:
    """form_action on one record the view has already looked up in the viewer's scope.

    `action(obj, cleaned_data)` runs the service; errors go back to `back` (the record's own page,
    `obj.get_absolute_url()`, when not given)."""
    target = back if back is not None else obj.get_absolute_url()  # type: ignore[attr-defined]
    return form_action(request, form, lambda data: action(obj, data), back=target)


def preview_fingerprint(*shown: object, data: dict[str, Any]) -> str:
    """What a step that cannot be undone showed before it is confirmed: the record as it stood, the
    values entered, the warnings. The confirming POST carries it back; if anything differs (values
    changed, a warning appeared since), the step is previewed again instead of written."""
    text = repr((shown, sorted((k, str(v)) for k, v in data.items())))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


# A partial to render in place: its template (with `#partial`) and its context.
Partial = tuple[str, dict[str, Any]]


def bulk_action(
    request: HttpRequest,
    form: forms.Form,
    action: Callable[[dict[str, Any]], str],
    *,
    back: str,
    row: Callable[[int], Partial | None],
    listing: Callable[[], Partial],
) -> HttpResponse:
    """A list decided in bulk (the ticked rows approved at once, an exception refused with its reason).

    `action(cleaned_data)` runs the bulk service (all rows or none) and says what was done. Without
    htmx the outcome is flashed and the browser goes back to `back`. An htmx request gets, when it
    names one `row` (a row's own refusal) that `row(pk)` still finds, that row again, and otherwise
    `listing()`; the outcome is in the context as `done` and `errors` (`row_done`, `row_errors`)."""
    done, errors = "", []
    if not form.is_valid():
        errors = [str(m) for field_errors in form.errors.values() for m in field_errors]
    else:
        try:
            done = action(form.cleaned_data)
        except ValidationError as exc:
            errors = exc.messages
    if not request.headers.get("HX-Request"):
        for message in errors:
            messages.error(request, message)
        if done:
            messages.success(request, done)
        return redirect(back)
    pk = id_or_none(request.POST.get("row"))
    one = row(pk) if pk else None
    if one is not None:
        template, context = one
        return render(request, template, {**context, "row_errors": errors, "row_done": done})
    template, context = listing()
    return render(request, template, {**context, "errors": errors, "done": done})


def form_submit(form: forms.BaseForm, service: Callable[[dict[str, Any]], T]) -> T | None:
    """Run `service` on a bound, valid form's cleaned data and return what it returns.

    None when the form is unbound (a GET) or invalid, or when the service refused: its
    ValidationError messages become the form's non-field errors, so the page shows them."""
    if not form.is_valid():
        return None
    try:
        return service(form.cleaned_data)
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return None


class SaneDateField(forms.DateField):
    """A date field refusing dates outside MIN_DATE..MAX_DATE (core.params): date arithmetic stays in the calendar."""

    default_validators = [validate_date_in_range]


class BoundedIntegerField(forms.IntegerField):
    """An integer field bounded above (by default MAX_INT): no number the database cannot hold reaches a service."""

    def __init__(self, *, max_value: int | None = MAX_INT, **kwargs: Any) -> None:
        super().__init__(max_value=max_value, **kwargs)


class IdsChoiceField(forms.ModelMultipleChoiceField[M]):
    """Several rows ticked by id; a value that is no id (not digits, beyond 64 bits) is refused before any query."""

    def _check_values(self, value: Any) -> Any:
        if (self.to_field_name or "pk") == "pk":
            for pk in value:
                if id_or_none(pk) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return super()._check_values(value)  # type: ignore[misc]


class PlainSelect(forms.Select):
    """A select written out in Python, not through a template per option: the same HTML as Django's
    `django/forms/widgets/select.html` (core/tests/test_forms.py holds it to it), at a fraction of
    the cost, for the filter forms of pages read under load (the member list). Grouped choices
    (optgroups) go through the template."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"', widget["name"]), _attrs_html(widget["attrs"]), ">"]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                return super().render(name, value, attrs, renderer)
            for option in options:
                value_html = format_html('\n  <option value="{}"', str(option["value"]))
                parts += [value_html, _attrs_html(option["attrs"]), format_html(">{}</option>\n", option["label"])]
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # every part above is escaped by format_html


def _attrs_html(attrs: dict[str, Any]) -> str:
    """A widget's attributes as django/forms/widgets/attrs.html writes them: False left out, True bare."""
    return "".join(
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value))
        for name, value in attrs.items()
        if value is not False
    )
