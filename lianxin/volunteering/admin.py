"""Admin for every volunteering model.

Every change of state goes through the services (they check the rules and write the
timeline), so statuses, publication, leaders, memberships, sign-ups, counters and stamps
are read-only here; the admin's actions call the same services as the pages. The admin
edits configuration (categories) and text.
"""

from typing import Any, TypeVar

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.admin import run_on_each
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
from lianxin.volunteering.services.appointments import appointment_service_update
from lianxin.volunteering.services.orders import order_cancel
from lianxin.volunteering.services.sessions import session_cancel
from lianxin.volunteering.services.touring import tour_publish, tour_unpublish

M = TypeVar("M", bound=models.Model)


def _admin_note() -> str:
    return gettext("Cancelled in the administration.")


class ShownOnly:
    """Rows written by the services: the admin shows them and never adds, changes or deletes one."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(admin.ModelAdmin[ServiceCategory]):
    list_display = ["name", "code", "parent", "position", "is_active"]
    list_filter = ["is_active", "parent"]
    list_editable = ["position", "is_active"]
    search_fields = ["name", "code"]


class TeamMembershipInline(ShownOnly, admin.TabularInline[TeamMembership, Team]):
    # Volunteers join and leave on the team's page (team_member_add / team_member_remove).
    model = TeamMembership
    extra = 0
    fields = readonly_fields = ("user", "joined_on", "left_on")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ["name", "kind", "organization", "corps", "leader", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "organization__name"]
    raw_id_fields = ["organization", "corps", "areas"]
    filter_horizontal = ["categories"]
    # The leader holds a team-leader role and activity is on the timeline: both change on the team's page.
    readonly_fields = ["leader", "is_active", "created_at"]
    inlines = [TeamMembershipInline]


@admin.register(ServiceItem)
class ServiceItemAdmin(admin.ModelAdmin[ServiceItem]):
    list_display = ["title", "category", "team", "is_active", "created_at"]
    list_filter = ["is_active", "category"]
    search_fields = ["title", "team__name"]
    raw_id_fields = ["team", "areas"]
    readonly_fields = ["is_active"]


class OrderPhotoInline(admin.TabularInline[OrderPhoto, Order]):
    # Photos come in through order_serve, which decodes them (lianxin.core.uploads); here they are shown only.
    model = OrderPhoto
    extra = 0
    readonly_fields = ["image", "uploaded_by", "uploaded_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin[Order]):
    list_display = ["item", "place", "starts_on", "owner", "team", "status", "rating", "created_at"]
    list_filter = ["status"]
    search_fields = ["place", "item__title", "team__name"]
    date_hierarchy = "starts_on"
    raw_id_fields = ["item", "ordered_by", "ordering_organization", "area"]
    readonly_fields = [
        "status",
        "owner",
        "team",
        "decline_reason",
        "beneficiaries",
        "service_note",
        "rating",
        "rating_comment",
        "created_at",
        "dispatched_at",
        "accepted_at",
        "served_at",
        "closed_at",
    ]
    inlines = [OrderPhotoInline]
    actions = ["cancel"]

    @admin.action(description=_("Cancel the selected orders"))
    def cancel(self, request: AuthenticatedHttpRequest, queryset: QuerySet[Order]) -> None:
        note = _admin_note()
        run_on_each(self, request, queryset, lambda order: order_cancel(order=order, actor=request.user, reason=note))


class SignUpInline(ShownOnly, admin.TabularInline[SignUp, Session]):
    # Volunteers sign up, leave and check in on the session's pages (the places are counted there).
    model = SignUp
    extra = 0
    fields = readonly_fields = ("user", "signed_up_at", "left_at", "checked_in_at", "checked_out_at", "hours")


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin[Session]):
    list_display = ["title", "team", "starts_at", "place", "slots", "signed_up_count", "status"]
    list_filter = ["status"]
    search_fields = ["title", "place", "team__name"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["item", "area", "created_by"]
    # Times and places move the volunteers' sign-ups with them: session_update does that on the session's page.
    readonly_fields = [
        "status",
        "team",
        "order",
        "starts_at",
        "ends_at",
        "slots",
        "signed_up_count",
        "beneficiaries",
        "checkin_code",
        "created_at",
        "updated_at",
    ]
    inlines = [SignUpInline]
    actions = ["cancel"]

    @admin.action(description=_("Cancel the selected sessions"))
    def cancel(self, request: AuthenticatedHttpRequest, queryset: QuerySet[Session]) -> None:
        note = _admin_note()
        run_on_each(self, request, queryset, lambda s: session_cancel(session=s, actor=request.user, reason=note))


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin[CalendarFeed]):
    list_display = ["user", "created_at"]
    raw_id_fields = ["user"]
    readonly_fields = ["created_at"]


class TourStopInline(admin.TabularInline[TourStop, Tour]):
    model = TourStop
    extra = 0
    raw_id_fields = ["area", "teams", "items"]
    readonly_fields = ["beneficiaries"]


@admin.register(Tour)
class TourAdmin(admin.ModelAdmin[Tour]):
    list_display = ["title", "organization", "starts_on", "ends_on", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["title"]
    raw_id_fields = ["organization", "created_by"]
    readonly_fields = ["is_published", "created_at"]
    inlines = [TourStopInline]
    actions = ["publish", "unpublish"]

    @admin.action(description=_("Publish the selected schedules"))
    def publish(self, request: AuthenticatedHttpRequest, queryset: QuerySet[Tour]) -> None:
        run_on_each(self, request, queryset, lambda tour: tour_publish(tour=tour, actor=request.user))

    @admin.action(description=_("Take the selected schedules off the public page"))
    def unpublish(self, request: AuthenticatedHttpRequest, queryset: QuerySet[Tour]) -> None:
        run_on_each(self, request, queryset, lambda tour: tour_unpublish(tour=tour, actor=request.user))


class AppointmentSlotInline(ShownOnly, admin.TabularInline[AppointmentSlot, AppointmentService]):
    # The unit adds and removes slots on its pages; a slot that was booked stays for its booking.
    model = AppointmentSlot
    extra = 0
    fields = readonly_fields = ("starts_at", "ends_at", "place", "is_booked")


def _publish_service(service: AppointmentService, request: AuthenticatedHttpRequest, published: bool) -> None:
    appointment_service_update(
        service=service,
        actor=request.user,
        title=service.title,
        description=service.description,
        category=service.category,
        areas=list(service.areas.all()),
        is_published=published,
    )


@admin.register(AppointmentService)
class AppointmentServiceAdmin(admin.ModelAdmin[AppointmentService]):
    list_display = ["title", "organization", "category", "is_published", "created_at"]
    list_filter = ["is_published", "category"]
    search_fields = ["title"]
    raw_id_fields = ["organization", "areas"]
    readonly_fields = ["is_published"]
    inlines = [AppointmentSlotInline]
    actions = ["publish", "unpublish"]

    @admin.action(description=_("Open the selected services for booking"))
    def publish(self, request: AuthenticatedHttpRequest, queryset: QuerySet[AppointmentService]) -> None:
        run_on_each(self, request, queryset, lambda service: _publish_service(service, request, True))

    @admin.action(description=_("Close the selected services for booking"))
    def unpublish(self, request: AuthenticatedHttpRequest, queryset: QuerySet[AppointmentService]) -> None:
        run_on_each(self, request, queryset, lambda service: _publish_service(service, request, False))


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin[Booking]):
    # The contact phone is personal data: the admin list never shows it.
    list_display = ["slot", "unit_name", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["booked_by"]
    readonly_fields = ["slot", "status", "created_at"]
    exclude = ["contact_phone"]


# The rows shown inline above also get their own lists, to search across parents.


@admin.register(TeamMembership)
class TeamMembershipAdmin(ShownOnly, admin.ModelAdmin[TeamMembership]):
    list_display = ["user", "team", "joined_on", "left_on"]
    search_fields = ["team__name", "user__username", "user__display_name"]


@admin.register(OrderPhoto)
class OrderPhotoAdmin(admin.ModelAdmin[OrderPhoto]):
    list_display = ["order", "image", "uploaded_by", "uploaded_at"]
    raw_id_fields = ["order", "uploaded_by"]
    readonly_fields = ["uploaded_at"]


@admin.register(SignUp)
class SignUpAdmin(ShownOnly, admin.ModelAdmin[SignUp]):
    list_display = ["user", "session", "starts_at", "checked_in_at", "checked_out_at", "hours"]
    search_fields = ["session__title", "user__username", "user__display_name"]


@admin.register(TourStop)
class TourStopAdmin(admin.ModelAdmin[TourStop]):
    list_display = ["tour", "date", "area", "place", "beneficiaries"]
    search_fields = ["tour__title", "place"]
    raw_id_fields = ["tour", "area", "teams", "items"]
    readonly_fields = ["beneficiaries"]


@admin.register(AppointmentSlot)
class AppointmentSlotAdmin(ShownOnly, admin.ModelAdmin[AppointmentSlot]):
    list_display = ["service", "starts_at", "ends_at", "place", "is_booked"]
