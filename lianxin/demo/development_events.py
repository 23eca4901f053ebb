"""Entering the demo's development ledger: each member followed is put back on the roster as they
stood the day they applied, then every entry is made through the members app's services in the
order it happened, with the clock set back to its day. The services check each step against the
rules, keep the warnings those find, and write the rows and the timeline."""

from datetime import date
from typing import TYPE_CHECKING

from lianxin.demo.context import ServiceContext
from lianxin.demo.development_plan import Entry
from lianxin.members.models import Member

if TYPE_CHECKING:
    from lianxin.demo.development_plan import _Person

# The dates that the pipeline's steps set, in their order (development_advance sets them again).
STEP_DATES = ("activist_on", "candidate_on", "joined_on", "full_on")


def applied(people: "list[_Person]") -> None:
    """The roster rows of the members followed as they stood when they applied: the base rows are
    written in bulk with where each member stands today, the steps since are the services' to take."""
    members = [p.member for p in people]
    for member in members:
        member.category = Member.Category.APPLICANT
        for name in STEP_DATES:
            setattr(member, name, None)
    Member.objects.bulk_update(members, ["category", *STEP_DATES], batch_size=2000)


def in_time(people: "list[_Person]") -> None:
    """A record a step needs (the talk, the half-yearly reviews, the political review) is entered no
    later than the step it serves, as the branch would have done."""
    for person in people:
        for step, entries in person.before.items():
            if step in person.steps:
                for entry in entries:
                    entry.day = min(entry.day, person.steps[step].day)


def ledger_replay(ctx: ServiceContext, entries: list[Entry], people: "list[_Person]") -> None:
    applied(people)
    in_time(people)
    order = sorted(range(len(entries)), key=lambda n: (entries[n].day, entries[n].rank, n))
    hour: dict[date, int] = {}
    for n in order:
        entry = entries[n]
        # Entered in the afternoon, a minute apart, so the timeline keeps the order they were made in.
        minute = hour.setdefault(entry.day, 0)
        hour[entry.day] = minute + 1
        moment = min(ctx.at(entry.day, 14 + minute // 60 % 8, minute % 60), ctx.now)
        with ctx.happen(moment):
            entry.run()
