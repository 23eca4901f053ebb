"""The kernel's admin: the holiday calendar, and the one way every app's admin actions call its services."""

from collections.abc import Callable
from typing import TypeVar

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import ngettext

from lianxin.core.models import Holiday

M = TypeVar("M", bound=models.Model)


def run_on_each(
    model_admin: admin.ModelAdmin[M],
    request: HttpRequest,
    queryset: QuerySet[M],
    service: Callable[[M], object],
) -> None:
    """An admin action: call `service` on each selected record; a refusal is shown with the record
    it names and the others go on, so the admin writes through the services like every page."""
    done = 0
    for obj in queryset:
        try:
            service(obj)
        except ValidationError as exc:
            model_admin.message_user(request, f"{obj}: {' '.join(exc.messages)}", level=messages.ERROR)
        else:
            done += 1
    if done:
        message = ngettext("%(count)d record changed.", "%(count)d records changed.", done) % {"count": done}
        model_admin.message_user(request, message, level=messages.SUCCESS)


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin[Holiday]):
    """The holiday calendar working-day deadlines count with: days off, and weekend days worked (调休)."""

    list_display = ["date", "name", "is_workday"]
    list_filter = ["is_workday"]
    search_fields = ["name"]
    date_hierarchy = "date"
