"""The Django admin of wishes: states and counts are read-only; its actions call the services,
so every change is checked by the same rules and written on the wish's timeline."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.admin import run_on_each
from lianxin.wishes.models import Wish, WishClaim
from lianxin.wishes.services import wish_confirm, wish_review


class WishClaimInline(admin.TabularInline[WishClaim, Wish]):
    """Claims are made and withdrawn through the services (they move the wish); here they are shown."""

    model = WishClaim
    extra = 0
    fields = ["claimer", "organization", "claimed_at", "withdrawn_at", "note"]
    readonly_fields = ["claimer", "organization", "claimed_at", "withdrawn_at", "note"]
    can_delete = False

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Wish)
class WishAdmin(admin.ModelAdmin[Wish]):
    # Status moves go through the services (they write the timeline); the admin edits the text.
    list_display = ["title", "kind", "category", "status", "organization", "created_at"]
    list_filter = ["kind", "category", "status"]
    search_fields = ["title"]
    raw_id_fields = ["organization", "posted_by"]
    readonly_fields = ["status", "claimed_count", "published_at", "fulfilled_at", "confirmed_at"]
    inlines = [WishClaimInline]
    actions = ["publish", "confirm"]

    def has_add_permission(self, request: Any) -> bool:
        return False  # a wish is posted through wish_post, which checks who posts for where

    @admin.action(description=_("Publish the selected wishes to the wall"))
    def publish(self, request: AuthenticatedHttpRequest, queryset: QuerySet[Wish]) -> None:
        run_on_each(self, request, queryset, lambda wish: wish_review(wish=wish, actor=request.user, approve=True))

    @admin.action(description=_("Confirm the selected fulfilled wishes"))
    def confirm(self, request: AuthenticatedHttpRequest, queryset: QuerySet[Wish]) -> None:
        run_on_each(self, request, queryset, lambda wish: wish_confirm(wish=wish, actor=request.user))
