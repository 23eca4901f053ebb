"""Steps that cannot be undone ask first: the page says what will happen, and only the request
sent from it (carrying confirm=1 and the same fields) runs the service."""

from dataclasses import dataclass, field

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# Fields a form's POST carries that are no input of the step itself.
_NOT_CARRIED = {"csrfmiddlewaretoken", "confirm"}


@dataclass
class Confirmation:
    title: str
    consequences: list[str]
    button: str
    back: str
    danger: bool = True
    facts: list[tuple[str, str]] = field(default_factory=list)


def confirmed(request: HttpRequest) -> bool:
    return request.POST.get("confirm") == "1"


def confirm_page(request: HttpRequest, confirmation: Confirmation, form: forms.Form | None = None) -> HttpResponse:
    """The question, with the step's own fields carried unchanged to the same address."""
    carried = [] if form is None else [(k, v) for k, v in form.data.items() if k not in _NOT_CARRIED]
    return render(
        request,
        "volunteering/confirm.html",
        {"confirmation": confirmation, "carried": carried, "action": request.path},
    )
