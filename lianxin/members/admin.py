from django.contrib import admin

from lianxin.members.models import Member, RosterImport, Transfer


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    """Read-mostly: the roster is edited through the pages and imports, which validate and log."""

    list_display = ["name", "category", "organization", "joined_on", "full_on"]
    list_filter = ["category", "is_mobile", "is_lost_contact", "is_at_sea"]
    search_fields = ["name"]
    raw_id_fields = ["organization", "community", "user"]
    exclude = ["id_number", "mobile"]
    readonly_fields = ["id_number_masked", "mobile_masked"]


@admin.register(Transfer)
class TransferAdmin(admin.ModelAdmin):
    list_display = ["member", "from_organization", "to_organization", "transferred_on", "letter_number"]
    raw_id_fields = ["member", "from_organization", "to_organization"]


@admin.register(RosterImport)
class RosterImportAdmin(admin.ModelAdmin):
    list_display = ["file_name", "status", "created_by", "created_at", "created_count", "updated_count"]
    readonly_fields = [f.name for f in RosterImport._meta.fields]
