from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from lianxin.organizations.models import Area, CommitteeSeat, Organization, ServiceCenter


@admin.register(Area)
class AreaAdmin(TreeAdmin):
    form = movenodeform_factory(Area)
    list_display = ["name", "code", "kind"]
    search_fields = ["name", "code"]


@admin.register(Organization)
class OrganizationAdmin(TreeAdmin):
    # Moves and merges go through the services (they write the timeline); the admin edits fields.
    form = movenodeform_factory(Organization)
    list_display = ["name", "code", "kind", "sector", "status"]
    list_filter = ["kind", "sector", "status"]
    search_fields = ["name", "short_name", "code"]
    autocomplete_fields = ["area", "merged_into"]
    raw_id_fields = ["secretary"]


@admin.register(ServiceCenter)
class ServiceCenterAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "area", "organization"]
    list_filter = ["kind"]
    search_fields = ["name", "address"]
    autocomplete_fields = ["area", "organization"]


@admin.register(CommitteeSeat)
class CommitteeSeatAdmin(admin.ModelAdmin):
    # Seats are filled and ended through the services (they check the rules and write the timeline).
    list_display = ["organization", "member", "role", "since", "until"]
    list_filter = ["role"]
    search_fields = ["organization__name", "organization__code", "member__name"]
    raw_id_fields = ["organization", "member"]
    readonly_fields = ["created_by", "created_at"]
