"""A resident in a real browser: registers with their mobile number and the code texted to it,
reports a problem signed in, follows it from "my demands" and answers the follow-up there
without any code, adds a demand sent earlier without an account, and logs in again with a code.
Every page is looked at on a phone (390 px) and a desktop (1280 px)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import override_settings
from playwright.sync_api import Page, expect

from conftest import City
from lianxin.accounts.models import User
from lianxin.core import sms
from lianxin.demands.categories import default_demand_categories_seed
from lianxin.demands.models import Demand, DemandCategory, FollowUp
from lianxin.demands.services.handling import demand_accept, demand_assign, demand_resolve
from lianxin.demands.services.public import demand_submit_public
from lianxin.organizations.models import Area
from lianxin.organizations.tests.factories import make_area, make_organization
from lianxin.residents.models import Resident
from lianxin.residents.tests.factories import code_sent_to
from tests.e2e.conftest import phone_shot, shot
from tests.e2e.picking import pick

pytestmark = [pytest.mark.django_db(transaction=True)]

MOBILE = "13912345678"
PASSWORD = "sea-breeze-lantern-42"


@pytest.fixture(autouse=True)
def categories(transactional_db: None) -> None:
    """A flushed test database has lost the categories migration 0002 wrote."""
    default_demand_categories_seed(DemandCategory)
    sms.outbox.clear()


def _community(city: City) -> Area:
    town = make_area(name="城东街道", kind=Area.Kind.TOWN, parent=city.district.area)
    community = make_area(name="幸福社区", kind=Area.Kind.COMMUNITY, parent=town)
    make_organization(name="幸福社区党支部", parent=city.district, area=community, code="D1H")
    return community


def _both(page: Page, name: str) -> None:
    shot(page, name)
    phone_shot(page, f"{name}-phone")


def _submit(page: Page) -> None:
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def _register(page: Page, base: str, community: Area) -> None:
    # From the login page to registration: the mobile number first, a code comes by text.
    page.goto(f"{base}/accounts/login/")
    _both(page, "resident-login")
    with page.expect_navigation():
        page.click("a[href='/residents/register/']")
    page.fill("#id_mobile", "139 1234 5678")
    _both(page, "resident-register")
    _submit(page)
    expect(page.locator(".alert-success")).to_contain_text("139****5678")

    # Step two: the code, a name, the community typed by name, a password, consent.
    page.fill("#id_code", code_sent_to(MOBILE))
    page.fill("#id_name", "张桂兰")
    pick(page, "#id_community", "幸福")
    page.fill("#id_password", PASSWORD)
    page.fill("#id_password_again", PASSWORD)
    page.check("#id_consent")
    _both(page, "resident-register-finish")
    _submit(page)
    assert page.url.endswith("/residents/me/")
    expect(page.locator("main")).to_contain_text("幸福社区")
    expect(page.locator("main")).not_to_contain_text(MOBILE)
    _both(page, "resident-me")
    assert Resident.objects.get().community == community


@override_settings(SMS_BACKEND="lianxin.core.sms.LocmemBackend")
def test_a_resident_registers_reports_a_problem_and_follows_it_up_from_my_demands(
    page: Page, live_server: object, city: City, district_admin: User
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    community = _community(city)
    _register(page, base, community)

    # Signed in, they report a problem: name and number are filled in already.
    page.click("main a[href='/demands/submit/']")
    expect(page.locator("#id_submitter_phone")).to_have_value(MOBILE)
    page.select_option("#id_category", str(DemandCategory.objects.get(code="facilities").pk))
    pick(page, "#id_area", "幸福")
    page.fill("#id_title", "楼道灯坏了")
    page.fill("#id_description", "三单元楼道灯不亮一周了，老人上下楼不方便。")
    _submit(page)
    demand = Demand.objects.get()
    assert demand.resident is not None and demand.resident.display_name == "张桂兰"
    with page.expect_navigation():
        page.click(f"a[href='/demands/mine/{demand.pk}/']")
    _both(page, "resident-demand-open")

    # The community handles it; the resident finds it resolved among their demands and answers.
    demand_accept(demand=demand, actor=district_admin)
    demand_assign(demand=demand, actor=district_admin, unit=city.west, days=3)
    demand_resolve(demand=demand, actor=district_admin, resolution="更换了三单元的楼道灯。")
    page.goto(f"{base}/demands/mine/")
    _both(page, "resident-my-demands")
    with page.expect_navigation():
        page.click(f"a[href='/demands/mine/{demand.pk}/']")
    expect(page.locator("main")).to_contain_text("更换了三单元的楼道灯")
    expect(page.locator("main")).not_to_contain_text("district_admin")
    _both(page, "resident-demand-resolved")
    page.check("input[name=result][value=satisfied]")
    page.fill("#id_comment", "灯亮了，谢谢")
    with page.expect_navigation():
        page.click("#follow-up button[type=submit]")
    expect(page.locator(".alert-success")).to_be_visible()
    demand.refresh_from_db()
    assert demand.status == Demand.Status.CLOSED and FollowUp.objects.get(demand=demand).by_resident

    _a_demand_sent_without_an_account_is_added(page, base, community)
    _the_resident_logs_in_again_with_a_code(page, base)


def _a_demand_sent_without_an_account_is_added(page: Page, base: str, community: Area) -> None:
    earlier = demand_submit_public(
        actor=AnonymousUser(),
        category="environment",
        area=community,
        address="幸福小区北门",
        title="北门垃圾没人清",
        description="北门垃圾桶满了三天。",
        submitter_name="张桂兰",
        submitter_phone=MOBILE,
        ip_address=None,
    )
    page.goto(f"{base}/demands/mine/claim/")
    page.fill("#id_code", earlier.lookup_code)
    page.fill("#id_digits", "0000")
    _submit(page)
    expect(page.locator(".alert-error")).to_be_visible()
    _both(page, "resident-claim-refused")
    page.fill("#id_code", earlier.lookup_code)
    page.fill("#id_digits", MOBILE[-4:])
    _submit(page)
    assert page.url.endswith(f"/demands/mine/{earlier.pk}/")
    page.goto(f"{base}/demands/mine/")
    expect(page.locator("main")).to_contain_text("北门垃圾没人清")


def _the_resident_logs_in_again_with_a_code(page: Page, base: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    with page.expect_navigation():
        page.click("a[href='/residents/login/code/']")
    page.fill("#id_mobile", MOBILE)
    _both(page, "resident-login-code")
    _submit(page)
    page.fill("#id_code", code_sent_to(MOBILE))
    _both(page, "resident-login-code-finish")
    _submit(page)
    assert page.url.endswith("/residents/me/")
    page.goto(f"{base}/residents/privacy/")
    _both(page, "resident-privacy")
