from django.contrib import admin

from lianxin.members.models import Member, RosterImport, Transfer
from lianxin.members.models.development import (
    ActivistReview,
    ApplicationTalk,
    DevelopmentStep,
    MaterialTick,
    OathCeremony,
    PoliticalReview,
    ProbationExtension,
    TrainingAttendance,
    TrainingClass,
    TrainingCourse,
    TrainingScore,
)


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
    # The files are private (no URL): named here, downloaded from the import's own page.
    readonly_fields = [f.name for f in RosterImport._meta.fields if f.name not in ("file", "error_file")]
    exclude = ["file", "error_file"]


# Member development: the pages and services validate and log each step; the admin is for looking up and
# correcting a record by hand.


@admin.register(DevelopmentStep)
class DevelopmentStepAdmin(admin.ModelAdmin):
    list_display = ["member", "from_category", "to_category", "on", "approved_by", "approved_on", "created_by"]
    list_filter = ["to_category"]
    search_fields = ["member__name"]
    date_hierarchy = "on"
    raw_id_fields = ["member", "created_by"]


@admin.register(ApplicationTalk)
class ApplicationTalkAdmin(admin.ModelAdmin):
    list_display = ["member", "talked_on", "talker", "created_by"]
    search_fields = ["member__name", "talker"]
    raw_id_fields = ["member", "created_by"]


@admin.register(ActivistReview)
class ActivistReviewAdmin(admin.ModelAdmin):
    list_display = ["member", "reviewed_on", "reviewer", "created_by"]
    search_fields = ["member__name", "reviewer"]
    raw_id_fields = ["member", "created_by"]


@admin.register(PoliticalReview)
class PoliticalReviewAdmin(admin.ModelAdmin):
    list_display = ["member", "result", "reviewed_on", "reviewer", "created_by"]
    list_filter = ["result"]
    search_fields = ["member__name", "reviewer"]
    raw_id_fields = ["member", "created_by"]


@admin.register(ProbationExtension)
class ProbationExtensionAdmin(admin.ModelAdmin):
    list_display = ["member", "decided_on", "months", "approved_by", "approved_on", "created_by"]
    search_fields = ["member__name"]
    raw_id_fields = ["member", "created_by"]


@admin.register(MaterialTick)
class MaterialTickAdmin(admin.ModelAdmin):
    list_display = ["member", "step", "item", "ticked_by", "ticked_at"]
    list_filter = ["step"]
    search_fields = ["member__name"]
    raw_id_fields = ["member", "ticked_by"]


class TrainingCourseInline(admin.TabularInline):
    model = TrainingCourse
    extra = 0


@admin.register(TrainingClass)
class TrainingClassAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "starts_on", "ends_on"]
    search_fields = ["name"]
    raw_id_fields = ["organization"]
    inlines = [TrainingCourseInline]


@admin.register(TrainingAttendance)
class TrainingAttendanceAdmin(admin.ModelAdmin):
    list_display = ["member", "course", "created_at"]
    search_fields = ["member__name", "course__title"]
    raw_id_fields = ["member", "course"]


@admin.register(TrainingScore)
class TrainingScoreAdmin(admin.ModelAdmin):
    list_display = ["member", "training_class", "score", "passed"]
    list_filter = ["passed"]
    raw_id_fields = ["member", "training_class"]


@admin.register(OathCeremony)
class OathCeremonyAdmin(admin.ModelAdmin):
    list_display = ["organization", "held_on", "place", "created_by"]
    date_hierarchy = "held_on"
    raw_id_fields = ["organization", "members", "created_by"]
