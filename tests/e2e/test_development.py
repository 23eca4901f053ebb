"""A branch secretary moves an applicant along the development pipeline in a browser and
sees a hard rule block a premature step with its article."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.members.models import Member
from lianxin.members.rules.development import training_hours
from lianxin.members.rules.roster import add_months
from lianxin.members.services.development import training_class_create, training_course_add
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
    # The step is previewed first (nothing written yet), then confirmed.
    expect(page.locator("#advance-preview")).to_be_visible()
    shot(page, "development-person-preview")
    phone_shot(page, "development-person-preview-phone")
    member.refresh_from_db()
    assert member.category == Member.Category.APPLICANT
    page.click("#advance button[name=confirm]")
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("#steps-table")).to_contain_text("王芳、李强")
    shot(page, "development-person-activist")

    # One year as activist has not passed: the candidate step is refused, citing article 13.
    page.fill("#id_on", today.isoformat())
    page.click("#advance button[type=submit]")
    expect(page.locator("#advance-preview .alert-error")).to_contain_text("发展党员工作细则 第13条")
    expect(page.locator("#advance button[name=confirm]")).to_have_count(0)
    shot(page, "development-person-blocked")
    phone_shot(page, "development-person-phone")
    member.refresh_from_db()
    assert member.category == Member.Category.ACTIVIST
    assert member.candidate_on is None


def test_training_attendance_an_oath_ceremony_and_birthdays_on_a_phone(
    page: Page, live_server: object, branch_secretary: User, city: City
) -> None:
    today = timezone.localdate()
    trainee = make_member(
        city.east,
        name="陈学",
        category=Member.Category.ACTIVIST,
        applied_on=date(2023, 3, 1),
        activist_on=date(2024, 3, 1),
        candidate_on=None,
        joined_on=None,
        full_on=None,
    )
    make_member(
        city.east,
        name="林誓",
        category=Member.Category.PROBATIONARY,
        joined_on=today - timedelta(days=20),
        full_on=None,
    )
    make_member(city.east, name="七月人", joined_on=date(2005, 7, 1), full_on=date(2006, 7, 1))
    klass = training_class_create(
        organization=city.east, name="入党积极分子培训班", starts_on=date(2025, 5, 1), ends_on=date(2025, 5, 3)
    )
    training_course_add(training_class=klass, title="党章学习", held_on=date(2025, 5, 1), hours=Decimal(8))
    base = live_server.url  # type: ignore[attr-defined]
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, base, "branch_secretary", PASSWORD)

    page.goto(f"{base}/members/development/training/{klass.pk}/")
    page.check(f"input[name=members][value='{trainee.pk}']")
    page.click("text=登记考勤")
    expect(page.locator(".alert-success")).to_be_visible()
    phone_shot(page, "training-class-phone")
    assert training_hours(trainee) == Decimal(8)

    page.goto(f"{base}/members/development/oaths/?org=D1E")
    page.check("#not-sworn input[name=members]")
    page.fill("#id_place", "党群服务中心")
    page.click("text=登记入党宣誓仪式")
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("#not-sworn")).not_to_contain_text("林誓")
    phone_shot(page, "oaths-phone")

    page.goto(f"{base}/members/development/birthdays/?org=D1E&month=7")
    expect(page.locator("#birthdays")).to_contain_text("七月人")
    phone_shot(page, "birthdays-phone")


def test_talk_review_and_extended_probation_on_the_person_pages(
    page: Page, live_server: object, branch_secretary: User, city: City
) -> None:
    today = timezone.localdate()
    dates = {"candidate_on": None, "joined_on": None, "full_on": None}
    applicant = make_member(
        city.east,
        name="等谈话",
        category=Member.Category.APPLICANT,
        applied_on=today - timedelta(days=60),
        activist_on=None,
        **dates,
    )
    activist = make_member(
        city.east,
        name="待考察",
        category=Member.Category.ACTIVIST,
        applied_on=today - timedelta(days=700),
        activist_on=today - timedelta(days=300),
        **dates,
    )
    probationary = make_member(
        city.east,
        name="预备人",
        category=Member.Category.PROBATIONARY,
        joined_on=add_months(today, -12),
        full_on=None,
    )
    base = live_server.url  # type: ignore[attr-defined]
    login(page, base, "branch_secretary", PASSWORD)

    # The pipeline lists who waits for the talk and who is due for the half-yearly review.
    page.goto(f"{base}/members/development/?org=D1E")
    expect(page.locator("#waiting-talk")).to_contain_text("等谈话")
    expect(page.locator("#due-review")).to_contain_text("待考察")
    shot(page, "development-pipeline-warnings")

    _the_talk_and_the_half_yearly_review_are_recorded(page, base, applicant, activist)

    # A 13-month extension is refused with the Constitution's article; 6 months is recorded.
    page.goto(f"{base}/members/development/{probationary.pk}/")
    page.fill("#id_ext-months", "13")
    page.fill("#id_ext-reason", "需继续考察")
    page.fill("#id_ext-approved_by", "街道党工委")
    page.fill("#id_ext-approved_on", today.isoformat())
    page.click("#extension button[type=submit]")
    expect(page.locator(".alert-error")).to_contain_text("党章 第7条")
    page.fill("#id_ext-months", "6")
    page.fill("#id_ext-reason", "需继续考察")
    page.fill("#id_ext-approved_by", "街道党工委")
    page.fill("#id_ext-approved_on", today.isoformat())
    page.click("#extension button[type=submit]")
    expect(page.locator("#probation-ends")).to_contain_text(add_months(today, 6).isoformat())
    expect(page.locator("#extension")).to_contain_text("需继续考察")
    shot(page, "development-person-extension")
    phone_shot(page, "development-person-extension-phone")


def _the_talk_and_the_half_yearly_review_are_recorded(
    page: Page, base: str, applicant: Member, activist: Member
) -> None:
    """From the member page to the development page, then record the talk."""
    page.goto(f"{base}/members/{applicant.pk}/")
    page.click("#development-link")
    expect(page.locator(".development-warning")).to_contain_text("第7条")
    page.fill("#id_talk-talker", "张书记")
    page.click("#talk button[type=submit]")
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("#talk")).to_contain_text("张书记")
    expect(page.locator(".development-warning")).to_have_count(0)
    shot(page, "development-person-talk")

    page.goto(f"{base}/members/development/{activist.pk}/")
    expect(page.locator(".development-warning")).to_contain_text("第11条")
    page.fill("#id_areview-reviewer", "支委会")
    page.fill("#id_areview-note", "表现良好")
    page.click("#activist-reviews button[type=submit]")
    expect(page.locator("#activist-reviews")).to_contain_text("表现良好")
    expect(page.locator(".development-warning")).to_have_count(0)
    shot(page, "development-person-review")
