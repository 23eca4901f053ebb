"""Member development in the demo city: the ledger a branch keeps of its applicants, activists,
development candidates and probationary members, and of the full members who joined lately.

Every dated record fits the member's roster dates and 发展党员工作细则 (docs/domain-rules.md §1): the talk
within a month of applying (a few late, a few applicants still waiting), half-yearly reviews of
activists (some overdue), a political review for development candidates, a yearly training class
run by each district-level committee (six courses of four class hours, a test most pass), each step
with its people, publicity, branch congress vote and the approval of the Party committee above, the
materials ticked, oath ceremonies (on the 28th in the branch, or the collective "七一" ceremony of
the Party committee, seed 000) and a couple of extended probations. The warnings kept on steps and
talks are what the rule functions of members.rules_development find, as the services keep them.
Rows are written in bulk; only the step checks read the database, a query or two per step.
"""

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from lianxin.demo.builder import SECRETARY_BRANCH
from lianxin.demo.development_events import ledger_save
from lianxin.demo.development_plan import (
    COMMITTEE_KINDS,
    COURSE_HOURS,
    COURSES,
    DEVELOPMENT_SCALES,
    EXTENSION_REASONS,
    FAILED,
    PASS_MARK,
    PASSED,
    POLITICAL_NOTES,
    RECENT_FULL_DAYS,
    REVIEW_NOTES,
    DevelopmentScale,
    _Person,
    as_of,
)
from lianxin.demo.services import ServiceContext
from lianxin.demo.tree import OrgNode
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
from lianxin.members.rules.development import MATERIALS, step_check, talk_is_late, talk_late_warning
from lianxin.members.rules.roster import add_months
from lianxin.organizations.models import Organization

Category = Member.Category
Kind = Organization.Kind


class _Development:
    def __init__(self, ctx: ServiceContext, scale: DevelopmentScale) -> None:
        self.ctx = ctx
        self.scale = scale
        self.talks: list[ApplicationTalk] = []
        self.activist_reviews: list[ActivistReview] = []
        self.political_reviews: list[PoliticalReview] = []
        self.extensions: list[ProbationExtension] = []
        self.classes: list[TrainingClass] = []
        self.courses: dict[int, list[TrainingCourse]] = {}  # id(class) -> its courses
        self.attendances: list[TrainingAttendance] = []
        self.scores: list[TrainingScore] = []
        self.steps: list[DevelopmentStep] = []
        self.ticks: list[MaterialTick] = []
        self.ceremonies: dict[tuple[int, date], tuple[OathCeremony, list[Member]]] = {}
        self.stamps: dict[int, date] = {}  # id(row) -> the day it was entered

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

    def entered(self, row: object, on: date, low: int = 0, high: int = 3) -> None:
        self.stamps[id(row)] = min(on + timedelta(days=self.ctx.rng.randint(low, high)), self.ctx.today)

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
        talk = ApplicationTalk(
            member=member,
            talked_on=talked_on,
            talker=self.secretary_name(person),
            note="了解入党动机和对党的认识，介绍入党条件和程序。",
            warnings=[talk_late_warning()] if talk_is_late(member.applied_on, talked_on) else [],
            created_by=person.actor,
        )
        person.talk = talk
        self.talks.append(talk)
        self.entered(talk, talked_on)

    def review_activist(self, person: _Person) -> None:
        rng, member = self.ctx.rng, person.member
        if member.activist_on is None:
            return
        until = member.candidate_on or self.ctx.today
        stops = member.category == Category.ACTIVIST and rng.random() < self.scale.unreviewed
        reviewed_on = member.activist_on + timedelta(days=rng.randint(150, 180))
        while reviewed_on <= until:
            if stops and person.reviews:
                break
            if member.category != Category.ACTIVIST and person.reviews and rng.random() < 0.06:
                break  # the year as activist is covered by one review only: a warning at the next step
            review = ActivistReview(
                member=member,
                reviewed_on=reviewed_on,
                reviewer=self.secretary_name(person),
                note=rng.choice(REVIEW_NOTES),
                created_by=person.actor,
            )
            person.reviews.append(review)
            self.activist_reviews.append(review)
            self.entered(review, reviewed_on)
            reviewed_on += timedelta(days=rng.randint(170, 182))

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
        review = PoliticalReview(
            member=member,
            result=result,
            reviewed_on=reviewed_on,
            reviewer=person.committee.name,
            note=POLITICAL_NOTES[result],
            created_by=person.actor,
        )
        person.passed_review = result == PASSED
        self.political_reviews.append(review)
        self.entered(review, reviewed_on)

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
            held: list[TrainingClass] = []
            for year in range(first.year, today.year + 1):
                starts = date(year, month, rng.randint(8, 20))
                if starts + timedelta(days=3) >= today:
                    continue
                held.append(self.training_class(school, starts))
            for person in learners:
                self.attend(person, held)

    def training_class(self, school: Organization, starts: date) -> TrainingClass:
        klass = TrainingClass(
            organization=school,
            name=f"{school.short_name or school.name}{starts.year}年入党积极分子和发展对象培训班",
            starts_on=starts,
            ends_on=starts + timedelta(days=2),
        )
        self.classes.append(klass)
        self.entered(klass, starts - timedelta(days=20))
        self.courses[id(klass)] = [
            TrainingCourse(
                training_class=klass, title=title, held_on=starts + timedelta(days=i // 2), hours=COURSE_HOURS
            )
            for i, title in enumerate(COURSES)
        ]
        return klass

    def attend(self, person: _Person, held: list[TrainingClass]) -> None:
        rng, member = self.ctx.rng, person.member
        assert member.activist_on is not None
        until = member.joined_on or self.ctx.today
        joined = member.joined_on is not None
        for klass in held:
            if not (member.activist_on <= klass.starts_on and klass.ends_on < until):
                continue
            courses = self.courses[id(klass)]
            if not joined and rng.random() < self.scale.missed_course:
                courses = [c for c in courses if c is not courses[rng.randrange(len(courses))]]
            for course in courses:
                self.attendances.append(TrainingAttendance(course=course, member=member))
            failed = not joined and not person.passed_test and rng.random() < self.scale.failed_test
            score = rng.randint(42, PASS_MARK - 1) if failed else rng.randint(PASS_MARK + 8, 98)
            self.scores.append(TrainingScore(training_class=klass, member=member, score=score, passed=not failed))
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
                Category.APPLICANT,
                Category.ACTIVIST,
                member.activist_on,
                talker=person.talk.talker if person.talk else "",
                contacts=contacts,
                note="经党员推荐、支委会研究，确定为入党积极分子，报上级党委备案。",
            )
        if member.candidate_on is not None:
            publicity_from, publicity_to = self.publicity(member.candidate_on)
            self.step(
                person,
                Category.ACTIVIST,
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
                Category.CANDIDATE,
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
                Category.PROBATIONARY,
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

    def step(self, person: _Person, from_category: str, to: str, on: date, **details: Any) -> None:
        step = DevelopmentStep(
            member=person.member,
            from_category=from_category,
            to_category=to,
            on=on,
            created_by=person.actor,
            **details,
        )
        self.steps.append(step)
        self.entered(step, step.approved_on or on)

    def warn(self, people: dict[int, _Person]) -> None:
        """The warnings each step would have shown when it was recorded: step_check on the member as
        they stood then, with the talks, reviews and training already written."""
        for step in self.steps:
            person = people[step.member_id]
            step.warnings = step_check(
                member=as_of(person.member, step.from_category, person.talk),
                to=step.to_category,
                on=step.on,
                today=self.ctx.today,
                sponsors=step.sponsors,
                publicity_from=step.publicity_from,
                publicity_to=step.publicity_to,
                votes_for=step.votes_for,
                voters_entitled=step.voters_entitled,
                approved_by=step.approved_by,
                approved_on=step.approved_on,
            ).warnings

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
            ceremony = OathCeremony(organization=org, held_on=held_on, place=place, created_by=person.actor)
            self.ceremonies[key] = (ceremony, [])
            self.entered(ceremony, held_on)
        self.ceremonies[key][1].append(person.member)
        person.sworn = True

    def extension(self, person: _Person) -> None:
        rng, today, member = self.ctx.rng, self.ctx.today, person.member
        assert member.joined_on is not None
        decided_on = min(add_months(member.joined_on, 12) + timedelta(days=rng.randint(0, 20)), today)
        approved_on = min(decided_on + timedelta(days=rng.randint(10, 40)), today)
        extension = ProbationExtension(
            member=member,
            decided_on=decided_on,
            months=rng.choice((6, 6, 12)),
            reason=rng.choice(EXTENSION_REASONS),
            approved_by=person.committee.name,
            approved_on=approved_on,
            created_by=person.actor,
        )
        self.extensions.append(extension)
        self.entered(extension, approved_on)

    def materials(self, person: _Person) -> None:
        rng, member = self.ctx.rng, person.member
        done = {
            ("applicant", "talk_record"): person.talk is not None,
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
            for code, _label in items:
                if not done.get((step, code), True) or rng.random() < (0.25 if current else 0.04):
                    continue
                tick = MaterialTick(member=member, step=step, item=code, ticked_by=person.actor)
                self.ticks.append(tick)
                self.entered(tick, on, 0, 20)
            if current:
                break


def build(ctx: ServiceContext, scale: str) -> None:
    development = _Development(ctx, DEVELOPMENT_SCALES[scale])
    people = development.people()
    for person in people:
        development.talk(person)
        development.review_activist(person)
        development.political_review(person)
    development.training(people)
    for person in people:
        development.record_steps(person)
    approvals = {id(s.member): s.approved_on for s in development.steps if s.to_category == Category.PROBATIONARY}
    overdue = []
    for person in people:
        approved_on = approvals.get(id(person.member))
        if approved_on is not None:
            development.oath(person, approved_on)
        member = person.member
        ended = member.joined_on is not None and add_months(member.joined_on, 12) < ctx.today - timedelta(days=60)
        if member.category == Category.PROBATIONARY and ended:
            overdue.append(person)
    for person in ctx.rng.sample(overdue, min(development.scale.extensions, len(overdue))):
        development.extension(person)
    for person in people:
        development.materials(person)
    ledger_save(development, people)
