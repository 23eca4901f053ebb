"""Honours' figures for the dashboard and the briefings (lianxin.core.figures): 50-year medals
issued in the period, and 两优一先 awards approved in the period by kind. A row shows the name,
the unit and the date: what the published list shows, nothing more."""

from collections.abc import Mapping

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lianxin.core.figures import FigureGroup, Measure, Number, Row, figures_register
from lianxin.core.periods import Period
from lianxin.honours.models import AwardKind, MedalAward, Nomination
from lianxin.honours.selectors.medals import medals_issued
from lianxin.organizations.selectors import Subtree, in_subtree

MEDAL_COLUMNS = (
    ("date", _("Medal issued on")),
    ("name", _("Name")),
    ("organization", _("Party organization")),
    ("way", _("How issued")),
)
AWARD_COLUMNS = (("date", _("Approved on")), ("name", _("Name")), ("unit", _("Unit")), ("round", _("Round")))


def medal_row(award: MedalAward) -> Row:
    return {
        "date": award.issued_on.isoformat() if award.issued_on else "",
        "name": award.member.name,
        "organization": award.organization.name,
        "way": award.get_way_display(),
    }


def award_row(nomination: Nomination) -> Row:
    return {
        "date": nomination.approved_at.date().isoformat() if nomination.approved_at else "",
        "name": nomination.name,
        "unit": nomination.unit,
        "round": nomination.round.title,
    }


def approved_in(subtree: Subtree, period: Period) -> QuerySet[Nomination]:
    """Awards approved in the period, nominated by an organization of the subtree."""
    start, end = period.bounds
    return Nomination.objects.filter(
        in_subtree("nominated_by", subtree),
        status=Nomination.Status.APPROVED,
        approved_at__gte=start,
        approved_at__lt=end,
    )


def awards_approved(subtree: Subtree, period: Period, kind: str) -> QuerySet[Nomination]:
    """Awards of `kind` approved in the period, nominated by an organization of the subtree."""
    return approved_in(subtree, period).filter(kind=kind).select_related("round").order_by("approved_at", "id")


def outstanding_members(subtree: Subtree, period: Period) -> QuerySet[Nomination]:
    return awards_approved(subtree, period, AwardKind.OUTSTANDING_MEMBER)


def outstanding_workers(subtree: Subtree, period: Period) -> QuerySet[Nomination]:
    return awards_approved(subtree, period, AwardKind.OUTSTANDING_WORKER)


def advanced_organizations(subtree: Subtree, period: Period) -> QuerySet[Nomination]:
    return awards_approved(subtree, period, AwardKind.ADVANCED_ORGANIZATION)


# The awards' figures by kind, counted in one statement by `compute`.
AWARD_FIGURES = {
    "honours-outstanding-members": AwardKind.OUTSTANDING_MEMBER,
    "honours-outstanding-workers": AwardKind.OUTSTANDING_WORKER,
    "honours-advanced-organizations": AwardKind.ADVANCED_ORGANIZATION,
}


def compute(subtree: Subtree, period: Period) -> Mapping[str, Number]:
    """The medals' count, and the three awards' counts from one statement over the approved awards."""
    approved = approved_in(subtree, period)
    counts = approved.aggregate(
        **{f"k{n}": Count("pk", filter=Q(kind=kind)) for n, kind in enumerate(AWARD_FIGURES.values())}
    )
    numbers: dict[str, Number] = {name: int(counts[f"k{n}"]) for n, name in enumerate(AWARD_FIGURES)}
    numbers["honours-50-year-medals"] = medals_issued(subtree, period).count()
    return numbers


PEOPLE = pgettext_lazy("unit", "people")
ORGANIZATIONS = pgettext_lazy("unit", "organizations")
AWARDED = _("Awards of this kind approved in the period in commendation rounds, nominated in this subtree.")

MEASURES = (
    Measure(
        "honours-50-year-medals",
        _("50 years in the Party medals issued"),
        PEOPLE,
        _("Members of this subtree issued the 50 years in the Party medal in the period, at a ceremony or at home."),
        medals_issued,
        MEDAL_COLUMNS,
        medal_row,
        dated="issued_on",
        organization="organization",
    ),
    Measure(
        "honours-outstanding-members",
        _("Outstanding Party members commended"),
        PEOPLE,
        AWARDED,
        outstanding_members,
        AWARD_COLUMNS,
        award_row,
        dated="approved_at",
        organization="nominated_by",
    ),
    Measure(
        "honours-outstanding-workers",
        _("Outstanding Party workers commended"),
        PEOPLE,
        AWARDED,
        outstanding_workers,
        AWARD_COLUMNS,
        award_row,
        dated="approved_at",
        organization="nominated_by",
    ),
    Measure(
        "honours-advanced-organizations",
        _("Advanced primary Party organizations commended"),
        ORGANIZATIONS,
        AWARDED,
        advanced_organizations,
        AWARD_COLUMNS,
        award_row,
        dated="approved_at",
        organization="nominated_by",
    ),
)

figures_register(FigureGroup("honours", _("Honours"), 70, MEASURES, compute))
