"""The Django admin of demands: states, stamps and who handles what are read-only; its actions call
the services, so every change is checked by the same rules and written on the record's timeline.
Records are created through the pages, the API and the imports, never here."""

from typing import Any, TypeVar

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.admin import run_on_each
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
from lianxin.demands.services.board import notice_publish
from lianxin.demands.services.handling import demand_accept

M = TypeVar("M", bound=models.Model)


class _RecordedElsewhere:
    """Created through the services (pages, API, imports), which check who records for where."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(DemandCategory)
class DemandCategoryAdmin(admin.ModelAdmin[DemandCategory]):
    # Categories are configuration: their deadlines and order are set here.
    list_display = ["name", "code", "deadline_days", "position", "is_active"]
    list_editable = ["deadline_days", "position", "is_active"]
    search_fields = ["name", "code"]


@admin.register(Visit)
class VisitAdmin(_RecordedElsewhere, admin.ModelAdmin[Visit]):
    list_display = ["visited_on", "visited", "kind", "organization"]
    list_filter = ["kind"]
    search_fields = ["visited", "visitors"]
    raw_id_fields = ["area", "topic"]
    readonly_fields = ["organization", "created_by"]


@admin.register(ResearchTopic)
class ResearchTopicAdmin(_RecordedElsewhere, admin.ModelAdmin[ResearchTopic]):
    list_display = ["title", "leader", "is_key", "starts_on", "ends_on", "status", "organization"]
    list_filter = ["is_key", "status"]
    search_fields = ["title", "leader"]
    readonly_fields = ["organization", "status", "conclusion", "created_by"]


@admin.register(FaceToFace)
class FaceToFaceAdmin(_RecordedElsewhere, admin.ModelAdmin[FaceToFace]):
    list_display = ["held_on", "title", "organization", "attendance"]
    search_fields = ["title", "place"]
    raw_id_fields = ["area"]
    readonly_fields = ["organization", "created_by"]


@admin.register(HotSpot)
class HotSpotAdmin(_RecordedElsewhere, admin.ModelAdmin[HotSpot]):
    list_display = ["title", "area", "category", "created_at"]
    search_fields = ["title"]
    readonly_fields = ["area", "created_by"]


class FollowUpInline(admin.TabularInline[FollowUp, Demand]):
    model = FollowUp
    extra = 0
    can_delete = False
    readonly_fields = ["round", "result", "comment", "by_resident", "recorded_by", "at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Demand)
class DemandAdmin(_RecordedElsewhere, admin.ModelAdmin[Demand]):
    # Status moves, assignment, merging and hot spots go through the services (they write the
    # timeline and keep the rates honest); the admin corrects texts only. The phone is never listed.
    list_display = ["id", "title", "category", "status", "organization", "responsible_unit", "deadline", "created_at"]
    list_filter = ["status", "source", "category"]
    search_fields = ["title", "lookup_code", "hotline_number"]
    raw_id_fields = ["area"]
    readonly_fields = [
        "status",
        "source",
        "source_type",
        "source_id",
        "hotline_number",
        "organization",
        "submitted_by",
        "lookup_code",
        "reason",
        "duplicate_of",
        "hot_spot",
        "responsible_unit",
        "deadline",
        "resolution",
        "rework_count",
        "satisfaction",
        "escalated_to",
        "public_summary",
        "summary_reviewed_by",
        "summary_reviewed_at",
        "accepted_at",
        "assigned_at",
        "resolved_at",
        "closed_at",
        "escalated_at",
    ]
    exclude = ["submitter_phone"]
    inlines = [FollowUpInline]
    actions = ["accept"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a demand is turned away or closed, never deleted: the rates count it

    @admin.action(description=_("Accept the selected demands"))
    def accept(self, request: AuthenticatedHttpRequest, queryset: QuerySet[Demand]) -> None:
        run_on_each(self, request, queryset, lambda demand: demand_accept(demand=demand, actor=request.user))


@admin.register(PublicNotice)
class PublicNoticeAdmin(_RecordedElsewhere, admin.ModelAdmin[PublicNotice]):
    list_display = ["title", "organization", "starts_on", "ends_on", "status", "published_at"]
    list_filter = ["status"]
    readonly_fields = ["organization", "starts_on", "ends_on", "status", "figures", "created_by", "published_at"]
    exclude = ["demands"]
    actions = ["publish"]

    @admin.action(description=_("Publish the selected draft notices"))
    def publish(self, request: AuthenticatedHttpRequest, queryset: QuerySet[PublicNotice]) -> None:
        run_on_each(self, request, queryset, lambda notice: notice_publish(notice=notice, actor=request.user))
