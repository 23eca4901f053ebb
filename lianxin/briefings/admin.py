"""The Django admin shows briefings as they stand; they are drafted, edited and published on their
pages, through the services, so a published briefing's text and numbers never change here either."""

from typing import Any

from django.contrib import admin

from lianxin.briefings.models import Briefing, BriefingFigure, BriefingSection


class BriefingSectionInline(admin.TabularInline[BriefingSection, Briefing]):
    model = BriefingSection
    extra = 0
    fields = readonly_fields = ("position", "heading", "text")
    can_delete = False


class BriefingFigureInline(admin.TabularInline[BriefingFigure, Briefing]):
    model = BriefingFigure
    extra = 0
    fields = readonly_fields = ("position", "measure", "organization_code", "starts_on", "ends_on", "value", "phrase")
    can_delete = False


@admin.register(Briefing)
class BriefingAdmin(admin.ModelAdmin[Briefing]):
    list_display = ["title", "organization", "starts_on", "ends_on", "status", "created_at", "published_at"]
    list_filter = ["status", "template"]
    search_fields = ["title"]
    inlines = [BriefingSectionInline, BriefingFigureInline]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Briefing | None = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Briefing | None = None) -> bool:
        return False
