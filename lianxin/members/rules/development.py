"""The development rules of 《中国共产党发展党员工作细则》 (2014), each with its article.

`step_check` returns the blocking problems (the step is refused) and the warnings (local
practice: shown and kept with the step, never enforced). Political review results are
what a person entered; the system never infers them."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.core.workdays import working_days_between
from lianxin.members.models import Member, whole_years_between
from lianxin.members.models.development import (
    ActivistReview,
    ApplicationTalk,
    PoliticalReview,
    ProbationExtension,
    TrainingAttendance,
)
from lianxin.members.rules.articles import cite, dev_rule_value
from lianxin.members.rules.roster import add_months, probation_ends_on

Category = Member.Category

# The pipeline in order; each category's successor is the only step allowed from it.
PIPELINE: list[str] = [Category.APPLICANT, Category.ACTIVIST, Category.CANDIDATE, Category.PROBATIONARY, Category.FULL]
NEXT_STEP: dict[str, str] = {PIPELINE[i]: PIPELINE[i + 1] for i in range(len(PIPELINE) - 1)}
# The member date a step sets.
STEP_DATE_FIELD: dict[str, str] = {
    Category.ACTIVIST: "activist_on",
    Category.CANDIDATE: "candidate_on",
    Category.PROBATIONARY: "joined_on",
    Category.FULL: "full_on",
}


@dataclass
class StepCheck:
    blocks: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def training_hours(member: Member) -> Decimal:
    total = TrainingAttendance.objects.filter(member=member).aggregate(hours=Sum("course__hours"))["hours"]
    return total or Decimal(0)


def has_passed_review(member: Member) -> bool:
    """The latest review a person entered decides."""
    latest = PoliticalReview.objects.filter(member=member).order_by("-reviewed_on", "-id").first()
    return latest is not None and latest.result == PoliticalReview.Result.PASSED


def extension_of(member: Member) -> ProbationExtension | None:
    """The member's extended probation, if one was recorded (read through the cached relation)."""
    try:
        return member.probation_extension
    except ProbationExtension.DoesNotExist:
        return None


def talk_of(member: Member) -> ApplicationTalk | None:
    try:
        return member.application_talk
    except ApplicationTalk.DoesNotExist:
        return None


def talk_due_on(applied_on: date) -> date:
    """The last day for the talk with an applicant: a month after the application (第7条)."""
    return add_months(applied_on, dev_rule_value("application_talk_months"))


def review_due_on(activist_on: date, last_review: date | None) -> date:
    """The day an activist's next half-yearly review falls due: half a year after the last review,
    or after the activist date if never reviewed (第11条)."""
    since = max(last_review, activist_on) if last_review else activist_on
    return add_months(since, dev_rule_value("activist_review_months"))


def talk_is_late(applied_on: date | None, talked_on: date) -> bool:
    return applied_on is not None and talked_on > talk_due_on(applied_on)


def talk_late_warning() -> str:
    return cite(
        "application_talk_months",
        _("The talk came more than %(months)s month after the application.")
        % {"months": dev_rule_value("application_talk_months")},
    )


def last_activist_review_on(member: Member) -> date | None:
    return (
        ActivistReview.objects.filter(member=member).order_by("-reviewed_on").values_list("reviewed_on", flat=True)
    ).first()


def talk_overdue(member: Member, has_talk: bool, today: date) -> str | None:
    """An applicant who has waited more than a month with no talk recorded."""
    if member.category != Category.APPLICANT or has_talk or not member.applied_on:
        return None
    if today <= talk_due_on(member.applied_on):
        return None
    return cite(
        "application_talk_months",
        _("Applied on %(date)s and no talk is recorded after more than %(months)s month.")
        % {"date": member.applied_on, "months": dev_rule_value("application_talk_months")},
    )


def review_overdue(member: Member, last_review: date | None, today: date) -> str | None:
    """An activist whose last review, or activist date if never reviewed, is more than half a year ago."""
    if member.category != Category.ACTIVIST or not member.activist_on:
        return None
    since = max(last_review, member.activist_on) if last_review else member.activist_on
    if today <= review_due_on(member.activist_on, last_review):
        return None
    message = (
        _("Last reviewed on %(date)s: the half-yearly review is due.")
        if last_review
        else _("Activist since %(date)s and never reviewed: the half-yearly review is due.")
    )
    return cite("activist_review_months", message % {"date": since})


def development_warnings(member: Member, today: date) -> list[str]:
    """Local-practice reminders about where a member stands today (never blocking)."""
    found = [
        talk_overdue(member, talk_of(member) is not None, today),
        review_overdue(member, last_activist_review_on(member), today),
    ]
    return [w for w in found if w]


def extension_check(
    *,
    member: Member,
    decided_on: date,
    months: int,
    reason: str,
    approved_by: str,
    approved_on: date | None,
    today: date,
) -> list[str]:
    """What blocks extending `member`'s probation (党章 第7条)."""
    blocks: list[str] = []
    if member.category != Category.PROBATIONARY:
        blocks.append(
            cite(
                "probation_extension_once",
                _("%(name)s is %(category)s; only a probationary member's probation can be extended.")
                % {"name": member.name, "category": member.get_category_display()},
            )
        )
        return blocks
    if extension_of(member) is not None:
        blocks.append(
            cite(
                "probation_extension_once",
                _("The probation of %(name)s has already been extended once.") % {"name": member.name},
            )
        )
        return blocks
    low, high = dev_rule_value("probation_extension_min_months"), dev_rule_value("probation_extension_max_months")
    if not low <= months <= high:
        code = "probation_extension_min_months" if months < low else "probation_extension_max_months"
        blocks.append(
            cite(code, _("A probation is extended by %(low)s to %(high)s months.") % {"low": low, "high": high})
        )
    if decided_on > today:
        blocks.append(_("The date %(date)s is in the future.") % {"date": decided_on})
    if member.joined_on and decided_on < member.joined_on:
        blocks.append(
            _("The decision (%(date)s) comes before joining (%(joined)s).")
            % {"date": decided_on, "joined": member.joined_on}
        )
    if not reason.strip():
        blocks.append(_("Give the reason for extending the probation."))
    if not approved_by.strip() or not approved_on:
        blocks.append(cite("approval_entered", _("Enter who approved (the Party committee above) and when.")))
    elif approved_on < decided_on:
        blocks.append(_("The approval (%(date)s) comes before the decision.") % {"date": approved_on})
    elif approved_on > today:
        blocks.append(_("The date %(date)s is in the future.") % {"date": approved_on})
    return blocks


def publicity_days(publicity_from: date | None, publicity_to: date | None) -> int:
    if not publicity_from or not publicity_to:
        return 0
    return working_days_between(publicity_from - timedelta(days=1), publicity_to)


def step_check(
    *,
    member: Member,
    to: str,
    on: date,
    today: date,
    sponsors: str = "",
    publicity_from: date | None = None,
    publicity_to: date | None = None,
    votes_for: int | None = None,
    voters_entitled: int | None = None,
    approved_by: str = "",
    approved_on: date | None = None,
    with_warnings: bool = True,
) -> StepCheck:
    """What blocks the step `to` on `on` and what to warn of, rule by rule in the order of the pipeline.

    `with_warnings=False` skips the warnings that need their own queries (for lists of blocks)."""
    check = StepCheck()
    if NEXT_STEP.get(member.category) != to:
        check.blocks.append(
            _("%(name)s is %(category)s; the next step is not %(to)s.")
            % {"name": member.name, "category": member.get_category_display(), "to": Category(to).label}
            if to in Category.values
            else _("Unknown step %(to)s.") % {"to": to}
        )
        return check
    _check_order(check, member, on, today)
    if to == Category.ACTIVIST:
        _check_activist(check, member, on)
    if to == Category.CANDIDATE:
        _check_candidate(check, member, on, with_warnings)
    if to == Category.PROBATIONARY:
        _check_admission(check, member, sponsors)
    if to == Category.FULL:
        _check_probation_over(check, member, on)
    if to == Category.PROBATIONARY:
        _check_vote(check, votes_for, voters_entitled)
    if to in (Category.PROBATIONARY, Category.FULL):
        _check_approval(check, on, today, approved_by, approved_on)
    if to in (Category.CANDIDATE, Category.PROBATIONARY, Category.FULL):
        needed = dev_rule_value("publicity_working_days")
        if publicity_days(publicity_from, publicity_to) < needed:
            check.warnings.append(
                cite("publicity_working_days", _("Publicity shorter than %(days)s working days.") % {"days": needed})
            )
    return check


def _check_order(check: StepCheck, member: Member, on: date, today: date) -> None:
    """Every step: not in the future, not before the previous one, at 18 or older (第5–6条)."""
    if on > today:
        check.blocks.append(_("The date %(date)s is in the future.") % {"date": on})
    previous = [getattr(member, f) for f in ("applied_on", "activist_on", "candidate_on", "joined_on")]
    latest = max((d for d in previous if d), default=None)
    if latest and on < latest:
        check.blocks.append(
            _("The date %(date)s is before the previous step (%(prev)s).") % {"date": on, "prev": latest}
        )
    min_age = dev_rule_value("dev_min_age")
    if whole_years_between(member.birth_date, on) < min_age:
        check.blocks.append(
            cite(
                "dev_min_age",
                _("%(name)s is under %(age)s on %(date)s.") % {"name": member.name, "age": min_age, "date": on},
            )
        )


def _check_activist(check: StepCheck, member: Member, on: date) -> None:
    """To activist: the talk with the applicant (第7条) and six months since applying (第8条), both warnings."""
    talk = talk_of(member)
    if talk is None:
        check.warnings.append(cite("application_talk_months", _("No talk with the applicant is recorded.")))
    elif talk_is_late(member.applied_on, talk.talked_on):
        check.warnings.append(talk_late_warning())
    months = dev_rule_value("activist_after_application_months")
    if not member.applied_on or on < add_months(member.applied_on, months):
        check.warnings.append(
            cite(
                "activist_after_application_months",
                _("Less than %(months)s months since the application.") % {"months": months},
            )
        )


def _check_candidate(check: StepCheck, member: Member, on: date, with_warnings: bool) -> None:
    """To development candidate: a year as activist (第13条), reviewed every half year (第11条)."""
    months = dev_rule_value("candidate_after_activist_months")
    if not member.activist_on or on < add_months(member.activist_on, months):
        earliest = add_months(member.activist_on, months) if member.activist_on else None
        check.blocks.append(
            cite(
                "candidate_after_activist_months",
                _("Less than one year as activist: possible from %(date)s.") % {"date": earliest or "-"},
            )
        )
    reviews = ActivistReview.objects.filter(member=member, reviewed_on__lte=on)
    if member.activist_on:
        reviews = reviews.filter(reviewed_on__gte=member.activist_on)
    needed = dev_rule_value("activist_reviews_before_candidate")
    count = reviews.count() if with_warnings else needed
    if count < needed:
        check.warnings.append(
            cite(
                "activist_reviews_before_candidate",
                _("%(count)s half-yearly reviews recorded; at least %(needed)s should cover the year as activist.")
                % {"count": count, "needed": needed},
            )
        )


def _check_admission(check: StepCheck, member: Member, sponsors: str) -> None:
    """To probationary: a passed political review (第15–16条), 24 hours of training (第17条), two sponsors."""
    if not has_passed_review(member):
        check.blocks.append(cite("political_review", _("No passed political review has been recorded.")))
    hours = training_hours(member)
    needed = dev_rule_value("training_hours")
    if hours < needed:
        check.blocks.append(
            cite(
                "training_hours",
                _("%(hours)s class hours of training attended, %(needed)s needed.")
                % {"hours": hours, "needed": needed},
            )
        )
    names = [n for n in sponsors.replace("，", ",").replace("、", ",").split(",") if n.strip()]
    if len(names) != dev_rule_value("sponsors"):
        check.warnings.append(cite("sponsors", _("Two sponsors should be named.")))


def _check_probation_over(check: StepCheck, member: Member, on: date) -> None:
    """To full member: the probation (with its extension, if any) has ended (党章 第7条)."""
    ends = probation_ends_on(member)
    if ends and on < ends:
        extension = extension_of(member)
        message = (
            _("Probation, extended by %(months)s months, ends on %(date)s.")
            % {"months": extension.months, "date": ends}
            if extension
            else _("Probation ends on %(date)s.") % {"date": ends}
        )
        check.blocks.append(cite("probation_year", message))


def _check_vote(check: StepCheck, votes_for: int | None, voters_entitled: int | None) -> None:
    """Admission by the branch congress: more than half of the full members entitled to vote (第22条)."""
    if not voters_entitled or votes_for is None:
        check.blocks.append(cite("congress_majority", _("Enter the branch congress vote.")))
    elif votes_for > voters_entitled:
        check.blocks.append(_("More votes in favour than members entitled to vote."))
    elif votes_for * 100 <= voters_entitled * dev_rule_value("congress_majority"):
        check.blocks.append(
            cite(
                "congress_majority",
                _("%(for)s of %(entitled)s in favour is not more than half.")
                % {"for": votes_for, "entitled": voters_entitled},
            )
        )


def _check_approval(check: StepCheck, on: date, today: date, approved_by: str, approved_on: date | None) -> None:
    """Admission and full membership: the Party committee above approved, as entered, within 3 months."""
    if not approved_by.strip() or not approved_on:
        check.blocks.append(cite("approval_entered", _("Enter who approved (the Party committee above) and when.")))
    elif approved_on < on:
        check.blocks.append(_("The approval (%(date)s) comes before the step itself.") % {"date": approved_on})
    elif approved_on > today:
        check.blocks.append(_("The date %(date)s is in the future.") % {"date": approved_on})
    elif approved_on > add_months(on, dev_rule_value("approval_months")):
        check.warnings.append(
            cite(
                "approval_months",
                _("Approved more than %(months)s months after the step.")
                % {"months": dev_rule_value("approval_months")},
            )
        )


def blocking_reasons(member: Member, today: date) -> list[str]:
    """What blocks a member's next step if it were taken today (for the branch pipeline page)."""
    to = NEXT_STEP.get(member.category)
    if to is None:
        return []
    return step_check(
        member=member,
        to=to,
        on=today,
        today=today,
        sponsors="-,-",
        publicity_from=today - timedelta(days=14),
        publicity_to=today,
        with_warnings=False,
    ).blocks


# The materials checklist of each step: a fixed list, ticked by a person.
MATERIALS: dict[str, list[tuple[str, Any]]] = {
    Category.APPLICANT: [
        ("application", gettext_lazy("Written application for Party membership")),
        ("talk_record", gettext_lazy("Record of the talk within one month")),
    ],
    Category.ACTIVIST: [
        ("recommendation", gettext_lazy("Recommendation (推优) or nomination")),
        ("committee_minutes", gettext_lazy("Branch committee minutes deciding the activist")),
        ("filing", gettext_lazy("Filing with the Party committee above")),
        ("cultivation_record", gettext_lazy("Cultivation and education record")),
    ],
    Category.CANDIDATE: [
        ("opinions", gettext_lazy("Opinions heard from members and the public")),
        ("publicity", gettext_lazy("Candidate publicity notice")),
        ("political_review", gettext_lazy("Political review conclusion")),
        ("training_certificate", gettext_lazy("Concentrated training certificate")),
    ],
    Category.PROBATIONARY: [
        ("volunteer_form", gettext_lazy("Application form (入党志愿书)")),
        ("congress_minutes", gettext_lazy("Branch congress minutes and vote")),
        ("approval", gettext_lazy("Approval of the Party committee above")),
        ("oath", gettext_lazy("Oath taken")),
    ],
    Category.FULL: [
        ("full_application", gettext_lazy("Application for full membership")),
        ("full_publicity", gettext_lazy("Publicity before full membership")),
        ("full_approval", gettext_lazy("Approval of full membership")),
    ],
}
