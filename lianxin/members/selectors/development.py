"""Reads of member development, always through the viewer's roster scope."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import Any

from django.db.models import Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import Viewer
from lianxin.members.models import Member
from lianxin.members.models.development import (
    ActivistReview,
    ApplicationTalk,
    DevelopmentStep,
    MaterialTick,
    OathCeremony,
    PoliticalReview,
    ProbationExtension,
    TrainingClass,
    TrainingCourse,
)
from lianxin.members.rules.articles import dev_rule_value
from lianxin.members.rules.development import (
    MATERIALS,
    NEXT_STEP,
    blocking_reasons,
    development_warnings,
    extension_of,
    review_overdue,
    talk_of,
    talk_overdue,
    training_hours,
)
from lianxin.members.rules.roster import add_months, probation_ends_on, rule_value
from lianxin.organizations.models import Organization
from lianxin.organizations.selectors import organization_by_code

IN_PIPELINE = (
    Member.Category.APPLICANT,
    Member.Category.ACTIVIST,
    Member.Category.CANDIDATE,
    Member.Category.PROBATIONARY,
)
# "Coming due": within a month, as the list of those due for full membership has always counted it.
DUE_SOON_MONTHS = 1
STEP_DATE: dict[str, str] = {
    Member.Category.APPLICANT: "applied_on",
    Member.Category.ACTIVIST: "activist_on",
    Member.Category.CANDIDATE: "candidate_on",
    Member.Category.PROBATIONARY: "joined_on",
}


def organization_in_scope(*, user: Viewer, code: str) -> Organization | None:
    """The organization with `code` if the viewer manages it (404 otherwise); None for no code."""
    if not code:
        return None
    organization = organization_by_code(user=user, code=code, scope=roster_scope(user))
    if organization is None:
        raise Http404
    return organization


def _last_review_on() -> Subquery:
    return Subquery(
        ActivistReview.objects.filter(member=OuterRef("pk")).order_by("-reviewed_on").values("reviewed_on")[:1]
    )


def pipeline_members(*, user: Viewer, organization: Organization | None) -> QuerySet[Member]:
    qs = Member.objects.filter(roster_scope(user).q("organization__path"), category__in=IN_PIPELINE)
    if organization is not None:
        qs = qs.filter(organization__path__startswith=organization.path)
    return qs.select_related("organization", "application_talk", "probation_extension").order_by(
        "organization__path", "category", "name", "id"
    )


def _in_scope(user: Viewer, organization: Organization | None) -> QuerySet[Member]:
    qs = Member.objects.filter(roster_scope(user).q("organization__path"))
    if organization is not None:
        qs = qs.filter(organization__path__startswith=organization.path)
    return qs


def talks_due_before(members: QuerySet[Member], day: date) -> QuerySet[Member]:
    """Of `members`, the applicants whose talk falls due before `day` (a month after applying) with
    no talk recorded (发展党员工作细则 第7条)."""
    applied_before = add_months(day, -dev_rule_value("application_talk_months"))
    talk = ApplicationTalk.objects.filter(member_id=OuterRef("pk"))
    return members.filter(category=Member.Category.APPLICANT, applied_on__lt=applied_before).filter(~Exists(talk))


def reviews_due_before(members: QuerySet[Member], day: date) -> QuerySet[Member]:
    """Of `members`, the activists whose half-yearly review falls due before `day`: their last review,
    or activist date if never reviewed, more than half a year before it (发展党员工作细则 第11条).
    Each carries `last_review_on`."""
    before = add_months(day, -dev_rule_value("activist_review_months"))
    return (
        members.filter(category=Member.Category.ACTIVIST)
        .annotate(last_review_on=_last_review_on())
        .annotate(reviewed_since=Coalesce("last_review_on", "activist_on"))
        .filter(reviewed_since__lt=before)
    )


def probations_ending_by(members: QuerySet[Member], day: date) -> QuerySet[Member]:
    """Of `members`, the probationary ones whose probation (with its extension, if any) ends by `day`."""
    probation = rule_value("probation_months")
    # joined_on + probation (+ extension) <= day  ⇔  joined_on <= day - probation (- extension).
    due = Q(probation_extension__isnull=True, joined_on__lte=add_months(day, -probation))
    for months in ProbationExtension.objects.values_list("months", flat=True).distinct().order_by():
        due |= Q(probation_extension__months=months, joined_on__lte=add_months(day, -(probation + months)))
    return members.filter(due, category=Member.Category.PROBATIONARY)


def applicants_waiting_for_talk(*, user: Viewer, organization: Organization | None, today: date) -> QuerySet[Member]:
    """Applicants who applied more than a month ago with no talk recorded (发展党员工作细则 第7条)."""
    return (
        talks_due_before(_in_scope(user, organization), today)
        .select_related("organization")
        .order_by("applied_on", "id")
    )


def activists_due_for_review(*, user: Viewer, organization: Organization | None, today: date) -> QuerySet[Member]:
    """Activists whose last review, or activist date if never reviewed, is more than half a year ago
    (发展党员工作细则 第11条)."""
    return (
        reviews_due_before(_in_scope(user, organization), today)
        .select_related("organization")
        .order_by("reviewed_since", "id")
    )


@dataclass
class PipelineRow:
    member: Member
    since: date | None
    next_step: str
    next_label: str
    blocks: list[str]
    warnings: list[str]


def last_reviews(members: Iterable[Member]) -> dict[int, date]:
    """The date of each activist's latest half-yearly review, in one query."""
    ids = [m.pk for m in members if m.category == Member.Category.ACTIVIST]
    found = ActivistReview.objects.filter(member_id__in=ids).values("member_id").annotate(on=Max("reviewed_on"))
    return {row["member_id"]: row["on"] for row in found.order_by()}


def pipeline_rows(members: Iterable[Member], today: date) -> list[PipelineRow]:
    """A row per member with the next step, what blocks it and the reminders due; the latest
    activist reviews are read once per chunk of 500 members."""
    rows = []
    iterator = iter(members)
    while chunk := list(islice(iterator, 500)):
        reviewed = last_reviews(chunk)
        for member in chunk:
            to = NEXT_STEP.get(member.category, "")
            rows.append(
                PipelineRow(
                    member=member,
                    since=getattr(member, STEP_DATE[member.category]),
                    next_step=to,
                    next_label=str(Member.Category(to).label) if to else "",
                    blocks=blocking_reasons(member, today),
                    warnings=[
                        w
                        for w in (
                            talk_overdue(member, talk_of(member) is not None, today),
                            review_overdue(member, reviewed.get(member.pk), today),
                        )
                        if w
                    ],
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


def steps_of(member: Member) -> QuerySet[DevelopmentStep]:
    return DevelopmentStep.objects.filter(member=member).select_related("created_by")


def political_reviews_of(member: Member) -> QuerySet[PoliticalReview]:
    return PoliticalReview.objects.filter(member=member).select_related("created_by")


def activist_reviews_of(member: Member) -> QuerySet[ActivistReview]:
    return ActivistReview.objects.filter(member=member).select_related("created_by")


def person_context(member: Member, today: date) -> dict[str, Any]:
    return {
        "talk": talk_of(member),
        "activist_reviews": activist_reviews_of(member),
        "extension": extension_of(member),
        "probation_ends_on": probation_ends_on(member),
        "warnings": development_warnings(member, today),
        "steps": steps_of(member),
        "reviews": political_reviews_of(member),
        "training_hours": training_hours(member),
        "attendances": member.training_attendances.select_related("course__training_class").order_by("course__held_on"),
        "checklist": checklist_for(member),
    }


def training_classes_visible(*, user: Viewer) -> QuerySet[TrainingClass]:
    return TrainingClass.objects.filter(roster_scope(user).q("organization__path")).select_related("organization")


def access_training_class(user: Viewer, pk: int) -> TrainingClass:
    klass = training_classes_visible(user=user).filter(pk=pk).first()
    if klass is None:
        raise Http404
    return klass


def course_of(training_class: TrainingClass, pk: int) -> TrainingCourse:
    """A course of a class the viewer has already been allowed to see; 404 for another class's."""
    course = training_class.courses.filter(pk=pk).first()
    if course is None:
        raise Http404
    return course


def trainees_of(training_class: TrainingClass, *, limit: int = 300) -> list[Member]:
    """Who may attend the class: applicants, activists and candidates under its organizer, by name."""
    return list(
        Member.objects.filter(
            organization__path__startswith=training_class.organization.path,
            category__in=(Member.Category.APPLICANT, Member.Category.ACTIVIST, Member.Category.CANDIDATE),
        ).order_by("name", "id")[:limit]
    )


def not_sworn_in(*, user: Viewer, organization: Organization | None) -> QuerySet[Member]:
    """Probationary members with no oath ceremony recorded."""
    sworn = OathCeremony.members.through.objects.filter(member_id=OuterRef("pk"))
    qs = Member.objects.filter(roster_scope(user).q("organization__path"), category=Member.Category.PROBATIONARY)
    if organization is not None:
        qs = qs.filter(organization__path__startswith=organization.path)
    return qs.filter(~Exists(sworn)).select_related("organization").order_by("joined_on", "id")


def due_for_full_membership(*, user: Viewer, organization: Organization | None, today: date) -> QuerySet[Member]:
    """Probationary members whose probation (with its extension, if any) has ended or ends within a month."""
    qs = probations_ending_by(_in_scope(user, organization), add_months(today, DUE_SOON_MONTHS))
    return qs.select_related("organization", "probation_extension").order_by("joined_on", "id")


def political_birthdays(*, user: Viewer, organization: Organization | None, month: int) -> QuerySet[Member]:
    """Party members whose 入党 anniversary (joined_on) falls in `month`, by organization."""
    qs = Member.objects.filter(
        roster_scope(user).q("organization__path"),
        category__in=Member.PARTY_MEMBER_CATEGORIES,
        joined_on__month=month,
    )
    if organization is not None:
        qs = qs.filter(organization__path__startswith=organization.path)
    return qs.select_related("organization").order_by("organization__path", "joined_on__day", "name", "id")


def has_development_page(member: Member) -> bool:
    """Whether the member is in or through the pipeline: in it now, or a full member with recorded steps."""
    if member.category in IN_PIPELINE:
        return True
    return member.category == Member.Category.FULL and DevelopmentStep.objects.filter(member=member).exists()


def pipeline_step_of(member: Member, today: date) -> PipelineRow | None:
    """The member's own step on the development pipeline, or None for someone not on it."""
    if member.category not in IN_PIPELINE:
        return None
    return pipeline_rows([member], today)[0]
