"""Accounts in the administration site. Roles are granted and revoked through the services
(role_assign, role_revoke), which put them on the user's timeline and in the audit log; a user's
page shows its roles read-only."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.forms import AdminLoginForm
from lianxin.accounts.models import ApiToken, RoleAssignment, User
from lianxin.accounts.services import api_tokens_revoke, role_assign, role_revoke
from lianxin.accounts.types import AuthenticatedHttpRequest

# The admin site's login counts failed tries like the login page does.
admin.site.login_form = AdminLoginForm


class RoleAssignmentInline(admin.TabularInline[RoleAssignment, User]):
    """The user's roles, read-only: they are granted and revoked under "role assignments"."""

    model = RoleAssignment
    extra = 0
    fields = ("role", "organization", "created_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return False


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin[RoleAssignment]):
    """A role is granted by adding one here and revoked by deleting it; neither is edited."""

    list_display = ["user", "role", "organization", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__display_name", "organization__name", "organization__code"]
    autocomplete_fields = ["user", "organization"]

    def has_change_permission(self, request: HttpRequest, obj: RoleAssignment | None = None) -> bool:
        return False

    def save_model(
        self,
        request: AuthenticatedHttpRequest,  # type: ignore[override]
        obj: RoleAssignment,
        form: forms.ModelForm[RoleAssignment],
        change: bool,
    ) -> None:
        granted = role_assign(actor=request.user, user=obj.user, role=obj.role, organization=obj.organization)
        obj.pk, obj.created_at = granted.pk, granted.created_at

    def delete_model(self, request: AuthenticatedHttpRequest, obj: RoleAssignment) -> None:  # type: ignore[override]
        role_revoke(actor=request.user, assignment=obj)

    def delete_queryset(
        self,
        request: AuthenticatedHttpRequest,  # type: ignore[override]
        queryset: QuerySet[RoleAssignment],
    ) -> None:
        for assignment in queryset.select_related("user", "organization"):
            role_revoke(actor=request.user, assignment=assignment)


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    inlines = [RoleAssignmentInline]
    list_display = ["username", "display_name", "is_staff", "is_active"]
    search_fields = ["username", "display_name"]
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), ("Lianxin", {"fields": ("display_name",)}))


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Tokens are created with `manage.py create_api_token`; here they can be seen and revoked."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at"]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        api_tokens_revoke(tokens=queryset)
