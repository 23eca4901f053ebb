"""The member roster: official fields, key dates, flags and transfers."""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.core.crypto import EncryptedTextField
from lianxin.core.parsing import mask_id_number, mask_phone
from lianxin.organizations.models import Area, Organization


def whole_years_between(start: date, end: date) -> int:
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years


class MemberVerb(models.TextChoices):
    """What a member's timeline says: roster changes and each recorded step of development."""

    CREATED = "created", _("created")
    UPDATED = "updated", _("updated")
    IMPORTED = "imported", _("updated by roster import")
    TRANSFERRED = "transferred", _("organization relationship transferred")
    LEFT = "left", _("left the roster")
    DEVELOPMENT_STEP = "development_step", _("development step recorded")
    POLITICAL_REVIEW = "political_review", _("political review recorded")
    MATERIAL_TICKED = "material_ticked", _("material checked")
    TRAINING_ATTENDED = "training_attended", _("training attended")
    SWORN_IN = "sworn_in", _("sworn in")
    APPLICATION_TALK = "application_talk", _("talk with the applicant recorded")
    ACTIVIST_REVIEWED = "activist_reviewed", _("half-yearly review of the activist recorded")
    PROBATION_EXTENDED = "probation_extended", _("probation extended")


class MemberState(models.TextChoices):
    """The states a member's timeline shows as "from → to": the categories (Member.Category),
    and the result a political review recorded (PoliticalReview.Result), with the same labels."""

    APPLICANT = "applicant", _("applicant")
    ACTIVIST = "activist", _("activist")
    CANDIDATE = "candidate", _("development candidate")
    PROBATIONARY = "probationary", _("probationary member")
    FULL = "full", _("full member")
    FORMER = "former", _("former member")
    PASSED = "passed", _("passed")
    FAILED = "failed", _("not passed")


class Member(models.Model):
    class Category(models.TextChoices):
        APPLICANT = "applicant", _("applicant")
        ACTIVIST = "activist", _("activist")
        CANDIDATE = "candidate", _("development candidate")
        PROBATIONARY = "probationary", _("probationary member")
        FULL = "full", _("full member")
        FORMER = "former", _("former member")

    class LeaveReason(models.TextChoices):
        EXPELLED = "expelled", _("left the Party")
        DECEASED = "deceased", _("deceased")
        TRANSFERRED_OUT = "transferred_out", _("relationship transferred out")

    class Sex(models.TextChoices):
        MALE = "male", _("male")
        FEMALE = "female", _("female")

    class Education(models.TextChoices):
        PRIMARY = "primary", _("primary school")
        JUNIOR = "junior", _("junior middle school")
        SENIOR = "senior", _("senior middle school / technical school")
        COLLEGE = "college", _("junior college")
        BACHELOR = "bachelor", _("bachelor")
        MASTER = "master", _("master")
        DOCTOR = "doctor", _("doctor")

    class Occupation(models.TextChoices):
        """职业/身份: the categories the annual Party statistics (党内统计) count members by."""

        WORKER = "worker", _("workers")
        FARMER = "farmer", _("farmers, herders and fishermen")
        PROFESSIONAL = (
            "professional",
            _("professional and technical staff of enterprises, institutions and social organizations"),
        )
        MANAGER = "manager", _("managers of enterprises, institutions and social organizations")
        OFFICIAL = "official", _("staff of Party and government organs")
        STUDENT = "student", _("students")
        OTHER = "other", _("other occupations")
        RETIRED = "retired", _("retired")

    timeline_verbs = MemberVerb
    timeline_states = MemberState

    # The moves of `category` that are state changes, each made by one guarded update
    # (services.roster.member_category_move): a step along the development pipeline, or leaving.
    CATEGORY_TRANSITIONS: dict[str, tuple[str, ...]] = {
        Category.APPLICANT: (Category.ACTIVIST, Category.FORMER),
        Category.ACTIVIST: (Category.CANDIDATE, Category.FORMER),
        Category.CANDIDATE: (Category.PROBATIONARY, Category.FORMER),
        Category.PROBATIONARY: (Category.FULL, Category.FORMER),
        Category.FULL: (Category.FORMER,),
        Category.FORMER: (),
    }

    # Categories that count as Party members (the others are in the development pipeline).
    PARTY_MEMBER_CATEGORIES = (Category.PROBATIONARY, Category.FULL)
    CURRENT_CATEGORIES = (
        Category.APPLICANT,
        Category.ACTIVIST,
        Category.CANDIDATE,
        Category.PROBATIONARY,
        Category.FULL,
    )

    name = models.CharField(_("name"), max_length=50, db_index=True)
    # Lowercase pinyin initials of the name (王海 → "wh"), searched by the member picker; set with
    # the name by services.roster.member_apply, the one way a name is written.
    pinyin = models.CharField(_("pinyin initials"), max_length=60, blank=True, db_index=True, editable=False)
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices)
    id_number = EncryptedTextField(_("citizen ID number"))
    # Unique and indexed by Meta, not by the field: a field's index on PostgreSQL comes with a second,
    # LIKE-pattern copy, which a hash never needs and every new member pays for (members 0012).
    id_number_hash = models.CharField(max_length=64, editable=False)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, blank=True, default="汉族")
    birth_date = models.DateField(_("date of birth"))
    native_place = models.CharField(_("native place"), max_length=60, blank=True)
    education = models.CharField(_("education"), max_length=12, choices=Education.choices, blank=True)
    # Blank: not recorded yet (rosters kept before the field was asked for).
    occupation = models.CharField(_("occupation"), max_length=16, choices=Occupation.choices, blank=True)
    category = models.CharField(_("category"), max_length=14, choices=Category.choices)
    leave_reason = models.CharField(_("reason for leaving"), max_length=16, choices=LeaveReason.choices, blank=True)
    applied_on = models.DateField(_("applied to join on"), null=True, blank=True)
    activist_on = models.DateField(_("activist since"), null=True, blank=True)
    candidate_on = models.DateField(_("development candidate since"), null=True, blank=True)
    joined_on = models.DateField(_("joined the Party on"), null=True, blank=True)
    full_on = models.DateField(_("full member since"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="members", verbose_name=_("Party organization")
    )
    work_unit = models.CharField(_("work unit"), max_length=120, blank=True)
    post = models.CharField(_("post"), max_length=60, blank=True)
    mobile = EncryptedTextField(_("mobile phone"), blank=True)
    mobile_hash = models.CharField(max_length=64, blank=True, editable=False)
    home_address = models.CharField(_("home address"), max_length=200, blank=True)
    community = models.ForeignKey(
        Area,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resident_members",
        verbose_name=_("residential community"),
    )
    is_mobile = models.BooleanField(_("mobile member"), default=False)
    is_abroad = models.BooleanField(_("abroad"), default=False)
    is_lost_contact = models.BooleanField(_("lost contact"), default=False)
    lost_contact_since = models.DateField(_("lost contact since"), null=True, blank=True)
    is_at_sea = models.BooleanField(_("at sea"), default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member",
        verbose_name=_("account"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        indexes = [
            # Covers subtree counts and the ids of a sorted list page without touching rows.
            models.Index(fields=["organization", "category", "name"], include=["id"], name="member_org_cat_name"),
            models.Index(fields=["category", "name", "id"]),
            # Members developed in a period (the dashboard, the statistics): a range of dates, not every row.
            models.Index(fields=["joined_on"], include=["organization", "category"], name="member_joined_on"),
            models.Index(fields=["mobile_hash"], name="member_mobile_hash"),
            # The list's keyset pages (selectors.roster.LIST_KEY): a range of the whole roster, or of each
            # organization of a subtree, read in order without touching rows.
            models.Index(fields=["pinyin", "name", "id"], include=["organization", "category"], name="member_list_key"),
            models.Index(
                fields=["organization", "pinyin", "name", "id"], include=["category"], name="member_org_list_key"
            ),
            # The list filtered by a flag: few members carry one, so the whole key index holds them far apart.
            # Lost contact includes its date, which the "over 6 months" warning filters on.
            *(
                models.Index(
                    fields=["pinyin", "name", "id"],
                    include=["organization", "category", *extra],
                    condition=models.Q(**{flag: True}),
                    name=f"member_{flag.removeprefix('is_')}_key",
                )
                for flag, extra in (
                    ("is_mobile", []),
                    ("is_abroad", []),
                    ("is_lost_contact", ["lost_contact_since"]),
                    ("is_at_sea", []),
                )
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["id_number_hash"], name="member_id_number_hash_unique"),
            models.CheckConstraint(
                condition=models.Q(full_on__isnull=True)
                | models.Q(joined_on__isnull=False, full_on__gte=models.F("joined_on")),
                name="member_full_after_joined",
            ),
            models.CheckConstraint(
                condition=~models.Q(category="probationary") | models.Q(full_on__isnull=True),
                name="member_probationary_not_full",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def mobile_masked(self) -> str:
        return mask_phone(self.mobile)

    def party_age(self, on: date) -> int | None:
        """党龄: whole years since becoming a full member (Party Constitution art. 7)."""
        if not self.full_on or self.category != self.Category.FULL:
            return None
        return max(0, whole_years_between(self.full_on, on))

    def age(self, on: date) -> int:
        return whole_years_between(self.birth_date, on)


class Transfer(models.Model):
    """组织关系转接: a member's move between organizations, kept for ever."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="transfers", verbose_name=_("member"))
    from_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="transfers_out", verbose_name=_("from")
    )
    to_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="transfers_in", verbose_name=_("to")
    )
    transferred_on = models.DateField(_("date"))
    letter_number = models.CharField(_("letter number"), max_length=60, blank=True)
    reason = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-transferred_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_organization=models.F("to_organization")),
                name="transfer_changes_organization",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.transferred_on}"
