"""Writing the demo's development ledger: its rows in bulk, stamped with the days they were entered,
and the timeline rows the development services leave on a member (steps always, the rest where the
scale keeps detailed timelines)."""

from datetime import date
from typing import TYPE_CHECKING

from lianxin.demo.services import BATCH, ServiceContext, stamp
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
    TrainingCourse,
    TrainingScore,
)

if TYPE_CHECKING:
    from lianxin.demo.development_demo import _Development
    from lianxin.demo.development_plan import _Person


def development_events(
    ctx: ServiceContext,
    steps: list[DevelopmentStep],
    talks: list[ApplicationTalk],
    activist_reviews: list[ActivistReview],
    political_reviews: list[PoliticalReview],
    extensions: list[ProbationExtension],
) -> None:
    for step in steps:
        ctx.record(
            step.member,
            verb="development_step",
            at=step.created_at,
            actor=step.created_by,
            from_state=step.from_category,
            to_state=step.to_category,
            note=step.note,
            data={"on": step.on.isoformat(), "warnings": step.warnings, "sponsors": step.sponsors},
        )
    if not ctx.scale.detailed_events:
        return
    for talk in talks:
        data = {"on": talk.talked_on.isoformat(), "talker": talk.talker, "warnings": talk.warnings}
        ctx.record(
            talk.member, verb="application_talk", at=talk.created_at, actor=talk.created_by, note=talk.note, data=data
        )
    for review in activist_reviews:
        data = {"on": review.reviewed_on.isoformat(), "reviewer": review.reviewer}
        ctx.record(
            review.member,
            verb="activist_reviewed",
            at=review.created_at,
            actor=review.created_by,
            note=review.note,
            data=data,
        )
    for political in political_reviews:
        ctx.record(
            political.member,
            verb="political_review",
            at=political.created_at,
            actor=political.created_by,
            to_state=political.result,
            data={"on": political.reviewed_on.isoformat()},
        )
    for extension in extensions:
        data = {"on": extension.decided_on.isoformat(), "months": extension.months}
        data["approved_by"] = extension.approved_by
        ctx.record(
            extension.member,
            verb="probation_extended",
            at=extension.created_at,
            actor=extension.created_by,
            note=extension.reason,
            data=data,
        )


def sworn_events(
    ctx: ServiceContext,
    ceremonies: list[OathCeremony],
    sworn: dict[tuple[int, date], tuple[OathCeremony, list[Member]]],
    ticks: list[MaterialTick],
) -> None:
    if not ctx.scale.detailed_events:
        return
    for ceremony in ceremonies:
        for member in sworn[(ceremony.organization_id, ceremony.held_on)][1]:
            data = {"on": ceremony.held_on.isoformat()}
            ctx.record(member, verb="sworn_in", at=ceremony.created_at, actor=ceremony.created_by, data=data)
    for tick in ticks:
        data = {"step": tick.step, "item": tick.item}
        ctx.record(tick.member, verb="material_ticked", at=tick.ticked_at, actor=tick.ticked_by, data=data)


def ledger_save(dev: "_Development", people: "list[_Person]") -> None:
    ctx, stamps = dev.ctx, dev.stamps
    at = {k: min(ctx.at(v, 15), ctx.now) for k, v in stamps.items()}
    ApplicationTalk.objects.bulk_create(dev.talks, batch_size=BATCH)
    ActivistReview.objects.bulk_create(dev.activist_reviews, batch_size=BATCH)
    PoliticalReview.objects.bulk_create(dev.political_reviews, batch_size=BATCH)
    ProbationExtension.objects.bulk_create(dev.extensions, batch_size=BATCH)
    TrainingClass.objects.bulk_create(dev.classes, batch_size=BATCH)
    # Rows made before their class or course was saved take its key now (Django reads it on save).
    TrainingCourse.objects.bulk_create([c for k in dev.classes for c in dev.courses[id(k)]], batch_size=BATCH)
    TrainingAttendance.objects.bulk_create(dev.attendances, batch_size=BATCH)
    TrainingScore.objects.bulk_create(dev.scores, batch_size=BATCH)
    dev.warn({p.member.pk: p for p in people})
    DevelopmentStep.objects.bulk_create(dev.steps, batch_size=BATCH)
    ceremonies = [c for c, _m in dev.ceremonies.values()]
    OathCeremony.objects.bulk_create(ceremonies, batch_size=BATCH)
    through = OathCeremony.members.through
    through.objects.bulk_create(
        [through(oathceremony_id=c.pk, member_id=m.pk) for c, sworn in dev.ceremonies.values() for m in sworn],
        batch_size=BATCH,
    )
    MaterialTick.objects.bulk_create(dev.ticks, batch_size=BATCH)
    for rows in (dev.talks, dev.activist_reviews, dev.political_reviews, dev.extensions):
        stamp(rows, at)
    stamp(dev.classes, at)
    stamp(dev.steps, at)
    stamp(ceremonies, at)
    stamp(dev.ticks, at, "ticked_at")
    development_events(dev.ctx, dev.steps, dev.talks, dev.activist_reviews, dev.political_reviews, dev.extensions)
    sworn_events(dev.ctx, ceremonies, dev.ceremonies, dev.ticks)
