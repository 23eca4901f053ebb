"""The Django admin of the roster and of member development: for looking up and correcting a record.

A member's category, organization and leaving are read-only here: they change through the
services (a development step, a transfer, leaving), which check the rules and write the
timeline. Saving a member's other fields goes through member_update, so the admin is checked
by the same rules as the pages and leaves an event; roster imports are started again or
failed by actions that call the import services.
"""

from typing import Any, TypeVar

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.admin import run_on_each
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
from lianxin.members.services.import_upkeep import roster_import_fail_if_stale, roster_import_retry
from lianxin.members.services.roster import (
    COPIED_FIELDS,
    MemberData,
    member_data_clean,
    member_data_from,
    member_update,
)
from lianxin.members.tasks import roster_import_enqueue

M = TypeVar("M", bound=models.Model)

# Changed only through the services that record them (a development step, a transfer, leaving).
MEMBER_STATE_FIELDS = ["category", "organization", "leave_reason", "left_on"]


class MemberAdminForm(forms.ModelForm[Member]):
    """The member's editable fields, checked by the roster's own rules before member_update saves them."""

    class Meta:
        model = Member
        # Personal numbers are shown masked only (id_number is not a copied field).
        fields = [name for name in COPIED_FIELDS if name not in (*MEMBER_STATE_FIELDS, "mobile")]

    def member_data(self) -> MemberData:
        data = member_data_from(Member.objects.get(pk=self.instance.pk))
        for name in self.changed_data:
            if name in COPIED_FIELDS:
                setattr(data, name, self.cleaned_data[name])
        return data

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.instance.pk and not self.errors:
            errors = member_data_clean(self.member_data())
            if errors:
                raise ValidationError(errors)
        return cleaned


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin[Member]):
    """Read-mostly: the roster is edited through the pages and imports, which validate and log."""

    form = MemberAdminForm
    list_display = ["name", "category", "organization", "joined_on", "full_on"]
    list_filter = ["category", "is_mobile", "is_lost_contact", "is_at_sea"]
    search_fields = ["name"]
    raw_id_fields = ["community"]
    readonly_fields = ["id_number_masked", "mobile_masked", "user", *MEMBER_STATE_FIELDS]

    def has_add_permission(self, request: Any) -> bool:
        return False  # members come from the pages and imports, which check the ID number

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False  # a member leaves the roster (member_leave); the record and its timeline stay

    def save_model(self, request: Any, obj: Member, form: Any, change: bool) -> None:
        member = Member.objects.get(pk=obj.pk)
        member_update(actor=request.user, member=member, data=form.member_data(), note=str(_("changed in the admin")))


@admin.register(Transfer)
class TransferAdmin(admin.ModelAdmin[Transfer]):
    # A transfer is recorded by member_transfer, which moves the member with it.
    list_display = ["member", "from_organization", "to_organization", "transferred_on", "letter_number"]
    raw_id_fields = ["member"]
    readonly_fields = ["member", "from_organization", "to_organization", "created_by"]

    def has_add_permission(self, request: Any) -> bool:
        return False


@admin.register(RosterImport)
class RosterImportAdmin(admin.ModelAdmin[RosterImport]):
    list_display = ["file_name", "status", "created_by", "created_at", "created_count", "updated_count"]
    list_filter = ["status"]
    # The files are private (no URL): named here, downloaded from the import's own page.
    readonly_fields = [f.name for f in RosterImport._meta.fields if f.name not in ("file", "error_file")]
    exclude = ["file", "error_file"]
    actions = ["fail_if_stale", "start_again"]

    def has_add_permission(self, request: Any) -> bool:
        return False  # uploaded on the import page, which checks the file

    @admin.action(description=_("Mark the selected imports failed if their worker has stopped"))
    def fail_if_stale(self, request: AuthenticatedHttpRequest, queryset: QuerySet[RosterImport]) -> None:
        run_on_each(self, request, queryset, lambda i: roster_import_fail_if_stale(roster_import=i))

    @admin.action(description=_("Start the selected failed imports again"))
    def start_again(self, request: AuthenticatedHttpRequest, queryset: QuerySet[RosterImport]) -> None:
        def retry(roster_import: RosterImport) -> None:
            retried = roster_import_retry(actor=request.user, roster_import=roster_import)
            roster_import_enqueue(roster_import=retried, language=get_language() or "")

        run_on_each(self, request, queryset, retry)


# Member development: the pages and services validate and log each step; the admin is for looking up and
# correcting a record by hand.


@admin.register(DevelopmentStep)
class DevelopmentStepAdmin(admin.ModelAdmin[DevelopmentStep]):
    # A step is recorded by development_advance, which moves the member's category with it.
    list_display = ["member", "from_category", "to_category", "on", "approved_by", "approved_on", "created_by"]
    list_filter = ["to_category"]
    search_fields = ["member__name"]
    date_hierarchy = "on"
    raw_id_fields = ["member", "created_by"]
    readonly_fields = ["from_category", "to_category"]

    def has_add_permission(self, request: Any) -> bool:
        return False


@admin.register(ApplicationTalk)
class ApplicationTalkAdmin(admin.ModelAdmin[ApplicationTalk]):
    list_display = ["member", "talked_on", "talker", "created_by"]
    search_fields = ["member__name", "talker"]
    raw_id_fields = ["member", "created_by"]


@admin.register(ActivistReview)
class ActivistReviewAdmin(admin.ModelAdmin[ActivistReview]):
    list_display = ["member", "reviewed_on", "reviewer", "created_by"]
    search_fields = ["member__name", "reviewer"]
    raw_id_fields = ["member", "created_by"]


@admin.register(PoliticalReview)
class PoliticalReviewAdmin(admin.ModelAdmin[PoliticalReview]):
    list_display = ["member", "result", "reviewed_on", "reviewer", "created_by"]
    list_filter = ["result"]
    search_fields = ["member__name", "reviewer"]
    raw_id_fields = ["member", "created_by"]


@admin.register(ProbationExtension)
class ProbationExtensionAdmin(admin.ModelAdmin[ProbationExtension]):
    list_display = ["member", "decided_on", "months", "approved_by", "approved_on", "created_by"]
    search_fields = ["member__name"]
    raw_id_fields = ["member", "created_by"]


@admin.register(MaterialTick)
class MaterialTickAdmin(admin.ModelAdmin[MaterialTick]):
    list_display = ["member", "step", "item", "ticked_by", "ticked_at"]
    list_filter = ["step"]
    search_fields = ["member__name"]
    raw_id_fields = ["member", "ticked_by"]


class TrainingCourseInline(admin.TabularInline[TrainingCourse, TrainingClass]):
    model = TrainingCourse
    extra = 0


@admin.register(TrainingClass)
class TrainingClassAdmin(admin.ModelAdmin[TrainingClass]):
    list_display = ["name", "organization", "starts_on", "ends_on"]
    search_fields = ["name"]
    raw_id_fields = ["organization"]
    inlines = [TrainingCourseInline]


@admin.register(TrainingAttendance)
class TrainingAttendanceAdmin(admin.ModelAdmin[TrainingAttendance]):
    list_display = ["member", "course", "created_at"]
    search_fields = ["member__name", "course__title"]
    raw_id_fields = ["member", "course"]


@admin.register(TrainingScore)
class TrainingScoreAdmin(admin.ModelAdmin[TrainingScore]):
    list_display = ["member", "training_class", "score", "passed"]
    list_filter = ["passed"]
    raw_id_fields = ["member", "training_class"]


@admin.register(OathCeremony)
class OathCeremonyAdmin(admin.ModelAdmin[OathCeremony]):
    list_display = ["organization", "held_on", "place", "created_by"]
    date_hierarchy = "held_on"
    raw_id_fields = ["organization", "members", "created_by"]
