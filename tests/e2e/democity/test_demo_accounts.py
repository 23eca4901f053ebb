"""The demo city in a real browser: what `make run` shows each demo account on the new pages.

The small demo is built into the live server's database; the pages must show the demo's
teams, orders, hours, tour and wishes, and fit a 390-pixel phone screen.
"""

from playwright.sync_api import Page, expect

from lianxin.demo.builder import DEMO_PASSWORD
from lianxin.volunteering.models import Order, Tour
from tests.e2e.conftest import login, phone_shot, shot


def test_the_demo_accounts_find_their_service_work_waiting(page: Page, demo_site: str) -> None:
    base = demo_site

    # The public sees the menu and the 红七月 schedule without logging in.
    page.goto(f"{base}/volunteering/menu/")
    expect(page.locator("main")).to_contain_text("服务")
    phone_shot(page, "demo-menu-phone")
    tour = Tour.objects.get()
    page.goto(f"{base}/volunteering/tours/{tour.pk}/schedule/")
    expect(page.locator("main")).to_contain_text("红七月·服务月 巡回服务")
    expect(page.locator("main")).to_contain_text("千岛街道党群服务中心广场")
    phone_shot(page, "demo-tour-phone")

    # The leader has orders dispatched to the team, waiting to be accepted.
    login(page, base, "leader", DEMO_PASSWORD)
    page.goto(f"{base}/volunteering/orders/team/")
    waiting = Order.objects.filter(team__leader__username="leader", status=Order.Status.DISPATCHED).first()
    assert waiting is not None
    expect(page.locator("main")).to_contain_text(waiting.item.title)
    shot(page, "demo-leader-orders")
    phone_shot(page, "demo-leader-orders-phone")
    page.context.clear_cookies()

    # The member has hours on their service record, and wishes on the wall to claim.
    login(page, base, "member", DEMO_PASSWORD)
    page.goto(f"{base}/volunteering/record/")
    expect(page.locator("main")).to_contain_text("海宇社区党员志愿服务队")
    phone_shot(page, "demo-member-record-phone")
    page.goto(f"{base}/wishes/")
    expect(page.locator("main .card").first).to_be_visible()
    phone_shot(page, "demo-wish-wall-phone")
    page.context.clear_cookies()

    # The resident has a served order to rate.
    login(page, base, "resident", DEMO_PASSWORD)
    page.goto(f"{base}/volunteering/orders/mine/")
    served = Order.objects.get(ordered_by__username="resident", status=Order.Status.SERVED)
    expect(page.locator("main")).to_contain_text(served.item.title)
    phone_shot(page, "demo-resident-orders-phone")
