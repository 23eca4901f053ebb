"""The Django admin of organizational life shows the records; it changes them only through actions that
call the services, so every change is checked by the same rules and written on the timeline.

Activities are planned, changed, held and their lists kept on the activity pages; local rules are set
on the compliance rules page (frequency_rule_create, which checks who may set them)."""

from typing import Any, TypeVar

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.activities.models import Activity, Attendance, FrequencyRule, JointEvent, OrganizationFeed
from lianxin.activities.services import planning as services
from lianxin.core.admin import run_on_each

M = TypeVar("M", bound=models.Model)


class ShownOnly(admin.ModelAdmin[M]):
    """Every field shown, none edited; nothing added or deleted here."""

    def get_readonly_fields(self, request: HttpRequest, obj: M | None = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AttendanceInline(admin.TabularInline[Attendance, Activity]):
    """Attendance is recorded, added and taken off on the activity page (the services); here it is shown."""

    model = Attendance
    extra = 0
    fields = ["member", "role", "status", "reason", "checked_in_at"]
    readonly_fields = ["member", "role", "status", "reason", "checked_in_at"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Activity)
class ActivityAdmin(ShownOnly[Activity]):
    list_display = ["title", "kind", "status", "organization", "starts_at"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "topic"]
    date_hierarchy = "starts_at"
    inlines = [AttendanceInline]
    actions = ["cancel"]

    @admin.action(description=gettext_lazy("Cancel the selected planned activities"))
    def cancel(self, request: AuthenticatedHttpRequest, queryset: QuerySet[Activity]) -> None:
        reason = _("Cancelled in the admin site")
        run_on_each(
            self,
            request,
            queryset.select_related("organization"),
            lambda a: services.activity_cancel(activity=a, actor=request.user, reason=reason),
        )


@admin.register(JointEvent)
class JointEventAdmin(ShownOnly[JointEvent]):
    list_display = ["title", "kind", "organizer", "starts_at"]
    list_filter = ["kind"]
    search_fields = ["title"]


@admin.register(FrequencyRule)
class FrequencyRuleAdmin(ShownOnly[FrequencyRule]):
    list_display = ["kind", "organization", "sector", "frequency", "exempt", "valid_from", "valid_until", "source"]
    list_filter = ["kind", "frequency", "exempt", "sector"]


@admin.register(OrganizationFeed)
class OrganizationFeedAdmin(ShownOnly[OrganizationFeed]):
    list_display = ["organization", "created_at"]
    actions = ["reset"]

    @admin.action(description=gettext_lazy("Replace the calendar links of the selected feeds"))
    def reset(self, request: AuthenticatedHttpRequest, queryset: QuerySet[OrganizationFeed]) -> None:
        run_on_each(
            self,
            request,
            queryset.select_related("organization"),
            lambda f: services.organization_feed_reset(organization=f.organization, actor=request.user),
        )
