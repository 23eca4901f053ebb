"""The monthly notice (整改通报): a draft for staff, published with frozen figures, a page and a .docx."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.core.models import Event
from lianxin.core.periods import Period
from lianxin.demands.documents.notice import figures_sentence
from lianxin.demands.models import Demand, PublicNotice
from lianxin.demands.selectors.board import notice_items
from lianxin.demands.services.board import (
    notice_choose_items,
    notice_create,
    notice_publish,
    notice_remove_item,
)
from lianxin.demands.services.followup import demand_follow_up
from lianxin.demands.tests.factories import make_demand
from lianxin.demands.tests.factories_board import dated, make_reviewed

pytestmark = pytest.mark.django_db

Status = Demand.Status


@pytest.fixture(autouse=True)
def english_pages(client: Client) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _as(client: Client, user: User) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _month_with_items(city: City, by: User) -> tuple[date, list[Demand]]:
    """Last month in the east community: two reviewed resolved demands, one unreviewed, one open."""
    period = Period.last_month()
    day = period.start.replace(day=5)
    items = [
        make_reviewed(city.east, by=by, summary="南门两盏路灯已更换。", collected=day, resolved=day),
        make_reviewed(city.east, by=by, summary="楼道杂物已清理。", collected=day, resolved=period.end),
    ]
    dated(make_demand(city.east, by=by, until=Status.RESOLVED), collected=day, resolved=day)
    dated(make_demand(city.east, by=by, until=Status.ASSIGNED), collected=day)
    return period.start, items


def test_a_draft_notice_takes_the_months_reviewed_items_and_the_standard_title(
    city: City, branch_secretary: User, district_admin: User
) -> None:
    start, items = _month_with_items(city, district_admin)
    notice = notice_create(actor=branch_secretary, organization=city.east, year=start.year, month=start.month)
    assert notice.status == PublicNotice.Status.DRAFT
    assert notice.title == f"{start.year}年{start.month}月群众反映问题整改通报"
    assert (notice.starts_on, notice.ends_on) == (Period.last_month().start, Period.last_month().end)
    assert set(notice.demands.all()) == set(items)
    assert [i["summary"] for i in notice_items(notice)] == ["南门两盏路灯已更换。", "楼道杂物已清理。"]


def test_publishing_freezes_the_figures_and_items_so_later_handling_does_not_rewrite_it(
    city: City, branch_secretary: User, district_admin: User
) -> None:
    start, items = _month_with_items(city, district_admin)
    notice = notice_create(actor=branch_secretary, organization=city.east, year=start.year, month=start.month)
    # when it is published
    notice_publish(notice=notice, actor=branch_secretary)
    notice.refresh_from_db()
    assert notice.status == PublicNotice.Status.PUBLISHED and notice.published_at is not None
    assert notice.figures["collected"] == 4 and notice.figures["resolved"] == 3
    assert notice.figures["resolution_rate"] == "75.00"
    assert notice.figures["resolution_formula"] == "3 / 4 = 75.00%"
    assert [i["summary"] for i in notice.figures["items"]] == ["南门两盏路灯已更换。", "楼道杂物已清理。"]
    assert Event.objects.filter(verb="published", subject_id=notice.pk).exists()
    # and an item later sent back for re-handling stays on the published notice as it was
    demand_follow_up(demand=items[0], actor=district_admin, result=Demand.Satisfaction.UNSATISFIED)
    notice.refresh_from_db()
    assert notice.figures["resolved"] == 3 and len(notice_items(notice)) == 2


def test_the_figures_read_the_way_the_seeds_publish_them() -> None:
    figures = {"collected": 19153, "resolved": 18487, "resolution_rate": "96.52", "open": 666}
    sentence = figures_sentence(figures, date(2023, 1, 1), date(2023, 12, 31))
    assert sentence.startswith("2023年1月1日至2023年12月31日，共收集问题诉求19153个，整改解决18487个，解决率96.52%")
    with_left_out = figures_sentence({**figures, "duplicates": 3, "not_ours": 2}, date(2023, 1, 1), date(2023, 1, 31))
    assert "（其中重复反映3个、不属于本级职责2个，不计入解决率）" in with_left_out


def test_staff_remove_an_item_and_choose_again_before_publishing(
    city: City, branch_secretary: User, district_admin: User
) -> None:
    start, items = _month_with_items(city, district_admin)
    notice = notice_create(actor=branch_secretary, organization=city.east, year=start.year, month=start.month)
    notice_remove_item(notice=notice, demand=items[0], actor=branch_secretary)
    assert list(notice.demands.all()) == [items[1]]
    assert notice_choose_items(notice=notice, actor=branch_secretary) == 2


def test_a_published_notice_can_no_longer_be_changed_or_published_again(
    city: City, branch_secretary: User, district_admin: User
) -> None:
    start, items = _month_with_items(city, district_admin)
    notice = notice_create(actor=branch_secretary, organization=city.east, year=start.year, month=start.month)
    notice_publish(notice=notice, actor=branch_secretary)
    events = Event.objects.count()
    with pytest.raises(ValidationError) as changed:
        notice_remove_item(notice=notice, demand=items[0], actor=branch_secretary)
    assert changed.value.messages == ["A published notice can no longer be changed."]
    with pytest.raises(ValidationError) as again:
        notice_publish(notice=notice, actor=branch_secretary)
    assert again.value.code == "invalid_transition"
    assert notice.demands.count() == 2 and Event.objects.count() == events


@pytest.mark.parametrize(
    ("year", "month", "message"),
    [(2999, 1, "Choose a month."), (2026, 13, "Choose a month."), (None, None, "That month has not begun yet.")],
)
def test_a_notice_for_a_month_that_is_not_a_month_or_has_not_begun_is_refused(
    city: City, branch_secretary: User, year: int | None, month: int | None, message: str
) -> None:
    if year is None or month is None:
        today = timezone.localdate()
        year, month = (today.year + 1, today.month)
    with pytest.raises(ValidationError) as refused:
        notice_create(actor=branch_secretary, organization=city.east, year=year, month=month)
    assert refused.value.messages == [message]
    assert not PublicNotice.objects.exists()


def test_only_admins_of_the_organization_make_and_publish_its_notices(
    city: City, branch_secretary: User, handler: User
) -> None:
    start = Period.last_month().start
    with pytest.raises(ValidationError):
        notice_create(actor=branch_secretary, organization=city.west, year=start.year, month=start.month)
    with pytest.raises(ValidationError):
        notice_create(actor=handler, organization=city.district, year=start.year, month=start.month)
    assert not PublicNotice.objects.exists()
    notice = notice_create(actor=branch_secretary, organization=city.east, year=start.year, month=start.month)
    with pytest.raises(ValidationError):
        notice_publish(notice=notice, actor=handler)
    notice.refresh_from_db()
    assert notice.status == PublicNotice.Status.DRAFT


# ---------------------------------------------------------------------- pages and the .docx


def test_a_draft_is_not_found_by_the_public_and_a_published_notice_is_public_with_its_docx(
    client: Client, city: City, branch_secretary: User, district_admin: User
) -> None:
    start, _items = _month_with_items(city, district_admin)
    _as(client, branch_secretary)
    response = client.post(
        reverse("demands:notice_new"),
        {"organization": "D1E", "month": f"{start.year}-{start.month:02d}", "title": "", "introduction": "现予通报。"},
    )
    notice = PublicNotice.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("demands:notice", args=[notice.pk])
    # a draft: staff see it with its actions; the public does not find it
    assert "notice-publish" in client.get(reverse("demands:notice", args=[notice.pk])).content.decode()
    client.logout()
    assert client.get(reverse("demands:notice", args=[notice.pk])).status_code == 404
    assert client.get(reverse("demands:notice_docx", args=[notice.pk])).status_code == 404
    assert notice.title not in client.get(reverse("demands:notices")).content.decode()
    # published from its page
    _as(client, branch_secretary).post(reverse("demands:notice_publish", args=[notice.pk]))
    client.logout()
    page = client.get(reverse("demands:notice", args=[notice.pk])).content.decode()
    assert "共收集问题诉求4个，整改解决3个，解决率75.00%" in page
    assert "南门两盏路灯已更换。" in page and "notice-publish" not in page
    for private in ("张桂兰", "13912345678", "小区门口路灯不亮"):
        assert private not in page
    assert notice.title in client.get(reverse("demands:notices")).content.decode()
    # and as a Word document in the seeds' style: a title, the figures, a numbered list
    download = client.get(reverse("demands:notice_docx", args=[notice.pk]))
    assert download["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    paragraphs = [p.text for p in Document(io.BytesIO(download.getvalue())).paragraphs]
    assert paragraphs[0] == notice.title
    assert "现予通报。" in paragraphs
    assert any("共收集问题诉求4个，整改解决3个，解决率75.00%" in p for p in paragraphs)
    assert "1. 【" in "\n".join(paragraphs) and any(p.endswith("楼道杂物已清理。") for p in paragraphs)
    assert not any("张桂兰" in p or "13912345678" in p for p in paragraphs)


def test_the_new_notice_page_refuses_an_organization_outside_ones_care(
    client: Client, city: City, branch_secretary: User, resident: User
) -> None:
    start = Period.last_month().start
    response = _as(client, branch_secretary).post(
        reverse("demands:notice_new"), {"organization": "D1W", "month": f"{start.year}-{start.month:02d}"}
    )
    assert response.status_code == 200
    assert "D1W is not one you can choose here." in response.content.decode()
    assert not PublicNotice.objects.exists()
    _as(client, resident)
    assert client.get(reverse("demands:notice_new")).status_code == 404


def test_removing_an_item_from_the_page_and_a_stranger_cannot(
    client: Client, city: City, branch_secretary: User, district_admin: User, handler: User
) -> None:
    start, items = _month_with_items(city, district_admin)
    notice = notice_create(actor=branch_secretary, organization=city.east, year=start.year, month=start.month)
    url = reverse("demands:notice_remove_item", args=[notice.pk])
    assert _as(client, handler).post(url, {"demand": items[0].pk}).status_code == 404
    assert notice.demands.count() == 2
    _as(client, branch_secretary).post(url, {"demand": items[0].pk})
    assert list(notice.demands.all()) == [items[1]]
    response = client.post(url, {"demand": items[0].pk}, follow=True)
    assert "This item is not on the notice." in response.content.decode()
