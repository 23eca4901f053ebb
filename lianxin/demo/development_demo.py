"""Member development in the demo city: the ledger a branch keeps of its applicants, activists,
development candidates and probationary members, and of the full members who joined lately.

Every dated record fits the member's roster dates and 发展党员工作细则 (docs/domain-rules.md §1): the talk
within a month of applying (a few late, a few applicants still waiting), half-yearly reviews of
activists (some overdue), a political review for development candidates, a yearly training class
run by each district-level committee (six courses of four class hours, a test most pass), each step
with its people, publicity, branch congress vote and the approval of the Party committee above, the
materials ticked, oath ceremonies (on the 28th in the branch, or the collective "七一" ceremony of
the Party committee, seed 000) and a couple of extended probations.

The story is planned first, then entered through the members app's services in the order it
happened, each entry with the clock set back to its day (development_events.ledger_replay): the
services check every step, keep the warnings the rules find and write the timeline.
"""

from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from typing import Unpack

from lianxin.demo.context import ServiceContext
from lianxin.demo.development_events import ledger_replay
from lianxin.demo.development_plan import (
    COMMITTEE_KINDS,
    COURSES,
    DEVELOPMENT_SCALES,
    EXTENSION_REASONS,
    FAILED,
    PASS_MARK,
    PASSED,
    POLITICAL_NOTES,
    RANK_AFTER,
    RANK_RECORD,
    RANK_STEP,
    RANK_TRAINING,
    RECENT_FULL_DAYS,
    REVIEW_NOTES,
    DevelopmentScale,
    Entry,
    _Class,
    _full_years,
    _Person,
)
from lianxin.demo.places import SECRETARY_BRANCH
from lianxin.demo.tree import OrgNode
from lianxin.members.models import Member
from lianxin.members.rules.development import MATERIALS
from lianxin.members.rules.roster import add_months
from lianxin.members.services.development import (
    StepEntry,
    activist_review_record,
    application_talk_record,
    development_advance,
    material_tick,
    oath_ceremony_record,
    political_review_record,
    probation_extend,
    training_attendance_record,
    training_score_record,
)
from lianxin.organizations.models import Organization

Category = Member.Category
Kind = Organization.Kind


class _Development:
    def __init__(self, ctx: ServiceContext, scale: DevelopmentScale) -> None:
        self.ctx = ctx
        self.scale = scale
        self.entries: list[Entry] = []
        self.ceremonies: dict[tuple[int, date], list[Member]] = {}

    # ------------------------------------------------------------------ who

    def people(self) -> list[_Person]:
        ctx, today = self.ctx, self.ctx.today
        parent: dict[int, OrgNode] = {}
        for node in ctx.nodes:
            for child in node.children:
                assert isinstance(child, OrgNode)
                parent[id(child)] = node
        recent = today - timedelta(days=RECENT_FULL_DAYS)
        found: list[_Person] = []
        for node in ctx.nodes:
            org = node.obj
            if org.kind not in Organization.BRANCH_KINDS or not node.members:
                continue
            kept = self.scale.branch_share >= 1 or org.short_name == f"{SECRETARY_BRANCH}党支部"
            if not kept and ctx.rng.random() >= self.scale.branch_share:
                continue
            ancestors: list[OrgNode] = []
            up = parent.get(id(node))
            while up is not None:
                ancestors.append(up)
                up = parent.get(id(up))
            committee = next((a.obj for a in ancestors if a.obj.kind in COMMITTEE_KINDS), ancestors[-1].obj)
            school = ancestors[-2].obj if len(ancestors) >= 2 else committee
            full = [m for m in node.members if m.category == Category.FULL]
            actor = ctx.secretary_user(org) or ctx.admin_over(org)
            for member in node.members:
                in_pipeline = member.category in (
                    Category.APPLICANT,
                    Category.ACTIVIST,
                    Category.CANDIDATE,
                    Category.PROBATIONARY,
                )
                lately_full = (
                    member.category == Category.FULL
                    and member.full_on is not None
                    and member.full_on >= recent
                    and member.candidate_on is not None
                )
                if in_pipeline or lately_full:
                    _full_years(member)
                    others = [m for m in full if m.pk != member.pk]
                    found.append(_Person(member, org, committee, school, others, actor))
        return found

    def names(self, person: _Person, count: int) -> str:
        pool = person.full_members
        chosen = self.ctx.rng.sample(pool, min(count, len(pool)))
        names = [m.name for m in chosen] + [self.ctx.person_name() for _n in range(count - len(chosen))]
        return "、".join(names)

    def secretary_name(self, person: _Person) -> str:
        secretary = person.branch.secretary
        return secretary.name if secretary is not None else self.ctx.person_name()

    def enter(self, on: date, rank: int, run: Callable[[], object], low: int = 0, high: int = 3) -> Entry:
        """An entry made `low` to `high` days after `on` (never after today)."""
        day = min(on + timedelta(days=self.ctx.rng.randint(low, high)), self.ctx.today)
        entry = Entry(day, rank, run)
        self.entries.append(entry)
        return entry

    def before(self, person: _Person, step: str, entry: Entry) -> None:
        """`entry` is made no later than the step to `step` is recorded."""
        person.before.setdefault(step, []).append(entry)

    # ------------------------------------------------------------------ records

    def talk(self, person: _Person) -> None:
        rng, today, member = self.ctx.rng, self.ctx.today, person.member
        assert member.applied_on is not None
        if member.category == Category.APPLICANT and rng.random() < self.scale.no_talk:
            return
        if rng.random() < self.scale.late_talk:
            talked_on = member.applied_on + timedelta(days=rng.randint(35, 60))
        else:
            talked_on = member.applied_on + timedelta(days=rng.randint(5, 27))
        if talked_on > today:
            return  # applied lately: the talk is still to come
        person.talker = talker = self.secretary_name(person)
        note = "了解入党动机和对党的认识，介绍入党条件和程序。"

        def run() -> object:
            return application_talk_record(
                member=member, actor=person.actor, talked_on=talked_on, talker=talker, note=note
            )

        self.before(person, Category.ACTIVIST, self.enter(talked_on, RANK_RECORD, run))

    def review_activist(self, person: _Person) -> None:
        rng, member = self.ctx.rng, person.member
        if member.activist_on is None:
            return
        until = member.candidate_on or self.ctx.today
        stops = member.category == Category.ACTIVIST and rng.random() < self.scale.unreviewed
        reviewed_on = member.activist_on + timedelta(days=rng.randint(150, 180))
        while reviewed_on <= until:
            if stops and person.reviewed:
                break
            if member.category != Category.ACTIVIST and person.reviewed and rng.random() < 0.06:
                break  # the year as activist is covered by one review only: a warning at the next step
            self.before(person, Category.CANDIDATE, self.review(person, reviewed_on, rng.choice(REVIEW_NOTES)))
            person.reviewed += 1
            reviewed_on += timedelta(days=rng.randint(170, 182))

    def review(self, person: _Person, reviewed_on: date, note: str) -> Entry:
        reviewer = self.secretary_name(person)

        def run() -> object:
            return activist_review_record(
                member=person.member, actor=person.actor, reviewed_on=reviewed_on, reviewer=reviewer, note=note
            )

        return self.enter(reviewed_on, RANK_RECORD, run)

    def political_review(self, person: _Person) -> None:
        rng, today, member = self.ctx.rng, self.ctx.today, person.member
        if member.candidate_on is None:
            return
        if member.joined_on is not None:
            span = (member.joined_on - member.candidate_on).days
            reviewed_on = member.candidate_on + timedelta(days=rng.randint(min(20, span // 2), max(span - 15, 20)))
            result = PASSED
        else:
            reviewed_on = member.candidate_on + timedelta(days=rng.randint(20, 90))
            if reviewed_on > today:
                return  # the review is still under way
            result = FAILED if rng.random() < self.scale.failed_review else PASSED
        person.passed_review = result == PASSED

        def run() -> object:
            return political_review_record(
                member=member,
                actor=person.actor,
                result=result,
                reviewed_on=reviewed_on,
                reviewer=person.committee.name,
                note=POLITICAL_NOTES[result],
            )

        self.before(person, Category.PROBATIONARY, self.enter(reviewed_on, RANK_RECORD, run))

    # ------------------------------------------------------------------ training

    def training(self, people: list[_Person]) -> None:
        """A class a year by each district-level organization; each activist attends the first held
        after becoming one and before joining, and a second if they failed the first test."""
        rng, today = self.ctx.rng, self.ctx.today
        by_school: dict[int, list[_Person]] = defaultdict(list)
        schools: dict[int, Organization] = {}
        for person in people:
            if person.member.activist_on is not None:
                by_school[person.school.pk].append(person)
                schools[person.school.pk] = person.school
        for pk in sorted(by_school):
            school, learners = schools[pk], by_school[pk]
            first = min(p.member.activist_on for p in learners if p.member.activist_on)
            # The same month every year, so at most a year and a fortnight lies between two classes:
            # anyone who spent more than that as activist and candidate had a class to attend.
            month = rng.choice((4, 5, 9, 10))
            held: list[_Class] = []
            for year in range(first.year, today.year + 1):
                starts = date(year, month, rng.randint(8, 20))
                if starts + timedelta(days=3) >= today:
                    continue
                held.append(_Class(school, starts))
            for person in learners:
                self.attend(person, held)
            for klass in held:
                self.hold(klass)

    def hold(self, klass: _Class) -> None:
        """The class is set up three weeks ahead; attendance and scores are entered after it."""
        ctx = self.ctx
        actor = ctx.secretary_user(klass.school) or ctx.admin_over(klass.school)
        self.enter(klass.starts - timedelta(days=20), RANK_TRAINING, klass.create)

        def results() -> None:
            for course, members in zip(klass.courses, klass.attendees, strict=True):
                if members:
                    training_attendance_record(course=course, members=members, actor=actor)
            assert klass.row is not None
            for member, score in klass.scores:
                training_score_record(training_class=klass.row, member=member, score=score, pass_mark=PASS_MARK)

        self.enter(klass.ends, RANK_TRAINING, results)

    def attend(self, person: _Person, held: list[_Class]) -> None:
        rng, member = self.ctx.rng, person.member
        assert member.activist_on is not None
        until = member.joined_on or self.ctx.today
        joined = member.joined_on is not None
        for klass in held:
            if not (member.activist_on <= klass.starts and klass.ends < until):
                continue
            courses = list(range(len(COURSES)))
            if not joined and rng.random() < self.scale.missed_course:
                courses.remove(rng.randrange(len(COURSES)))
            for index in courses:
                klass.attendees[index].append(member)
            failed = not joined and not person.passed_test and rng.random() < self.scale.failed_test
            score = rng.randint(42, PASS_MARK - 1) if failed else rng.randint(PASS_MARK + 8, 98)
            klass.scores.append((member, score))
            person.passed_test = person.passed_test or not failed
            if person.passed_test:
                return

    # ------------------------------------------------------------------ steps

    def publicity(self, on: date) -> tuple[date, date]:
        rng = self.ctx.rng
        ends = on - timedelta(days=rng.randint(1, 6))
        length = rng.randint(1, 3) if rng.random() < self.scale.short_publicity else rng.randint(7, 10)
        return ends - timedelta(days=length - 1), ends

    def approval(self, on: date) -> date:
        rng = self.ctx.rng
        late = rng.random() < self.scale.late_approval
        approved = on + timedelta(days=rng.randint(95, 130) if late else rng.randint(12, 70))
        return min(approved, self.ctx.today)

    def record_steps(self, person: _Person) -> None:
        rng, member = self.ctx.rng, person.member
        contacts = self.names(person, rng.choice((1, 2, 2)))
        if member.activist_on is not None:
            self.step(
                person,
                Category.ACTIVIST,
                member.activist_on,
                talker=person.talker,
                contacts=contacts,
                note="经党员推荐、支委会研究，确定为入党积极分子，报上级党委备案。",
            )
        if member.candidate_on is not None:
            publicity_from, publicity_to = self.publicity(member.candidate_on)
            self.step(
                person,
                Category.CANDIDATE,
                member.candidate_on,
                contacts=contacts,
                publicity_from=publicity_from,
                publicity_to=publicity_to,
                note="听取党小组、培养联系人和党员群众意见，支委会研究确定为发展对象，报上级党委备案。",
            )
        entitled = max(3, len(person.full_members))
        if member.joined_on is not None:
            publicity_from, publicity_to = self.publicity(member.joined_on)
            votes = max(entitled - rng.randint(0, max(1, entitled // 6)), entitled // 2 + 1)
            self.step(
                person,
                Category.PROBATIONARY,
                member.joined_on,
                talker=f"{self.ctx.person_name()}（{person.committee.short_name}组织委员）",
                sponsors=self.names(person, 1 if rng.random() < self.scale.one_sponsor else 2),
                publicity_from=publicity_from,
                publicity_to=publicity_to,
                votes_for=votes,
                voters_entitled=entitled,
                approved_by=person.committee.name,
                approved_on=self.approval(member.joined_on),
                note="支部党员大会讨论，同意接收为预备党员。",
            )
        if member.category == Category.FULL:
            assert member.full_on is not None
            publicity_from, publicity_to = self.publicity(member.full_on)
            self.step(
                person,
                Category.FULL,
                member.full_on,
                publicity_from=publicity_from,
                publicity_to=publicity_to,
                votes_for=max(entitled - rng.randint(0, max(1, entitled // 6)), entitled // 2 + 1),
                voters_entitled=entitled,
                approved_by=person.committee.name,
                approved_on=self.approval(member.full_on),
                note="预备期满，支部党员大会讨论同意按期转为正式党员。",
            )

    def step(self, person: _Person, to: str, on: date, **facts: Unpack[StepEntry]) -> None:
        """The step is recorded when the Party committee above approved it, or on its day."""
        member = person.member

        def run() -> object:
            member.refresh_from_db()  # as the page that records it reads the member
            return development_advance(member=member, actor=person.actor, to=to, on=on, **facts)

        approved_on = facts.get("approved_on")
        person.steps[to] = self.enter(approved_on or on, RANK_STEP, run)
        if to == Category.PROBATIONARY:
            person.approved_on = approved_on

    # ------------------------------------------------------------------ after joining

    def oath(self, person: _Person, approved_on: date) -> None:
        """On the first 28th (the theme Party day) after approval in the branch; a June ceremony is the
        Party committee's collective one before 1 July (seed 000)."""
        held_on = approved_on + timedelta(days=3)
        if held_on.day > 28:
            held_on = add_months(held_on.replace(day=1), 1)
        held_on = held_on.replace(day=28)
        if held_on > self.ctx.today:
            return
        org = person.committee if held_on.month == 6 else person.branch
        key = (org.pk, held_on)
        if key not in self.ceremonies:
            if org is person.branch:
                place = f"{org.short_name or org.name}党员活动室"
            elif org.name.endswith("直属机关工作委员会"):
                place = "西山革命烈士陵园"
            else:
                place = f"{org.area.name}党群服务中心"
            sworn: list[Member] = []
            self.ceremonies[key] = sworn
            actor = person.actor

            def run() -> object:
                return oath_ceremony_record(organization=org, actor=actor, held_on=held_on, place=place, members=sworn)

            self.enter(held_on, RANK_AFTER, run)
        self.ceremonies[key].append(person.member)
        person.sworn = True

    def extension(self, person: _Person) -> None:
        rng, today, member = self.ctx.rng, self.ctx.today, person.member
        assert member.joined_on is not None
        decided_on = min(add_months(member.joined_on, 12) + timedelta(days=rng.randint(0, 20)), today)
        approved_on = min(decided_on + timedelta(days=rng.randint(10, 40)), today)
        months, reason = rng.choice((6, 6, 12)), rng.choice(EXTENSION_REASONS)

        def run() -> object:
            return probation_extend(
                member=member,
                actor=person.actor,
                decided_on=decided_on,
                months=months,
                reason=reason,
                approved_by=person.committee.name,
                approved_on=approved_on,
            )

        self.enter(approved_on, RANK_AFTER, run)

    def materials(self, person: _Person) -> None:
        rng, member = self.ctx.rng, person.member
        done = {
            ("applicant", "talk_record"): bool(person.talker),
            ("candidate", "political_review"): person.passed_review,
            ("candidate", "training_certificate"): person.passed_test,
            ("probationary", "oath"): person.sworn,
        }
        dates: dict[str, date | None] = {
            Category.APPLICANT: member.applied_on,
            Category.ACTIVIST: member.activist_on,
            Category.CANDIDATE: member.candidate_on,
            Category.PROBATIONARY: member.joined_on,
            Category.FULL: member.full_on,
        }
        for step, items in MATERIALS.items():
            on = dates[step]
            assert on is not None
            current = step == member.category
            for index, (code, _label) in enumerate(items):
                # The first item (the application, the recommendation...) is what the step starts from.
                if not done.get((step, code), True) or (index and rng.random() < (0.25 if current else 0.04)):
                    continue
                self.tick(person, step, code, on)
            if current:
                break

    def tick(self, person: _Person, step: str, item: str, on: date) -> None:
        def run() -> object:
            return material_tick(member=person.member, actor=person.actor, step=step, item=item)

        self.enter(on, RANK_AFTER, run, 0, 20)


def build(ctx: ServiceContext, scale: str) -> None:
    development = _Development(ctx, DEVELOPMENT_SCALES[scale])
    people = development.people()
    for person in people:
        development.talk(person)
        development.review_activist(person)
        development.political_review(person)
    development.training(people)
    overdue = []
    for person in people:
        development.record_steps(person)
        if person.approved_on is not None:
            development.oath(person, person.approved_on)
        member = person.member
        ended = member.joined_on is not None and add_months(member.joined_on, 12) < ctx.today - timedelta(days=60)
        if member.category == Category.PROBATIONARY and ended:
            overdue.append(person)
    for person in ctx.rng.sample(overdue, min(development.scale.extensions, len(overdue))):
        development.extension(person)
    for person in people:
        development.materials(person)
    ledger_replay(ctx, development.entries, people)
