"""Every list on a 390-pixel phone: the demo accounts open their daily pages; none scrolls
sideways, tables read as cards (each value beside its column's name) and the first action
button of each page lies inside the screen. Screenshots land in tests/e2e/screenshots/."""

from playwright.sync_api import Page

from lianxin.demo.builder import DEMO_PASSWORD
from tests.e2e.conftest import login, phone_shot, shot

PHONE = 390

# Each demo account and the lists it works through; None is a visitor who has not logged in.
PAGES: dict[str | None, tuple[str, ...]] = {
    None: ("/wishes/", "/demands/board/", "/volunteering/menu/"),
    "admin": (
        "/members/",
        "/demands/",
        "/volunteering/orders/",
        "/volunteering/teams/",
        "/wishes/review/",
        "/community/manage/",
        "/figures/",
        "/demands/figures/",
        "/activities/",
        "/activities/compliance/",
        "/members/development/",
    ),
    "secretary": ("/activities/", "/community/manage/", "/wishes/review/"),
    "handler": ("/demands/",),
    "leader": ("/volunteering/orders/team/", "/volunteering/sessions/"),
    "member": ("/wishes/", "/community/", "/volunteering/sessions/", "/volunteering/record/"),
    "resident": ("/wishes/", "/volunteering/orders/mine/"),
}

# The first button a person would press, and the first one inside a row of a list.
FIRST_BUTTONS = """() => {
  const seen = (el) => el.offsetParent !== null;
  const box = (el) => {
    if (!el) return null;
    const {left, right} = el.getBoundingClientRect();
    return {left, right, text: el.textContent.trim()};
  };
  const buttons = [...document.querySelectorAll("main .btn, main button")].filter(seen);
  return [box(buttons[0]), box(buttons.find((b) => b.closest("table")))];
}"""

# Cards: a visible table cell whose column has a name carries it (data-label) for the stylesheet.
UNLABELLED_CELLS = """() => [...document.querySelectorAll("main table.table")]
  .filter((t) => !t.matches(".no-cards, .tour-schedule, #compliance-board"))
  .filter((t) => t.tHead && t.offsetParent !== null)
  .flatMap((t) => {
    const names = [...t.tHead.rows[t.tHead.rows.length - 1].cells].map((th) => th.textContent.trim());
    return [...t.tBodies].flatMap((b) => [...b.rows]).flatMap((r) =>
      [...r.cells].filter((c, i) => c.colSpan === 1 && names[i] && !c.dataset.label).map((c) => c.textContent.trim()));
  }).slice(0, 5)"""


def _name(user: str | None, path: str) -> str:
    return f"phone-{user or 'visitor'}{path.rstrip('/').replace('/', '-')}"


def _check(page: Page, base: str, user: str | None, path: str) -> None:
    response = page.goto(f"{base}{path}")
    assert response is not None and response.ok, f"{user} {path}: {response and response.status}"
    page.set_viewport_size({"width": PHONE, "height": 844})
    phone_shot(page, _name(user, path))
    for button in page.evaluate(FIRST_BUTTONS):
        if button is not None:
            assert button["left"] >= 0 and button["right"] <= PHONE, f"{user} {path}: {button} is off the screen"
    assert page.evaluate(UNLABELLED_CELLS) == [], f"{user} {path}: cells without their column's name"


def test_every_daily_list_fits_a_phone_for_every_demo_account(page: Page, demo_site: str) -> None:
    base = demo_site
    for user, paths in PAGES.items():
        page.context.clear_cookies()
        if user is not None:
            login(page, base, user, DEMO_PASSWORD)
        for path in paths:
            _check(page, base, user, path)
    _the_wall_is_cards_on_a_phone_and_a_table_on_a_desktop(page, base)


def _the_wall_is_cards_on_a_phone_and_a_table_on_a_desktop(page: Page, base: str) -> None:
    page.context.clear_cookies()
    login(page, base, "member", DEMO_PASSWORD)
    page.set_viewport_size({"width": 1280, "height": 860})
    page.goto(f"{base}/wishes/")
    head = "getComputedStyle(document.querySelector('main table.table thead')).display"
    assert page.evaluate(head) != "none"
    shot(page, "phone-member-wish-wall-desktop")
    page.set_viewport_size({"width": PHONE, "height": 844})
    assert page.evaluate(head) == "none"
    # Each value follows its column's name, taken from the header.
    label = page.evaluate(
        "getComputedStyle(document.querySelector('main table.table tbody td:nth-child(2)'), '::before').content"
    )
    column = page.evaluate("document.querySelector('main table.table thead th:nth-child(2)').textContent.trim()")
    assert label.strip('"') == column
    # The claim button of the first open wish lies inside the screen, as wide as its card.
    claim = page.locator("main table.table form[action$='/claim/'] button").first
    claim.scroll_into_view_if_needed()
    box = claim.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE and box["width"] > PHONE / 2
    phone_shot(page, "phone-member-wish-wall-claim")
