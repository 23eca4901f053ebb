"""The shape every small POST form on a page shares: validate, call a service, say what happened."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

# What an action returns: the success message, and where to go (None: back where it came from).
Outcome = tuple[str, str | None]


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
