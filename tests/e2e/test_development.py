"""A branch secretary moves an applicant along the development pipeline in a browser and
sees a hard rule block a premature step with its article."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.members.models import Member
from lianxin.members.tests.factories import make_member
from tests.e2e.conftest import login, phone_shot, shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_move_an_applicant_to_activist_then_see_article_13_block_the_candidate_step(
    page: Page, live_server: object, branch_secretary: User, city: City
) -> None:
    today = timezone.localdate()
    member = make_member(
        city.east,
        name="周新",
        category=Member.Category.APPLICANT,
        birth=today.replace(year=today.year - 26),
        applied_on=today - timedelta(days=400),
        activist_on=None,
        candidate_on=None,
        joined_on=None,
        full_on=None,
    )
    base = live_server.url  # type: ignore[attr-defined]
    login(page, base, "branch_secretary", PASSWORD)
    page.goto(f"{base}/members/development/?org=D1E")
    row = page.locator("#pipeline-table tr", has_text="周新")
    expect(row).to_be_visible()
    shot(page, "development-pipeline")
    phone_shot(page, "development-pipeline-phone")

    row.locator("a", has_text="周新").click()
    expect(page.locator("h1")).to_contain_text("周新")
    activist_on = today - timedelta(days=200)
    page.fill("#id_on", activist_on.isoformat())
    page.fill("#id_talker", "张书记")
    page.fill("#id_contacts", "王芳、李强")
    page.click("#advance button[type=submit]")
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("#steps-table")).to_contain_text("王芳、李强")
    shot(page, "development-person-activist")

    # One year as activist has not passed: the candidate step is refused, citing article 13.
    page.fill("#id_on", today.isoformat())
    page.click("#advance button[type=submit]")
    expect(page.locator(".alert-error")).to_contain_text("发展党员工作细则 第13条")
    shot(page, "development-person-blocked")
    phone_shot(page, "development-person-phone")
    member.refresh_from_db()
    assert member.category == Member.Category.ACTIVIST
    assert member.candidate_on is None
