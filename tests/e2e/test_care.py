"""A care round in a real browser, from budget to totals: the city creates a 七一 round, hands its
budget down (and is refused more than it holds), draws recipients by age (preview, then confirm),
opens the round, records visits (one twice, with the warning) and reads the totals."""

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.care.models import CareBudget, CareRecipient, CareRound, CareVisit
from lianxin.members.tests.factories import make_member
from tests.e2e.conftest import login, phone_shot, shot, switch_user
from tests.e2e.picking import pick

pytestmark = pytest.mark.django_db(transaction=True)


def _submit(page: Page, form: str) -> None:
    with page.expect_navigation():
        page.click(f"{form} button[type=submit]")


def test_a_care_round_from_budget_to_totals(page: Page, live_server: object, city: City, city_admin: User) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    elder = make_member(city.east, name="周老伯", birth=date(1940, 3, 1))
    make_member(city.west, name="吴阿婆", birth=date(1942, 5, 1))
    make_member(city.west, name="郑青年", birth=date(1980, 5, 1))
    login(page, base, "city_admin", PASSWORD)

    # A round for 七一.
    page.goto(f"{base}/care/rounds/new/")
    page.fill("#id_title", "2026年七一走访慰问")
    page.select_option("#id_occasion", CareRound.Occasion.JULY_FIRST)
    page.fill("#id_year", "2026")
    page.fill("#id_on", "2026-07-01")
    pick(page, "#id_organization", "海城")
    page.check("input[name=target_groups][value=senior]")
    page.check("input[name=target_groups][value=hardship]")
    phone_shot(page, "care-round-new-phone")
    _submit(page, "main form")
    round_ = CareRound.objects.get()

    _hand_the_budget_down(page, round_)

    # Recipients drawn by age: a preview, then confirmed.
    page.click(f"a[href='/care/rounds/{round_.pk}/draw/']")
    page.select_option("#id_rule", "age")
    page.fill("#id_years", "80")
    pick(page, "#id_organization", "海城")
    with page.expect_navigation():
        page.click("main form[method=get] button[type=submit]")
    expect(page.locator("main table")).to_contain_text("周老伯")
    expect(page.locator("main table")).not_to_contain_text("郑青年")
    shot(page, "care-draw-preview")
    _submit(page, "main form[method=post]")
    assert CareRecipient.objects.count() == 2

    _open_and_visit(page, round_, CareRecipient.objects.get(member=elder))

    # The totals, in the seeds' terms.
    page.click(f"a[href='/care/rounds/{round_.pk}/totals/']")
    expect(page.locator("[data-total=people]")).to_contain_text("2")
    expect(page.locator("[data-total=units]")).to_contain_text("2")
    expect(page.locator("[data-total=yuan]")).to_contain_text("2500")
    shot(page, "care-totals")
    phone_shot(page, "care-totals-phone")


def _hand_the_budget_down(page: Page, round_: CareRound) -> None:
    # The budget: the whole at the city, then handed to a district; more than is left is refused.
    budget = f"form[action='/care/rounds/{round_.pk}/budget/']"
    for org, amount in (("海城", "100000"), ("城区", "60000")):
        pick(page, "#id_budget-organization", org)
        page.fill("#id_budget-amount", amount)
        _submit(page, budget)
        expect(page.locator(".alert-success")).to_be_visible()
    pick(page, "#id_budget-organization", "岛县")
    page.fill("#id_budget-amount", "50000")
    _submit(page, budget)
    expect(page.locator(".alert-error")).to_contain_text("40000.00")
    assert CareBudget.objects.count() == 2


def _open_and_visit(page: Page, round_: CareRound, recipient: CareRecipient) -> None:
    # Open for visits and record them: 周老伯 twice, the second time warned.
    _submit(page, f"form[action='/care/rounds/{round_.pk}/move/open/']")
    for name, money in (("周老伯", "1000"), ("吴阿婆", "800"), ("周老伯", "500")):
        page.locator("#recipients tr", has_text=name).get_by_role("link").click()
        page.wait_for_load_state()
        if CareVisit.objects.filter(recipient=recipient).exists() and name == "周老伯":
            expect(page.locator("main .alert-warning")).to_be_visible()
            phone_shot(page, "care-visit-again-phone")
        page.fill("#id_visitors", "王书记、李委员")
        page.fill("#id_visited_on", "2026-06-30")
        page.fill("#id_money", money)
        if money == "800":
            page.fill("#id_goods", "米、油")
            page.fill("#id_goods_value", "200")
        _submit(page, "main form")
    expect(page.locator(".alert-warning")).to_contain_text("周老伯")
    assert CareVisit.objects.filter(repeat=True).count() == 1
    shot(page, "care-round")
    phone_shot(page, "care-round-phone")


def test_a_branch_records_a_member_in_hardship_and_a_member_sees_nothing(
    page: Page, live_server: object, city: City, branch_secretary: User, member_user: User
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    make_member(city.east, name="孙大伯", birth=date(1950, 2, 1))
    login(page, base, "branch_secretary", PASSWORD)
    page.goto(f"{base}/care/hardship/new/")
    pick(page, "#id_member", "孙大伯")
    page.select_option("#id_level", "special")
    page.select_option("#id_reason", "illness")
    page.fill("#id_note", "尿毒症长期透析")
    page.fill("#id_since", "2024-05-01")
    phone_shot(page, "care-hardship-new-phone")
    _submit(page, "main form")
    expect(page.locator(".alert-success")).to_be_visible()
    page.goto(f"{base}/care/hardship/?due=1")
    expect(page.locator("main table")).to_contain_text("孙大伯")
    shot(page, "care-hardship-list")
    phone_shot(page, "care-hardship-list-phone")
    switch_user(page, base, "member", PASSWORD)
    response = page.goto(f"{base}/care/hardship/")
    assert response is not None and response.status == 404
