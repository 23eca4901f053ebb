"""Reads of member development, always through the viewer's roster scope."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from lianxin.accounts.permissions import roster_scope
from lianxin.members.development import DevelopmentStep, MaterialTick, OathCeremony, PoliticalReview, TrainingClass
from lianxin.members.models import Member
from lianxin.members.rules import add_months, rule_value
from lianxin.members.rules_development import MATERIALS, NEXT_STEP, blocking_reasons, training_hours
from lianxin.organizations.models import Organization

IN_PIPELINE = (
    Member.Category.APPLICANT,
    Member.Category.ACTIVIST,
    Member.Category.CANDIDATE,
    Member.Category.PROBATIONARY,
)
STEP_DATE = {
    Member.Category.APPLICANT: "applied_on",
    Member.Category.ACTIVIST: "activist_on",
    Member.Category.CANDIDATE: "candidate_on",
    Member.Category.PROBATIONARY: "joined_on",
}


def organization_in_scope(*, user: Any, code: str) -> Organization | None:
    """The organization with `code` if the viewer manages it (404 otherwise); None for no code."""
    if not code:
        return None
    organization = Organization.objects.filter(code=code).first()
    if organization is None or not roster_scope(user).contains(organization.path):
        raise Http404
    return organization


def pipeline_members(*, user: Any, organization: Organization | None) -> QuerySet[Member]:
    qs = Member.objects.filter(roster_scope(user).q("organization__path"), category__in=IN_PIPELINE)
    if organization is not None:
        qs = qs.filter(organization__path__startswith=organization.path)
    return qs.select_related("organization").order_by("organization__path", "category", "name", "id")


@dataclass
class PipelineRow:
    member: Member
    since: date | None
    next_step: str
    next_label: str
    blocks: list[str]


def pipeline_rows(members: Any, today: date) -> list[PipelineRow]:
    rows = []
    for member in members:
        to = NEXT_STEP.get(member.category, "")
        rows.append(
            PipelineRow(
                member=member,
                since=getattr(member, STEP_DATE[member.category]),
                next_step=to,
                next_label=str(Member.Category(to).label) if to else "",
                blocks=blocking_reasons(member, today),
            )
        )
    return rows


@dataclass
class ChecklistItem:
    code: str
    label: Any
    ticked: MaterialTick | None


def checklist_for(member: Member) -> list[tuple[str, Any, list[ChecklistItem]]]:
    """Each step up to the member's own, with its materials and who ticked them."""
    ticks = {(t.step, t.item): t for t in MaterialTick.objects.filter(member=member).select_related("ticked_by")}
    out = []
    for step, items in MATERIALS.items():
        out.append(
            (
                step,
                Member.Category(step).label,
                [ChecklistItem(code, label, ticks.get((step, code))) for code, label in items],
            )
        )
        if step == member.category:
            break
    return out


def person_context(member: Member) -> dict[str, Any]:
    return {
        "steps": DevelopmentStep.objects.filter(member=member).select_related("created_by"),
        "reviews": PoliticalReview.objects.filter(member=member).select_related("created_by"),
        "training_hours": training_hours(member),
        "attendances": member.training_attendances.select_related("course__training_class").order_by("course__held_on"),
        "checklist": checklist_for(member),
    }


def training_classes_visible(*, user: Any) -> QuerySet[TrainingClass]:
    return TrainingClass.objects.filter(roster_scope(user).q("organization__path")).select_related("organization")


def access_training_class(user: Any, pk: int) -> TrainingClass:
    klass = training_classes_visible(user=user).filter(pk=pk).first()
    if klass is None:
        raise Http404
    return klass


def not_sworn_in(*, user: Any, organization: Organization | None) -> QuerySet[Member]:
    """Probationary members with no oath ceremony recorded."""
    sworn = OathCeremony.members.through.objects.filter(member_id=OuterRef("pk"))
    qs = Member.objects.filter(roster_scope(user).q("organization__path"), category=Member.Category.PROBATIONARY)
    if organization is not None:
        qs = qs.filter(organization__path__startswith=organization.path)
    return qs.filter(~Exists(sworn)).select_related("organization").order_by("joined_on", "id")


def due_for_full_membership(*, user: Any, organization: Organization | None, today: date) -> QuerySet[Member]:
    """Probationary members whose year of probation has ended or ends within a month."""
    horizon = add_months(today, 1)
    # joined_on + probation <= horizon  ⇔  joined_on <= horizon - probation.
    latest_joined = add_months(horizon, -rule_value("probation_months"))
    qs = Member.objects.filter(
        roster_scope(user).q("organization__path"),
        category=Member.Category.PROBATIONARY,
        joined_on__lte=latest_joined,
    )
    if organization is not None:
        qs = qs.filter(organization__path__startswith=organization.path)
    return qs.select_related("organization").order_by("joined_on", "id")


def political_birthdays(*, user: Any, organization: Organization | None, month: int) -> QuerySet[Member]:
    """Party members whose 入党 anniversary (joined_on) falls in `month`, by organization."""
    qs = Member.objects.filter(
        roster_scope(user).q("organization__path"),
        category__in=Member.PARTY_MEMBER_CATEGORIES,
        joined_on__month=month,
    )
    if organization is not None:
        qs = qs.filter(organization__path__startswith=organization.path)
    return qs.select_related("organization").order_by("organization__path", "joined_on__day", "name", "id")
