"""The development pipeline: hard rules block with their article, local practice warns,
and a refused step writes nothing."""

from datetime import date
from decimal import Decimal
from typing import TypedDict

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from conftest import City
from lianxin.accounts.models import User
from lianxin.core.models import Event, Holiday
from lianxin.members.models import Member
from lianxin.members.models.development import DevelopmentStep, MaterialTick, PoliticalReview
from lianxin.members.rules.development import publicity_days, training_hours
from lianxin.members.services.development import (
    application_talk_record,
    development_advance,
    material_tick,
    oath_ceremony_record,
    political_review_record,
    training_attendance_record,
    training_class_create,
    training_course_add,
    training_score_record,
)
from lianxin.members.tests.factories import make_member
from lianxin.organizations.models import Organization

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 20)


class VoteAndApproval(TypedDict):
    votes_for: int
    voters_entitled: int
    approved_by: str


# The branch congress vote and the approval of the Party committee above, as a person enters them.
VOTE_AND_APPROVAL: VoteAndApproval = {"votes_for": 9, "voters_entitled": 12, "approved_by": "街道党工委"}


def make_applicant(organization: Organization, **overrides: object) -> Member:
    values: dict[str, object] = {
        "category": Member.Category.APPLICANT,
        "applied_on": date(2024, 3, 1),
        "activist_on": None,
        "candidate_on": None,
        "joined_on": None,
        "full_on": None,
        "birth": date(1998, 5, 17),
    }
    values.update(overrides)
    return make_member(organization, **values)


def make_activist(organization: Organization, activist_on: date = date(2024, 10, 1)) -> Member:
    return make_applicant(organization, category=Member.Category.ACTIVIST, activist_on=activist_on)


def give_training(member: Member, days: int = 3) -> None:
    """`days` courses of 8 class hours each."""
    klass = training_class_create(
        organization=member.organization,
        name="入党积极分子培训班",
        starts_on=date(2025, 5, 1),
        ends_on=date(2025, 5, 10),
    )
    for day in range(days):
        course = training_course_add(
            training_class=klass, title=f"第{day + 1}天", held_on=date(2025, 5, 2 + day), hours=Decimal(8)
        )
        training_attendance_record(course=course, members=[member], actor=None)


def candidate_ready(organization: Organization) -> Member:
    member = make_applicant(
        organization,
        category=Member.Category.CANDIDATE,
        activist_on=date(2024, 10, 1),
        candidate_on=date(2025, 10, 10),
    )
    political_review_record(
        member=member, actor=None, result="passed", reviewed_on=date(2025, 11, 1), reviewer="东社区党支部委员会"
    )
    give_training(member)
    return member


def test_an_applicant_becomes_an_activist_with_date_people_and_timeline_event(
    city: City, branch_secretary: User
) -> None:
    member = make_applicant(city.east)
    application_talk_record(member=member, actor=None, talked_on=date(2024, 3, 20), talker="张书记", today=TODAY)
    step = development_advance(
        member=member,
        actor=branch_secretary,
        to="activist",
        on=date(2024, 10, 1),
        talker="张书记",
        contacts="王芳、李强",
        today=TODAY,
    )
    member.refresh_from_db()
    assert member.category == Member.Category.ACTIVIST
    assert member.activist_on == date(2024, 10, 1)
    assert step.contacts == "王芳、李强" and step.talker == "张书记"
    assert step.warnings == []
    event = Event.objects.get(verb="development_step", subject_id=member.pk)
    assert (event.from_state, event.to_state) == ("applicant", "activist")


def test_an_activist_named_less_than_six_months_after_applying_is_recorded_with_a_warning(city: City) -> None:
    member = make_applicant(city.east, applied_on=date(2024, 8, 1))
    application_talk_record(member=member, actor=None, talked_on=date(2024, 8, 15), talker="张书记", today=TODAY)
    step = development_advance(member=member, actor=None, to="activist", on=date(2024, 10, 1), today=TODAY)
    assert len(step.warnings) == 1
    assert "6 months" in step.warnings[0] and "第8条" in step.warnings[0]


def test_less_than_a_year_as_activist_blocks_the_candidate_step_citing_article_13(city: City) -> None:
    member = make_activist(city.east, activist_on=date(2026, 1, 10))
    with pytest.raises(ValidationError) as exc:
        development_advance(member=member, actor=None, to="candidate", on=date(2026, 11, 1), today=TODAY)
    assert "第13条" in exc.value.messages[0]
    assert "2027-01-10" in exc.value.messages[0]
    member.refresh_from_db()
    assert member.category == Member.Category.ACTIVIST and member.candidate_on is None
    assert not DevelopmentStep.objects.exists()
    assert not Event.objects.filter(verb="development_step").exists()


def test_an_activist_of_a_year_becomes_a_candidate_and_a_short_publicity_warns(city: City) -> None:
    member = make_activist(city.east)
    step = development_advance(
        member=member,
        actor=None,
        to="candidate",
        on=date(2025, 10, 10),
        publicity_from=date(2025, 10, 1),
        publicity_to=date(2025, 10, 3),
        today=TODAY,
    )
    assert step.to_category == "candidate"
    assert any("5 working days" in w for w in step.warnings)


def test_publicity_counts_working_days_with_the_holiday_calendar() -> None:
    # 2025-09-29 (Mon) to 2025-10-03 (Fri) is five weekdays; 1–3 October are holidays.
    assert publicity_days(date(2025, 9, 29), date(2025, 10, 3)) == 5
    for day in (1, 2, 3):
        Holiday.objects.create(date=date(2025, 10, day), is_workday=False, name="国庆节")
    assert publicity_days(date(2025, 9, 29), date(2025, 10, 3)) == 2


def test_admission_without_a_political_review_or_training_is_blocked_citing_articles_15_and_17(city: City) -> None:
    member = make_applicant(
        city.east, category=Member.Category.CANDIDATE, activist_on=date(2024, 10, 1), candidate_on=date(2025, 10, 10)
    )
    give_training(member, days=2)
    with pytest.raises(ValidationError) as exc:
        development_advance(member=member, actor=None, to="probationary", on=date(2026, 7, 1), today=TODAY)
    text = " ".join(exc.value.messages)
    assert "第15–16条" in text
    assert "第17条" in text and "16" in text
    member.refresh_from_db()
    assert member.category == Member.Category.CANDIDATE and member.joined_on is None


def test_a_failed_latest_review_still_blocks_admission(city: City) -> None:
    member = candidate_ready(city.east)
    political_review_record(member=member, actor=None, result="failed", reviewed_on=date(2026, 1, 5), reviewer="党委")
    with pytest.raises(ValidationError, match="political review"):
        development_advance(member=member, actor=None, to="probationary", on=date(2026, 7, 1), today=TODAY)


def test_a_candidate_with_review_and_24_hours_is_admitted_as_probationary(city: City) -> None:
    member = candidate_ready(city.east)
    step = development_advance(
        member=member,
        actor=None,
        to="probationary",
        on=date(2026, 7, 1),
        sponsors="王芳、李强",
        publicity_from=date(2026, 6, 22),
        publicity_to=date(2026, 6, 26),
        approved_on=date(2026, 8, 15),
        today=TODAY,
        **VOTE_AND_APPROVAL,
    )
    member.refresh_from_db()
    assert member.category == Member.Category.PROBATIONARY and member.joined_on == date(2026, 7, 1)
    assert step.warnings == []
    assert (step.votes_for, step.voters_entitled, step.approved_by) == (9, 12, "街道党工委")


def test_admission_needs_more_than_half_of_the_entitled_votes_citing_article_22(city: City) -> None:
    member = candidate_ready(city.east)
    with pytest.raises(ValidationError) as exc:
        development_advance(
            member=member,
            actor=None,
            to="probationary",
            on=date(2026, 7, 1),
            votes_for=6,
            voters_entitled=12,
            approved_by="街道党工委",
            approved_on=date(2026, 8, 1),
            today=TODAY,
        )
    assert "6 of 12 in favour is not more than half" in exc.value.messages[0] and "第22条" in exc.value.messages[0]
    member.refresh_from_db()
    assert member.category == Member.Category.CANDIDATE and not DevelopmentStep.objects.exists()


def test_admission_without_an_approval_entered_is_blocked_and_a_late_approval_warns(city: City) -> None:
    member = candidate_ready(city.east)
    with pytest.raises(ValidationError, match="Enter who approved"):
        development_advance(
            member=member,
            actor=None,
            to="probationary",
            on=date(2026, 7, 1),
            votes_for=9,
            voters_entitled=12,
            today=TODAY,
        )
    with pytest.raises(ValidationError, match="comes before the step"):
        development_advance(
            member=member,
            actor=None,
            to="probationary",
            on=date(2026, 7, 1),
            approved_on=date(2026, 6, 1),
            today=TODAY,
            **VOTE_AND_APPROVAL,
        )
    step = development_advance(
        member=member,
        actor=None,
        to="probationary",
        on=date(2026, 7, 1),
        approved_on=date(2026, 11, 2),
        today=TODAY,
        **VOTE_AND_APPROVAL,
    )
    assert any("3 months" in w for w in step.warnings)


def test_full_membership_before_a_year_of_probation_is_blocked(city: City) -> None:
    member = candidate_ready(city.east)
    development_advance(
        member=member,
        actor=None,
        to="probationary",
        on=date(2026, 7, 1),
        approved_on=date(2026, 8, 1),
        today=TODAY,
        **VOTE_AND_APPROVAL,
    )
    with pytest.raises(ValidationError, match="党章 第7条"):
        development_advance(
            member=member,
            actor=None,
            to="full",
            on=date(2026, 11, 1),
            approved_on=date(2026, 11, 2),
            today=TODAY,
            approved_by="街道党工委",
        )
    development_advance(
        member=member,
        actor=None,
        to="full",
        on=date(2027, 7, 1),
        approved_by="街道党工委",
        approved_on=date(2027, 7, 2),
        today=date(2027, 7, 2),
    )
    member.refresh_from_db()
    assert member.category == Member.Category.FULL and member.full_on == date(2027, 7, 1)


def test_skipping_a_step_a_future_date_or_an_earlier_date_is_refused(city: City) -> None:
    member = make_applicant(city.east)
    with pytest.raises(ValidationError, match="next step"):
        development_advance(member=member, actor=None, to="candidate", on=date(2026, 1, 1), today=TODAY)
    with pytest.raises(ValidationError, match="future"):
        development_advance(member=member, actor=None, to="activist", on=date(2026, 12, 1), today=TODAY)
    with pytest.raises(ValidationError, match="before the previous step"):
        development_advance(member=member, actor=None, to="activist", on=date(2024, 1, 1), today=TODAY)
    member.refresh_from_db()
    assert member.category == Member.Category.APPLICANT
    assert not DevelopmentStep.objects.exists()


def test_someone_under_18_cannot_become_an_activist(city: City) -> None:
    member = make_applicant(city.east, birth=date(2008, 12, 1), applied_on=None)
    with pytest.raises(ValidationError, match="第5–6条"):
        development_advance(member=member, actor=None, to="activist", on=date(2026, 6, 1), today=TODAY)


def test_a_step_already_taken_by_someone_else_is_refused_not_doubled(city: City) -> None:
    member = make_applicant(city.east)
    stale = Member.objects.get(pk=member.pk)
    development_advance(member=member, actor=None, to="activist", on=date(2024, 10, 1), today=TODAY)
    with pytest.raises(ValidationError, match="already moved on"):
        # The stale copy still reads "applicant": the conditional update finds no row.
        stale.category = Member.Category.APPLICANT
        development_advance(member=stale, actor=None, to="activist", on=date(2024, 10, 2), today=TODAY)
    assert DevelopmentStep.objects.count() == 1


@override_settings(LIANXIN_RULES={"candidate_after_activist_months": 18})
def test_a_locality_can_lengthen_the_activist_period(city: City) -> None:
    member = make_activist(city.east)
    with pytest.raises(ValidationError, match="第13条"):
        development_advance(member=member, actor=None, to="candidate", on=date(2025, 10, 10), today=TODAY)


def test_political_review_is_entered_with_who_and_when_and_bad_input_writes_nothing(city: City) -> None:
    member = make_activist(city.east)
    with pytest.raises(ValidationError, match="who concluded"):
        political_review_record(member=member, actor=None, result="passed", reviewed_on=date(2025, 1, 1), reviewer=" ")
    with pytest.raises(ValidationError, match="Unknown review result"):
        political_review_record(
            member=member, actor=None, result="maybe", reviewed_on=date(2025, 1, 1), reviewer="党委"
        )
    assert not PoliticalReview.objects.exists()


def test_a_checklist_item_is_ticked_once_and_unknown_items_are_refused(city: City, branch_secretary: User) -> None:
    member = make_activist(city.east)
    material_tick(member=member, actor=branch_secretary, step="activist", item="filing")
    with pytest.raises(ValidationError, match="already ticked"):
        material_tick(member=member, actor=branch_secretary, step="activist", item="filing")
    with pytest.raises(ValidationError, match="not on the checklist"):
        material_tick(member=member, actor=branch_secretary, step="activist", item="selfie")
    assert MaterialTick.objects.count() == 1


def test_training_hours_add_up_across_courses_and_attending_twice_counts_once(city: City) -> None:
    member = candidate_ready(city.east)
    klass = training_class_create(
        organization=city.east, name="第二期", starts_on=date(2025, 6, 1), ends_on=date(2025, 6, 3)
    )
    course = training_course_add(training_class=klass, title="党史", held_on=date(2025, 6, 2), hours=Decimal("4.5"))
    assert training_attendance_record(course=course, members=[member], actor=None) == 1
    assert training_attendance_record(course=course, members=[member], actor=None) == 0
    assert Event.objects.filter(verb="training_attended", subject_id=member.pk, data__course="党史").count() == 1
    assert training_hours(member) == Decimal("28.5")
    with pytest.raises(ValidationError, match="outside the class"):
        training_course_add(training_class=klass, title="x", held_on=date(2025, 7, 1), hours=Decimal(2))
    with pytest.raises(ValidationError, match="between 0 and 100"):
        training_score_record(training_class=klass, member=member, score=120)
    assert training_score_record(training_class=klass, member=member, score=86).passed


def test_only_party_members_can_be_sworn_in(city: City) -> None:
    activist = make_activist(city.east)
    with pytest.raises(ValidationError, match="Not Party members yet"):
        oath_ceremony_record(
            organization=city.east, actor=None, held_on=date(2026, 7, 1), place="党群服务中心", members=[activist]
        )
    probationary = make_member(
        city.east, category=Member.Category.PROBATIONARY, full_on=None, joined_on=date(2026, 7, 1)
    )
    ceremony = oath_ceremony_record(
        organization=city.east, actor=None, held_on=date(2026, 7, 1), place="党群服务中心", members=[probationary]
    )
    assert list(ceremony.members.all()) == [probationary]
