from django.contrib import admin
from django.http import HttpRequest

from lianxin.demands.models import (
    Demand,
    DemandCategory,
    FaceToFace,
    FollowUp,
    HotSpot,
    PublicNotice,
    ResearchTopic,
    Visit,
)


@admin.register(DemandCategory)
class DemandCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "deadline_days", "position", "is_active"]
    list_editable = ["deadline_days", "position", "is_active"]
    search_fields = ["name", "code"]


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["visited_on", "visited", "kind", "organization"]
    list_filter = ["kind"]
    search_fields = ["visited", "visitors"]
    raw_id_fields = ["organization", "area", "topic", "created_by"]


@admin.register(ResearchTopic)
class ResearchTopicAdmin(admin.ModelAdmin):
    list_display = ["title", "leader", "is_key", "starts_on", "ends_on", "status", "organization"]
    list_filter = ["is_key", "status"]
    search_fields = ["title", "leader"]
    raw_id_fields = ["organization", "created_by"]
    readonly_fields = ["status"]


@admin.register(FaceToFace)
class FaceToFaceAdmin(admin.ModelAdmin):
    list_display = ["held_on", "title", "organization", "attendance"]
    search_fields = ["title", "place"]
    raw_id_fields = ["organization", "area", "created_by"]


@admin.register(HotSpot)
class HotSpotAdmin(admin.ModelAdmin):
    list_display = ["title", "area", "category", "created_at"]
    search_fields = ["title"]
    raw_id_fields = ["area", "created_by"]


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0
    can_delete = False
    readonly_fields = ["round", "result", "comment", "by_resident", "recorded_by", "at"]

    def has_add_permission(self, request: HttpRequest, obj: Demand | None = None) -> bool:
        return False


@admin.register(Demand)
class DemandAdmin(admin.ModelAdmin):
    # Status moves go through the services (they write the timeline and keep the rates honest);
    # the admin corrects texts and the public summary only. The phone is never listed.
    list_display = ["id", "title", "category", "status", "organization", "responsible_unit", "deadline", "created_at"]
    list_filter = ["status", "source", "category"]
    search_fields = ["title", "lookup_code", "hotline_number"]
    raw_id_fields = [
        "area",
        "organization",
        "responsible_unit",
        "escalated_to",
        "duplicate_of",
        "hot_spot",
        "submitted_by",
        "summary_reviewed_by",
    ]
    readonly_fields = [
        "status",
        "source",
        "source_type",
        "source_id",
        "lookup_code",
        "rework_count",
        "satisfaction",
        "accepted_at",
        "assigned_at",
        "resolved_at",
        "closed_at",
        "escalated_at",
        "summary_reviewed_at",
    ]
    exclude = ["submitter_phone"]
    inlines = [FollowUpInline]


@admin.register(PublicNotice)
class PublicNoticeAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "starts_on", "ends_on", "status", "published_at"]
    list_filter = ["status"]
    raw_id_fields = ["organization", "created_by"]
    readonly_fields = ["status", "figures", "published_at"]
    exclude = ["demands"]
