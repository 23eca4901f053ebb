"""Party organizations, administrative areas and Party–mass service centres.

Both trees are materialized paths (treebeard MP_Node): "this node and everything under
it" is one indexed prefix query on PostgreSQL and SQLite alike, and permission scope is
exactly such a subtree.
"""

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from lianxin.core.picker import pinyin_initials

# 换届 reminders start this many days before a term ends.
TERM_END_WARNING_DAYS = 90


def _save_with_pinyin(node: Any, save: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Save `node` with its pinyin filled from its name (also when only some fields are saved)."""
    node.fill_pinyin()
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and {"name", "short_name"} & set(update_fields):
        kwargs["update_fields"] = {*update_fields, "pinyin"}
    save(*args, **kwargs)


class Area(MP_Node):  # type: ignore[misc]  # treebeard ships no type information
    class Kind(models.TextChoices):
        CITY = "city", _("city")
        DISTRICT = "district", _("district / county")
        TOWN = "town", _("town / street")
        VILLAGE = "village", _("village")
        COMMUNITY = "community", _("community")
        ISLAND = "island", _("island")

    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # Lowercase pinyin initials of the name (怡岛社区 → "ydsq"), searched by the pickers; kept by save()
    # and by fill_pinyin() wherever rows are written in bulk.
    pinyin = models.CharField(_("pinyin initials"), max_length=120, blank=True, editable=False)

    node_order_by = ["code"]

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        indexes = [models.Index(fields=["name"]), models.Index(fields=["pinyin"], name="area_pinyin")]

    def __str__(self) -> str:
        name: str = self.name
        return name

    def fill_pinyin(self) -> None:
        self.pinyin = pinyin_initials(self.name)[:120]

    def save(self, *args: Any, **kwargs: Any) -> None:
        _save_with_pinyin(self, super().save, args, kwargs)


class OrganizationVerb(models.TextChoices):
    """What an organization's timeline records, here and in the apps above (activities' rules,
    reminders and calendar feed)."""

    CREATED = "created", _("created")
    UPDATED = "updated", _("updated")
    MOVED = "moved", _("moved in the tree")
    MERGED = "merged", _("merged")
    ABSORBED = "absorbed", _("absorbed another organization")
    DISSOLVED = "dissolved", _("dissolved")
    COMMITTEE_SEATED = "committee_seated", _("seated on the branch committee")
    COMMITTEE_UNSEATED = "committee_unseated", _("seat on the branch committee ended")
    COMPLIANCE_REMINDED = "compliance_reminded", _("reminded of organizational life due")
    FREQUENCY_RULE_SET = "frequency_rule_set", _("local rule set")
    FEED_RESET = "feed_reset", _("calendar link reset")


class Organization(MP_Node):  # type: ignore[misc]  # treebeard ships no type information
    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("Party committee")
        WORKING_COMMITTEE = "working_committee", _("Party working committee")
        GENERAL_BRANCH = "general_branch", _("general Party branch")
        BRANCH = "branch", _("Party branch")
        JOINT_BRANCH = "joint_branch", _("joint Party branch")
        TEMPORARY_BRANCH = "temporary_branch", _("temporary Party branch")
        GROUP = "group", _("Party group")

    class Sector(models.TextChoices):
        ORGAN = "organ", _("government organ")
        PUBLIC_INSTITUTION = "public_institution", _("public institution")
        STATE_ENTERPRISE = "state_enterprise", _("state-owned enterprise")
        PRIVATE_ENTERPRISE = "private_enterprise", _("non-public enterprise")
        SOCIAL_ORGANIZATION = "social_organization", _("social organization")
        VILLAGE = "village", _("village")
        COMMUNITY = "community", _("community")
        SCHOOL = "school", _("school")
        HOSPITAL = "hospital", _("hospital")
        MOBILE = "mobile", _("sailing / mobile")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        MERGED = "merged", _("merged")
        DISSOLVED = "dissolved", _("dissolved")

    # A merged or dissolved organization stays on record, closed for good.
    TRANSITIONS = {
        Status.ACTIVE: (Status.MERGED, Status.DISSOLVED),
        Status.MERGED: (),
        Status.DISSOLVED: (),
    }
    timeline_verbs = OrganizationVerb

    # Branch-level kinds hold members directly; the rest are containers above them.
    BRANCH_KINDS = (Kind.BRANCH, Kind.JOINT_BRANCH, Kind.TEMPORARY_BRANCH, Kind.GENERAL_BRANCH)

    name = models.CharField(_("full name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    # Pinyin initials of the name, then of the short name when it differs ("dhqwydsqdzb ydsq"):
    # searched by the pickers; kept by save() and by fill_pinyin() wherever rows are written in bulk.
    pinyin = models.CharField(_("pinyin initials"), max_length=200, blank=True, editable=False)
    code = models.CharField(_("code"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    sector = models.CharField(_("sector"), max_length=24, choices=Sector.choices)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="organizations", verbose_name=_("area"))
    secretary = models.ForeignKey(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("secretary"),
    )
    # An office number, published so residents can reach the organization; personal
    # mobile numbers live on members and are encrypted there.
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    term_ends_on = models.DateField(_("term ends on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )

    node_order_by = ["code"]

    class Meta:
        verbose_name = _("Party organization")
        verbose_name_plural = _("Party organizations")
        indexes = [
            models.Index(fields=["name"]),
            models.Index(fields=["status"]),
            models.Index(fields=["pinyin"], name="organization_pinyin"),
            # The tree's levels: the roots, and a node's children (treebeard: depth = n AND path BETWEEN).
            models.Index(fields=["depth", "path"], name="organization_depth_path"),
            # Elections due: the earliest terms' ends first, read in order.
            models.Index(
                fields=["term_ends_on"], condition=models.Q(term_ends_on__isnull=False), name="organization_term_ends"
            ),
        ]

    def __str__(self) -> str:
        label: str = self.short_name or self.name
        return label

    def fill_pinyin(self) -> None:
        initials = [pinyin_initials(self.name)]
        if self.short_name and self.short_name != self.name:
            initials.append(pinyin_initials(self.short_name))
        self.pinyin = " ".join(dict.fromkeys(i for i in initials if i))[:200]

    def save(self, *args: Any, **kwargs: Any) -> None:
        _save_with_pinyin(self, super().save, args, kwargs)

    def get_absolute_url(self) -> str:
        return reverse("organizations:detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        active: bool = self.status == self.Status.ACTIVE
        return active

    def term_end_due(self, today: date) -> bool:
        """True when 换届 is due within TERM_END_WARNING_DAYS (or overdue)."""
        return bool(
            self.is_active and self.term_ends_on and self.term_ends_on - today <= timedelta(days=TERM_END_WARNING_DAYS)
        )


class ServiceCenter(models.Model):
    class Kind(models.TextChoices):
        CENTER = "center", _("Party–mass service centre")
        STATION = "station", _("service station")
        POST = "post", _("service post")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="service_centers", verbose_name=_("area"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=120, blank=True)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="service_centers",
        verbose_name=_("owner organization"),
    )

    class Meta:
        verbose_name = _("service centre")
        verbose_name_plural = _("service centres")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CommitteeSeat(models.Model):
    """A seat on a branch committee (支部委员会), held by a full member of the branch from `since`
    until `until`; a seat without `until` is current.

    《中国共产党支部工作条例（试行）》第六章: a branch with 7 or more full members has a committee
    of 3 to 5 (at most 7); with fewer, a secretary and, if needed, a deputy secretary only."""

    class Role(models.TextChoices):
        SECRETARY = "secretary", _("secretary")
        DEPUTY_SECRETARY = "deputy_secretary", _("deputy secretary")
        ORGANIZATION = "organization", _("organization member")
        PROPAGANDA = "propaganda", _("propaganda member")
        DISCIPLINE = "discipline", _("discipline inspection member")
        YOUTH = "youth", _("youth member")
        OTHER = "other", _("committee member")

    # Full members a branch needs for a committee; below it, a secretary (and deputy) only.
    COMMITTEE_FROM_FULL_MEMBERS = 7
    MAX_SEATS = 7
    # What a branch below COMMITTEE_FROM_FULL_MEMBERS may seat.
    SMALL_BRANCH_ROLES = (Role.SECRETARY, Role.DEPUTY_SECRETARY)

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="committee_seats", verbose_name=_("organization")
    )
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="committee_seats", verbose_name=_("member")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("committee seat")
        verbose_name_plural = _("committee seats")
        ordering = ["organization", "until", "role", "since"]
        indexes = [models.Index(fields=["organization", "until"], name="seat_org_until")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(until__isnull=True) | models.Q(until__gte=models.F("since")),
                name="seat_dates_ordered",
            ),
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(until__isnull=True, role="secretary"),
                name="seat_one_current_secretary",
            ),
            models.UniqueConstraint(
                fields=["organization", "member"],
                condition=models.Q(until__isnull=True),
                name="seat_one_current_seat_per_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} · {self.organization}"

    @property
    def is_current(self) -> bool:
        return self.until is None
