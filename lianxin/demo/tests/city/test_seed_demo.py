"""The demo city: `seed_demo --scale small` builds a believable Zhoushan that obeys the roster rules.

The small city is built once for the whole package (conftest), the way `make run` does it (with
--if-empty, twice), inside a transaction that is rolled back at the end.
"""

import io
import random
from datetime import date

import pytest
from django.contrib.auth import authenticate
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from lianxin.accounts.models import RoleAssignment, User
from lianxin.core.crypto import lookup_hash
from lianxin.core.models import Event
from lianxin.core.timeline import verbs_of
from lianxin.demo.builder import DEMO_PASSWORD
from lianxin.demo.login_help import login_help
from lianxin.demo.people import STUDENTS_UNDER
from lianxin.demo.plan import Planner
from lianxin.demo.scales import SCALES
from lianxin.demo.tests.city.city import DemoCity, demo_counts
from lianxin.members.models import Member, Transfer, whole_years_between
from lianxin.members.rules.roster import medal_year_reached, member_warnings
from lianxin.members.services.roster import member_data_clean, member_data_from
from lianxin.organizations.models import Area, Organization, ServiceCenter

Category = Member.Category
Role = RoleAssignment.Role

pytestmark = pytest.mark.django_db

SEED_TOWNS = {
    "小沙街道",
    "白泉镇",
    "千岛街道",
    "金塘镇",
    "六横镇",
    "东港街道",
    "岱西镇",
    "衢山镇",
    "菜园镇",
    "枸杞乡",
    "嵊山镇",
}


Seeded = DemoCity
_counts = demo_counts  # the counts the package's build recorded, taken again


@pytest.fixture(scope="module")
def demo(demo_city: DemoCity) -> Seeded:
    return demo_city


@pytest.fixture
def today() -> date:
    return timezone.localdate()


# ---------------------------------------------------------------- places and organizations


def _parent_name(area: Area) -> str:
    parent = Area.objects.get_parent(area)
    return parent.name if parent else ""


def test_the_city_has_the_four_districts_and_the_towns_and_islands_the_seeds_name(demo: Seeded) -> None:
    city = Area.objects.get(kind=Area.Kind.CITY)
    districts = {a.name for a in Area.objects.get_children(city)}
    assert districts == {"定海区", "普陀区", "岱山县", "嵊泗县"}
    towns = set(Area.objects.filter(kind=Area.Kind.TOWN).values_list("name", flat=True))
    assert towns >= SEED_TOWNS
    assert _parent_name(Area.objects.get(name="平峧村")) == "六横镇"
    assert _parent_name(Area.objects.get(name="悬山村")) == "六横镇"
    assert _parent_name(Area.objects.get(name="莲安社区", kind=Area.Kind.COMMUNITY)) == "东港街道"
    assert _parent_name(Area.objects.get(name="后岸村")) == "岱西镇"
    assert _parent_name(Area.objects.get(name="渔耕碗村")) == "衢山镇"
    assert Area.objects.filter(kind=Area.Kind.ISLAND).count() >= 5
    assert Area.objects.find_problems() == ([], [], [], [], [])


def test_the_organization_tree_runs_from_the_city_committee_to_branches_and_party_groups(demo: Seeded) -> None:
    root = Organization.objects.get_root_nodes().get()
    assert root.name == "中共舟山市委员会"
    assert {o.short_name for o in Organization.objects.get_children(root)} >= {
        "定海区委",
        "普陀区委",
        "岱山县委",
        "嵊泗县委",
        "市直机关工委",
    }
    organs = Organization.objects.get(short_name="市直机关工委")
    assert organs.kind == Organization.Kind.WORKING_COMMITTEE
    department_branches = {o.short_name for o in Organization.objects.get_descendants(organs)}
    assert {"市委组织部机关党支部", "市财政局机关党支部"} <= department_branches
    hospital = Organization.objects.get(name="岱山广华骨伤医院党支部")
    assert hospital.sector == Organization.Sector.HOSPITAL
    assert Organization.objects.get_ancestors(hospital).filter(short_name="市委两新工委").exists()
    assert Organization.objects.get(short_name="小沙街道党工委").kind == Organization.Kind.WORKING_COMMITTEE
    assert Organization.objects.get_children(Organization.objects.get(short_name="莲安社区党委")).count() >= 3
    assert Organization.objects.filter(name="衢山镇渔耕碗村党支部").exists()
    assert Organization.objects.filter(kind=Organization.Kind.GROUP).exists()
    assert Organization.objects.find_problems() == ([], [], [], [], [])


def test_organization_codes_are_hierarchical_and_phones_are_office_numbers(demo: Seeded) -> None:
    for org in Organization.objects.exclude(depth=1):
        parent = Organization.objects.get_parent(org)
        assert parent is not None and org.code.startswith(parent.code) and org.code.startswith("ZS")
        if org.kind != Organization.Kind.GROUP:
            assert org.contact_phone.startswith("0580-") and len(org.contact_phone) == 12


def test_every_branch_has_a_full_member_of_its_own_as_secretary(demo: Seeded, today: date) -> None:
    branches = Organization.objects.filter(kind__in=Organization.BRANCH_KINDS).select_related("secretary")
    for branch in branches:
        assert branch.secretary is not None, branch
        assert branch.secretary.organization_id == branch.pk
        assert branch.secretary.category == Category.FULL
    due = [o for o in Organization.objects.all() if o.term_end_due(today)]
    assert 0 < len(due) < Organization.objects.count() / 3


def test_a_sailing_branch_holds_members_at_sea(demo: Seeded) -> None:
    sailing = Organization.objects.get(name="江海联运船航行的支部")
    assert sailing.sector == Organization.Sector.MOBILE
    on_board = Member.objects.filter(organization=sailing).exclude(category=Category.FORMER)
    assert on_board.filter(is_at_sea=True).count() > on_board.count() / 2


def test_service_centres_serve_districts_towns_islands_and_seafarers(demo: Seeded) -> None:
    centres = set(ServiceCenter.objects.values_list("name", flat=True))
    assert {"定海区党群服务中心", "小沙街道党群服务中心", "六横镇平峧村党群服务中心"} <= centres
    for town in SEED_TOWNS:
        assert f"{town}党群服务中心" in centres
    for island in Area.objects.filter(kind=Area.Kind.ISLAND):
        assert f"{island.name}“小岛有我”服务站" in centres
    station = ServiceCenter.objects.get(name="老塘山码头船员驿站")
    assert station.organization.name == "江海联运船航行的支部"
    assert station.opening_hours and station.address


# ---------------------------------------------------------------- members


def test_the_small_city_has_about_two_thousand_members_in_about_ninety_branches(demo: Seeded) -> None:
    assert 1900 <= Member.objects.count() <= 2100
    assert 80 <= Organization.objects.filter(kind__in=Organization.BRANCH_KINDS).count() <= 100


def test_every_member_passes_the_same_checks_as_a_form_or_an_import(demo: Seeded, today: date) -> None:
    for member in Member.objects.select_related("organization", "community"):
        data = member_data_from(member)
        assert member_data_clean(data, today=today) == [], member.name
        assert member.id_number_hash == lookup_hash(member.id_number)
        assert member.mobile_hash == lookup_hash(member.mobile)
        assert member.community is not None
        assert member.community.kind in (Area.Kind.VILLAGE, Area.Kind.COMMUNITY)


def test_id_and_mobile_numbers_are_encrypted_at_rest(demo: Seeded) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id_number, mobile FROM {Member._meta.db_table} WHERE mobile <> ''")
        id_number, mobile = cursor.fetchone()
    assert not id_number.startswith(("33", "32", "34", "35", "36", "41", "51"))
    assert not mobile.startswith("1")


def test_the_roster_holds_every_category_and_every_warning(demo: Seeded, today: date) -> None:
    members = list(Member.objects.all())
    categories = {m.category for m in members}
    assert categories == set(Category.values)
    warnings = {w.code for m in members for w in member_warnings(m, today)}
    assert warnings == {"probation_overdue", "lost_contact"}
    former = [m for m in members if m.category == Category.FORMER]
    assert {m.leave_reason for m in former} == {Member.LeaveReason.DECEASED, Member.LeaveReason.TRANSFERRED_OUT}
    assert all(m.left_on and m.left_on <= today for m in former)
    assert any(m.is_mobile for m in members) and any(m.is_abroad for m in members)
    assert any(m.ethnicity != "汉族" for m in members)


def test_every_member_has_an_occupation_the_old_retired_and_the_youngest_students(demo: Seeded) -> None:
    members = list(Member.objects.select_related("organization"))
    assert {m.occupation for m in members} == set(Member.Occupation.values)
    for member in members:
        age = member.age(demo.today)
        if age >= 70:
            assert member.occupation == Member.Occupation.RETIRED, member.name
        elif age < STUDENTS_UNDER and member.organization.sector != Organization.Sector.MOBILE:
            assert member.occupation == Member.Occupation.STUDENT, member.name
    assert Member.objects.filter(organization__sector=Organization.Sector.ORGAN, occupation="official").exists()


def test_some_members_reach_fifty_years_in_the_party_and_some_exactly_this_year(demo: Seeded, today: date) -> None:
    july_first = date(today.year, 7, 1)
    medal = [m for m in Member.objects.filter(category=Category.FULL) if medal_year_reached(m, today.year)]
    exactly = [m for m in medal if m.full_on and whole_years_between(m.full_on, july_first) == 50]
    assert len(medal) > len(exactly) > 0


def test_transfers_have_their_timeline_events(demo: Seeded) -> None:
    transfers = list(Transfer.objects.select_related("member", "from_organization", "to_organization"))
    assert len(transfers) == SCALES["small"].transfers
    member_type = ContentType.objects.get_for_model(Member)
    for transfer in transfers:
        assert transfer.member.organization_id == transfer.to_organization_id
        event = Event.objects.get(subject_type=member_type, subject_id=transfer.member_id, verb="transferred")
        assert event.data["from"] == transfer.from_organization.name
        assert event.data["to"] == transfer.to_organization.name
        assert event.at.date() == transfer.transferred_on


# ---------------------------------------------------------------- accounts and the command


def _roles(username: str) -> set[tuple[str, str | None]]:
    return {
        (r.role, r.organization.short_name if r.organization else None)
        for r in RoleAssignment.objects.filter(user__username=username).select_related("organization")
    }


def test_the_demo_accounts_hold_their_roles(demo: Seeded) -> None:
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert _roles("admin") == {(Role.CITY_ADMIN, None)}
    assert _roles("dinghai") == {(Role.ORG_ADMIN, "定海区委")}
    assert _roles("secretary") == {(Role.ORG_ADMIN, "怡岛社区党支部"), (Role.MEMBER, None)}
    assert _roles("member") == {(Role.MEMBER, None)}
    assert _roles("handler") == {(Role.HANDLER, "小沙街道党工委")}
    assert _roles("leader") == {(Role.TEAM_LEADER, "海宇社区党支部")}
    assert _roles("resident") == {(Role.RESIDENT, None)}


def test_the_secretary_and_the_member_accounts_are_linked_to_their_roster_records(demo: Seeded) -> None:
    branch = Organization.objects.get(short_name="怡岛社区党支部")
    secretary = User.objects.get(username="secretary")
    assert branch.secretary == secretary.member
    assert secretary.mobile == secretary.member.mobile == "13800000001"
    member = User.objects.get(username="member").member
    assert member.organization == branch and member.category == Category.FULL
    assert Transfer.objects.filter(member=member, to_organization=branch).exists()


def test_demo_accounts_log_in_by_username_or_by_mobile(demo: Seeded) -> None:
    secretary = User.objects.get(username="secretary")
    assert authenticate(username="secretary", password=DEMO_PASSWORD) == secretary
    assert authenticate(username="13800000001", password=DEMO_PASSWORD) == secretary
    assert authenticate(username="admin", password=DEMO_PASSWORD) == User.objects.get(username="admin")
    assert authenticate(username="secretary", password="wrong") is None


def test_if_empty_twice_builds_once_and_prints_the_login_help_both_times(demo: Seeded) -> None:
    assert _counts() == demo.counts
    assert "Demo city built (small" in demo.first_output
    assert "nothing was added" in demo.second_output
    for output in (demo.first_output, demo.second_output):
        assert "http://127.0.0.1:8000/" in output and DEMO_PASSWORD in output
        assert "13800000001" in output and "密码" in output and "password" in output


def test_building_into_a_database_that_has_data_is_refused_and_writes_nothing(demo: Seeded) -> None:
    with pytest.raises(CommandError, match="already has Party organizations"):
        call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == demo.counts


def test_the_same_seed_plans_the_same_city(today: date) -> None:
    def plan(seed: int) -> list[tuple[str, str]]:
        planner = Planner(scale=SCALES["small"], rng=random.Random(seed), today=today)
        planner.plan_areas()
        return [(n.obj.code, n.obj.name) for n in planner.plan_orgs().org_nodes()]

    assert plan(2026) == plan(2026)
    assert plan(2026) != plan(7)


def test_the_login_help_names_where_make_run_serves(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIANXIN_DEMO_URL", "http://127.0.0.1:8123/")
    help_text = login_help()
    assert "打开 http://127.0.0.1:8123/ ，" in help_text and "Open http://127.0.0.1:8123/ and" in help_text
    assert "127.0.0.1:8000" not in help_text


def test_every_verb_on_the_demo_timelines_has_a_label(demo: Seeded) -> None:
    pairs = set(Event.objects.values_list("subject_type", "verb").distinct())
    verbs = {verb for _type, verb in pairs}
    assert "scheduled" in verbs
    unlabelled = set()
    for type_id, verb in pairs:
        model = ContentType.objects.get_for_id(type_id).model_class()
        words = verbs_of(model) if model is not None else None
        if words is None or verb not in words.values:
            unlabelled.add(verb)
    assert unlabelled == set()
