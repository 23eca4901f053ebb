"""A member's occupation (职业/身份), as the annual Party statistics count it: in the roster workbook
both ways, on the member's page and its form, and in the API."""

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django.fixtures import Settings

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.accounts.permissions import roster_scope
from lianxin.core.models import AuditEntry, Event
from lianxin.core.selectors import event_list_for
from lianxin.members.models import Member, RosterImport
from lianxin.members.selectors.roster import MemberFilters, member_list_filtered
from lianxin.members.services.imports import RosterImportResult, roster_export, roster_workbook_import
from lianxin.members.tests.factories import make_member, make_roster_row, make_roster_workbook

pytestmark = pytest.mark.django_db

Occupation = Member.Occupation
ALLOWED = (
    "工人（工勤技能人员） / 农牧渔民 / 企事业单位、社会组织专业技术人员 / 企事业单位、社会组织管理人员 / "
    "党政机关工作人员 / 学生 / 其他职业人员 / 离退休人员"
)


@pytest.fixture(autouse=True)
def private_media(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def run_import(user: User, rows: list[dict[str, Any]]) -> RosterImportResult:
    return roster_workbook_import(
        actor=user, scope=roster_scope(user), source=make_roster_workbook(rows), file_name="roster.xlsx"
    )


def roster_counts() -> tuple[int, int]:
    """Members, and the events of the roster (an import's own steps are on the import's timeline)."""
    events = Event.objects.exclude(subject_type=ContentType.objects.get_for_model(RosterImport))
    return Member.objects.count(), events.count()


# ------------------------------------------------------------------------ import


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("离退休人员", Occupation.RETIRED),
        ("工人（工勤技能人员）", Occupation.WORKER),
        ("工人(工勤技能人员)", Occupation.WORKER),
        ("企事业单位、社会组织专业技术人员", Occupation.PROFESSIONAL),
        ("退休", Occupation.RETIRED),
        ("渔民", Occupation.FARMER),
        ("farmers, herders and fishermen", Occupation.FARMER),
        ("Staff of Party and government organs", Occupation.OFFICIAL),
        ("students", Occupation.STUDENT),
        ("manager", Occupation.MANAGER),
        ("", ""),
        (None, ""),
    ],
)
def test_the_occupation_column_takes_the_chinese_or_english_label_or_the_code(
    city: City, district_admin: User, cell: object, expected: str
) -> None:
    # Given a new member whose 职业/身份 cell holds a label, a word real sheets use, a code or nothing
    row = make_roster_row(city.east, 姓名="林海")
    row["职业/身份"] = cell
    # When the sheet is imported
    result = run_import(district_admin, [row])
    # Then the member is created with that occupation; an empty cell means not recorded
    assert result.is_valid and result.created == 1
    assert Member.objects.get(name="林海").occupation == expected


def test_an_import_updates_the_occupation_of_an_existing_member(city: City, district_admin: User) -> None:
    member = make_member(city.east, occupation=Occupation.WORKER)
    row = make_roster_row(city.east, 公民身份号码=member.id_number, 姓名=member.name, 职业="离退休人员")
    result = run_import(district_admin, [row])
    assert (result.created, result.updated) == (0, 1)
    member.refresh_from_db()
    assert member.occupation == Occupation.RETIRED


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", f"职业/身份：Invalid value 农夫: choose one of {ALLOWED}"),
        ("zh-hans", f"职业/身份：取值“农夫”无效，应为{ALLOWED}之一"),
    ],
)
def test_an_unknown_occupation_is_explained_on_its_row_and_nothing_is_written(
    city: City, district_admin: User, language: str, message: str
) -> None:
    # Given a sheet whose second member's occupation is no category of the statistics
    rows = [make_roster_row(city.east, 职业="学生"), make_roster_row(city.east, 职业="农夫")]
    before = roster_counts()
    # When it is imported
    with translation.override(language):
        result = run_import(district_admin, rows)
    # Then row 3 (Excel's numbering) says which values are allowed, and not even the good row is written
    assert not result.is_valid
    assert {e.row: e.messages for e in result.row_errors} == {3: [message]}
    assert roster_counts() == before
    assert not AuditEntry.objects.filter(action="import").exists()


# ------------------------------------------------------------------------ export


def test_the_export_writes_the_occupation_after_education_in_chinese(city: City, branch_secretary: User) -> None:
    make_member(city.east, name="李红", education="bachelor", occupation=Occupation.PROFESSIONAL)
    make_member(city.east, name="王海")
    out = io.BytesIO()
    members = member_list_filtered(user=branch_secretary, filters=MemberFilters(), today=timezone.localdate())
    roster_export(actor=branch_secretary, members=members, target=out, filters={})
    out.seek(0)
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    header, *rows = list(sheet.iter_rows(min_row=3, values_only=True))  # under the title and its subtitle
    assert header[header.index("学历") + 1] == "职业/身份"
    occupations = {row[0]: row[header.index("职业/身份")] for row in rows}
    assert occupations == {"李红": "企事业单位、社会组织专业技术人员", "王海": None}


# ------------------------------------------------------------------------ page, form and API


def _as(client: Client, user: User) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_member_form_saves_the_occupation_and_the_page_shows_it(
    client: Client, branch_secretary: User, east_member: Member
) -> None:
    # Given a member whose occupation is not recorded
    client = _as(client, branch_secretary)
    page = client.get(reverse("members:detail", args=[east_member.pk])).content.decode()
    assert "<dt>职业/身份</dt><dd>—</dd>" in page and '<select name="occupation"' in page
    # When the secretary records them as retired
    response = client.post(
        reverse("members:edit_contact", args=[east_member.pk]),
        {"mobile": east_member.mobile_masked, "occupation": "retired"},
        follow=True,
    )
    # Then it is saved, with the change on the timeline, and the page reads it in Chinese
    east_member.refresh_from_db()
    assert east_member.occupation == Occupation.RETIRED
    event = event_list_for(east_member).get(verb="updated")
    assert event.data["changes"]["occupation"] == ["", "retired"]
    assert "<dt>职业/身份</dt><dd>离退休人员</dd>" in response.content.decode()


def test_the_member_form_refuses_an_occupation_not_in_the_list(
    client: Client, branch_secretary: User, east_member: Member
) -> None:
    _as(client, branch_secretary).post(
        reverse("members:edit_contact", args=[east_member.pk]),
        {"mobile": east_member.mobile_masked, "occupation": "farmer-ish", "work_unit": "海城港务局"},
    )
    east_member.refresh_from_db()
    assert (east_member.occupation, east_member.work_unit) == ("", "")


def test_the_api_gives_the_occupation_an_import_wrote(city: City, district_admin: User, client: Client) -> None:
    # Given one member imported as a student and one whose occupation is not recorded
    run_import(
        district_admin,
        [make_roster_row(city.east, 姓名="林海", 职业="学生"), make_roster_row(city.east, 姓名="周燕")],
    )
    lin = Member.objects.get(name="林海")
    # When the API is asked for them
    client = _as(client, district_admin)
    one = client.get(f"/api/v1/members/{lin.pk}").json()
    listed = client.get("/api/v1/members", {"org": city.east.code}).json()["items"]
    # Then each carries the code the import stored, empty when not recorded
    assert one["occupation"] == "student"
    assert {m["name"]: m["occupation"] for m in listed} == {"林海": "student", "周燕": ""}
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["MemberOut"]
    assert "occupation" in schema["required"]
