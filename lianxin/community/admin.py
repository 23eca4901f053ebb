"""The Django admin of community reporting: states are read-only; its actions call the services,
so every change is checked by the same rules and written on the timeline."""

from typing import Any, TypeVar

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.community.models import CommunityReport, PostClaim, ServicePost, ServiceRecord
from lianxin.community.services import reports as services
from lianxin.core.admin import run_on_each

M = TypeVar("M", bound=models.Model)


@admin.register(CommunityReport)
class CommunityReportAdmin(admin.ModelAdmin[CommunityReport]):
    # Status moves go through the services (they write the timeline); the admin edits the note.
    list_display = ["member", "community", "home_organization", "status", "reported_on", "ended_on"]
    list_filter = ["status"]
    search_fields = ["member__name", "community__name", "community__code"]
    raw_id_fields = ["member", "community", "home_organization", "decided_by"]
    readonly_fields = ["status", "decided_at", "decided_by", "reject_reason", "ended_on"]
    actions = ["approve", "end"]

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False  # a member reports through report_create, which checks who and where

    @admin.action(description=_("Approve the selected reports"))
    def approve(self, request: AuthenticatedHttpRequest, queryset: QuerySet[CommunityReport]) -> None:
        run_on_each(
            self, request, queryset, lambda r: services.report_decide(report=r, actor=request.user, approve=True)
        )

    @admin.action(description=_("End the selected reports"))
    def end(self, request: AuthenticatedHttpRequest, queryset: QuerySet[CommunityReport]) -> None:
        run_on_each(self, request, queryset, lambda r: services.report_end(report=r, actor=request.user))


class PostClaimInline(admin.TabularInline[PostClaim, ServicePost]):
    """Claims are taken and withdrawn by members through the services; here they are only shown."""

    model = PostClaim
    extra = 0
    fields = ["member", "claimed_at", "withdrawn_at"]
    readonly_fields = ["member", "claimed_at", "withdrawn_at"]
    can_delete = False

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class ServicePostForm(forms.ModelForm[ServicePost]):
    class Meta:
        model = ServicePost
        fields = ["community", "title", "category", "capacity", "description"]

    def clean_community(self) -> Any:
        community = self.cleaned_data["community"]
        services.community_clean(community)
        return community


@admin.register(ServicePost)
class ServicePostAdmin(admin.ModelAdmin[ServicePost]):
    form = ServicePostForm
    list_display = ["title", "community", "category", "capacity", "is_open", "created_at"]
    list_filter = ["category", "is_open"]
    search_fields = ["title", "community__name"]
    raw_id_fields = ["community"]
    # Closing is a service (it is on the timeline); capacity is checked at claim time.
    readonly_fields = ["is_open"]
    inlines = [PostClaimInline]
    actions = ["close"]

    def save_model(self, request: Any, obj: ServicePost, form: Any, change: bool) -> None:
        """A new post is published through post_create, which puts it on the timeline."""
        if change:
            super().save_model(request, obj, form, change)
            return
        created = services.post_create(
            actor=request.user,
            community=obj.community,
            title=obj.title,
            category=obj.category,
            capacity=obj.capacity,
            description=obj.description,
        )
        obj.pk, obj.created_at = created.pk, created.created_at

    @admin.action(description=_("Close the selected posts"))
    def close(self, request: AuthenticatedHttpRequest, queryset: QuerySet[ServicePost]) -> None:
        run_on_each(self, request, queryset, lambda p: services.post_close(post=p, actor=request.user))


@admin.register(ServiceRecord)
class ServiceRecordAdmin(admin.ModelAdmin[ServiceRecord]):
    list_display = ["member", "community", "served_on", "hours"]
    list_filter = ["served_on"]
    search_fields = ["member__name", "community__name", "description"]
    raw_id_fields = ["member", "community", "claim"]
    readonly_fields = ["photo"]  # photos come in through record_create, which decodes them
    date_hierarchy = "served_on"
