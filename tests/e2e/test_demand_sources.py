"""Where demands come from, in a real browser: a visit and the demand recorded from it that links
back, research topics counted, and a 12345 workbook refused for one bad row, then recorded."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.demands.categories import default_demand_categories_seed
from lianxin.demands.models import Demand, DemandCategory, Visit
from lianxin.demands.tests.factories_sources import hotline_row, hotline_workbook, make_topic
from tests.e2e.conftest import login, phone_shot, shot
from tests.e2e.picking import pick

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("categories")]


@pytest.fixture
def categories() -> None:
    """A transactional test flushes what the migrations seeded; the categories come back here."""
    default_demand_categories_seed(DemandCategory)


def test_a_secretary_records_a_visit_and_a_demand_from_it_that_links_back(
    page: Page, live_server: object, city: City, branch_secretary: User
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    login(page, base, "branch_secretary", PASSWORD)

    page.goto(f"{base}/demands/visits/new/")
    pick(page, "#id_organization", "东社区")
    page.select_option("#id_kind", Visit.Kind.HOUSEHOLD)
    page.fill("#id_visited", "幸福小区3幢陈大爷家")
    pick(page, "#id_area", city.east.area.name)
    page.fill("#id_visited_on", (timezone.localdate() - timedelta(days=1)).isoformat())
    page.fill("#id_visitors", "王海、李红")
    page.fill("#id_findings", "楼道灯坏了一周，老人晚上出门不便。")
    shot(page, "sources-visit-new")
    page.click("main form button[type=submit]")
    visit = Visit.objects.get()
    expect(page).to_have_url(f"{base}/demands/visits/{visit.pk}/")
    shot(page, "sources-visit-detail")
    phone_shot(page, "sources-visit-detail-phone")

    page.click(f"a[href='/demands/new/?source=visit&source_id={visit.pk}']")
    expect(page.locator(f"main a[href='/demands/visits/{visit.pk}/']").first).to_be_visible()
    page.select_option("#id_category", str(DemandCategory.objects.get(code="facilities").pk))
    page.fill("#id_title", "三幢楼道灯不亮")
    page.fill("#id_description", "幸福小区3幢楼道灯坏了一周，老人晚上出门不便。")
    shot(page, "sources-demand-from-visit")
    page.click("#demand-form button[type=submit]")
    demand = Demand.objects.get()
    assert (demand.source, demand.source_id) == (Demand.Source.VISIT, visit.pk)
    expect(page).to_have_url(f"{base}/demands/{demand.pk}/")
    expect(page.locator(f"main a[href='/demands/visits/{visit.pk}/']").first).to_be_visible()

    page.goto(f"{base}/demands/visits/{visit.pk}/")
    expect(page.locator(f"main a[href='/demands/{demand.pk}/']")).to_have_text("三幢楼道灯不亮")
    shot(page, "sources-visit-with-demand")

    page.goto(f"{base}/demands/visits/")
    expect(page.locator("main table")).to_contain_text("幸福小区3幢陈大爷家")
    phone_shot(page, "sources-visit-list-phone")


def test_research_topics_are_counted_and_concluded(
    page: Page, live_server: object, city: City, district_admin: User
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    topic = make_topic(city.district, by=district_admin, title="海岛渔民养老保障调研", is_key=True)
    make_topic(city.east, by=district_admin, title="老旧小区停车难调研")
    make_topic(city.west, by=district_admin, title="社区食堂运营调研")
    login(page, base, "district_admin", PASSWORD)

    page.goto(f"{base}/demands/topics/")
    expect(page.locator(".topic-counts")).to_contain_text("3")
    expect(page.locator(".topic-counts")).to_contain_text("1")
    shot(page, "sources-topic-list")
    phone_shot(page, "sources-topic-list-phone")

    page.goto(f"{base}/demands/topics/{topic.pk}/")
    page.fill("#id_conclusion", "建议将渔民纳入城乡居民养老保险补助范围")
    page.click(f"form[action='/demands/topics/{topic.pk}/conclude/'] button")
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("main")).to_contain_text("建议将渔民纳入城乡居民养老保险补助范围")
    shot(page, "sources-topic-concluded")


def test_a_hotline_workbook_with_a_bad_row_records_nothing_until_it_is_fixed(
    page: Page, live_server: object, city: City, district_admin: User, tmp_path: Path
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    bad = tmp_path / "hotline-bad.xlsx"
    good = tmp_path / "hotline-good.xlsx"
    bad.write_bytes(hotline_workbook([hotline_row("GD001"), hotline_row("GD002", 类别="天气")]).getvalue())
    good.write_bytes(hotline_workbook([hotline_row("GD001"), hotline_row("GD002", 类别="环境卫生")]).getvalue())
    login(page, base, "district_admin", PASSWORD)
    page.goto(f"{base}/demands/hotline/")
    pick(page, "#id_organization", "城区委员会")
    page.set_input_files("#id_file", str(bad))
    page.click("main form button[type=submit]")
    expect(page.locator("#result table")).to_contain_text("天气")
    assert not Demand.objects.exists()
    shot(page, "sources-hotline-errors")
    phone_shot(page, "sources-hotline-errors-phone")
    with page.expect_download() as download:
        page.click("a[href='/demands/hotline/errors.xlsx']")
    assert download.value.suggested_filename == "12345-errors.xlsx"

    pick(page, "#id_organization", "城区委员会")
    page.set_input_files("#id_file", str(good))
    page.click("main form button[type=submit]")
    expect(page.locator(".alert-success")).to_be_visible()
    assert sorted(Demand.objects.values_list("hotline_number", flat=True)) == ["GD001", "GD002"]
    shot(page, "sources-hotline-done")
