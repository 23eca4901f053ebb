"""Importing a roster workbook: all rows checked first, then all written or none."""

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from pytest_django.fixtures import Settings

from conftest import City
from lianxin.accounts.models import User
from lianxin.accounts.permissions import roster_scope
from lianxin.core.models import AuditEntry, Event
from lianxin.core.parsing import id_checksum
from lianxin.core.selectors import event_list_for
from lianxin.members.models import Member, RosterImport, Transfer
from lianxin.members.selectors.roster import MemberFilters, member_list_filtered
from lianxin.members.services.imports import (
    RosterImportResult,
    roster_export,
    roster_import_create,
    roster_import_run,
    roster_workbook_import,
)
from lianxin.members.services.roster import member_leave
from lianxin.members.tasks import roster_import_task
from lianxin.members.tests.factories import make_id_number, make_member, make_roster_row, make_roster_workbook
from lianxin.organizations.tests.factories import make_organization

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
NEXT_YEAR = (TODAY + timedelta(days=366)).isoformat()


@pytest.fixture(autouse=True)
def english_and_private_media(settings: Settings, tmp_path: Path) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path
    with translation.override("en"):
        yield


@dataclass
class Counts:
    members: int
    events: int
    transfers: int

    @classmethod
    def now(cls) -> "Counts":
        # The roster's own timeline; an import's steps (waiting, running, ended) are on the import's.
        roster_events = Event.objects.exclude(subject_type=ContentType.objects.get_for_model(RosterImport))
        return cls(Member.objects.count(), roster_events.count(), Transfer.objects.count())


def run_import(user: User, rows: list[dict[str, Any]], **kwargs: Any) -> RosterImportResult:
    return roster_workbook_import(
        actor=user,
        scope=roster_scope(user),
        source=make_roster_workbook(rows),
        file_name="roster.xlsx",
        **kwargs,
    )


def errors_of(result: RosterImportResult) -> dict[int, list[str]]:
    return {e.row: e.messages for e in result.row_errors}


# ------------------------------------------------------------------------ new members


def test_a_valid_sheet_creates_members_with_a_timeline_event_and_an_audit_entry(
    city: City, district_admin: User
) -> None:
    # Given a sheet of two new members
    rows = [
        make_roster_row(city.east, 姓名="林海", 性别="男", 学历="本科", 流动党员="是", 居住社区=city.east.area.code),
        make_roster_row(city.west, 姓名="周燕", 人员类别="预备党员", 转正日期=None, 工作单位="海城港务局"),
    ]
    before = Counts.now()
    # When the district admin imports it
    result = run_import(district_admin, rows)
    # Then both are created, each with a "created" event by the admin
    assert result.is_valid
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    lin = Member.objects.get(name="林海")
    assert lin.organization == city.east
    assert lin.id_number == rows[0]["公民身份号码"]
    assert lin.birth_date == date(1980, 5, 17) and lin.sex == "male"
    assert (lin.education, lin.is_mobile, lin.community) == ("bachelor", True, city.east.area)
    zhou = Member.objects.get(name="周燕")
    assert (zhou.category, zhou.full_on, zhou.work_unit) == ("probationary", None, "海城港务局")
    event = event_list_for(lin).get(verb="created")
    assert event.actor == district_admin and event.to_state == "full"
    assert Counts.now() == Counts(before.members + 2, before.events + 2, before.transfers)
    audit = AuditEntry.objects.get(action="import")
    assert audit.actor == district_admin
    assert audit.detail["created"] == 2


def test_a_15_digit_id_number_is_stored_in_its_18_digit_form(city: City, district_admin: User) -> None:
    result = run_import(district_admin, [make_roster_row(city.east, 公民身份号码="330902800517001")])
    assert result.created == 1
    first17 = "33090219800517001"
    assert Member.objects.get().id_number == first17 + id_checksum(first17)


# ---------------------------------------------------------------- rejections, nothing written


@pytest.mark.parametrize(
    ("bad_cells", "message"),
    [
        (
            {"公民身份号码": "330902198005170013"},
            "公民身份号码：Invalid ID number 330902198005170013: "
            "the check digit does not match, please check for typos",
        ),
        (
            {"所在党组织": "北社区党支部"},
            "所在党组织：Unknown organization 北社区党支部: use its full name or its code.",
        ),
        (
            {"入党日期": "2006-07-01", "转正日期": "2005-07-01"},
            "Full membership (2005-07-01) cannot come before joining (2006-07-01).",
        ),
        (
            {"申请入党日期": None, "确定积极分子日期": None, "确定发展对象日期": None, "入党日期": "1997-07-01"},
            "The joining date 1997-07-01 is before the 18th birthday.",
        ),
        (
            {"入党日期": NEXT_YEAR, "转正日期": None, "人员类别": "预备党员"},
            f"The joining date {NEXT_YEAR} is in the future.",
        ),
        ({"人员类别": "出党", "离开日期": NEXT_YEAR}, f"离开日期 {NEXT_YEAR} is in the future."),
        ({"人员类别": "预备党员"}, "A probationary member has no full membership date."),
        (
            {"入党日期": None, "转正日期": None},
            ["A full member needs a joining date.", "A full member needs a full membership date."],
        ),
        ({"性别": "女"}, "The sex does not match the ID number."),
        ({"出生日期": "1980-05-18"}, "The date of birth 1980-05-18 does not match the ID number (1980-05-17)."),
        ({"人员类别": None}, "人员类别 is empty."),
        ({"姓名": " "}, "The name is missing."),
        ({"失联": "是"}, "Say since when contact was lost."),
    ],
)
def test_a_bad_row_is_explained_and_nothing_is_written(
    city: City, district_admin: User, bad_cells: dict[str, Any], message: str | list[str]
) -> None:
    # Given a sheet whose second member breaks a rule
    rows = [make_roster_row(city.east), make_roster_row(city.east, **bad_cells)]
    before = Counts.now()
    # When it is imported
    result = run_import(district_admin, rows)
    # Then row 3 (Excel's numbering) says why, and not even the good row is written
    assert not result.is_valid
    assert errors_of(result) == {3: message if isinstance(message, list) else [message]}
    assert Counts.now() == before
    assert not AuditEntry.objects.filter(action="import").exists()


def test_the_same_id_number_twice_in_a_file_is_an_error_on_the_second_row(city: City, district_admin: User) -> None:
    first = make_roster_row(city.east)
    again = make_roster_row(city.west, 公民身份号码=first["公民身份号码"].lower())
    before = Counts.now()
    result = run_import(district_admin, [first, make_roster_row(city.east), again])
    assert errors_of(result) == {4: ["The same ID number is already on row 2."]}
    assert Counts.now() == before


def test_every_bad_row_is_reported_not_just_the_first(city: City, district_admin: User) -> None:
    rows = [make_roster_row(city.east, 所在党组织="无此支部") for _ in range(3)]
    rows[1]["转正日期"] = "去年"
    result = run_import(district_admin, rows)
    assert sorted(errors_of(result)) == [2, 3, 4]
    assert errors_of(result)[3] == [
        "转正日期：Invalid date: 去年",
        "所在党组织：Unknown organization 无此支部: use its full name or its code.",
        "A full member needs a full membership date.",
    ]


def test_a_sheet_missing_required_headers_is_refused_as_a_whole(city: City, district_admin: User) -> None:
    row = make_roster_row(city.east)
    del row["所在党组织"]
    before = Counts.now()
    result = run_import(district_admin, [row])
    assert result.file_error == "The header row (row 1) lacks these required columns: 所在党组织"
    assert Counts.now() == before


def test_a_sheet_with_a_header_and_no_rows_is_refused(city: City, district_admin: User) -> None:
    result = roster_workbook_import(
        actor=district_admin,
        scope=roster_scope(district_admin),
        source=make_roster_workbook([], headers=list(make_roster_row(city.east))),
    )
    assert result.file_error == "The sheet has a header row but no members under it."


# ------------------------------------------------------------------------ existing members


def test_rows_matching_existing_members_update_them_and_the_summary_counts_each_kind(
    city: City, district_admin: User
) -> None:
    # Given two existing members
    changed = make_member(city.east, name="王芳", work_unit="海城渔业公司")
    same = make_member(city.east, name="李明")
    events = Event.objects.count()
    rows = [
        make_roster_row(
            city.east, 姓名="王芳", 公民身份号码=changed.id_number, 工作单位="海城港务局", 手机号码=changed.mobile
        ),
        make_roster_row(city.east, 姓名="李明", 公民身份号码=same.id_number, 手机号码=same.mobile),
        make_roster_row(city.east, 姓名="新人"),
    ]
    # When a sheet with one of them changed, one the same and one new is imported
    result = run_import(district_admin, rows)
    # Then the summary says 1 created, 1 updated, 1 unchanged
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    changed.refresh_from_db()
    assert changed.work_unit == "海城港务局"
    # and the update is on the member's timeline, with what changed
    event = event_list_for(changed).get(verb="imported")
    assert event.actor == district_admin
    assert event.data["changes"] == {"work_unit": ["海城渔业公司", "海城港务局"]}
    assert not event_list_for(same).filter(verb="imported").exists()
    assert Event.objects.count() == events + 2  # one update, one creation


def test_columns_absent_from_the_sheet_leave_existing_values_alone(city: City, district_admin: User) -> None:
    member = make_member(city.east, work_unit="海城渔业公司", is_at_sea=True)
    row = {"姓名": member.name, "公民身份号码": member.id_number, "人员类别": "正式党员", "所在党组织": "D1E"}
    result = run_import(district_admin, [row])
    assert (result.updated, result.unchanged) == (0, 1)
    member.refresh_from_db()
    assert (member.work_unit, member.is_at_sea, member.mobile) != ("", False, "")


def test_a_15_digit_id_number_matches_the_existing_member(city: City, district_admin: User) -> None:
    member = make_member(city.east, id_number=make_id_number(date(1975, 3, 9), serial=7))
    old_15 = member.id_number[:6] + member.id_number[8:17]
    row = make_roster_row(city.east, 姓名=member.name, 公民身份号码=old_15, 手机号码=member.mobile)
    result = run_import(district_admin, [row])
    assert (result.created, result.unchanged) == (0, 1)


def test_a_new_organization_for_an_existing_member_is_recorded_as_a_transfer(city: City, district_admin: User) -> None:
    member = make_member(city.east)
    row = make_roster_row(city.west, 姓名=member.name, 公民身份号码=member.id_number, 手机号码=member.mobile)
    result = run_import(district_admin, [row])
    assert (result.updated, result.transferred) == (1, 1)
    member.refresh_from_db()
    assert member.organization == city.west
    transfer = Transfer.objects.get(member=member)
    assert (transfer.from_organization, transfer.to_organization) == (city.east, city.west)
    assert (transfer.reason, transfer.transferred_on, transfer.created_by) == ("roster import", TODAY, district_admin)
    event = event_list_for(member).get(verb="transferred")
    assert event.data["from"] == city.east.name and event.data["to"] == city.west.name
    # Only the organization changed: no separate "imported" event.
    assert not event_list_for(member).filter(verb="imported").exists()


def test_a_former_member_cannot_be_moved_by_import(city: City, district_admin: User) -> None:
    member = make_member(city.east)
    member_leave(actor=None, member=member, reason="deceased", left_on=date(2020, 1, 1))
    row = make_roster_row(
        city.west, 姓名=member.name, 公民身份号码=member.id_number, 人员类别="去世", 离开日期="2020-01-01"
    )
    before = Counts.now()
    result = run_import(district_admin, [row])
    assert errors_of(result) == {2: ["A former member cannot be transferred."]}
    assert Counts.now() == before


# ------------------------------------------------------------------------------- scope


def test_an_organization_outside_the_importers_scope_is_refused(city: City, branch_secretary: User) -> None:
    before = Counts.now()
    result = run_import(branch_secretary, [make_roster_row(city.east), make_roster_row(city.west)])
    assert errors_of(result) == {
        3: ["所在党组织：西社区党支部 is outside your scope; you can import members of your own organizations only."]
    }
    assert Counts.now() == before


def test_an_existing_member_outside_the_importers_scope_cannot_be_updated(
    city: City, branch_secretary: User, other_member: Member
) -> None:
    row = make_roster_row(city.east, 姓名=other_member.name, 公民身份号码=other_member.id_number)
    before = Counts.now()
    result = run_import(branch_secretary, [row])
    assert errors_of(result) == {2: ["This row cannot be imported; check it with the organization above."]}
    assert Counts.now() == before
    other_member.refresh_from_db()
    assert other_member.organization == city.other_branch


def test_a_name_shared_outside_the_importers_scope_is_refused_and_the_code_accepted(
    city: City, district_admin: User
) -> None:
    # Given a branch elsewhere in the tree bearing the same name as the district's east branch
    make_organization(name=city.east.name, parent=city.other_district, code="D2E")
    before = Counts.now()
    # When the district's administrator names the branch by that name, then by its code
    by_name = run_import(district_admin, [make_roster_row(city.east, 所在党组织=city.east.name)])
    by_code = run_import(district_admin, [make_roster_row(city.east)])
    # Then the name is refused (it is not unique in the whole tree) and the code imports
    assert errors_of(by_name) == {
        2: ["所在党组织：东社区党支部 names several organizations: use the organization's code."]
    }
    assert Counts.now().members == before.members + 1 and by_code.created == 1


def test_a_row_of_a_member_outside_the_scope_reveals_nothing_about_them(
    city: City, branch_secretary: User, other_member: Member
) -> None:
    # Given a member elsewhere who has left, and a row that would move them to the secretary's branch
    member_leave(actor=None, member=other_member, reason="deceased", left_on=date(2020, 1, 1))
    row = make_roster_row(city.east, 姓名="张三", 公民身份号码=other_member.id_number)
    row.update(人员类别="去世", 离开日期="2020-01-01")
    before = Counts.now()
    # When a secretary imports it, in Chinese
    with translation.override("zh-hans"):
        result = run_import(branch_secretary, [row])
    # Then the row is refused with the one message for rows that cannot be imported, and nothing else
    messages = errors_of(result)[2]
    assert messages == ["此行无法导入，请与上级党组织核实。"]
    assert not any("范围" in m or "已离开" in m or "转" in m for m in messages)
    assert Counts.now() == before


# ---------------------------------------------------------------------- dry run, export


def test_a_dry_run_counts_what_would_happen_and_writes_nothing(city: City, district_admin: User) -> None:
    existing = make_member(city.east)
    rows = [make_roster_row(city.east), make_roster_row(city.east, 公民身份号码=existing.id_number, 工作单位="新单位")]
    before = Counts.now()
    result = run_import(district_admin, rows, dry_run=True)
    assert result.is_valid and result.dry_run
    assert (result.created, result.updated) == (1, 1)
    assert Counts.now() == before
    assert not AuditEntry.objects.exists()


def _export(user: User, **filters: Any) -> io.BytesIO:
    out = io.BytesIO()
    members = member_list_filtered(user=user, filters=MemberFilters(**filters), today=TODAY)
    roster_export(actor=user, members=members, target=out, filters={"category": filters.get("category", "")})
    out.seek(0)
    return out


def test_export_then_import_changes_nothing(city: City, city_admin: User) -> None:
    # Given members of every kind, with every optional field used
    city.west.short_name = "西社区"
    city.west.save()
    make_member(
        city.east,
        ethnicity="回族",
        native_place="浙江宁波",
        education="master",
        occupation="manager",
        work_unit="海城港务局",
        post="科长",
        home_address="海城市新城路1号",
        community=city.east.area,
        is_mobile=True,
        is_at_sea=True,
        is_lost_contact=True,
        lost_contact_since=date(2023, 3, 1),
    )
    make_member(city.west, category="probationary", full_on=None, female=True)
    make_member(
        city.west, category="applicant", activist_on=None, candidate_on=None, joined_on=None, full_on=None, mobile=""
    )
    leaver = make_member(city.other_branch)
    member_leave(actor=None, member=leaver, reason="transferred_out", left_on=date(2021, 5, 1))
    before = Counts.now()
    # When the whole roster is exported and the file imported again
    workbook = _export(city_admin, category="all")
    result = roster_workbook_import(actor=city_admin, scope=roster_scope(city_admin), source=workbook)
    # Then every row is unchanged and nothing is written
    assert result.row_errors == []
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
    assert Counts.now() == before


def test_the_export_has_full_id_numbers_real_dates_and_is_audited(city: City, branch_secretary: User) -> None:
    member = make_member(city.east, name="李红")
    make_member(city.west)  # outside the secretary's scope
    sheet = openpyxl.load_workbook(_export(branch_secretary)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(min_row=3, values_only=True))  # under the title and the time it was made
    header = rows[0]
    assert len(rows) == 2
    record = dict(zip(header, rows[1], strict=True))
    assert record["姓名"] == "李红"
    assert record["公民身份号码"] == member.id_number
    assert cast(datetime, record["入党日期"]).date() == date(2005, 7, 1)
    assert record["所在党组织"] == "东社区党支部"
    assert (record["人员类别"], record["性别"], record["流动党员"]) == ("正式党员", "男", "否")
    audit = AuditEntry.objects.get(action="export")
    assert audit.actor == branch_secretary
    assert audit.detail == {"filters": {}, "rows": 1}


# -------------------------------------------------------------------- stored imports


def upload(content: bytes, name: str = "名册.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_a_stored_import_runs_to_done_with_its_counts(city: City, district_admin: User) -> None:
    workbook = make_roster_workbook([make_roster_row(city.east), make_roster_row(city.west)])
    roster_import = roster_import_create(actor=district_admin, uploaded_file=upload(workbook.getvalue()))
    assert roster_import.status == RosterImport.Status.PENDING
    roster_import_run(roster_import=roster_import)
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.DONE
    assert (roster_import.total_rows, roster_import.processed_rows, roster_import.created_count) == (2, 2, 2)
    assert roster_import.progress_percent == 100
    assert roster_import.finished_at is not None
    assert AuditEntry.objects.get(action="import").detail["roster_import"] == roster_import.pk


def test_a_stored_import_with_bad_rows_keeps_the_errors_and_a_corrected_copy(city: City, district_admin: User) -> None:
    rows = [make_roster_row(city.east, 所在党组织="无此支部") for _ in range(205)] + [make_roster_row(city.east)]
    workbook = make_roster_workbook(rows)
    roster_import = roster_import_create(actor=district_admin, uploaded_file=upload(workbook.getvalue()))
    before = Counts.now()
    roster_import_run(roster_import=roster_import)
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.INVALID
    assert roster_import.error_count == 205
    assert len(roster_import.errors) == 200
    assert roster_import.errors[0] == {
        "row": 2,
        "messages": ["所在党组织：Unknown organization 无此支部: use its full name or its code."],
    }
    assert Counts.now() == before
    with roster_import.error_file.open("rb") as f:
        sheet = openpyxl.load_workbook(io.BytesIO(f.read())).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][-1] == "错误说明"
    assert values[1][-1] == "所在党组织：Unknown organization 无此支部: use its full name or its code."
    assert values[-1][-1] is None  # the good last row has no error


def test_a_stored_corrupt_file_is_invalid_with_a_clear_message(city: City, district_admin: User) -> None:
    roster_import = roster_import_create(actor=district_admin, uploaded_file=upload(b"PK\x03\x04 broken"))
    roster_import_run(roster_import=roster_import)
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.INVALID
    assert "not an Excel workbook (.xlsx) or it is damaged" in roster_import.message
    assert not roster_import.error_file


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("名册.xls", b"\xd0\xcf\x11\xe0", "not_xlsx"),
        ("名册.csv", b"a,b", "not_xlsx"),
        ("名册.xlsx", b"name,id\n", "not_a_workbook"),
    ],
)
def test_an_upload_that_is_not_an_xlsx_is_refused_before_it_is_stored(
    district_admin: User, name: str, content: bytes, code: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        roster_import_create(actor=district_admin, uploaded_file=upload(content, name))
    assert exc.value.code == code
    assert not RosterImport.objects.exists()


def test_the_task_runs_a_pending_import_once(city: City, district_admin: User) -> None:
    workbook = make_roster_workbook([make_roster_row(city.east)])
    roster_import = roster_import_create(actor=district_admin, uploaded_file=upload(workbook.getvalue()))
    roster_import_task.enqueue(roster_import.pk, "en")
    roster_import_task.enqueue(roster_import.pk, "en")  # a retry finds it done and leaves it
    roster_import.refresh_from_db()
    assert (roster_import.status, roster_import.created_count) == (RosterImport.Status.DONE, 1)
    assert Member.objects.count() == 1
    assert AuditEntry.objects.filter(action="import").count() == 1
