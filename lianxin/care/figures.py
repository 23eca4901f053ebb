"""Care's figures for the dashboard and the briefings (lianxin.core.figures), in the seeds' terms
("走访慰问…64名，发放慰问金共计14.1万元"): the people visited (each once), the units that visited, the
yuan handed out (money and goods), and the members in hardship now. Rows show no ID or phone."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, F, Min, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lianxin.care.models import CareRecipient, CareVisit, HardshipRecord
from lianxin.care.selectors.hardship import hardship_active_in
from lianxin.core.figures import FigureGroup, Measure, Number, Row, child_of, figures_register
from lianxin.core.periods import Period
from lianxin.organizations.models import Organization
from lianxin.organizations.selectors import Subtree, in_subtree


def visits_in(subtree: Subtree, period: Period) -> QuerySet[CareVisit]:
    """Visits by the subtree's organizations on a day of the period."""
    start, end = period.start, period.end
    return (
        CareVisit.objects.filter(in_subtree("organization", subtree), visited_on__gte=start, visited_on__lte=end)
        .select_related("recipient", "organization", "round")
        .order_by("visited_on", "id")
    )


def people_visited(subtree: Subtree, period: Period) -> QuerySet[CareRecipient]:
    """One row per person visited: a member once however many rounds and visits, a person not on the
    roster once per round they were added to (they have no identity across rounds)."""
    visited = CareRecipient.objects.filter(pk__in=visits_in(subtree, period).order_by().values("recipient_id"))
    firsts = visited.filter(member__isnull=False).order_by().values("member_id").annotate(first=Min("pk"))
    return (
        CareRecipient.objects.filter(
            Q(pk__in=firsts.values("first")) | Q(pk__in=visited.filter(member__isnull=True).values("pk"))
        )
        .select_related("organization", "round")
        .order_by("round__year", "name", "id")
    )


def units_visiting(subtree: Subtree, period: Period) -> QuerySet[Organization]:
    visiting = visits_in(subtree, period).order_by().values("organization_id")
    units: QuerySet[Organization] = Organization.objects.filter(pk__in=visiting).order_by("path")
    return units


def _visit_aggregates() -> dict[str, Any]:
    """The visits' numbers in one pass: people once each (a member by member, a person not on the
    roster by recipient, as `people_visited` counts them), units, and yuan (money and goods)."""
    zero = Value(Decimal("0"), output_field=DecimalField(max_digits=14, decimal_places=2))
    return {
        "members": Count("recipient__member_id", distinct=True),
        "others": Count("recipient_id", distinct=True, filter=Q(recipient__member__isnull=True)),
        "units": Count("organization_id", distinct=True),
        "yuan": Coalesce(Sum(F("money") + F("goods_value")), zero),
    }


def _numbers(row: Mapping[str, Any]) -> dict[str, Number]:
    return {
        "care-visited": int(row["members"]) + int(row["others"]),
        "care-units": int(row["units"]),
        "care-funds": Decimal(row["yuan"]),
    }


NOTHING = {"members": 0, "others": 0, "units": 0, "yuan": Decimal("0")}


def compute(subtree: Subtree, period: Period) -> Mapping[str, Number]:
    """People visited, units and yuan in one statement (the stock of hardship is its rows' count)."""
    return _numbers(visits_in(subtree, period).order_by().aggregate(**_visit_aggregates()))


def compute_children(subtree: Subtree, period: Period, children: list[Any]) -> dict[Any, dict[str, Number]]:
    """The same for each child, from one statement grouped by the child a visit's organization lies under."""
    rows = (
        visits_in(subtree, period)
        .order_by()
        .annotate(child=child_of("organization", children))
        .values("child")
        .annotate(**_visit_aggregates())
    )
    found = {row["child"]: row for row in rows}
    return {child.pk: _numbers(found.get(child.path, NOTHING)) for child in children}


def hardship_now(subtree: Subtree, period: Period) -> QuerySet[HardshipRecord]:
    return hardship_active_in(subtree)


def person_row(r: CareRecipient) -> Row:
    return {"name": r.name, "group": r.get_group_display(), "organization": str(r.organization), "round": r.round.title}


def visit_row(v: CareVisit) -> Row:
    return {
        "date": v.visited_on.isoformat(),
        "recipient": v.recipient.name,
        "organization": str(v.organization),
        "yuan": str(v.money + v.goods_value),
    }


def unit_row(o: Organization) -> Row:
    return {"organization": o.name}


def hardship_row(h: HardshipRecord) -> Row:
    return {
        "name": h.member.name,
        "organization": str(h.member.organization),
        "level": h.get_level_display(),
        "since": h.since.isoformat(),
    }


MEASURES = (
    Measure(
        "care-visited",
        _("People visited"),
        pgettext_lazy("unit", "people"),
        _("People visited in care rounds by the subtree's organizations in the period, each counted once."),
        people_visited,
        (("name", _("Name")), ("group", _("Target group")), ("organization", _("Organization")), ("round", _("Round"))),
        person_row,
    ),
    Measure(
        "care-funds",
        _("Care funds handed out"),
        pgettext_lazy("unit", "yuan"),
        _("Money and the value of goods given on the visits of the period."),
        visits_in,
        (
            ("date", _("Visited on")),
            ("recipient", _("Recipient")),
            ("organization", _("Visiting organization")),
            ("yuan", _("Yuan")),
        ),
        visit_row,
        counts_rows=False,
    ),
    Measure(
        "care-units",
        _("Units that visited"),
        pgettext_lazy("unit", "units"),
        _("Organizations of the subtree that recorded a care visit in the period."),
        units_visiting,
        (("organization", _("Organization")),),
        unit_row,
    ),
    Measure(
        "care-hardship-members",
        _("Members in hardship"),
        pgettext_lazy("unit", "people"),
        _("Members of the subtree with an active hardship record now."),
        hardship_now,
        (("name", _("Name")), ("organization", _("Organization")), ("level", _("Level")), ("since", _("Since"))),
        hardship_row,
        stock=True,
        organization="member__organization",
    ),
)

figures_register(FigureGroup("care", _("Care visits"), 65, MEASURES, compute, compute_children))
