"""The Django admin of dues: read-only; every change goes through the dues pages and services, so
that 交至年月, receipts and the timeline stay with the payments."""

from typing import Any

from django.contrib import admin

from lianxin.dues.models import Assessment, DuesAccount, Handover, Payment


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(DuesAccount)
class DuesAccountAdmin(ReadOnlyAdmin):
    list_display = ["member", "starts_on", "paid_through"]
    raw_id_fields = ["member"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["member", "year", "basis", "monthly_amount"]
    list_filter = ["year", "basis"]
    raw_id_fields = ["member"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["receipt", "member", "organization", "kind", "amount", "paid_on", "for_centre", "status"]
    list_filter = ["kind", "method", "status", "for_centre"]
    raw_id_fields = ["member", "organization"]


@admin.register(Handover)
class HandoverAdmin(ReadOnlyAdmin):
    list_display = ["organization", "month", "amount", "to_organization", "handed_on"]
    raw_id_fields = ["organization", "to_organization"]
