"""Care in the admin: read-only lists (every write goes through the services)."""

from django.contrib import admin
from django.http import HttpRequest

from lianxin.care.models import CareRound, HardshipRecord


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(CareRound)
class CareRoundAdmin(ReadOnly):
    list_display = ("title", "year", "occasion", "organization", "status")
    list_filter = ("year", "occasion", "status")


@admin.register(HardshipRecord)
class HardshipRecordAdmin(ReadOnly):
    list_display = ("member", "level", "reason", "since", "status")
    list_filter = ("level", "reason", "status")
    raw_id_fields = ("member",)
