"""Member development records: each pipeline step with its people, political reviews,
materials ticked by a person, training classes with hours and test scores, oath ceremonies.

A step is a fact entered by a person; the rules in members.rules_development check it
before it is written. Imported at the bottom of members.models so Django finds the models."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DevelopmentStep(models.Model):
    """One move along 入党申请人 → 入党积极分子 → 发展对象 → 预备党员 → 正式党员."""

    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="development_steps", verbose_name=_("member")
    )
    from_category = models.CharField(_("from"), max_length=14)
    to_category = models.CharField(_("to"), max_length=14)
    on = models.DateField(_("date"))
    talker = models.CharField(_("talked with by"), max_length=100, blank=True)
    contacts = models.CharField(_("cultivation contacts"), max_length=200, blank=True)
    sponsors = models.CharField(_("sponsors"), max_length=200, blank=True)
    publicity_from = models.DateField(_("publicity from"), null=True, blank=True)
    publicity_to = models.DateField(_("publicity to"), null=True, blank=True)
    # Admission and full membership: the branch congress vote and the approval of the
    # Party committee above, as entered by a person.
    votes_for = models.PositiveSmallIntegerField(_("votes in favour"), null=True, blank=True)
    voters_entitled = models.PositiveSmallIntegerField(_("full members entitled to vote"), null=True, blank=True)
    approved_by = models.CharField(_("approved by"), max_length=100, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # The local-practice warnings shown when the step was recorded, kept with it.
    warnings = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("development step")
        verbose_name_plural = _("development steps")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.member} {self.to_category} {self.on}"

    @property
    def to_label(self) -> str:
        from lianxin.members.models import Member  # members.models imports this module at its end

        return str(Member.Category(self.to_category).label)


class PoliticalReview(models.Model):
    """政治审查: the result as the organization decided it, entered by a person."""

    class Result(models.TextChoices):
        PASSED = "passed", _("passed")
        FAILED = "failed", _("not passed")

    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="political_reviews", verbose_name=_("member")
    )
    result = models.CharField(_("result"), max_length=8, choices=Result.choices)
    reviewed_on = models.DateField(_("concluded on"))
    reviewer = models.CharField(_("concluded by"), max_length=100)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("political review")
        verbose_name_plural = _("political reviews")
        ordering = ["-reviewed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.member} {self.result}"


class MaterialTick(models.Model):
    """One item of a step's materials checklist, ticked by a person."""

    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="material_ticks", verbose_name=_("member")
    )
    step = models.CharField(_("step"), max_length=14)
    item = models.CharField(_("item"), max_length=40)
    ticked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    ticked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        constraints = [models.UniqueConstraint(fields=["member", "step", "item"], name="material_tick_once")]

    def __str__(self) -> str:
        return f"{self.member} {self.step} {self.item}"


class TrainingClass(models.Model):
    """A concentrated training class (e.g. an activists' class) held by an organization."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="training_classes",
        verbose_name=_("organizer"),
    )
    name = models.CharField(_("name"), max_length=120)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("training class")
        verbose_name_plural = _("training classes")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.name


class TrainingCourse(models.Model):
    training_class = models.ForeignKey(
        TrainingClass, on_delete=models.CASCADE, related_name="courses", verbose_name=_("training class")
    )
    title = models.CharField(_("title"), max_length=120)
    held_on = models.DateField(_("held on"))
    hours = models.DecimalField(_("class hours"), max_digits=4, decimal_places=1)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["held_on", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(hours__gt=0), name="training_course_hours_positive")]

    def __str__(self) -> str:
        return self.title


class TrainingAttendance(models.Model):
    """A member attended a course: its hours count toward the 24-hour rule."""

    course = models.ForeignKey(TrainingCourse, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="training_attendances")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course", "member"], name="training_attendance_once")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.course_id}"


class TrainingScore(models.Model):
    """A member's score in the class test."""

    training_class = models.ForeignKey(TrainingClass, on_delete=models.CASCADE, related_name="scores")
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="training_scores")
    score = models.PositiveSmallIntegerField(_("score"))
    passed = models.BooleanField(_("passed"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["training_class", "member"], name="training_score_once"),
            models.CheckConstraint(condition=models.Q(score__lte=100), name="training_score_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.score}"


class OathCeremony(models.Model):
    """入党宣誓: who was sworn in, when and where."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="oath_ceremonies"
    )
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=120)
    members = models.ManyToManyField("members.Member", related_name="oath_ceremonies", verbose_name=_("sworn in"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("oath ceremony")
        verbose_name_plural = _("oath ceremonies")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.organization} {self.held_on}"


class ApplicationTalk(models.Model):
    """The talk the Party organization holds with an applicant (发展党员工作细则 第7条):
    when and by whom, as a person entered it. One per member."""

    member = models.OneToOneField(
        "members.Member", on_delete=models.CASCADE, related_name="application_talk", verbose_name=_("member")
    )
    talked_on = models.DateField(_("talked on"))
    talker = models.CharField(_("talked with by"), max_length=100)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # The local-practice warnings shown when the talk was recorded, kept with it.
    warnings = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("talk with the applicant")
        verbose_name_plural = _("talks with applicants")

    def __str__(self) -> str:
        return f"{self.member} {self.talked_on}"


class ActivistReview(models.Model):
    """The branch's half-yearly review (考察) of an activist (发展党员工作细则 第11条)."""

    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="activist_reviews", verbose_name=_("member")
    )
    reviewed_on = models.DateField(_("reviewed on"))
    reviewer = models.CharField(_("reviewed by"), max_length=100)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("activist review")
        verbose_name_plural = _("activist reviews")
        ordering = ["-reviewed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.member} {self.reviewed_on}"


class ProbationExtension(models.Model):
    """延长预备期 (党章 第7条): the branch congress extends a probation once, by 6 to 12 months,
    and the Party committee above approves; both entered by a person. One per member."""

    member = models.OneToOneField(
        "members.Member", on_delete=models.CASCADE, related_name="probation_extension", verbose_name=_("member")
    )
    decided_on = models.DateField(_("decided by the branch congress on"))
    months = models.PositiveSmallIntegerField(_("months"))
    reason = models.CharField(_("reason"), max_length=500)
    approved_by = models.CharField(_("approved by"), max_length=100)
    approved_on = models.DateField(_("approved on"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("probation extension")
        verbose_name_plural = _("probation extensions")
        constraints = [
            # The Constitution's bounds; the service checks the same with the rule's numbers.
            models.CheckConstraint(
                condition=models.Q(months__gte=1, months__lte=12), name="probation_extension_at_most_a_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} +{self.months}"


class DevelopmentReminder(models.Model):
    """A development step coming due that the branch's secretaries were told of (`development_remind`):
    one row per member, step and due date, so each is told once, however often the daily job runs.
    A due date that moves (a review recorded, a probation extended) is a new reminder."""

    class Step(models.TextChoices):
        TALK = "talk", _("talk with the applicant")
        REVIEW = "review", _("half-yearly review")
        PROBATION = "probation", _("probation ending")

    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="development_reminders", verbose_name=_("member")
    )
    step = models.CharField(_("step"), max_length=10, choices=Step.choices)
    due_on = models.DateField(_("due on"))
    reminded_on = models.DateField(_("reminded on"))

    class Meta:
        verbose_name = _("development reminder")
        verbose_name_plural = _("development reminders")
        constraints = [
            models.UniqueConstraint(fields=["member", "step", "due_on"], name="development_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.step} {self.due_on}"
