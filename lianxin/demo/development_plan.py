"""What the demo's development ledger is made of: its scales, the courses and notes, the members
it follows and the entries made for them, each on its day."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from lianxin.accounts.models import User
from lianxin.members.models import Member
from lianxin.members.models.development import PoliticalReview, TrainingClass, TrainingCourse
from lianxin.members.rules.roster import add_months
from lianxin.members.services.development import training_class_create, training_course_add
from lianxin.organizations.models import Organization

Category = Member.Category
Kind = Organization.Kind
PASSED, FAILED = PoliticalReview.Result.PASSED, PoliticalReview.Result.FAILED

RECENT_FULL_DAYS = 730  # full members who became full within two years keep their ledger
COMMITTEE_KINDS = (Kind.COMMITTEE, Kind.WORKING_COMMITTEE)
COURSES = (
    "党的基本理论和基本知识",
    "学习《中国共产党章程》",
    "习近平新时代中国特色社会主义思想",
    "党的光荣传统和优良作风",
    "端正入党动机 争做合格党员",
    "党的纪律和规矩",
)
COURSE_HOURS = Decimal("4.0")  # six courses: the 24 class hours of 发展党员工作细则 第17条
PASS_MARK = 60
REVIEW_NOTES = (
    "思想上积极要求进步，能按时参加党组织活动，培养考察情况良好。",
    "工作认真负责，在社区志愿服务中表现突出。",
    "能主动向党组织汇报思想，学习党的理论较为自觉，需进一步加强理论学习。",
    "群众基础较好，积极参加党员公益日活动。",
)
EXTENSION_REASONS = (
    "预备期内参加组织生活不够经常，需继续教育考察。",
    "对党的基本知识学习不够深入，群众反映尚有差距，需继续考察。",
)
POLITICAL_NOTES = {
    PASSED: "经函调和本人档案审查，政治审查合格。",
    FAILED: "主要社会关系情况尚待核实，政治审查暂不通过。",
}


@dataclass(frozen=True)
class DevelopmentScale:
    branch_share: float  # branches whose development ledger is in the demo
    no_talk: float  # applicants with no talk recorded
    late_talk: float
    unreviewed: float  # activists whose reviews stopped: the half-yearly review is overdue
    failed_review: float  # development candidates whose political review did not pass
    failed_test: float  # activists and candidates who failed the class test
    missed_course: float  # activists and candidates who missed a course of their class
    late_approval: float
    short_publicity: float
    one_sponsor: float
    extensions: int


DEVELOPMENT_SCALES = {
    "small": DevelopmentScale(1.0, 0.12, 0.06, 0.2, 0.08, 0.08, 0.1, 0.05, 0.05, 0.05, extensions=2),
    # Each step is checked by the rule functions, a query or three apiece: at city scale a fifth of
    # the branches (and always the demo secretary's) keep a ledger.
    "city": DevelopmentScale(0.2, 0.08, 0.05, 0.15, 0.04, 0.05, 0.08, 0.04, 0.04, 0.04, extensions=20),
}


# The order of entries made on the same day: a record a step needs comes before the step, a
# ceremony of the newly admitted after their admission.
RANK_TRAINING, RANK_RECORD, RANK_STEP, RANK_AFTER = 0, 1, 2, 3


@dataclass
class Entry:
    """One entry in the ledger: a service call made by someone on `day`."""

    day: date
    rank: int
    run: Callable[[], object]


@dataclass
class _Person:
    """A member in or lately through the pipeline, with the organizations that act on them."""

    member: Member
    branch: Organization
    committee: Organization  # the Party committee above: approves, concludes the political review
    school: Organization  # the district-level organization whose training class they attend
    full_members: list[Member]  # the branch's full members: contacts, sponsors, voters
    actor: User
    talker: str = ""  # who held the talk with the applicant, when there was one
    reviewed: int = 0  # half-yearly reviews as activist
    passed_review: bool = False
    passed_test: bool = False
    sworn: bool = False
    approved_on: date | None = None  # the Party committee's approval of the admission
    # Entries that must be made before a step is recorded (the talk before the activist step...),
    # and the step entries, by the category they reach.
    before: dict[str, list[Entry]] = field(default_factory=dict)
    steps: dict[str, Entry] = field(default_factory=dict)


def _full_years(member: Member) -> None:
    """A year as activist before becoming a candidate, and a year's probation, counted in months as
    the rules count them: where the roster's 365 days fall a day short across a 29 February, the
    earlier step is taken a day earlier."""
    while member.activist_on and member.candidate_on and member.candidate_on < add_months(member.activist_on, 12):
        member.activist_on -= timedelta(days=1)
    while member.joined_on and member.full_on and member.full_on < add_months(member.joined_on, 12):
        member.joined_on -= timedelta(days=1)


class _Class:
    """A training class as planned: its six courses, who attended each, and the test scores."""

    def __init__(self, school: Organization, starts: date) -> None:
        self.school = school
        self.starts = starts
        self.ends = starts + timedelta(days=2)
        self.attendees: list[list[Member]] = [[] for _title in COURSES]
        self.scores: list[tuple[Member, int]] = []
        self.row: TrainingClass | None = None
        self.courses: list[TrainingCourse] = []

    def create(self) -> None:
        name = f"{self.school.short_name or self.school.name}{self.starts.year}年入党积极分子和发展对象培训班"
        self.row = training_class_create(organization=self.school, name=name, starts_on=self.starts, ends_on=self.ends)
        self.courses = [
            training_course_add(
                training_class=self.row, title=title, held_on=self.starts + timedelta(days=i // 2), hours=COURSE_HOURS
            )
            for i, title in enumerate(COURSES)
        ]
