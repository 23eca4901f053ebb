"""Admin for every volunteering model.

Status moves go through the services (they write the timeline), so statuses, counters and
stamps are read-only here; the admin edits configuration (categories) and text.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from lianxin.volunteering.models import (
    AppointmentService,
    AppointmentSlot,
    Booking,
    CalendarFeed,
    Order,
    OrderPhoto,
    ServiceCategory,
    ServiceItem,
    Session,
    SignUp,
    Team,
    TeamMembership,
    Tour,
    TourStop,
)


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "parent", "position", "is_active"]
    list_filter = ["is_active", "parent"]
    list_editable = ["position", "is_active"]
    search_fields = ["name", "code"]


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organization", "corps", "leader", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "organization__name"]
    raw_id_fields = ["organization", "corps", "leader", "areas"]
    filter_horizontal = ["categories"]
    readonly_fields = ["created_at"]
    inlines = [TeamMembershipInline]


@admin.register(ServiceItem)
class ServiceItemAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "team", "is_active", "created_at"]
    list_filter = ["is_active", "category"]
    search_fields = ["title", "team__name"]
    raw_id_fields = ["team", "areas"]


class OrderPhotoInline(admin.TabularInline):
    # Photos come in through order_serve, which decodes them (lianxin.core.uploads); here they are shown only.
    model = OrderPhoto
    extra = 0
    readonly_fields = ["image", "uploaded_by", "uploaded_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["item", "place", "starts_on", "owner", "team", "status", "rating", "created_at"]
    list_filter = ["status"]
    search_fields = ["place", "item__title", "team__name"]
    date_hierarchy = "starts_on"
    raw_id_fields = ["item", "owner", "ordered_by", "ordering_organization", "area", "team"]
    readonly_fields = [
        "status",
        "rating",
        "created_at",
        "dispatched_at",
        "accepted_at",
        "served_at",
        "closed_at",
    ]
    inlines = [OrderPhotoInline]


class SignUpInline(admin.TabularInline):
    model = SignUp
    extra = 0
    raw_id_fields = ["user"]
    readonly_fields = ["signed_up_at", "checked_in_at", "checked_out_at", "left_at"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "team", "starts_at", "place", "slots", "signed_up_count", "status"]
    list_filter = ["status"]
    search_fields = ["title", "place", "team__name"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["team", "order", "item", "area", "created_by"]
    readonly_fields = ["status", "signed_up_count", "checkin_code", "created_at", "updated_at"]
    inlines = [SignUpInline]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    raw_id_fields = ["user"]
    readonly_fields = ["created_at"]


class TourStopInline(admin.TabularInline):
    model = TourStop
    extra = 0
    raw_id_fields = ["area", "teams", "items"]


@admin.register(Tour)
class TourAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "starts_on", "ends_on", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["title"]
    raw_id_fields = ["organization", "created_by"]
    readonly_fields = ["created_at"]
    inlines = [TourStopInline]


class AppointmentSlotInline(admin.TabularInline):
    model = AppointmentSlot
    extra = 0
    readonly_fields = ["is_booked"]


@admin.register(AppointmentService)
class AppointmentServiceAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "category", "is_published", "created_at"]
    list_filter = ["is_published", "category"]
    search_fields = ["title"]
    raw_id_fields = ["organization", "areas"]
    inlines = [AppointmentSlotInline]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    # The contact phone is personal data: the admin list never shows it.
    list_display = ["slot", "unit_name", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["slot", "booked_by"]
    readonly_fields = ["status", "created_at"]
    exclude = ["contact_phone"]


# The rows edited inline above also get their own lists, to search across parents.


@admin.register(TeamMembership)
class TeamMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "team", "joined_on", "left_on"]
    search_fields = ["team__name", "user__username", "user__display_name"]
    raw_id_fields = ["team", "user"]


@admin.register(OrderPhoto)
class OrderPhotoAdmin(admin.ModelAdmin):
    list_display = ["order", "image", "uploaded_by", "uploaded_at"]
    raw_id_fields = ["order", "uploaded_by"]
    readonly_fields = ["uploaded_at"]


@admin.register(SignUp)
class SignUpAdmin(admin.ModelAdmin):
    list_display = ["user", "session", "starts_at", "checked_in_at", "checked_out_at", "hours"]
    search_fields = ["session__title", "user__username", "user__display_name"]
    raw_id_fields = ["session", "user"]
    readonly_fields = ["signed_up_at", "checked_in_at", "checked_out_at", "left_at", "hours"]


@admin.register(TourStop)
class TourStopAdmin(admin.ModelAdmin):
    list_display = ["tour", "date", "area", "place", "beneficiaries"]
    search_fields = ["tour__title", "place"]
    raw_id_fields = ["tour", "area", "teams", "items"]


@admin.register(AppointmentSlot)
class AppointmentSlotAdmin(admin.ModelAdmin):
    list_display = ["service", "starts_at", "ends_at", "place", "is_booked"]
    raw_id_fields = ["service"]
    readonly_fields = ["is_booked"]
