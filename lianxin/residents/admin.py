from django.contrib import admin
from django.http import HttpRequest

from lianxin.residents.models import MobileCode, Resident


@admin.register(Resident)
class ResidentAdmin(admin.ModelAdmin[Resident]):
    list_display = ["user", "community", "privacy_version", "consented_at"]
    list_select_related = ["user", "community"]
    search_fields = ["user__username", "user__display_name"]
    raw_id_fields = ["user", "community"]
    readonly_fields = ["privacy_version", "consented_at"]


@admin.register(MobileCode)
class MobileCodeAdmin(admin.ModelAdmin[MobileCode]):
    """Read only: the codes themselves are never stored."""

    list_display = ["purpose", "created_at", "expires_at", "tries", "used_at"]
    list_filter = ["purpose"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: MobileCode | None = None) -> bool:
        return False
