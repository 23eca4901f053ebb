"""12345 hotline work orders: every row checked first, then all recorded as demands or none."""

import io
from datetime import datetime
from pathlib import Path
from typing import Any, cast

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import load_workbook

from conftest import City
from lianxin.accounts.models import User
from lianxin.demands.models import Demand
from lianxin.demands.services.hotline import HotlineImportResult, hotline_error_workbook, hotline_import
from lianxin.demands.tests.factories_sources import hotline_row, hotline_workbook

pytestmark = pytest.mark.django_db


def run(city: City, user: User, rows: list[list[Any]], *, dry_run: bool = False) -> HotlineImportResult:
    return hotline_import(actor=user, organization=city.district, source=hotline_workbook(rows), dry_run=dry_run)


def messages_of(result: HotlineImportResult) -> dict[int, str]:
    return {e.row: "；".join(e.messages) for e in result.row_errors}


class TestAValidWorkbook:
    def test_every_work_order_becomes_a_hotline_demand_with_its_number_collected_when_transferred(
        self, city: City, district_admin: User
    ) -> None:
        result = run(city, district_admin, [hotline_row("GD001"), hotline_row("GD002", 诉求标题="", 联系电话="")])

        assert result.is_valid and result.created == 2
        first, second = Demand.objects.order_by("hotline_number")
        assert (first.source, first.hotline_number, first.organization) == (
            Demand.Source.HOTLINE,
            "GD001",
            city.district,
        )
        assert first.category.code == "noise" and first.area == city.district.area
        assert first.submitter_phone == "13800138000" and first.submitter_name == "刘女士"
        assert timezone.localtime(first.created_at).replace(tzinfo=None) == datetime(2026, 11, 20, 9, 30)
        assert second.title == "每晚九点后小区广场仍有广场舞音乐，影响休息。"[:30]

    def test_categories_and_areas_may_be_written_as_codes_and_numbers_as_numeric_cells(
        self, city: City, district_admin: User
    ) -> None:
        result = run(city, district_admin, [hotline_row(20261120001, 类别="noise", 所属区域=city.district.area.code)])

        assert result.is_valid
        assert Demand.objects.get().hotline_number == "20261120001"

    def test_a_dry_run_checks_everything_and_writes_nothing(self, city: City, district_admin: User) -> None:
        result = run(city, district_admin, [hotline_row("GD001")], dry_run=True)

        assert result.is_valid and result.total_rows == 1 and result.created == 0
        assert not Demand.objects.exists()

    def test_a_title_line_above_the_header_is_skipped(self, city: City, district_admin: User) -> None:
        source = hotline_workbook([hotline_row("GD001")], title="12345热线转办工单（11月20日）")

        result = hotline_import(actor=district_admin, organization=city.district, source=source)

        assert result.created == 1 and result.header_row == 2


class TestBadRows:
    @pytest.mark.parametrize(
        ("cells", "message"),
        [
            ({"类别": "天气"}, "Unknown category 天气"),
            ({"转办时间": "2026-13-45"}, "Invalid date"),
            ({"转办时间": "2999-01-01 08:00"}, "in the future"),
            ({"所属区域": "火星"}, "Unknown area 火星"),
            ({"联系电话": "12345"}, "Invalid mobile number"),
            ({"诉求内容": ""}, "content of the demand is empty"),
            ({"类别": ""}, "category is empty"),
        ],
    )
    def test_a_bad_cell_is_named_on_its_row_and_nothing_is_written(
        self, city: City, district_admin: User, cells: dict[str, str], message: str
    ) -> None:
        result = run(city, district_admin, [hotline_row("GD001"), hotline_row("GD002", **cells)])

        assert not result.is_valid
        assert list(messages_of(result)) == [3]
        assert message in messages_of(result)[3]
        assert not Demand.objects.exists()

    def test_an_area_outside_the_importing_organizations_area_is_refused(
        self, city: City, district_admin: User
    ) -> None:
        result = run(city, district_admin, [hotline_row("GD001", 所属区域="岛县")])

        assert "outside the area" in messages_of(result)[2]
        assert not Demand.objects.exists()

    def test_a_work_order_number_repeated_in_the_file_is_reported_on_the_second_row(
        self, city: City, district_admin: User
    ) -> None:
        result = run(city, district_admin, [hotline_row("GD001"), hotline_row("GD001")])

        assert messages_of(result) == {3: "工单编号：The same work order number is already on row 2."}
        assert not Demand.objects.exists()

    def test_a_work_order_already_imported_is_reported_not_duplicated(self, city: City, district_admin: User) -> None:
        run(city, district_admin, [hotline_row("GD001")])

        again = run(city, district_admin, [hotline_row("GD001"), hotline_row("GD002")])

        assert "Work order GD001 was already imported" in messages_of(again)[2]
        assert Demand.objects.count() == 1

    def test_a_workbook_without_a_required_column_is_refused_as_a_whole(self, city: City, district_admin: User) -> None:
        source = hotline_workbook([["GD001", "噪音"]], header=["工单编号", "诉求标题"])

        result = hotline_import(actor=district_admin, organization=city.district, source=source)

        assert "lacks these required columns" in result.file_error and "诉求内容" in result.file_error
        assert not Demand.objects.exists()

    def test_a_file_that_is_not_a_workbook_is_refused(self, city: City, district_admin: User) -> None:
        result = hotline_import(actor=district_admin, organization=city.district, source=io.BytesIO(b"not a zip"))

        assert "not an Excel workbook" in result.file_error

    def test_someone_outside_the_organizations_scope_cannot_import(self, city: City, branch_secretary: User) -> None:
        with pytest.raises(ValidationError, match="not allowed"):
            run(city, branch_secretary, [hotline_row("GD001")])

        assert not Demand.objects.exists()

    def test_the_error_workbook_carries_each_rows_messages_in_an_error_column(
        self, city: City, district_admin: User, tmp_path: Path
    ) -> None:
        source = hotline_workbook([hotline_row("GD001"), hotline_row("GD002", 类别="天气")])
        result = hotline_import(actor=district_admin, organization=city.district, source=source)
        target = tmp_path / "errors.xlsx"

        source.seek(0)
        hotline_error_workbook(source=source, target=str(target), result=result)

        sheet = load_workbook(target).active
        assert sheet is not None
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][-1] == "错误说明"
        assert rows[1][-1] is None
        assert "Unknown category 天气" in cast(str, rows[2][-1])


class TestTheCommand:
    def test_the_command_records_the_work_orders_for_the_given_organization(
        self, city: City, district_admin: User, tmp_path: Path
    ) -> None:
        path = tmp_path / "12345.xlsx"
        path.write_bytes(hotline_workbook([hotline_row("GD001")]).getvalue())
        out = io.StringIO()

        call_command("import_hotline", str(path), "--org", "D1", "--user", "district_admin", stdout=out)

        assert Demand.objects.get().organization == city.district
        assert "Recorded 1 work orders" in out.getvalue()

    def test_a_dry_run_of_the_command_writes_nothing(self, city: City, district_admin: User, tmp_path: Path) -> None:
        path = tmp_path / "12345.xlsx"
        path.write_bytes(hotline_workbook([hotline_row("GD001")]).getvalue())

        call_command(
            "import_hotline", str(path), "--org", "D1", "--user", "district_admin", "--dry-run", stdout=io.StringIO()
        )

        assert not Demand.objects.exists()

    def test_the_command_prints_bad_rows_fails_and_writes_nothing(
        self, city: City, district_admin: User, tmp_path: Path
    ) -> None:
        path = tmp_path / "12345.xlsx"
        path.write_bytes(hotline_workbook([hotline_row("GD001", 所属区域="火星")]).getvalue())
        out = io.StringIO()

        with pytest.raises(CommandError, match="1 of 1 rows have errors"):
            call_command("import_hotline", str(path), "--org", "D1", "--user", "district_admin", stdout=out)

        assert "Row 2:" in out.getvalue() and "火星" in out.getvalue()
        assert not Demand.objects.exists()

    def test_an_unknown_organization_code_is_refused(self, city: City, district_admin: User, tmp_path: Path) -> None:
        path = tmp_path / "12345.xlsx"
        path.write_bytes(hotline_workbook([hotline_row("GD001")]).getvalue())

        with pytest.raises(CommandError, match="No organization has the code NOPE"):
            call_command("import_hotline", str(path), "--org", "NOPE", "--user", "district_admin")
