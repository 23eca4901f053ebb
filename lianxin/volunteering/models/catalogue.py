"""Teams (服务队 / 先锋团 / 服务总队) and the service catalogue (服务目录) they offer."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.core.tokens import new_token
from lianxin.organizations.models import Area, Organization


class ServiceCategory(models.Model):
    """A configurable category (结对帮扶, 医疗卫生, ...) or a sub-kind under one (义医义诊, 法律咨询, ...)."""

    name = models.CharField(_("name"), max_length=40)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("category"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class TeamVerb(models.TextChoices):
    CREATED = "created", _("created")
    UPDATED = "updated", _("updated")
    MEMBER_ADDED = "member_added", _("volunteer added")
    MEMBER_REMOVED = "member_removed", _("volunteer removed")
    FEED_RESET = "feed_reset", _("calendar link reset")


class ServiceItemVerb(models.TextChoices):
    CREATED = "created", _("created")
    UPDATED = "updated", _("updated")
    # Taken off the public menu (not a wish's "claim withdrawn").
    WITHDRAWN = "withdrawn", _("withdrawn from publication")


class Team(models.Model):
    timeline_verbs = TeamVerb

    class Kind(models.TextChoices):
        TEAM = "team", _("service team")
        VANGUARD = "vanguard", _("vanguard corps")
        CORPS = "corps", _("general service corps")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TEAM)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="teams", verbose_name=_("owner organization")
    )
    # A 服务总队 groups teams (seed 004 merges ten teams into one).
    corps = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="teams",
        limit_choices_to={"kind": "corps"},
        verbose_name=_("general service corps"),
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_teams",
        verbose_name=_("leader"),
    )
    description = models.TextField(_("description"), blank=True)
    areas = models.ManyToManyField(Area, blank=True, related_name="teams", verbose_name=_("areas served"))
    categories = models.ManyToManyField(
        ServiceCategory, blank=True, related_name="teams", verbose_name=_("categories offered")
    )
    is_active = models.BooleanField(_("active"), default=True)
    # The private iCal feed of the team's sessions: /volunteering/feeds/team/<token>.ics
    feed_token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("volunteer team")
        verbose_name_plural = _("volunteer teams")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(corps=models.F("pk")), name="team_not_own_corps"),
        ]

    def __str__(self) -> str:
        return self.name


class TeamMembership(models.Model):
    """A volunteer in a team: a Party member (with a member record) or another volunteer."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("team"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="team_memberships", verbose_name=_("volunteer")
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"], condition=models.Q(left_on__isnull=True), name="team_membership_one_active"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.team}"


class ServiceItem(models.Model):
    """One dish on the menu: what a team offers, in a category, where."""

    timeline_verbs = ServiceItemVerb

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="items", verbose_name=_("team"))
    category = models.ForeignKey(
        ServiceCategory, on_delete=models.PROTECT, related_name="items", verbose_name=_("category")
    )
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    # Empty: wherever the team serves.
    areas = models.ManyToManyField(Area, blank=True, related_name="service_items", verbose_name=_("areas served"))
    is_active = models.BooleanField(_("on the menu"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        ordering = ["category__position", "title", "id"]
        indexes = [models.Index(fields=["is_active", "category"])]

    def __str__(self) -> str:
        return self.title
