from django.contrib import admin

from lianxin.activities.models import Activity, Attendance, FrequencyRule, JointEvent, OrganizationFeed


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    raw_id_fields = ["member"]
    # The copies of the activity's organization, kind and start are written by the services.
    fields = ["member", "role", "status", "reason", "checked_in_at"]
    readonly_fields = ["checked_in_at"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    # Status moves go through the services (they write the timeline); the admin edits the text.
    list_display = ["title", "kind", "status", "organization", "starts_at"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "topic"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["organization", "joint_event", "created_by"]
    readonly_fields = ["status", "checkin_code", "created_at", "updated_at"]
    inlines = [AttendanceInline]


@admin.register(JointEvent)
class JointEventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "organizer", "starts_at"]
    list_filter = ["kind"]
    search_fields = ["title"]
    raw_id_fields = ["organizer", "created_by"]


@admin.register(FrequencyRule)
class FrequencyRuleAdmin(admin.ModelAdmin):
    list_display = ["kind", "organization", "sector", "frequency", "exempt", "valid_from", "valid_until", "source"]
    list_filter = ["kind", "frequency", "exempt", "sector"]
    raw_id_fields = ["organization", "created_by"]


@admin.register(OrganizationFeed)
class OrganizationFeedAdmin(admin.ModelAdmin):
    list_display = ["organization", "created_at"]
    raw_id_fields = ["organization"]
    readonly_fields = ["token", "created_at"]
