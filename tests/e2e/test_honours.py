"""Honours in a real browser: a district runs a 两优一先 round from its quotas to the published
list, and a branch secretary issues 50-year medals, one delivered home with a photo."""

import io
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Page, expect

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.honours.models import HonourRound, MedalAward, Nomination
from lianxin.honours.tests.helpers import old_member
from lianxin.members.models import Member
from tests.e2e.conftest import login, phone_shot, shot, switch_user
from tests.e2e.picking import pick

pytestmark = pytest.mark.django_db(transaction=True)


def _submit(page: Page, form: str) -> None:
    with page.expect_navigation():
        page.click(f"{form} button[type=submit]")


def _open_round_and_hand_down(page: Page, base: str) -> HonourRound:
    page.goto(f"{base}/honours/")
    page.click("summary.btn-primary")
    pick(page, "#id_owner", "城区")
    page.fill("#id_year", str(timezone.localdate().year))
    page.fill("#id_title", "城区两优一先评选表彰")
    page.fill("#id_outstanding_member", "2")
    _submit(page, "main form[method=post]")
    round_ = HonourRound.objects.get()
    page.select_option("#id_organization", label="东社区党支部")
    page.select_option("#id_kind", "outstanding_member")
    page.fill("#id_count", "1")
    _submit(page, "form[action$='/quotas/']")
    expect(page.locator("#quotas")).to_contain_text("东社区党支部")
    # Asking for more than the district holds is refused with the reason.
    page.select_option("#id_organization", label="西社区党支部")
    page.fill("#id_count", "5")
    _submit(page, "form[action$='/quotas/']")
    expect(page.locator(".alert-error")).to_contain_text("名额仅剩")
    return round_


def _nominate(page: Page, base: str, round_: HonourRound, name: str, *, confirm: bool) -> None:
    page.goto(f"{base}/honours/rounds/{round_.pk}/nominate/")
    page.select_option("#id_kind", "outstanding_member")
    pick(page, "#id_member", name)
    page.fill("#id_deeds", "扎根社区二十年，台风期间连续值守，组织转移群众三百余人。")
    if confirm:
        page.check("#id_no_discipline_confirmed")
    _submit(page, "main form[method=post]")


def test_a_district_runs_a_round_from_quotas_to_the_published_list(
    page: Page, live_server: object, city: City, district_admin: User, branch_secretary: User, east_member: Member
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    old_member(city.west, full_on=date(1990, 1, 1), name="周海")

    login(page, base, "district_admin", PASSWORD)
    round_ = _open_round_and_hand_down(page, base)

    # The branch nominates within the place handed to it; the district reviews.
    switch_user(page, base, "branch_secretary", PASSWORD)
    _nominate(page, base, round_, "李红", confirm=True)
    expect(page.locator("#nominations")).to_contain_text("李红")
    switch_user(page, base, "district_admin", PASSWORD)
    _nominate(page, base, round_, "周海", confirm=False)
    expect(page.locator(".alert-warning")).to_contain_text("纪律处分")
    for name in ("李红", "周海"):
        row = page.locator("#nominations tr", has_text=name)
        with page.expect_navigation():
            row.locator("button[value=recommend]").click()
    shot(page, "honours-round")
    phone_shot(page, "honours-round-phone")

    # Publicity from today for five working days; the public notice shows names, units and deeds only.
    page.fill("#id_starts_on", timezone.localdate().isoformat())
    _submit(page, "form[action$='/publicity/']")
    round_.refresh_from_db()
    assert round_.status == HonourRound.Status.PUBLICITY and round_.publicity_ends_on is not None
    _submit(page, "form[action$='/approve/']")
    expect(page.locator(".alert-error")).to_contain_text("方可批准")
    public = page.context.browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}).new_page()  # type: ignore[union-attr]
    public.goto(f"{base}/honours/public/{round_.pk}/")
    expect(public.locator("main")).to_contain_text("李红")
    expect(public.locator("main")).to_contain_text("东社区党支部")
    expect(public.locator("main")).not_to_contain_text(east_member.id_number[-4:])
    shot(public, "honours-public-notice-phone")

    # After the publicity: approve, record the ceremony, publish.
    after = datetime.combine(round_.publicity_ends_on + timedelta(days=1), datetime.min.time()).replace(hour=10)
    with time_machine.travel(timezone.make_aware(after), tick=True):
        page.reload()
        _submit(page, "form[action$='/approve/']")
        expect(page.locator(".alert-success")).to_be_visible()
        page.fill("#id_held_on", after.date().isoformat())
        page.fill("#id_place", "城区党群服务中心")
        _submit(page, "form[action$='/ceremony/']")
        _submit(page, "form[action$='/publish/']")
        with page.expect_download() as download:
            page.click("a[href$='/certificates/']")
        assert download.value.suggested_filename.endswith(".docx")
    assert set(Nomination.objects.values_list("status", flat=True)) == {Nomination.Status.APPROVED}
    public.goto(f"{base}/honours/public/{round_.pk}/")
    expect(public.locator("main")).to_contain_text("周海")
    shot(page, "honours-round-published")
    public.context.close()


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(out, "JPEG")
    return out.getvalue()


def test_a_secretary_issues_medals_with_one_delivered_home(
    page: Page, live_server: object, city: City, branch_secretary: User
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    year = timezone.localdate().year
    ceremony, home = (old_member(city.east, full_on=date(year - 50, 7, 1), name=n) for n in ("郑光明", "吴秀兰"))
    old_member(city.east, full_on=None, name="冯德")

    login(page, base, "branch_secretary", PASSWORD)
    page.goto(f"{base}/honours/medals/")
    expect(page.locator("#needs-checking")).to_contain_text("冯德")
    for member in (ceremony, home):  # each row is swapped in place (htmx)
        page.click(f"form[action^='/honours/medals/{member.pk}/confirm/'] button[type=submit]")
        expect(page.locator(f"#medal-{member.pk}")).to_contain_text("表现良好")
    page.reload()
    shot(page, "honours-medals")
    phone_shot(page, "honours-medals-phone")

    page.click(f"a[href='/honours/medals/{ceremony.pk}/issue/']")
    page.check("input[name=way][value=ceremony]")
    page.fill("#id_ceremony", "七一纪念章颁发仪式")
    page.fill("#id_place", "东社区党群服务中心")
    page.fill("#id_presented_by", "王书记")
    _submit(page, "main form[method=post]")

    page.click(f"a[href='/honours/medals/{home.pk}/issue/']")
    page.check("input[name=way][value=home]")
    page.fill("#id_delivered_by", "社区书记李强")
    page.set_input_files("#id_photo", {"name": "home.jpg", "mimeType": "image/jpeg", "buffer": _photo()})
    phone_shot(page, "honours-medal-issue-phone")
    _submit(page, "main form[method=post]")

    expect(page.locator("#issued")).to_contain_text("社区书记李强")
    expect(page.locator("#issued")).to_contain_text("王书记")
    assert MedalAward.objects.filter(status=MedalAward.Status.ISSUED).count() == 2
    photo = page.request.get(f"{base}/honours/medals/{home.pk}/photo/")
    assert photo.headers["content-type"] == "image/jpeg"
    shot(page, "honours-medals-issued")
