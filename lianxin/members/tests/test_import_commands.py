"""manage.py import_members and export_members, as an operator runs them."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast
from unittest import mock

import openpyxl
import pytest
from django.core.management import ManagementUtility, call_command
from django.db import connections
from django.utils import translation

from conftest import City
from lianxin.core.models import AuditEntry, Event
from lianxin.members.models import Member
from lianxin.members.tests.factories import make_member, make_roster_row, make_roster_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def manage(*argv: str) -> int:
    """Run a command as `python manage.py ...` does; return its exit status.

    The command would close the database connection when done, ending the test's
    transaction, so that one step is skipped.
    """
    try:
        with mock.patch.object(connections, "close_all"):
            ManagementUtility(["manage.py", *argv]).execute()
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def write_roster(path: Path, rows: list[dict[str, Any]]) -> str:
    path.write_bytes(make_roster_workbook(rows).getvalue())
    return str(path)


def test_a_valid_file_is_imported_with_exit_status_0(
    city: City, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_roster(tmp_path / "名册.xlsx", [make_roster_row(city.east), make_roster_row(city.other_branch)])
    assert manage("import_members", path) == 0
    assert "Imported 2 rows: 2 created, 0 updated, 0 unchanged." in capsys.readouterr().out
    assert Member.objects.count() == 2
    # The system has no account: the audit entry and events have no actor.
    audit = AuditEntry.objects.get(action="import")
    assert audit.actor is None and audit.target == "名册.xlsx"


def test_bad_rows_print_one_line_each_exit_1_and_write_nothing(
    city: City, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        make_roster_row(city.east),
        make_roster_row(city.east, 所在党组织="无此支部"),
        make_roster_row(city.east, 人员类别="预备党员"),
    ]
    path = write_roster(tmp_path / "名册.xlsx", rows)
    events = Event.objects.count()
    assert manage("import_members", path) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "Row 3: 所在党组织：Unknown organization 无此支部: use its full name or its code.",
        "Row 4: A probationary member has no full membership date.",
    ]
    assert "2 of 3 rows have errors; nothing was imported." in err
    assert Member.objects.count() == 0
    assert Event.objects.count() == events


def test_bad_rows_can_be_written_to_an_error_workbook(city: City, tmp_path: Path) -> None:
    path = write_roster(tmp_path / "名册.xlsx", [make_roster_row(city.east, 所在党组织="无此支部")])
    errors = tmp_path / "errors.xlsx"
    assert manage("import_members", path, "--error-file", str(errors)) == 1
    sheet = openpyxl.load_workbook(errors).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-1] == "错误说明"
    assert "无此支部" in cast(str, rows[1][-1])


def test_a_dry_run_checks_and_writes_nothing(city: City, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_roster(tmp_path / "名册.xlsx", [make_roster_row(city.east)])
    assert manage("import_members", path, "--dry-run") == 0
    assert "would create 1" in capsys.readouterr().out
    assert Member.objects.count() == 0
    assert not AuditEntry.objects.exists()


def test_a_dry_run_of_a_bad_file_exits_1(city: City, tmp_path: Path) -> None:
    path = write_roster(tmp_path / "名册.xlsx", [make_roster_row(city.east, 公民身份号码="123")])
    assert manage("import_members", path, "--dry-run") == 1


def test_a_missing_or_broken_file_exits_1_with_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], db: None
) -> None:
    assert manage("import_members", str(tmp_path / "nothing.xlsx")) == 1
    assert "Cannot open" in capsys.readouterr().err
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    assert manage("import_members", str(broken)) == 1
    assert "not an Excel workbook (.xlsx)" in capsys.readouterr().err


def test_export_writes_the_subtree_and_reports_the_count(
    city: City, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_member(city.east, name="东甲")
    make_member(city.west, name="西乙")
    make_member(city.other_branch, name="岛丙")
    target = tmp_path / "out.xlsx"
    assert manage("export_members", "--org", "D1", str(target)) == 0
    assert "2 members exported" in capsys.readouterr().out
    sheet = openpyxl.load_workbook(target).active
    assert sheet is not None
    # a title row and a where-and-when line above the header
    assert sorted(cast(str, row[0]) for row in sheet.iter_rows(min_row=4, values_only=True)) == ["东甲", "西乙"]
    audit = AuditEntry.objects.get(action="export")
    assert audit.actor is None
    assert audit.detail["rows"] == 2 and audit.detail["filters"]["org"] == "D1"


def test_export_then_import_by_command_leaves_everything_unchanged(
    city: City, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_member(city.east)
    make_member(city.other_branch, category="probationary", full_on=None)
    target = tmp_path / "out.xlsx"
    call_command("export_members", "--org", "ROOT", "--category", "all", str(target))
    events = Event.objects.count()
    assert manage("import_members", str(target)) == 0
    assert "0 created, 0 updated, 2 unchanged" in capsys.readouterr().out
    assert Event.objects.count() == events


def test_export_of_an_unknown_organization_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], db: None
) -> None:
    assert manage("export_members", "--org", "NOPE", str(tmp_path / "out.xlsx")) == 1
    assert "No organization has the code NOPE." in capsys.readouterr().err
