"""Care rounds (走访慰问): a round for an occasion by an organization for a year, its budgets handed
down the tree, its recipients (from the roster or not) and each visit with the money and goods given."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lianxin.core.private_storage import private_storage
from lianxin.members.models import Member
from lianxin.organizations.models import Organization

# The most money (or goods' value) one visit may record, in yuan; settings.LIANXIN_CARE_VISIT_CAP.
DEFAULT_VISIT_CAP = Decimal("20000")
# The most a budget may hold, in yuan: beyond it the figure is a typing slip.
BUDGET_CAP = Decimal("100000000")


def visit_cap() -> Decimal:
    return Decimal(str(getattr(settings, "LIANXIN_CARE_VISIT_CAP", DEFAULT_VISIT_CAP)))


class RoundVerb(models.TextChoices):
    CREATED = "created", _("care round created")
    OPENED = "opened", _("opened for visits")
    CLOSED = "closed", _("closed")
    BUDGET_SET = "budget_set", _("budget handed down")
    RECIPIENTS_DRAWN = "recipients_drawn", _("recipients drawn by rule")
    RECIPIENT_ADDED = "recipient_added", _("recipient added by hand")
    VISITED = "visited", _("visit recorded")
    VISITED_AGAIN = "visited_again", _("visit recorded for someone already visited")
    EXPORTED = "exported", _("visit ledger exported")


class TargetGroup(models.TextChoices):
    OUTSTANDING = "outstanding", _("outstanding members")
    HARDSHIP = "hardship", _("members in hardship")
    SENIOR = "senior", _("senior members")
    VETERAN_CADRE = "veteran_cadre", _("veteran cadres")
    PRE_1949 = "pre_1949", _("members since before 1949")
    NEW_EMPLOYMENT = "new_employment", _("new forms of employment")
    OFF_ROSTER = "off_roster", _("others not on the roster")


class CareRound(models.Model):
    timeline_verbs = RoundVerb

    class Occasion(models.TextChoices):
        JULY_FIRST = "july_first", _("July 1st")
        SPRING_FESTIVAL = "spring_festival", _("Spring Festival")
        DOUBLE_NINTH = "double_ninth", _("Double Ninth Festival")
        DISASTER = "disaster", _("disaster")
        OTHER = "other", _("other occasion")

    class Status(models.TextChoices):
        PLANNING = "planning", _("planning")
        OPEN = "open", _("open for visits")
        CLOSED = "closed", _("closed")

    TRANSITIONS: dict[str, tuple[str, ...]] = {
        Status.PLANNING: (Status.OPEN,),
        Status.OPEN: (Status.CLOSED,),
        Status.CLOSED: (),
    }

    title = models.CharField(_("title"), max_length=100)
    occasion = models.CharField(_("occasion"), max_length=16, choices=Occasion.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    # The day ages and party ages are counted to (1 July for 七一).
    on = models.DateField(_("reference date"))
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="care_rounds", verbose_name=_("organized by")
    )
    target_groups = models.JSONField(_("target groups"), default=list)
    note = models.CharField(_("note"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("care round")
        verbose_name_plural = _("care rounds")
        ordering = ["-year", "-on", "-id"]
        indexes = [models.Index(fields=["organization", "year"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("care:round_detail", args=[self.pk])

    def target_group_labels(self) -> list[str]:
        labels = dict(TargetGroup.choices)
        return [str(labels.get(g, g)) for g in self.target_groups]


class CareBudget(models.Model):
    """What one organization holds for the round; the organizer's is the whole, the rest handed down."""

    round = models.ForeignKey(CareRound, on_delete=models.CASCADE, related_name="budgets", verbose_name=_("round"))
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="care_budgets", verbose_name=_("organization")
    )
    amount = models.DecimalField(_("budget (yuan)"), max_digits=12, decimal_places=2)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("set by")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("care budget")
        verbose_name_plural = _("care budgets")
        constraints = [
            models.UniqueConstraint(fields=["round", "organization"], name="care_one_budget_per_organization"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="care_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.amount}"


class CareRecipient(models.Model):
    """Someone to visit in a round: a member of the roster, or a person not on it (a name and a note)."""

    class Source(models.TextChoices):
        RULE = "rule", _("drawn by rule")
        HAND = "hand", _("added by hand")

    round = models.ForeignKey(CareRound, on_delete=models.CASCADE, related_name="recipients", verbose_name=_("round"))
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("member")
    )
    name = models.CharField(_("name"), max_length=50)
    note = models.CharField(_("note"), max_length=200, blank=True)
    group = models.CharField(_("target group"), max_length=16, choices=TargetGroup.choices)
    # Whose visit it is: the member's organization, or the organization that added the person.
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="care_recipients", verbose_name=_("organization")
    )
    source = models.CharField(_("added"), max_length=4, choices=Source.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("added by")
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("care recipient")
        verbose_name_plural = _("care recipients")
        ordering = ["organization__path", "name", "id"]
        indexes = [models.Index(fields=["round", "organization"])]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "member"], condition=models.Q(member__isnull=False), name="care_member_once_per_round"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def on_roster(self) -> bool:
        return self.member_id is not None


class CareVisit(models.Model):
    round = models.ForeignKey(CareRound, on_delete=models.PROTECT, related_name="visits", verbose_name=_("round"))
    recipient = models.ForeignKey(
        CareRecipient, on_delete=models.PROTECT, related_name="visits", verbose_name=_("recipient")
    )
    # The unit that visited: its budget pays, and it counts among the units of the totals.
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="care_visits", verbose_name=_("visiting organization")
    )
    visitors = models.CharField(_("visitors"), max_length=200)
    visited_on = models.DateField(_("visited on"))
    money = models.DecimalField(_("money (yuan)"), max_digits=10, decimal_places=2, default=Decimal("0"))
    goods = models.CharField(_("goods"), max_length=200, blank=True)
    goods_value = models.DecimalField(_("value of goods (yuan)"), max_digits=10, decimal_places=2, default=Decimal("0"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    photo = models.FileField(_("photo"), storage=private_storage, upload_to="care/%Y/%m/", blank=True)
    # Set when the recipient had already been visited in the round: recorded, and warned of.
    repeat = models.BooleanField(_("visited before in this round"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("care visit")
        verbose_name_plural = _("care visits")
        ordering = ["visited_on", "id"]
        indexes = [
            models.Index(fields=["organization", "visited_on"]),
            models.Index(fields=["round", "recipient"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(money__gte=0), name="care_visit_money_not_negative"),
            models.CheckConstraint(condition=models.Q(goods_value__gte=0), name="care_visit_goods_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.visited_on}"

    @property
    def total(self) -> Decimal:
        return self.money + self.goods_value
