"""The administration site writes through the services, like the pages: every change is on the
timeline. Status, merger and closing date are read-only (the page's merge and dissolve forms and
the dissolve action change them); a move is made from the organization's page."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from lianxin.accounts.types import AuthenticatedHttpRequest, Viewer
from lianxin.organizations import services
from lianxin.organizations.models import Area, CommitteeSeat, Organization, ServiceCenter
from lianxin.organizations.selectors import access_organization, organization_list_visible_to

# Fields the add form fills besides the parent; the change form edits ORGANIZATION_EDITABLE_FIELDS.
ADD_FIELDS = (
    "name",
    "short_name",
    "code",
    "kind",
    "sector",
    "area",
    "contact_phone",
    "founded_on",
    "term_ends_on",
)


def _parent_field(user: Viewer) -> forms.ModelChoiceField[Organization]:
    return forms.ModelChoiceField(
        queryset=organization_list_visible_to(user=user),
        required=False,
        label=_("parent organization"),
        help_text=_("Empty for a new root of the tree."),
    )


class OrganizationAddForm(forms.ModelForm):  # type: ignore[type-arg]
    """`parent`: an active organization the admin reaches (set per request by OrganizationAdmin)."""

    class Meta:
        model = Organization
        fields = ADD_FIELDS


class OrganizationChangeForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Organization
        fields = services.ORGANIZATION_EDITABLE_FIELDS


@admin.register(Area)
class AreaAdmin(TreeAdmin):  # type: ignore[misc]  # treebeard ships no type information
    form = movenodeform_factory(Area)
    list_display = ["name", "code", "kind"]
    search_fields = ["name", "code"]


@admin.register(Organization)
class OrganizationAdmin(TreeAdmin):  # type: ignore[misc]  # treebeard ships no type information
    list_display = ["name", "code", "kind", "sector", "status"]
    list_filter = ["kind", "sector", "status"]
    search_fields = ["name", "short_name", "code"]
    autocomplete_fields = ["area"]
    raw_id_fields = ["secretary"]
    readonly_fields = ["code", "status", "merged_into", "closed_on"]
    actions = ["dissolve"]

    def get_readonly_fields(self, request: HttpRequest, obj: Organization | None = None) -> list[str]:
        return [] if obj is None else self.readonly_fields

    def get_form(self, request: AuthenticatedHttpRequest, obj: Organization | None = None, **kwargs: Any) -> Any:
        kwargs["form"] = OrganizationAddForm if obj is None else OrganizationChangeForm
        kwargs["fields"] = None  # the form's own Meta.fields
        form = super().get_form(request, obj, **kwargs)
        if obj is None:
            form.base_fields["parent"] = _parent_field(request.user)
        return form

    def get_fieldsets(self, request: HttpRequest, obj: Organization | None = None) -> Any:
        if obj is None:
            return [(None, {"fields": ["parent", *ADD_FIELDS]})]
        return [(None, {"fields": [*services.ORGANIZATION_EDITABLE_FIELDS, *self.readonly_fields]})]

    def save_model(
        self,
        request: AuthenticatedHttpRequest,
        obj: Organization,
        form: OrganizationAddForm | OrganizationChangeForm,
        change: bool,
    ) -> None:
        data = form.cleaned_data
        if change:
            current = access_organization(request.user, obj.pk)
            changes = {f: data[f] for f in form.changed_data if f in services.ORGANIZATION_EDITABLE_FIELDS}
            services.organization_update(actor=request.user, organization=current, **changes)
        else:
            created = services.organization_create(
                actor=request.user, parent=data["parent"], **{f: data[f] for f in ADD_FIELDS}
            )
            obj.pk = created.pk
        obj.refresh_from_db()

    def move_node(self, request: HttpRequest) -> HttpResponse:
        """Dragging in the tree is refused: a move is made on the organization's page, which records it."""
        messages.error(request, gettext("Move an organization from its own page; the move is recorded there."))
        return HttpResponseBadRequest("Moves are made on the organization's page")

    @admin.action(description=_("Dissolve the selected organizations (today)"))
    def dissolve(self, request: AuthenticatedHttpRequest, queryset: QuerySet[Organization]) -> None:
        for organization in queryset:
            try:
                services.organization_dissolve(
                    actor=request.user,
                    organization=organization,
                    dissolved_on=timezone.localdate(),
                    reason=gettext("Dissolved in the administration site"),
                )
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                done = gettext("%(name)s was dissolved; its record is kept.") % {"name": organization}
                self.message_user(request, done)


@admin.register(ServiceCenter)
class ServiceCenterAdmin(admin.ModelAdmin[ServiceCenter]):
    list_display = ["name", "kind", "area", "organization"]
    list_filter = ["kind"]
    search_fields = ["name", "address"]
    autocomplete_fields = ["area", "organization"]


@admin.register(CommitteeSeat)
class CommitteeSeatAdmin(admin.ModelAdmin[CommitteeSeat]):
    """Read-only: seats are filled and ended on the organization's page, through the services
    (they check the rules and write the timeline)."""

    list_display = ["organization", "member", "role", "since", "until"]
    list_filter = ["role"]
    search_fields = ["organization__name", "organization__code", "member__name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: CommitteeSeat | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: CommitteeSeat | None = None) -> bool:
        return False
