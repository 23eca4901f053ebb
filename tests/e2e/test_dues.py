"""A branch treasurer imports a bank statement in a real browser: one bad row is reported and nothing
is recorded; fixed, the statement is recorded and the arrears list shrinks."""

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.dues.models import DuesAccount, Payment
from lianxin.dues.rules.months import month_add, month_of, months_between
from lianxin.dues.services.ledger import PaymentInput, assessment_set, payment_record
from lianxin.members.models import Member
from lianxin.members.tests.factories import make_member
from tests.e2e.conftest import login, phone_shot, shot, switch_user

pytestmark = pytest.mark.django_db(transaction=True)

TEN = Decimal("10.00")


def _behind(city: City, name: str, months: int) -> Member:
    """A member of 东社区党支部 at 10 yuan a month, `months` months behind as of today."""
    today = timezone.localdate()
    paid_to = month_add(month_of(today), -months - 1)
    member = make_member(city.east, name=name)
    for year in sorted({paid_to.year, today.year}):
        assessment_set(actor=None, member=member, year=year, basis="employed_3000", monthly_amount=TEN)
    account = DuesAccount.objects.get(member=member)
    months_paid = months_between(account.starts_on, paid_to)
    if months_paid:
        entry = PaymentInput(
            member=member,
            kind=Payment.Kind.REGULAR,
            method=Payment.Method.CASH,
            amount=TEN * months_paid,
            paid_on=today,
            months_to=paid_to,
        )
        payment_record(actor=None, entry=entry)
    return member


def _statement(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["姓名", "党员编号", "金额", "交易日期", "缴至年月"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_a_treasurer_imports_a_statement_fixes_a_bad_row_and_sees_arrears_shrink(
    page: Page, live_server: object, city: City, branch_secretary: User, tmp_path: Path
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    today = timezone.localdate()
    last_month = month_add(month_of(today), -1)
    a = _behind(city, "周小燕", 2)
    b = _behind(city, "吴建国", 3)
    _behind(city, "郑海", 7)
    login(page, base, "branch_secretary", PASSWORD)

    page.goto(f"{base}/dues/arrears/?org=D1E")
    expect(page.locator("#dues-arrears tbody tr")).to_have_count(3)
    expect(page.locator("#dues-arrears")).to_contain_text("郑海")
    shot(page, "dues-arrears-before")

    paid = f"{last_month:%Y-%m}"
    rows: list[list[object]] = [
        [a.name, a.pk, 20, today.isoformat(), paid],
        [b.name, b.pk, 25, today.isoformat(), paid],  # three months are 30.00 yuan, not 25
    ]
    page.goto(f"{base}/dues/import/?org=D1E")
    page.set_input_files("#id_file", str(_statement(tmp_path / "流水.xlsx", rows)))
    page.click("#import-submit")
    expect(page.locator("#import-refused")).to_be_visible()
    expect(page.locator("#statement-errors")).to_contain_text("3")
    expect(page.locator("#statement-errors")).to_contain_text("30.00")
    assert not Payment.objects.filter(method=Payment.Method.STATEMENT).exists()
    shot(page, "dues-import-refused")
    phone_shot(page, "dues-import-refused-phone")

    rows[1][2] = 30
    page.set_input_files("#id_file", str(_statement(tmp_path / "流水-改.xlsx", rows)))
    page.click("#import-submit")
    expect(page.locator("#import-done")).to_be_visible()
    assert Payment.objects.filter(method=Payment.Method.STATEMENT).count() == 2
    shot(page, "dues-import-done")

    page.click("#import-done a")
    expect(page.locator("#dues-arrears tbody tr")).to_have_count(1)
    expect(page.locator("#dues-arrears")).to_contain_text("郑海")
    expect(page.locator("#dues-arrears .badge-red")).to_be_visible()
    shot(page, "dues-arrears-after")
    phone_shot(page, "dues-arrears-after-phone")

    page.goto(f"{base}/dues/?org=D1E")
    expect(page.locator("#dues-ledger")).to_contain_text("周小燕")
    shot(page, "dues-ledger")
    phone_shot(page, "dues-ledger-phone")


def test_a_treasurer_records_a_payment_and_the_member_reads_their_receipt(
    page: Page, live_server: object, city: City, branch_secretary: User, member_user: User
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    today = timezone.localdate()
    member = Member.objects.get(user=member_user)
    assessment_set(actor=None, member=member, year=today.year, basis="retired_5000", monthly_amount=TEN)
    login(page, base, "branch_secretary", PASSWORD)

    page.goto(f"{base}/dues/members/{member.pk}/pay/")
    page.fill("#id_months_to", f"{today.year}-02")
    page.fill("#id_amount", "25")
    page.click("main form button[type=submit]")
    expect(page.locator(".alert-error")).to_contain_text("20.00")
    assert not Payment.objects.exists()
    phone_shot(page, "dues-pay-refused-phone")

    page.fill("#id_amount", "20")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    expect(page.locator("#receipt")).to_contain_text(f"{today.year}-00001")
    shot(page, "dues-receipt")

    switch_user(page, base, "member", PASSWORD)
    page.goto(f"{base}/dues/mine/")
    expect(page.locator("#dues-standing")).to_contain_text(f"{today.year}-02")
    expect(page.locator("#dues-payments")).to_contain_text(f"{today.year}-00001")
    shot(page, "dues-mine")
    phone_shot(page, "dues-mine-phone")
