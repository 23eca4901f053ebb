import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from conftest import City
from lianxin.accounts.models import User
from lianxin.core.models import AuditEntry
from lianxin.dues.models import DuesAccount, Payment
from lianxin.dues.selectors import months_behind
from lianxin.dues.services.statement import StatementResult, statement_import
from lianxin.dues.tests.factories import TODAY, assessed_member, pay, statement_workbook
from lianxin.members.models import Member

pytestmark = pytest.mark.django_db


def _import(city: City, actor: User | None, rows: list[dict[str, object]]) -> StatementResult:
    book = statement_workbook(rows)
    return statement_import(
        actor=actor, organization=city.east, source=book, size=len(book.getvalue()), file_name="流水.xlsx", today=TODAY
    )


@pytest.fixture
def two_behind(city: City) -> tuple[Member, Member]:
    a = assessed_member(city.east, name="周一", monthly="10.00")
    pay(a, date(2026, 8, 1), "80.00")
    b = assessed_member(city.east, name="吴二", monthly="20.00", basis="fixed")
    pay(b, date(2026, 5, 1), "100.00")
    return a, b


def test_a_statement_with_one_bad_row_writes_nothing_then_fixed_it_records_every_row(
    city: City, branch_secretary: User, two_behind: tuple[Member, Member]
) -> None:
    a, b = two_behind
    before = months_behind(member_ids=[a.pk, b.pk], on=TODAY)
    assert before == {a.pk: 3, b.pk: 6}
    last4_a = a.id_number[-4:]
    rows: list[dict[str, object]] = [
        {"姓名": "周一", "身份证后四位": last4_a, "金额": 30, "交易日期": "2026-12-01"},
        {"姓名": "吴二", "党员编号": b.pk, "金额": "¥100.00", "交易日期": "2026-12-02", "缴至年月": "2026-10"},
        {"姓名": "吴二", "党员编号": b.pk, "金额": 25, "交易日期": "2026-12-02"},
    ]
    result = _import(city, branch_secretary, rows)
    assert not result.is_valid
    assert [e.row for e in result.row_errors] == [5]
    assert "whole number of months" in result.row_errors[0].messages[0]
    assert Payment.objects.count() == 2  # the fixture's own
    assert months_behind(member_ids=[a.pk, b.pk], on=TODAY) == before

    rows[2]["金额"] = 20
    result = _import(city, branch_secretary, rows)
    assert result.is_valid, result.row_errors
    assert (result.written, str(result.amount)) == (3, "150.00")
    assert months_behind(member_ids=[a.pk, b.pk], on=TODAY) == {}
    assert DuesAccount.objects.get(member=b).paid_through == date(2026, 11, 1)
    assert Payment.objects.filter(method=Payment.Method.STATEMENT).count() == 3
    assert AuditEntry.objects.filter(action="import", target="dues.statement:D1E").count() == 1


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"姓名": "周一", "金额": 10, "交易日期": "2026-12-01"}, "member number or the last 4"),
        ({"姓名": "周一", "身份证后四位": "0000", "金额": 10, "交易日期": "2026-12-01"}, "No Party member"),
        ({"姓名": "陈渔", "党员编号": 1, "金额": 10, "交易日期": "2026-12-01"}, "No Party member"),
        ({"姓名": "周一", "党员编号": "x1", "金额": 10, "交易日期": "2026-12-01"}, "Invalid member number"),
        ({"姓名": "周一", "身份证后四位": "12", "金额": 10, "交易日期": "2026-12-01"}, "last 4"),
        ({"姓名": "周一", "党员编号": "{a}", "金额": "ten", "交易日期": "2026-12-01"}, "Invalid amount"),
        ({"姓名": "周一", "党员编号": "{a}", "金额": 10, "交易日期": "2027-01-01"}, "future"),
        (
            {"姓名": "周一", "党员编号": "{a}", "金额": 10, "交易日期": "2026-12-01", "缴至年月": "2026-08"},
            "already paid",
        ),
        (
            {"姓名": "周一", "党员编号": "{a}", "金额": 0, "交易日期": "2026-12-01", "缴至年月": "2026-09"},
            "more than 0",
        ),
    ],
)
def test_each_bad_row_is_reported_with_its_line_and_reason(
    city: City, branch_secretary: User, two_behind: tuple[Member, Member], row: dict[str, object], message: str
) -> None:
    a, _b = two_behind
    row = {k: (a.pk if v == "{a}" else v) for k, v in row.items()}
    good = {"姓名": "吴二", "党员编号": _b.pk, "金额": 20, "交易日期": "2026-12-01"}
    result = _import(city, branch_secretary, [good, row])
    assert [e.row for e in result.row_errors] == [4]
    assert message in " ".join(result.row_errors[0].messages)
    assert Payment.objects.count() == 2


def test_a_member_of_another_organization_cannot_be_named(
    city: City, branch_secretary: User, other_member: Member
) -> None:
    result = _import(
        city,
        branch_secretary,
        [{"姓名": other_member.name, "党员编号": other_member.pk, "金额": 1, "交易日期": "2026-12-01"}],
    )
    assert "No Party member" in result.row_errors[0].messages[0]


def test_a_file_that_is_not_a_workbook_or_lacks_a_column_is_refused(city: City, branch_secretary: User) -> None:
    junk = io.BytesIO(b"not a workbook")
    result = statement_import(actor=branch_secretary, organization=city.east, source=junk, size=14, today=TODAY)
    assert "not an Excel workbook" in result.file_error
    result = _import(city, branch_secretary, [{"姓名": "周一", "金额": 10}])
    assert "交易日期" in result.file_error
    too_big = statement_import(actor=branch_secretary, organization=city.east, source=junk, size=6 * 1024 * 1024)
    assert "larger than" in too_big.file_error
    assert not Payment.objects.exists()


def test_an_organization_outside_the_importers_scope_is_refused(city: City, branch_secretary: User) -> None:
    book = statement_workbook([{"姓名": "x", "金额": 1, "交易日期": "2026-12-01"}])
    with pytest.raises(ValidationError, match="may not"):
        statement_import(actor=branch_secretary, organization=city.other_branch, source=book, size=100)


def test_a_statement_longer_than_the_bound_is_refused_whole(
    city: City, branch_secretary: User, two_behind: tuple[Member, Member], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("lianxin.dues.services.statement.MAX_ROWS", 2)
    a, _b = two_behind
    row = {"姓名": "周一", "党员编号": a.pk, "金额": 10, "交易日期": "2026-12-01"}
    result = _import(city, branch_secretary, [row, row, row])
    assert "at most 2 rows" in result.file_error
    assert Payment.objects.count() == 2


def test_two_rows_of_one_member_follow_each_other(
    city: City, branch_secretary: User, two_behind: tuple[Member, Member]
) -> None:
    a, _b = two_behind
    rows: list[dict[str, object]] = [
        {"姓名": "周一", "党员编号": a.pk, "金额": 10, "交易日期": "2026-12-01"},
        {"姓名": "周一", "党员编号": a.pk, "金额": 10, "交易日期": "2026-12-01", "缴至年月": "2026-09"},
    ]
    result = _import(city, branch_secretary, rows)
    assert [e.row for e in result.row_errors] == [4]
    assert "already paid up to 2026-09" in result.row_errors[0].messages[0]
    rows[1]["缴至年月"] = "2026-10"
    assert _import(city, branch_secretary, rows).written == 2
    assert DuesAccount.objects.get(member=a).paid_through == date(2026, 10, 1)
