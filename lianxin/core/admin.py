from django.contrib import admin

from lianxin.core.models import Holiday


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin[Holiday]):
    """The holiday calendar working-day deadlines count with: days off, and weekend days worked (调休)."""

    list_display = ["date", "name", "is_workday"]
    list_filter = ["is_workday"]
    search_fields = ["name"]
    date_hierarchy = "date"
