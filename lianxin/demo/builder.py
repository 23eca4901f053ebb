"""Build the demo city in one transaction: areas, organizations, members, transfers,
timeline events, service centres, the demo accounts, then the service work (services.py).

Trees and members are bulk-inserted, so the city scale (about 90,000 members in about
3,750 branches) takes minutes, not hours. Every member is checked with the same
`member_data_clean` that forms and imports use, so the demo never shows data the
product itself would refuse.
"""

import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from lianxin.accounts.models import RoleAssignment, User
from lianxin.accounts.services import role_assign, user_create
from lianxin.core.models import Event
from lianxin.core.tallies import tallies_refresh
from lianxin.core.timeline import check_verb
from lianxin.demo.notice_demo import notices_build
from lianxin.demo.people import PeopleFactory
from lianxin.demo.places import DISTRICTS, SECRETARY_BRANCH
from lianxin.demo.plan import Planner
from lianxin.demo.scales import SCALES, Scale
from lianxin.demo.service_centers import service_centers_build
from lianxin.demo.services import service_demo_build
from lianxin.demo.tree import OrgNode, assign_paths
from lianxin.members.models import Member, Transfer, whole_years_between
from lianxin.members.services.roster import member_apply, member_data_clean
from lianxin.notifications.services import notifications_inline
from lianxin.organizations.models import Area, CommitteeSeat, Organization, ServiceCenter

DEMO_PASSWORD = "lianxin-demo"
DEFAULT_SEED = 2026
BATCH = 2000

Category = Member.Category
Kind = Organization.Kind
Role = RoleAssignment.Role

SECRETARY_POSTS = {
    Kind.BRANCH: "党支部书记",
    Kind.GENERAL_BRANCH: "党总支书记",
    Kind.JOINT_BRANCH: "联合党支部书记",
    Kind.TEMPORARY_BRANCH: "临时党支部书记",
    Kind.COMMITTEE: "党委书记",
    Kind.WORKING_COMMITTEE: "党工委书记",
}
# A branch with 7 or more full members has a committee of 3 to 5 (支部工作条例 第六章): beside the
# secretary, these seats in this order, each with its post written after the branch's word
# (党支部组织委员, 党总支宣传委员...). The demo seats 3, then 4 from 15 and 5 from 30 full members.
Seat = CommitteeSeat.Role
COMMITTEE_SEATS = (
    (Seat.ORGANIZATION, "组织委员"),
    (Seat.PROPAGANDA, "宣传委员"),
    (Seat.DISCIPLINE, "纪检委员"),
    (Seat.DEPUTY_SECRETARY, "副书记"),
)
BRANCH_TERM_YEARS = 3
TRANSFER_REASONS = ("工作调动", "居住地变更", "退休后转入居住地社区", "毕业分配", "单位改制", "随迁")

# The demo accounts: (username, mobile). Mobiles let people try logging in by number.
ACCOUNT_MOBILES = {
    "secretary": "13800000001",
    "dinghai": "13800000002",
    "member": "13800000003",
    "handler": "13800000004",
    "leader": "13800000005",
    "resident": "13800000006",
}
# The secretary's branch holds at least one member at each of these steps (see _secretary_branch_pipeline).
DEVELOPMENT_CATEGORIES = (Category.APPLICANT, Category.ACTIVIST, Category.CANDIDATE, Category.PROBATIONARY)
LEADER_BRANCH = "海宇社区"
HANDLER_TOWN = "小沙街道"
ADMIN_DISTRICT = "定海区"


@dataclass
class DemoSummary:
    scale: str
    areas: int
    organizations: int
    branches: int
    groups: int
    members_by_category: dict[str, int]
    transfers: int
    events: int
    service_centers: int
    users: int
    seconds: float = 0.0
    flags: dict[str, int] = field(default_factory=dict)

    @property
    def members(self) -> int:
        return sum(self.members_by_category.values())


def demo_exists() -> bool:
    return bool(Organization.objects.exists())


@transaction.atomic
def demo_build(*, scale: str = "small", seed: int = DEFAULT_SEED, today: date | None = None) -> DemoSummary:
    """Build the demo city into an empty database; the same seed gives the same city."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; choose from {sorted(SCALES)}")
    started = time.monotonic()
    builder = _Builder(SCALES[scale], random.Random(seed), today or timezone.localdate())
    # The services raise their notifications as they go, on the clock of each record's day.
    with notifications_inline():
        builder.build()
        notices_build(today=builder.today)
    tallies_refresh(full=True)  # rows written in bulk carry no timeline event: tallies counted from all rows
    summary = demo_summary(scale)
    summary.seconds = time.monotonic() - started
    return summary


def demo_summary(scale: str = "") -> DemoSummary:
    by_category = dict(Counter(Member.objects.values_list("category", flat=True).order_by()))
    current = Member.objects.exclude(category=Category.FORMER)
    return DemoSummary(
        scale=scale,
        areas=Area.objects.count(),
        organizations=Organization.objects.count(),
        branches=Organization.objects.filter(kind__in=Organization.BRANCH_KINDS).count(),
        groups=Organization.objects.filter(kind=Kind.GROUP).count(),
        members_by_category={c: by_category.get(c, 0) for c in Category.values},
        transfers=Transfer.objects.count(),
        events=Event.objects.count(),
        service_centers=ServiceCenter.objects.count(),
        users=User.objects.count(),
        flags={
            f: current.filter(**{f: True}).count() for f in ("is_mobile", "is_abroad", "is_lost_contact", "is_at_sea")
        },
    )


def _moment(d: date) -> datetime:
    """10:00 on `d`, or the present if that is earlier (a demo built just after midnight)."""
    return min(timezone.make_aware(datetime.combine(d, clock(10, 0))), timezone.now())


class _Builder:
    def __init__(self, scale: Scale, rng: random.Random, today: date) -> None:
        self.scale = scale
        self.rng = rng
        self.today = today
        self.planner = Planner(scale=scale, rng=rng, today=today)
        # Timeline rows and the moment each happened (auto_now_add stamps them "now" on insert).
        self.events: list[tuple[Event, datetime]] = []
        self.committee_secretaries: dict[OrgNode, tuple[OrgNode, int]] = {}
        # Branch committees: (member index, role) per branch of 7 or more full members.
        self.committees: dict[OrgNode, list[tuple[int, str]]] = {}
        self.demo_member: tuple[OrgNode, int] | None = None

    def build(self) -> None:
        city = self.planner.plan_areas()
        areas = assign_paths(Area, [city])
        for area in areas:  # bulk_create skips save(), which fills the pickers' pinyin
            area.fill_pinyin()
        Area.objects.bulk_create(areas, batch_size=BATCH)
        root = self.planner.plan_orgs()
        self.nodes = list(root.org_nodes())
        self.branches = [n for n in self.nodes if n.profile is not None]
        orgs = assign_paths(Organization, [root])
        for org in orgs:
            org.fill_pinyin()
        Organization.objects.bulk_create(orgs, batch_size=BATCH)
        self.factory = self._people_factory()
        self._generate_members()
        self._secretary_branch_pipeline()
        self._choose_secretaries()
        self._choose_demo_people()
        self._save_members()
        for node in self.nodes:
            self._record(node.obj, verb="created", to_state=node.obj.status, on=node.obj.founded_on)
        self._transfers()
        self._save_events()
        service_centers_build(planner=self.planner, rng=self.rng, nodes=self.nodes)
        self._accounts()
        service_demo_build(
            rng=self.rng,
            today=self.today,
            scale=self.scale.name,
            nodes=self.nodes,
            planner=self.planner,
            mobile=self.factory.mobile,
        )

    # ------------------------------------------------------------------ members

    def _people_factory(self) -> PeopleFactory:
        residences: dict[str, list[Area]] = defaultdict(list)
        town_of: dict[int, str] = {}
        for town in self.planner.towns:
            residences[town.district.name].extend(town.units)
            for unit in town.units:
                town_of[unit.pk] = town.place.name
        return PeopleFactory(
            rng=self.rng, today=self.today, residences=residences, town_of=town_of, districts=DISTRICTS
        )

    def _generate_members(self) -> None:
        planned = sum(n.size for n in self.branches)
        factor = self.scale.members / planned
        problems: list[str] = []
        for node in self.branches:
            assert node.profile is not None
            count = max(3, round(node.size * factor))
            node.data = [self.factory.member(node.obj, node.profile) for _n in range(count)]
            for data in node.data:
                # The demo must never hold what the product would refuse.
                for error in member_data_clean(data, today=self.today):
                    problems.append(f"{node.obj.name} {data.name}: {error}")
        if problems:
            raise RuntimeError("demo members break the roster rules:\n" + "\n".join(problems[:20]))

    def _secretary_branch_pipeline(self) -> None:
        """The demo secretary's branch has someone at every step of the development pipeline, so its
        development pages have a ledger to show. Anyone missing is drawn from a generator of its own
        (seeded from the city's, which it does not advance): the rest of the roster stays as the seed makes it."""
        branch = self.planner.named[SECRETARY_BRANCH]
        assert branch.profile is not None
        present = {d.category for d in branch.data}
        missing = [c for c in DEVELOPMENT_CATEGORIES if c not in present]
        if not missing:
            return
        city_rng = self.factory.rng
        self.factory.rng = random.Random(str(city_rng.getstate()[1]))
        try:
            for category in missing:
                data = self.factory.member(branch.obj, branch.profile, category=category)
                if member_data_clean(data, today=self.today):
                    raise RuntimeError(f"invalid {category} generated for {branch.obj.name}")
                branch.data.append(data)
        finally:
            self.factory.rng = city_rng

    def _full_member_index(self, node: OrgNode, *, exclude: int | None = None, oldest: int = 62) -> int | None:
        assert node.profile is not None
        for i, data in enumerate(node.data):
            if i == exclude or data.category != Category.FULL or data.is_lost_contact or data.is_abroad:
                continue
            assert data.birth_date is not None
            if node.profile.retired or 28 <= whole_years_between(data.birth_date, self.today) <= oldest:
                return i
        return None

    def _choose_secretaries(self) -> None:
        for node in self.branches:
            index = self._full_member_index(node)
            while index is None:
                assert node.profile is not None
                node.data.append(self.factory.member(node.obj, node.profile, category=Category.FULL))
                if member_data_clean(node.data[-1], today=self.today):
                    raise RuntimeError(f"invalid secretary generated for {node.obj.name}")
                index = self._full_member_index(node)
            node.secretary_index = index
            node.data[index].post = SECRETARY_POSTS[Kind(node.obj.kind)]
        # A committee's secretary sits in one of its branches, preferably the 机关 one.
        for node in reversed(self.nodes):
            if node.profile is not None or node.obj.kind == Kind.GROUP:
                continue
            holders = [n for n in node.org_nodes() if n.profile is not None and n is not node]
            holders.sort(key=lambda n: (n.obj.sector != Organization.Sector.ORGAN, n.depth))
            for holder in holders:
                index = self._full_member_index(holder, exclude=holder.secretary_index)
                if index is not None and holder.data[index].post in SECRETARY_POSTS.values():
                    continue
                if index is not None:
                    self.committee_secretaries[node] = (holder, index)
                    holder.data[index].post = SECRETARY_POSTS[Kind(node.obj.kind)]
                    break
        self._choose_committees()

    def _choose_committees(self) -> None:
        """Branches of 7 or more full members get a committee: the secretary and two to four more
        full members, whose posts say which seat they hold. Draws nothing from the random
        generator, so the rest of the city stays as the seed makes it."""
        secretary_posts = set(SECRETARY_POSTS.values())
        # The "member" demo account stays an ordinary member (see _choose_demo_people).
        demo_branch = self.planner.named[SECRETARY_BRANCH]
        demo_member = self._full_member_index(demo_branch, exclude=demo_branch.secretary_index)
        for node in self.branches:
            assert node.secretary_index is not None and node.profile is not None
            full = sum(1 for d in node.data if d.category == Category.FULL)
            if full < CommitteeSeat.COMMITTEE_FROM_FULL_MEMBERS:
                continue
            wanted = 2 + (full >= 15) + (full >= 30)
            seats: list[tuple[int, str]] = [(node.secretary_index, Seat.SECRETARY)]
            prefix = SECRETARY_POSTS[Kind(node.obj.kind)].removesuffix("书记")
            for i, data in enumerate(node.data):
                if len(seats) > wanted:
                    break
                if i == node.secretary_index or data.category != Category.FULL or data.post in secretary_posts:
                    continue
                if node is demo_branch and i == demo_member:
                    continue
                if data.is_lost_contact or data.is_abroad:
                    continue
                assert data.birth_date is not None
                if not node.profile.retired and not 28 <= whole_years_between(data.birth_date, self.today) <= 62:
                    continue
                role, post = COMMITTEE_SEATS[len(seats) - 1]
                data.post = prefix + post
                seats.append((i, role))
            self.committees[node] = seats

    def _choose_demo_people(self) -> None:
        branch = self.planner.named[SECRETARY_BRANCH]
        assert branch.secretary_index is not None
        branch.data[branch.secretary_index].mobile = ACCOUNT_MOBILES["secretary"]
        index = self._full_member_index(branch, exclude=branch.secretary_index)
        assert index is not None, "the secretary's branch has a second full member"
        branch.data[index].mobile = ACCOUNT_MOBILES["member"]
        self.demo_member = (branch, index)

    def _save_members(self) -> None:
        members: list[Member] = []
        for node in self.branches:
            for data in node.data:
                member = Member()
                member_apply(member, data)
                node.members.append(member)
                members.append(member)
            # The Member now holds everything; at city scale the copies would double the memory.
            node.data = []
        Member.objects.bulk_create(members, batch_size=BATCH)
        for node in self.branches:
            assert node.secretary_index is not None
            node.obj.secretary = node.members[node.secretary_index]
        for committee, (holder, index) in self.committee_secretaries.items():
            committee.obj.secretary = holder.members[index]
        with_secretary = [n.obj for n in self.nodes if n.obj.secretary is not None]
        Organization.objects.bulk_update(with_secretary, ["secretary"], batch_size=BATCH)
        self._save_committees()
        roster_start = self.factory.roster_start
        for member in members:
            if self.scale.member_events:
                known = [d for d in (member.applied_on, member.activist_on, member.candidate_on, member.joined_on) if d]
                self._record(member, verb="created", to_state=member.category, on=max([roster_start, *known]))
            if member.category == Category.FORMER:
                assert member.left_on is not None
                self._record(
                    member,
                    verb="left",
                    from_state=Category.FULL,
                    to_state=Category.FORMER,
                    note=member.leave_reason,
                    on=member.left_on,
                )

    def _save_committees(self) -> None:
        """The seats of each branch committee, from the start of the current term (or when the
        branch was founded, or the member became a full member, if later)."""
        seats: list[CommitteeSeat] = []
        for node, chosen in self.committees.items():
            org = node.obj
            term_start = org.term_ends_on - timedelta(days=365 * BRANCH_TERM_YEARS) if org.term_ends_on else None
            for index, role in chosen:
                member = node.members[index]
                since = max(d for d in (term_start, org.founded_on, member.full_on) if d)
                since = min(since, self.today)
                seats.append(CommitteeSeat(organization=org, member=member, role=role, since=since))
                data = {"role": str(role), "since": str(since)}
                self._record(org, verb="committee_seated", note=member.name, data=data, on=since)
        CommitteeSeat.objects.bulk_create(seats, batch_size=BATCH)

    # ------------------------------------------------------------------ transfers

    def _transfers(self) -> None:
        """组织关系转接 into members' current branches, with the rows member_transfer writes."""
        rng = self.rng
        by_district: dict[str, list[OrgNode]] = defaultdict(list)
        for node in self.branches:
            by_district[node.district].append(node)
        movable = (Category.FULL, Category.PROBATIONARY)
        candidates = [
            (node, i)
            for node in self.branches
            for i, m in enumerate(node.members)
            if m.category in movable and i != node.secretary_index and not m.is_lost_contact
        ]
        assert self.demo_member is not None
        picked = [self.demo_member] + [c for c in rng.sample(candidates, self.scale.transfers) if c != self.demo_member]
        transfers: list[tuple[Transfer, datetime]] = []
        earliest = self.factory.roster_start + timedelta(days=30)
        for node, i in picked[: self.scale.transfers]:
            member = node.members[i]
            pool = by_district[node.district] if len(by_district[node.district]) > 1 else self.branches
            source = rng.choice([n for n in rng.sample(pool, min(5, len(pool))) if n is not node] or [pool[0]])
            if source is node:
                continue
            dates = [earliest, member.joined_on, source.obj.founded_on, node.obj.founded_on]
            low = max(d for d in dates if d)
            high = self.today - timedelta(days=1)
            if low > high:
                continue
            on = low + timedelta(days=rng.randint(0, (high - low).days))
            reason = rng.choice(TRANSFER_REASONS)
            letter = f"舟组转〔{on.year}〕{rng.randint(1, 400)}号"
            transfer = Transfer(
                member=member,
                from_organization=source.obj,
                to_organization=node.obj,
                transferred_on=on,
                letter_number=letter,
                reason=reason,
            )
            transfers.append((transfer, _moment(on)))
            data = {"from": source.obj.name, "to": node.obj.name, "letter_number": letter, "date": str(on)}
            self._record(member, verb="transferred", note=reason, data=data, on=on)
        Transfer.objects.bulk_create([t for t, _at in transfers], batch_size=BATCH)
        for transfer, at in transfers:
            transfer.created_at = at
        Transfer.objects.bulk_update([t for t, _at in transfers], ["created_at"], batch_size=BATCH)

    # ------------------------------------------------------------------ timeline

    def _record(
        self,
        subject: Member | Organization,
        *,
        verb: str,
        on: date | None,
        from_state: str = "",
        to_state: str = "",
        note: str = "",
        data: dict[str, str] | None = None,
    ) -> None:
        when = max(on or self.factory.roster_start, self.factory.roster_start)
        check_verb(subject, verb)
        event = Event(
            subject_type=ContentType.objects.get_for_model(subject),
            subject_id=subject.pk,
            verb=verb,
            from_state=from_state,
            to_state=to_state,
            note=note,
            data=data or {},
        )
        self.events.append((event, _moment(min(when, self.today))))

    def _save_events(self) -> None:
        events = [e for e, _at in self.events]
        Event.objects.bulk_create(events, batch_size=BATCH)
        for event, at in self.events:
            event.at = at
        Event.objects.bulk_update(events, ["at"], batch_size=BATCH)

    # ------------------------------------------------------------------ accounts

    def _accounts(self) -> None:
        named = self.planner.named
        # One hash for every demo account: PBKDF2 is deliberately slow, and the password is public anyway.
        password = make_password(DEMO_PASSWORD)

        def account(username: str, display_name: str, **flags: bool) -> User:
            user = user_create(
                username=username,
                password=None,
                display_name=display_name,
                mobile=ACCOUNT_MOBILES.get(username, ""),
                **flags,
            )
            user.password = password
            user.save(update_fields=["password"])
            return user

        admin = account("admin", "市委组织部管理员", is_staff=True, is_superuser=True)
        role_assign(user=admin, role=Role.CITY_ADMIN)
        role_assign(
            user=account("dinghai", "定海区委组织部"), role=Role.ORG_ADMIN, organization=named[ADMIN_DISTRICT].obj
        )
        branch = named[SECRETARY_BRANCH]
        assert branch.secretary_index is not None and self.demo_member is not None
        for username, (node, index) in (
            ("secretary", (branch, branch.secretary_index)),
            ("member", self.demo_member),
        ):
            person = node.members[index]
            user = account(username, person.name)
            role_assign(user=user, role=Role.MEMBER)
            if username == "secretary":
                role_assign(user=user, role=Role.ORG_ADMIN, organization=node.obj)
            person.user = user
            person.save(update_fields=["user"])
        handler_org = named[HANDLER_TOWN].obj
        role_assign(user=account("handler", f"{handler_org}办理人"), role=Role.HANDLER, organization=handler_org)
        leader_org = named[LEADER_BRANCH].obj
        role_assign(user=account("leader", f"{leader_org}服务队长"), role=Role.TEAM_LEADER, organization=leader_org)
        role_assign(user=account("resident", "居民 陈海燕"), role=Role.RESIDENT)
