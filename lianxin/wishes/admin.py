from django.contrib import admin

from lianxin.wishes.models import Wish, WishClaim


class WishClaimInline(admin.TabularInline):
    model = WishClaim
    extra = 0
    raw_id_fields = ["claimer", "organization"]
    readonly_fields = ["claimed_at", "withdrawn_at"]


@admin.register(Wish)
class WishAdmin(admin.ModelAdmin):
    # Status moves go through the services (they write the timeline); the admin edits the text.
    list_display = ["title", "kind", "category", "status", "organization", "created_at"]
    list_filter = ["kind", "category", "status"]
    search_fields = ["title"]
    raw_id_fields = ["organization", "posted_by"]
    readonly_fields = ["status", "claimed_count", "published_at", "fulfilled_at", "confirmed_at"]
    inlines = [WishClaimInline]
