"""A city admin logs in, browses the tree and filters members, in a real browser."""

import pytest
from playwright.sync_api import Page, expect

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.core.tallies import tallies_refresh
from lianxin.members.tests.factories import make_member
from tests.e2e.conftest import login, phone_shot, shot
from tests.e2e.picking import pick

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def roster(city: City) -> City:
    make_member(city.east, name="张海", is_at_sea=True)
    make_member(city.east, name="李红")
    make_member(city.west, name="王岛")
    make_member(city.other_branch, name="陈渔")
    tallies_refresh()  # the tree's counts are read from the tallies, as the minute's refresh leaves them
    return city


def test_a_wrong_password_shows_a_clear_message(page: Page, live_server: object, city_admin: User) -> None:
    login(page, live_server.url, "city_admin", "wrong")  # type: ignore[attr-defined]
    expect(page.locator(".alert-error")).to_contain_text("用户名或手机号与密码不匹配")
    shot(page, "login-error")


def test_browse_the_tree_and_open_a_branch(page: Page, live_server: object, city_admin: User, roster: City) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    login(page, base, "city_admin", PASSWORD)
    page.click("nav.mainnav a[href='/organizations/']")
    expect(page.locator("h1")).to_contain_text("党组织")
    root_row = page.locator(".tree-row", has_text=roster.root.name)
    expect(root_row.locator(".tree-counts strong")).to_have_text("4")
    root_row.locator(".tree-toggle").click()
    district_row = page.locator(".tree-row", has_text="中共城区委员会")
    expect(district_row).to_be_visible()
    district_row.locator(".tree-toggle").click()
    expect(page.locator(".tree-row", has_text="东社区党支部").locator(".tree-counts strong")).to_have_text("2")
    shot(page, "tree")
    phone_shot(page, "tree-phone")
    page.click("text=东社区党支部")
    expect(page.locator("h1")).to_contain_text("东社区党支部")
    shot(page, "organization")


def test_filter_members(page: Page, live_server: object, city_admin: User, roster: City) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    login(page, base, "city_admin", PASSWORD)
    page.goto(f"{base}/members/")
    expect(page.locator("#member-table tbody tr")).to_have_count(4)
    pick(page, "#org", "城区", "中共城区委员会")  # the picker: typed part of its name, chosen from the list
    expect(page.locator("#member-table tbody tr")).to_have_count(3)
    page.select_option("#id_flag", "is_at_sea")
    expect(page.locator("#member-table tbody tr")).to_have_count(1)
    expect(page.locator("#member-table")).to_contain_text("张海")
    shot(page, "members-filtered")
    page.goto(f"{base}/members/")
    expect(page.locator("#member-table tbody tr")).to_have_count(4)
    phone_shot(page, "members-phone")


def test_a_city_admin_opens_a_member_page(page: Page, live_server: object, city_admin: User, roster: City) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    login(page, base, "city_admin", PASSWORD)
    page.goto(f"{base}/members/?q=张海")
    expect(page.locator("#member-table tbody tr")).to_have_count(1)
    with page.expect_navigation() as navigation:
        page.get_by_role("link", name="张海").click()
    assert navigation.value is not None and navigation.value.status == 200
    expect(page.locator("h1")).to_contain_text("张海")


def test_a_secretary_opens_own_members_but_not_another_branch(
    page: Page, live_server: object, branch_secretary: User, roster: City
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    login(page, base, "branch_secretary", PASSWORD)
    page.goto(f"{base}/members/")
    expect(page.locator("#member-table tbody tr")).to_have_count(2)  # 东社区 only
    page.get_by_role("link", name="张海").click()
    expect(page.locator("h1")).to_contain_text("张海")
    expect(page.locator("#personal .masked").first).to_contain_text("**********")
    shot(page, "member")

    response = page.goto(f"{base}/organizations/{roster.west.pk}/")
    assert response is not None and response.status == 404
    expect(page.locator("body")).to_contain_text("不存在")
    shot(page, "not-found")
