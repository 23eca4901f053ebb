"""Every write of member development: pipeline steps, the talk with an applicant, activist
reviews, political reviews, materials, training classes, oath ceremonies and extended
probations. Each leaves a timeline event on the member."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.types import Actor
from lianxin.core.services import event_record
from lianxin.members.models import Member, MemberVerb
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
    TrainingCourse,
    TrainingScore,
)
from lianxin.members.rules.development import (
    MATERIALS,
    STEP_DATE_FIELD,
    StepCheck,
    extension_check,
    step_check,
    talk_is_late,
    talk_late_warning,
)
from lianxin.members.rules.roster import probation_ends_on
from lianxin.members.services.roster import member_category_move
from lianxin.organizations.models import Organization


class StepEntry(TypedDict, total=False):
    """The facts a page or the API may give with a step (StepFacts' fields)."""

    talker: str
    contacts: str
    sponsors: str
    publicity_from: date | None
    publicity_to: date | None
    votes_for: int | None
    voters_entitled: int | None
    approved_by: str
    approved_on: date | None
    note: str


@dataclass(frozen=True)
class StepFacts:
    """What a person enters with a step: the people, the publicity, the vote and the approval."""

    talker: str = ""
    contacts: str = ""
    sponsors: str = ""
    publicity_from: date | None = None
    publicity_to: date | None = None
    votes_for: int | None = None
    voters_entitled: int | None = None
    approved_by: str = ""
    approved_on: date | None = None
    note: str = ""


def development_advance_check(
    *, member: Member, to: str, on: date, today: date | None = None, **entered: Unpack[StepEntry]
) -> StepCheck:
    """What development_advance would refuse (blocks) and warn of, without writing anything:
    the preview a page shows before a step that cannot be undone is recorded."""
    facts = StepFacts(**entered)
    today = today or timezone.localdate()
    check = step_check(
        member=member,
        to=to,
        on=on,
        today=today,
        sponsors=facts.sponsors,
        publicity_from=facts.publicity_from,
        publicity_to=facts.publicity_to,
        votes_for=facts.votes_for,
        voters_entitled=facts.voters_entitled,
        approved_by=facts.approved_by,
        approved_on=facts.approved_on,
    )
    if facts.publicity_from and facts.publicity_to and facts.publicity_to < facts.publicity_from:
        check.blocks.insert(0, _("The publicity ends before it starts."))
    return check


@transaction.atomic
def development_advance(
    *, member: Member, actor: Actor | None, to: str, on: date, today: date | None = None, **entered: Unpack[StepEntry]
) -> DevelopmentStep:
    """Move `member` one step along the pipeline on `on`, or refuse with the article that blocks it.

    `entered` are the StepFacts fields. Local-practice warnings do not stop the step; they are
    kept on it and in its event. The category moves by member_category_move's guarded update:
    of two people recording the same step at once, the second is told the member has moved on."""
    facts = StepFacts(**entered)
    check = development_advance_check(member=member, to=to, on=on, today=today, **entered)
    if check.blocks:
        raise ValidationError(check.blocks)
    from_category = member.category
    member_category_move(
        member=member,
        to=to,
        actor=actor,
        verb=MemberVerb.DEVELOPMENT_STEP,
        changes={STEP_DATE_FIELD[to]: on},
        note=facts.note.strip(),
        data={"on": on.isoformat(), "warnings": check.warnings, "sponsors": facts.sponsors.strip()},
    )
    return DevelopmentStep.objects.create(
        member=member,
        from_category=from_category,
        to_category=to,
        on=on,
        talker=facts.talker.strip(),
        contacts=facts.contacts.strip(),
        sponsors=facts.sponsors.strip(),
        publicity_from=facts.publicity_from,
        publicity_to=facts.publicity_to,
        votes_for=facts.votes_for,
        voters_entitled=facts.voters_entitled,
        approved_by=facts.approved_by.strip(),
        approved_on=facts.approved_on,
        note=facts.note.strip(),
        warnings=check.warnings,
        created_by=actor,
    )


@transaction.atomic
def political_review_record(
    *, member: Member, actor: Actor | None, result: str, reviewed_on: date, reviewer: str, note: str = ""
) -> PoliticalReview:
    """Enter the political review conclusion an organization reached."""
    if result not in PoliticalReview.Result.values:
        raise ValidationError(_("Unknown review result %(value)s.") % {"value": result})
    if reviewed_on > timezone.localdate():
        raise ValidationError(_("The date %(date)s is in the future.") % {"date": reviewed_on})
    if not reviewer.strip():
        raise ValidationError(_("Say who concluded the review."))
    review = PoliticalReview.objects.create(
        member=member,
        result=result,
        reviewed_on=reviewed_on,
        reviewer=reviewer.strip(),
        note=note.strip(),
        created_by=actor,
    )
    event_record(
        subject=member,
        actor=actor,
        verb=MemberVerb.POLITICAL_REVIEW,
        to_state=result,
        data={"on": reviewed_on.isoformat()},
    )
    return review


@transaction.atomic
def material_tick(*, member: Member, actor: Actor | None, step: str, item: str) -> MaterialTick:
    """Tick one item of a step's checklist; ticking twice is refused, not doubled."""
    items = dict(MATERIALS.get(step, []))
    if item not in items:
        raise ValidationError(_("%(item)s is not on the checklist of this step.") % {"item": item})
    try:
        with transaction.atomic():
            tick = MaterialTick.objects.create(
                member=member,
                step=step,
                item=item,
                ticked_by=actor,
            )
    except IntegrityError as exc:
        raise ValidationError(_("%(item)s is already ticked.") % {"item": items[item]}) from exc
    event_record(subject=member, actor=actor, verb=MemberVerb.MATERIAL_TICKED, data={"step": step, "item": item})
    return tick


@transaction.atomic
def training_class_create(*, organization: Organization, name: str, starts_on: date, ends_on: date) -> TrainingClass:
    if not name.strip():
        raise ValidationError(_("The name is missing."))
    if ends_on < starts_on:
        raise ValidationError(_("The class ends before it starts."))
    return TrainingClass.objects.create(
        organization=organization, name=name.strip(), starts_on=starts_on, ends_on=ends_on
    )


@transaction.atomic
def training_course_add(*, training_class: TrainingClass, title: str, held_on: date, hours: Decimal) -> TrainingCourse:
    if not title.strip():
        raise ValidationError(_("The title is missing."))
    if hours <= 0 or hours > 12:
        raise ValidationError(_("Class hours of one course are between 0.5 and 12."))
    if not training_class.starts_on <= held_on <= training_class.ends_on:
        raise ValidationError(
            _("%(date)s is outside the class (%(start)s – %(end)s).")
            % {"date": held_on, "start": training_class.starts_on, "end": training_class.ends_on}
        )
    return TrainingCourse.objects.create(
        training_class=training_class, title=title.strip(), held_on=held_on, hours=hours
    )


@transaction.atomic
def training_attendance_record(*, course: TrainingCourse, members: list[Member], actor: Actor | None) -> int:
    """Record who attended `course`; someone already recorded is left as is. Returns how many were added."""
    already = set(TrainingAttendance.objects.filter(course=course).values_list("member_id", flat=True))
    new = [m for m in dict.fromkeys(members) if m.pk not in already]
    # A row someone else added meanwhile is skipped by the unique constraint, not doubled.
    TrainingAttendance.objects.bulk_create(
        [TrainingAttendance(course=course, member=m) for m in new], ignore_conflicts=True
    )
    added = TrainingAttendance.objects.filter(course=course).count() - len(already)
    for member in new:
        event_record(
            subject=member,
            actor=actor,
            verb=MemberVerb.TRAINING_ATTENDED,
            data={"course": course.title, "hours": str(course.hours)},
        )
    return added


@transaction.atomic
def training_score_record(
    *, training_class: TrainingClass, member: Member, score: int, pass_mark: int = 60
) -> TrainingScore:
    if not 0 <= score <= 100:
        raise ValidationError(_("A score is between 0 and 100."))
    row, _created = TrainingScore.objects.update_or_create(
        training_class=training_class, member=member, defaults={"score": score, "passed": score >= pass_mark}
    )
    return row


@transaction.atomic
def oath_ceremony_record(
    *, organization: Organization, actor: Actor | None, held_on: date, place: str, members: list[Member]
) -> OathCeremony:
    """Record an oath ceremony and who was sworn in: Party members only."""
    if not members:
        raise ValidationError(_("Choose who was sworn in."))
    if held_on > timezone.localdate():
        raise ValidationError(_("The date %(date)s is in the future.") % {"date": held_on})
    not_members = [m.name for m in members if m.category not in Member.PARTY_MEMBER_CATEGORIES]
    if not_members:
        raise ValidationError(_("Not Party members yet: %(names)s.") % {"names": "、".join(not_members)})
    ceremony = OathCeremony.objects.create(
        organization=organization,
        held_on=held_on,
        place=place.strip(),
        created_by=actor,
    )
    ceremony.members.set(members)
    for member in members:
        event_record(subject=member, actor=actor, verb=MemberVerb.SWORN_IN, data={"on": held_on.isoformat()})
    return ceremony


def _locked(member: Member) -> Member:
    """The member's row, locked until the transaction ends, so a check reads what is current."""
    return Member.objects.select_for_update().select_related("organization").get(pk=member.pk)


@transaction.atomic
def application_talk_record(
    *, member: Member, actor: Actor | None, talked_on: date, talker: str, note: str = "", today: date | None = None
) -> ApplicationTalk:
    """Enter the talk the organization held with an applicant (发展党员工作细则 第7条).

    A talk later than a month after the application is recorded with a warning."""
    today = today or timezone.localdate()
    current = _locked(member)
    if current.category not in (Member.Category.APPLICANT, Member.Category.ACTIVIST, Member.Category.CANDIDATE):
        raise ValidationError(
            _("%(name)s is %(category)s; the talk with an applicant is recorded before admission.")
            % {"name": current.name, "category": current.get_category_display()},
            code="not_in_pipeline",
        )
    if not talker.strip():
        raise ValidationError(_("Say who talked with the applicant."), code="talker_missing")
    if talked_on > today:
        raise ValidationError(_("The date %(date)s is in the future.") % {"date": talked_on}, code="future")
    if current.applied_on and talked_on < current.applied_on:
        raise ValidationError(
            _("The talk (%(date)s) comes before the application (%(applied)s).")
            % {"date": talked_on, "applied": current.applied_on},
            code="before_application",
        )
    if ApplicationTalk.objects.filter(member=current).exists():
        raise ValidationError(_("A talk with %(name)s is already recorded.") % {"name": current.name}, code="twice")
    warnings = [talk_late_warning()] if talk_is_late(current.applied_on, talked_on) else []
    talk = ApplicationTalk.objects.create(
        member=current,
        talked_on=talked_on,
        talker=talker.strip(),
        note=note.strip(),
        warnings=warnings,
        created_by=actor,
    )
    event_record(
        subject=current,
        actor=actor,
        verb=MemberVerb.APPLICATION_TALK,
        note=note.strip(),
        data={"on": talked_on.isoformat(), "talker": talker.strip(), "warnings": warnings},
    )
    return talk


@transaction.atomic
def activist_review_record(
    *, member: Member, actor: Actor | None, reviewed_on: date, reviewer: str, note: str = "", today: date | None = None
) -> ActivistReview:
    """Enter the branch's half-yearly review of an activist (发展党员工作细则 第11条)."""
    today = today or timezone.localdate()
    current = _locked(member)
    if current.category != Member.Category.ACTIVIST:
        raise ValidationError(
            _("%(name)s is %(category)s; only activists have half-yearly reviews.")
            % {"name": current.name, "category": current.get_category_display()},
            code="not_activist",
        )
    if not reviewer.strip():
        raise ValidationError(_("Say who reviewed the activist."), code="reviewer_missing")
    if reviewed_on > today:
        raise ValidationError(_("The date %(date)s is in the future.") % {"date": reviewed_on}, code="future")
    if current.activist_on and reviewed_on < current.activist_on:
        raise ValidationError(
            _("The review (%(date)s) comes before the activist date (%(since)s).")
            % {"date": reviewed_on, "since": current.activist_on},
            code="before_activist",
        )
    review = ActivistReview.objects.create(
        member=current,
        reviewed_on=reviewed_on,
        reviewer=reviewer.strip(),
        note=note.strip(),
        created_by=actor,
    )
    event_record(
        subject=current,
        actor=actor,
        verb=MemberVerb.ACTIVIST_REVIEWED,
        note=note.strip(),
        data={"on": reviewed_on.isoformat(), "reviewer": reviewer.strip()},
    )
    return review


@transaction.atomic
def probation_extend(
    *,
    member: Member,
    actor: Actor | None,
    decided_on: date,
    months: int,
    reason: str,
    approved_by: str,
    approved_on: date | None,
    today: date | None = None,
) -> ProbationExtension:
    """Extend a probationary member's probation once, by 6 to 12 months (党章 第7条), as the
    branch congress decided and the Party committee above approved. The expected
    full-membership date moves by as many months."""
    today = today or timezone.localdate()
    current = _locked(member)
    blocks = extension_check(
        member=current,
        decided_on=decided_on,
        months=months,
        reason=reason,
        approved_by=approved_by,
        approved_on=approved_on,
        today=today,
    )
    if blocks:
        raise ValidationError(blocks, code="extension_refused")
    assert approved_on is not None  # extension_check refuses an approval without its date
    try:
        with transaction.atomic():
            extension = ProbationExtension.objects.create(
                member=current,
                decided_on=decided_on,
                months=months,
                reason=reason.strip(),
                approved_by=approved_by.strip(),
                approved_on=approved_on,
                created_by=actor,
            )
    except IntegrityError as exc:  # recorded by someone else meanwhile
        raise ValidationError(
            _("The probation of %(name)s has already been extended once.") % {"name": current.name}, code="twice"
        ) from exc
    current.probation_extension = extension
    member.probation_extension = extension
    ends = probation_ends_on(current)
    event_record(
        subject=current,
        actor=actor,
        verb=MemberVerb.PROBATION_EXTENDED,
        note=reason.strip(),
        data={
            "on": decided_on.isoformat(),
            "months": months,
            "ends_on": ends.isoformat() if ends else None,
            "approved_by": approved_by.strip(),
        },
    )
    return extension
