from django.contrib import admin

from lianxin.community.models import CommunityReport, PostClaim, ServicePost, ServiceRecord


@admin.register(CommunityReport)
class CommunityReportAdmin(admin.ModelAdmin):
    # Status moves go through the services (they write the timeline); the admin edits the note.
    list_display = ["member", "community", "home_organization", "status", "reported_on", "ended_on"]
    list_filter = ["status"]
    search_fields = ["member__name", "community__name", "community__code"]
    raw_id_fields = ["member", "community", "home_organization", "decided_by"]
    readonly_fields = ["status", "decided_at", "decided_by", "reject_reason", "ended_on"]


class PostClaimInline(admin.TabularInline):
    model = PostClaim
    extra = 0
    raw_id_fields = ["member"]
    readonly_fields = ["claimed_at", "withdrawn_at"]


@admin.register(ServicePost)
class ServicePostAdmin(admin.ModelAdmin):
    list_display = ["title", "community", "category", "capacity", "is_open", "created_at"]
    list_filter = ["category", "is_open"]
    search_fields = ["title", "community__name"]
    raw_id_fields = ["community"]
    # Closing is a service (it is on the timeline); capacity is checked at claim time.
    readonly_fields = ["is_open"]
    inlines = [PostClaimInline]


@admin.register(ServiceRecord)
class ServiceRecordAdmin(admin.ModelAdmin):
    list_display = ["member", "community", "served_on", "hours"]
    list_filter = ["served_on"]
    search_fields = ["member__name", "community__name", "description"]
    raw_id_fields = ["member", "community", "claim"]
    readonly_fields = ["photo"]  # photos come in through record_create, which decodes them
    date_hierarchy = "served_on"
