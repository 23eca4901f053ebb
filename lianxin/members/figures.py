"""The roster's figures for the dashboard and the briefings (lianxin.core.figures): Party members now
(full and probationary) and the Party organizations of the subtree; and the development of members:
applicants, activists and candidates now, and members developed (admitted as probationary members)
in the period. One aggregate over the subtree's Party members; the rest are their rows' counts."""

from collections.abc import Callable, Mapping
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lianxin.core.figures import FigureGroup, Measure, Number, Row, figures_register
from lianxin.core.periods import Period
from lianxin.members.models import Member
from lianxin.organizations.models import Organization
from lianxin.organizations.selectors import Subtree, in_subtree, subtree_organizations

MEMBER_COLUMNS = (
    ("name", _("Name")),
    ("organization", _("Party organization")),
    ("category", _("Category")),
    ("joined", _("Joined")),
)
ORGANIZATION_COLUMNS = (("code", _("Code")), ("name", _("Name")), ("kind", _("Kind")))
C = Member.Category


def _members(org: Subtree) -> QuerySet[Member]:
    return Member.objects.filter(in_subtree("organization", org))


def _in(categories: tuple[str, ...]) -> Q:
    return Q(category__in=categories)


def _developed(period: Period) -> Q:
    return _in(Member.PARTY_MEMBER_CATEGORIES) & Q(joined_on__gte=period.start, joined_on__lte=period.end)


def _listed(qs: QuerySet[Member]) -> QuerySet[Member]:
    return qs.select_related("organization").order_by("organization__path", "name", "id")


def party_members(org: Subtree, period: Period) -> QuerySet[Member]:
    return _listed(_members(org).filter(_in(Member.PARTY_MEMBER_CATEGORIES)))


def probationary_members(org: Subtree, period: Period) -> QuerySet[Member]:
    return _listed(_members(org).filter(category=C.PROBATIONARY))


def members_developed(org: Subtree, period: Period) -> QuerySet[Member]:
    return _listed(_members(org).filter(_developed(period)))


def organizations(org: Subtree, period: Period) -> QuerySet[Organization]:
    found: QuerySet[Organization] = subtree_organizations(org).order_by("path")
    return found


def member_row(member: Member) -> Row:
    return {
        "name": member.name,
        "organization": str(member.organization),
        "category": member.get_category_display(),
        "joined": member.joined_on.isoformat() if member.joined_on else "",
    }


def organization_row(organization: Organization) -> Row:
    return {"code": organization.code, "name": organization.name, "kind": organization.get_kind_display()}


def compute(org: Subtree, period: Period) -> Mapping[str, Number]:
    """The counts by category, from the (organization, category) index alone; members developed and
    organizations are their rows' counts (the registry's), so a headline reads only this."""
    row = (
        _members(org)
        .filter(_in(Member.PARTY_MEMBER_CATEGORIES))
        .order_by()
        .aggregate(party=Count("pk"), probationary=Count("pk", filter=Q(category=C.PROBATIONARY)))
    )
    return {"party-members": row["party"], "probationary-members": row["probationary"]}


MEASURES = (
    Measure(
        "party-members",
        _("Party members"),
        _("people"),
        _("Full and probationary members on the roster of this organization or below, now."),
        party_members,
        MEMBER_COLUMNS,
        member_row,
        headline=True,
        stock=True,
        organization="organization",
    ),
    Measure(
        "probationary-members",
        _("Probationary members"),
        _("people"),
        _("Probationary members on the roster of this organization or below, now."),
        probationary_members,
        MEMBER_COLUMNS,
        member_row,
        stock=True,
        organization="organization",
    ),
    Measure(
        "party-organizations",
        _("Party organizations"),
        _("organizations"),
        _("This organization and every organization below it, now."),
        organizations,
        ORGANIZATION_COLUMNS,
        organization_row,
        stock=True,
    ),
)

figures_register(FigureGroup("roster", _("Members and organizations"), 10, MEASURES, compute))


def _in_category(category: str) -> Callable[[Organization, Period], QuerySet[Member]]:
    def rows(org: Subtree, period: Period) -> QuerySet[Member]:
        return _listed(_members(org).filter(category=category))

    return rows


def _stage(category: str, label: Any, definition: Any) -> Measure:
    return Measure(
        f"development-{category}s",
        label,
        _("people"),
        definition,
        _in_category(category),
        MEMBER_COLUMNS,
        member_row,
        stock=True,
        organization="organization",
    )


DEVELOPMENT = (
    _stage(C.APPLICANT, _("Applicants"), _("People who applied to join and are applicants now, in this subtree.")),
    _stage(C.ACTIVIST, _("Activists"), _("Activists for joining the Party now, in this subtree.")),
    _stage(C.CANDIDATE, _("Development candidates"), _("Development candidates now, in this subtree.")),
    Measure(
        "members-developed",
        _("Members developed"),
        _("people"),
        _("Members on the roster now (full or probationary) who joined the Party in the period."),
        members_developed,
        MEMBER_COLUMNS,
        member_row,
        dated="joined_on",
        organization="organization",
    ),
)

STAGES = (C.APPLICANT, C.ACTIVIST, C.CANDIDATE)


def compute_development(org: Subtree, period: Period) -> Mapping[str, Number]:
    """The three stages now, in one count by category; members developed are their rows' count."""
    row = (
        _members(org)
        .filter(category__in=STAGES)
        .order_by()
        .aggregate(**{str(stage): Count("pk", filter=Q(category=stage)) for stage in STAGES})
    )
    return {f"development-{stage}s": row[stage] for stage in STAGES}


figures_register(FigureGroup("development", _("Developing members"), 15, DEVELOPMENT, compute_development))
