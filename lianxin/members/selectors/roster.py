"""Reads of the roster, always through the viewer's scope."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, TypedDict

from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404
from django_stubs_ext import WithAnnotations

from lianxin.accounts.permissions import Scope, roster_scope
from lianxin.accounts.types import Viewer
from lianxin.core.keyset import KeysetPage, Position, count_up_to, keyset_page
from lianxin.core.models import TallyRun
from lianxin.members.models import Member, MemberTally, Transfer
from lianxin.members.rules.roster import add_months, rule_value
from lianxin.organizations.models import Organization
from lianxin.organizations.selectors import MEMBER_TALLIES

FLAG_FIELDS = ("is_mobile", "is_abroad", "is_lost_contact", "is_at_sea")
# The list's order, as a contact list in Chinese is ordered: by the name's pinyin initials, then the
# name, then the id so the key is unique. Indexed with and without the organization (migration 0009).
LIST_KEY = ("pinyin", "name", "id")
# The columns a page of the list reads: what it shows and what its warnings are worked out from. The
# mobile number and the other wide columns are not read (nor decrypted) for a page.
LIST_FIELDS = (
    *LIST_KEY,
    "sex",
    "id_number",
    "category",
    "joined_on",
    "full_on",
    *FLAG_FIELDS,
    "lost_contact_since",
)


class ListColumns(TypedDict):
    """The two columns a row of the list reads from its joins (member_list_page)."""

    organization_label: str
    extension_months: int | None


if TYPE_CHECKING:  # a row of the list: a Member with those columns (the alias takes two types only when checked)
    ListedMember = WithAnnotations[Member, ListColumns]
else:
    ListedMember = Member


@dataclass
class MemberFilters:
    """What the member list, its export and the API filter on; every part optional."""

    organization: Organization | None = None  # this organization and its subtree
    category: str = ""  # a category, "party" (probationary and full), "all"; default all but former
    sector: str = ""
    flag: str = ""  # one of FLAG_FIELDS
    warning: str = ""  # "probation_overdue" or "lost_contact"
    query: str = ""  # part of the name


def scope_of(user: Viewer | None) -> Scope:
    """The organizations whose roster `user` reads; None is the system (commands): the whole city."""
    return Scope(everything=True) if user is None else roster_scope(user)


def member_list_visible_to(*, user: Viewer | None) -> QuerySet[Member]:
    return Member.objects.filter(scope_of(user).q("organization__path"))


def member_list_filtered(*, user: Viewer | None, filters: MemberFilters, today: date) -> QuerySet[Member]:
    qs = member_list_visible_to(user=user)
    if filters.organization is not None:
        qs = qs.filter(organization__path__startswith=filters.organization.path)
    if filters.category == "all":
        pass
    elif filters.category == "party":
        qs = qs.filter(category__in=Member.PARTY_MEMBER_CATEGORIES)
    elif filters.category in Member.Category.values:
        qs = qs.filter(category=filters.category)
    else:
        qs = qs.filter(category__in=Member.CURRENT_CATEGORIES)
    if filters.sector:
        qs = qs.filter(organization__sector=filters.sector)
    if filters.flag in FLAG_FIELDS:
        qs = qs.filter(**{filters.flag: True})
    if filters.warning == "probation_overdue":
        months = rule_value("probation_months") + rule_value("full_approval_months")
        qs = qs.filter(category=Member.Category.PROBATIONARY, joined_on__lt=add_months(today, -months))
    elif filters.warning == "lost_contact":
        qs = qs.filter(
            is_lost_contact=True, lost_contact_since__lte=add_months(today, -rule_value("lost_contact_months"))
        )
    if filters.query.strip():
        qs = qs.filter(Q(name__contains=filters.query.strip()))
    return qs.select_related("organization", "probation_extension").order_by("name", "id")


def member_list_page(
    *, user: Viewer | None, filters: MemberFilters, today: date, position: Position, size: int
) -> KeysetPage:
    """A page of the filtered list in (pinyin, name, id) order at `position` (core.keyset).

    A row reads two columns of its joins rather than two more model instances (3.3 of the page's 51
    million instructions, ADR 18): the organization's name as the list shows it (`organization_label`:
    the short name, else the name) and the months of a probation extension (`extension_months`, None
    without one)."""
    qs = (
        member_list_filtered(user=user, filters=filters, today=today)
        .select_related(None)
        .only(*LIST_FIELDS)
        .annotate(
            organization_label=Coalesce(NullIf("organization__short_name", Value("")), "organization__name"),
            extension_months=F("probation_extension__months"),
        )
    )
    return keyset_page(qs, keys=LIST_KEY, position=position, size=size)


def member_list_count(*, user: Viewer | None, filters: MemberFilters, today: date, limit: int) -> int:
    """How many the filtered list holds, counting no further than `limit` + 1 (core.keyset.count_up_to)."""
    return count_up_to(member_list_filtered(user=user, filters=filters, today=today), limit)


def member_list_tallied(*, user: Viewer | None, filters: MemberFilters) -> tuple[int, datetime] | None:
    """How many the list holds as of the last refresh of the member tallies, and when that was; None
    when the filters ask more than the tallies know (only the scope, an organization's subtree and
    the category are tallied) or the tallies were never refreshed: then the list is counted.

    One query: the subtree cells of the scope's top organizations (or of the organization filtered
    on) for the categories listed, beside the time of the refresh (core.tallies.tallied_at)."""
    if filters.sector or filters.flag or filters.warning or filters.query.strip():
        return None
    categories = _categories_of(filters.category)
    if filters.organization is not None:
        tops, params = "t.organization_id = %s", [filters.organization.pk]
    else:
        scope = scope_of(user)
        if scope.is_empty:
            return None
        # A scope's paths are disjoint subtrees (accounts.permissions); everything is the roots'.
        if scope.everything:
            tops, params = "o.depth = 1", []
        else:
            tops, params = f"o.path IN ({', '.join(['%s'] * len(scope.paths))})", list(scope.paths)
    # Written out: on every page of the list, the ORM's building of this statement cost more than
    # running it (a sum of a few cells).
    sql = (
        f"SELECT r.id, r.refreshed_at, (SELECT SUM(t.subtree) FROM {MemberTally._meta.db_table} t"
        f" JOIN {Organization._meta.db_table} o ON o.id = t.organization_id"
        f" WHERE {tops} AND t.category IN ({', '.join(['%s'] * len(categories))})) AS n"
        f" FROM {TallyRun._meta.db_table} r WHERE r.name = %s AND r.took_ms > 0"
    )
    run = next(iter(TallyRun.objects.raw(sql, [*params, *categories, MEMBER_TALLIES])), None)
    if run is None:
        return None
    return run.n or 0, run.refreshed_at  # type: ignore[attr-defined]  # n: the statement's column


def _categories_of(category: str) -> tuple[str, ...]:
    """The categories a list's category filter takes in (member_list_filtered's reading of it)."""
    if category == "all":
        return tuple(Member.Category.values)
    if category == "party":
        return tuple(Member.PARTY_MEMBER_CATEGORIES)
    if category in Member.Category.values:
        return (category,)
    return tuple(Member.CURRENT_CATEGORIES)


def access_member(user: Viewer, pk: int) -> Member:
    """A member the user may see: in their roster scope, or themselves."""
    member = (
        Member.objects.filter(Q(pk=pk) & (roster_scope(user).q("organization__path") | Q(user_id=user.pk)))
        .select_related("organization", "community")
        .first()
    )
    if member is None:
        raise Http404
    return member


def manages_member(user: Viewer, member: Member) -> bool:
    """Whether the member's organization is in the user's roster scope (not only their own record)."""
    return roster_scope(user).contains(member.organization.path)


def access_managed_member(user: Viewer, pk: int) -> Member:
    """A member whose roster the user manages: 404 for anyone else, the member themselves included."""
    member = access_member(user, pk)
    if not manages_member(user, member):
        raise Http404
    return member


def members_under(organization: Organization) -> QuerySet[Member]:
    """The members of `organization` and its subtree (the caller has checked the viewer manages it)."""
    return Member.objects.filter(organization__path__startswith=organization.path)


def transfers_of(member: Member) -> QuerySet[Transfer]:
    """A member's transfers, latest first (shown to whoever may see the member)."""
    return member.transfers.select_related("from_organization", "to_organization")
