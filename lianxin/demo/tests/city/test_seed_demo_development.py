"""Member development in the demo city: the ledger of each member in or lately through the pipeline
fits their roster dates and the rules of 发展党员工作细则, keeps the warnings the rule functions find,
and the demo secretary's branch has something at every step.

The small city is built once for the package (conftest). The ledger it wrote is compared with the
one its development part writes when run again alone, from the same random state, inside a
savepoint. The warnings are kept as the rules word them in the language the city was built in,
so the rules are read in that language here.
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import F, Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from lianxin.accounts.models import User
from lianxin.demo.places import SECRETARY_BRANCH
from lianxin.demo.tests.city.city import DemoCity, DevelopmentRun
from lianxin.members.models import Member
from lianxin.members.models.development import (
    ActivistReview,
    ApplicationTalk,
    DevelopmentStep,
    MaterialTick,
    OathCeremony,
    PoliticalReview,
    ProbationExtension,
    TrainingAttendance,
    TrainingClass,
    TrainingScore,
)
from lianxin.members.rules.development import MATERIALS, step_check, talk_is_late, talk_late_warning
from lianxin.members.rules.roster import add_months
from lianxin.members.selectors.development import (
    activists_due_for_review,
    applicants_waiting_for_talk,
    not_sworn_in,
)
from lianxin.organizations.models import Organization

pytestmark = pytest.mark.django_db
Category = Member.Category
PIPELINE: tuple[str, ...] = (Category.APPLICANT, Category.ACTIVIST, Category.CANDIDATE, Category.PROBATIONARY)
STEP_DATE: dict[str, str] = {
    Category.ACTIVIST: "activist_on",
    Category.CANDIDATE: "candidate_on",
    Category.PROBATIONARY: "joined_on",
    Category.FULL: "full_on",
}

STEP_FIELDS = (
    "to_category",
    "on",
    "talker",
    "contacts",
    "sponsors",
    "publicity_from",
    "publicity_to",
    "votes_for",
    "voters_entitled",
    "approved_by",
    "approved_on",
    "warnings",
)


def _ledger() -> dict[str, list[tuple[object, ...]]]:
    """The development records by what identifies them across builds (keys differ, names do not)."""
    return {
        "steps": sorted(
            DevelopmentStep.objects.values_list("member__organization__code", "member__name", *STEP_FIELDS)
        ),
        "talks": sorted(ApplicationTalk.objects.values_list("member__name", "talked_on", "talker", "warnings")),
        "reviews": sorted(ActivistReview.objects.values_list("member__name", "reviewed_on", "reviewer")),
        "political": sorted(PoliticalReview.objects.values_list("member__name", "result", "reviewed_on")),
        # By day: a tick dated today is kept before the present, which moves between builds.
        "ticks": sorted(
            (name, step, item, timezone.localdate(at))
            for name, step, item, at in MaterialTick.objects.values_list("member__name", "step", "item", "ticked_at")
        ),
        "classes": sorted(TrainingClass.objects.values_list("organization__code", "name", "starts_on")),
        "attendances": sorted(TrainingAttendance.objects.values_list("member__name", "course__held_on")),
        "scores": sorted(TrainingScore.objects.values_list("member__name", "score", "passed")),
        "oaths": sorted(OathCeremony.objects.values_list("organization__code", "held_on", "members__name")),
        "extensions": sorted(ProbationExtension.objects.values_list("member__name", "months", "decided_on")),
    }


@dataclass
class Built:
    today: date
    first_ledger: dict[str, list[tuple[object, ...]]]
    language: str
    development: DevelopmentRun


LEDGER = (
    ActivistReview,
    ApplicationTalk,
    DevelopmentStep,
    MaterialTick,
    OathCeremony,
    PoliticalReview,
    ProbationExtension,
    TrainingClass,
)


@pytest.fixture(scope="module")
def built(demo_city: DemoCity) -> Built:
    assert demo_city.development is not None
    development = demo_city.development
    return Built(demo_city.today, _ledger(), development.language, development)


def _written_again(development: DevelopmentRun) -> dict[str, list[tuple[object, ...]]]:
    """The ledger the development part writes when run again alone from the state it began in."""
    with transaction.atomic():
        for model in LEDGER:  # a training class takes its courses, attendance and scores with it
            model.objects.all().delete()
        development.again()
        again = _ledger()
        transaction.set_rollback(True)
    return again


def _as_it_stood(member: Member, category: str) -> Member:
    """The member at `category`, before the later steps, with their talk and no extension cached."""
    fields = ["applied_on", "activist_on", "candidate_on", "joined_on"]
    kept = fields[: list(PIPELINE).index(category) + 1]
    then = Member(pk=member.pk, name=member.name, birth_date=member.birth_date, category=category)
    for name in kept:
        setattr(then, name, getattr(member, name))
    Member.application_talk.related.set_cached_value(then, ApplicationTalk.objects.filter(member=member).first())
    Member.probation_extension.related.set_cached_value(then, None)
    return then


def test_every_kind_of_development_record_is_in_the_demo(built: Built) -> None:
    for model in (
        ApplicationTalk,
        ActivistReview,
        PoliticalReview,
        MaterialTick,
        TrainingClass,
        TrainingAttendance,
        TrainingScore,
        OathCeremony,
    ):
        assert model.objects.count() > 20, model.__name__
    assert ProbationExtension.objects.count() == 2
    steps = set(DevelopmentStep.objects.values_list("to_category", flat=True))
    assert steps == {Category.ACTIVIST, Category.CANDIDATE, Category.PROBATIONARY, Category.FULL}


def test_the_same_seed_writes_the_same_ledger(built: Built) -> None:
    again = _written_again(built.development)
    assert all(again[kind] for kind in again)
    assert again == built.first_ledger


def test_run_just_after_midnight_the_same_ledger_is_written_and_nothing_is_stamped_before_its_day(
    built: Built,
) -> None:
    """Within the hour after local midnight the demo's clock (an hour before now) would fall on
    yesterday; a step dated today must still be entered today, not refused as in the future."""
    ctx = built.development.ctx
    real_now = ctx.real_now
    ctx.real_now = timezone.make_aware(datetime.combine(built.today, time(0, 20)))
    try:
        with transaction.atomic():
            for model in LEDGER:
                model.objects.all().delete()
            built.development.again()
            again = _ledger()
            stamped = DevelopmentStep.objects.filter(created_at__date__lt=F("on")).count()
            transaction.set_rollback(True)
    finally:
        ctx.real_now = real_now
    assert again == built.first_ledger
    assert stamped == 0


def test_each_step_is_dated_as_the_member_and_every_step_passed_is_recorded(built: Built) -> None:
    members = Member.objects.filter(development_steps__isnull=False).distinct()
    assert members.count() > 100
    for member in members.prefetch_related("development_steps"):
        steps = {s.to_category: s for s in member.development_steps.all()}
        expected = {to for to, name in STEP_DATE.items() if getattr(member, name) is not None}
        assert set(steps) == expected, member.name
        for to, step in steps.items():
            assert step.on == getattr(member, STEP_DATE[to])
    # Every probationary member has their admission, dated their joining.
    for member in Member.objects.filter(category=Category.PROBATIONARY):
        assert member.development_steps.get(to_category=Category.PROBATIONARY).on == member.joined_on


def test_admission_and_full_membership_carry_the_vote_and_the_committees_approval(built: Built) -> None:
    steps = DevelopmentStep.objects.filter(to_category__in=[Category.PROBATIONARY, Category.FULL])
    assert steps.count() > 50
    for step in steps:
        assert step.votes_for is not None and step.voters_entitled is not None
        assert step.voters_entitled >= step.votes_for > step.voters_entitled / 2
        assert step.approved_by.startswith("中共") and step.approved_by.endswith("委员会")
        assert step.approved_on is not None and step.on <= step.approved_on <= built.today
        assert step.publicity_from is not None and step.publicity_to is not None
        assert step.publicity_from <= step.publicity_to < step.on
    sponsors = steps.filter(to_category=Category.PROBATIONARY).values_list("sponsors", flat=True)
    assert sum(1 for s in sponsors if len(s.split("、")) == 2) > len(sponsors) * 0.8


def test_step_warnings_are_what_the_rules_find_and_admissions_are_not_blocked(built: Built) -> None:
    steps = list(DevelopmentStep.objects.select_related("member"))
    with_warnings = 0
    for step in steps:
        with translation.override(built.language):
            check = step_check(
                member=_as_it_stood(step.member, step.from_category),
                to=step.to_category,
                on=step.on,
                today=built.today,
                sponsors=step.sponsors,
                publicity_from=step.publicity_from,
                publicity_to=step.publicity_to,
                votes_for=step.votes_for,
                voters_entitled=step.voters_entitled,
                approved_by=step.approved_by,
                approved_on=step.approved_on,
            )
        assert step.warnings == check.warnings, (step.member.name, step.to_category)
        if step.to_category == Category.PROBATIONARY:
            # The political review, the 24 class hours, the vote and the approval are in the ledger.
            assert check.blocks == [], (step.member.name, check.blocks)
        with_warnings += bool(step.warnings)
    assert 0 < with_warnings < len(steps) / 2


def test_talks_follow_the_application_and_late_ones_keep_the_warning(built: Built) -> None:
    talks = ApplicationTalk.objects.select_related("member")
    assert talks.count() > 100
    late = 0
    for talk in talks:
        assert talk.member.applied_on is not None
        assert talk.member.applied_on <= talk.talked_on <= built.today
        assert talk.member.category in (*PIPELINE, Category.FULL)
        with translation.override(built.language):
            expected = [talk_late_warning()] if talk_is_late(talk.member.applied_on, talk.talked_on) else []
        assert talk.warnings == expected
        late += bool(talk.warnings)
    assert 0 < late < talks.count() / 5
    # Most applicants of more than a month ago had their talk; a few still wait, and the page says so.
    city = User.objects.get(username="admin")
    waiting = applicants_waiting_for_talk(user=city, organization=None, today=built.today).count()
    due = Member.objects.filter(category=Category.APPLICANT, applied_on__lt=add_months(built.today, -1)).count()
    assert 0 < waiting < due / 3


def test_activists_are_reviewed_half_yearly_while_activists_and_some_are_overdue(built: Built) -> None:
    for review in ActivistReview.objects.select_related("member"):
        member = review.member
        assert member.activist_on is not None
        assert member.activist_on <= review.reviewed_on <= (member.candidate_on or built.today)
    city = User.objects.get(username="admin")
    overdue = activists_due_for_review(user=city, organization=None, today=built.today).count()
    activists = Member.objects.filter(category=Category.ACTIVIST).count()
    assert 0 < overdue < activists / 2


def test_political_reviews_conclude_after_becoming_a_candidate_and_passed_before_admission(built: Built) -> None:
    for review in PoliticalReview.objects.select_related("member"):
        member = review.member
        assert member.candidate_on is not None and member.candidate_on <= review.reviewed_on <= built.today
        assert review.reviewer.startswith("中共")
        if member.joined_on is not None:
            assert review.result == PoliticalReview.Result.PASSED and review.reviewed_on < member.joined_on
    assert PoliticalReview.objects.filter(result=PoliticalReview.Result.FAILED).exists()
    assert not Member.objects.filter(category=Category.PROBATIONARY, political_reviews__isnull=True).exists()


def test_training_gives_the_admitted_24_class_hours_before_joining_and_a_few_failed_the_test(built: Built) -> None:
    for klass in TrainingClass.objects.prefetch_related("courses"):
        assert klass.organization.depth == 2 and klass.ends_on < built.today
        assert all(klass.starts_on <= c.held_on <= klass.ends_on for c in klass.courses.all())
    admitted = Member.objects.filter(development_steps__to_category=Category.PROBATIONARY)
    assert admitted.count() > 50
    for member in admitted:
        hours = TrainingAttendance.objects.filter(member=member, course__held_on__lt=member.joined_on).aggregate(
            h=Sum("course__hours")
        )["h"]
        assert hours is not None and hours >= Decimal(24), member.name
        assert member.training_scores.filter(passed=True).exists()
    assert not TrainingAttendance.objects.filter(member__category=Category.APPLICANT).exists()
    failed = TrainingScore.objects.filter(passed=False)
    assert 0 < failed.count() < TrainingScore.objects.count() / 5
    assert not failed.filter(score__gte=60).exists() and not TrainingScore.objects.filter(passed=True, score__lt=60)


def test_oath_ceremonies_swear_in_party_members_of_the_organization_after_their_approval(built: Built) -> None:
    ceremonies = OathCeremony.objects.select_related("organization").prefetch_related("members__organization")
    assert ceremonies.count() > 20
    for ceremony in ceremonies:
        assert ceremony.held_on <= built.today and ceremony.place
        for member in ceremony.members.all():
            assert member.category in Member.PARTY_MEMBER_CATEGORIES
            assert member.organization.path.startswith(ceremony.organization.path)
            admission = member.development_steps.get(to_category=Category.PROBATIONARY)
            assert admission.approved_on is not None and admission.approved_on <= ceremony.held_on
    # The collective "七一" ceremonies are the Party committees'.
    june = ceremonies.filter(held_on__month=6)
    assert june.exists() and not june.filter(organization__kind__in=Organization.BRANCH_KINDS).exists()
    probationary = Member.objects.filter(category=Category.PROBATIONARY).count()
    city = User.objects.get(username="admin")
    assert not_sworn_in(user=city, organization=None).count() < probationary / 4


def test_extended_probations_are_of_probationary_members_after_their_year(built: Built) -> None:
    for extension in ProbationExtension.objects.select_related("member"):
        member = extension.member
        assert member.category == Category.PROBATIONARY and member.joined_on is not None
        assert 6 <= extension.months <= 12
        assert add_months(member.joined_on, 12) <= extension.decided_on <= extension.approved_on <= built.today
        assert extension.approved_by.startswith("中共")


def test_materials_are_ticked_from_the_checklist_up_to_the_members_own_step(built: Built) -> None:
    order = list(MATERIALS)
    ticks = MaterialTick.objects.select_related("member")
    for tick in ticks:
        assert tick.item in dict(MATERIALS[tick.step])
        assert order.index(tick.step) <= order.index(tick.member.category)
    assert MaterialTick.objects.filter(step=Category.FULL).exists()
    assert not MaterialTick.objects.filter(step=Category.PROBATIONARY, item="oath", member__oath_ceremonies=None)


def test_the_secretarys_branch_shows_a_ledger_at_every_step(built: Built, client: Client) -> None:
    branch = Organization.objects.get(short_name=f"{SECRETARY_BRANCH}党支部")
    secretary = User.objects.get(username="secretary")
    assert branch.secretary is not None and branch.secretary.user == secretary
    client.force_login(secretary)
    page = client.get(reverse("members:development")).content.decode()
    for category in PIPELINE:
        members = Member.objects.filter(organization=branch, category=category)
        assert members.exists(), category
        with_records = [m for m in members if m.material_ticks.exists()]
        assert with_records, category
        assert all(m.name in page for m in members)
    for category in (Category.ACTIVIST, Category.CANDIDATE, Category.PROBATIONARY):
        member = Member.objects.filter(organization=branch, category=category).first()
        assert member is not None
        step = member.development_steps.get(to_category=category)
        person = client.get(reverse("members:development_person", args=[member.pk])).content.decode()
        assert f"{step.on:%Y-%m-%d}</td><td>{step.to_label}</td>" in person
