"""A person's notifications: the bell's count, the list, opening one, marking read; nobody sees another's."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from conftest import PASSWORD
from lianxin.accounts.models import User
from lianxin.notifications.models import Notification
from lianxin.notifications.selectors import unread_count
from lianxin.notifications.tests.helpers import given_notification

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def _as(user: User, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _bell(html: str) -> str:
    found = re.search(r'<a class="bell"[^>]*>.*?</a>', html, flags=re.S)
    assert found, "no bell in the page"
    return found[0]


def test_the_bell_shows_the_unread_count_on_every_page(branch_secretary: User, handler: User) -> None:
    given_notification(branch_secretary, text="订单待派单")
    given_notification(branch_secretary, text="诉求待受理")
    given_notification(branch_secretary, text="已读的", read=True)
    given_notification(handler, text="别人的")

    bell = _bell(_as(branch_secretary).get(reverse("home")).content.decode())

    assert 'data-unread="2"' in bell
    assert 'aria-label="2 unread notifications"' in bell
    assert '<span class="bell-badge" aria-hidden="true">2</span>' in bell
    assert f'href="{reverse("notifications:list")}"' in bell


def test_the_bell_reads_in_chinese_hides_its_badge_at_zero_and_caps_at_99(branch_secretary: User) -> None:
    client = _as(branch_secretary, "zh-hans")
    bell = _bell(client.get(reverse("home")).content.decode())
    assert 'data-unread="0"' in bell and "bell-badge" not in bell
    assert 'aria-label="没有未读通知"' in bell

    given_notification(branch_secretary)
    assert 'aria-label="1 条未读通知"' in _bell(client.get(reverse("home")).content.decode())

    for _ in range(120):
        given_notification(branch_secretary)
    bell = _bell(client.get(reverse("home")).content.decode())
    assert '<span class="bell-badge" aria-hidden="true">99+</span>' in bell
    assert 'aria-label="超过 99 条未读通知"' in bell


def test_visitors_get_no_bell(city: object) -> None:
    assert 'class="bell"' not in Client().get(reverse("demands:board")).content.decode()


def test_the_count_is_one_query(branch_secretary: User, django_assert_num_queries: DjangoAssertNumQueries) -> None:
    for _ in range(3):
        given_notification(branch_secretary)
    with django_assert_num_queries(1) as queries:
        assert unread_count(user=branch_secretary) == 3
    # Unsorted: the inbox index (recipient, read_at) answers it alone, however long the inbox.
    assert "ORDER BY" not in queries.captured_queries[0]["sql"]


def test_the_list_is_newest_first_marks_the_unread_and_filters(branch_secretary: User, handler: User) -> None:
    given_notification(branch_secretary, text="最早的一条", minutes_ago=90, read=True)
    given_notification(branch_secretary, text="中间的一条", minutes_ago=30)
    given_notification(branch_secretary, text="最新的一条", minutes_ago=1)
    given_notification(handler, text="办理人的一条")
    client = _as(branch_secretary)

    html = client.get(reverse("notifications:list")).content.decode()

    assert html.index("最新的一条") < html.index("中间的一条") < html.index("最早的一条")
    assert "办理人的一条" not in html
    assert html.count('class="inbox-item unread"') == 2
    assert "30\xa0minutes ago" in html  # timesince keeps its number and unit together
    unread = client.get(reverse("notifications:list"), {"show": "unread"}).content.decode()
    assert "中间的一条" in unread and "最早的一条" not in unread


def test_the_list_is_paged(branch_secretary: User) -> None:
    for i in range(35):
        given_notification(branch_secretary, text=f"第{i}条", minutes_ago=i)
    client = _as(branch_secretary)
    first = client.get(reverse("notifications:list")).content.decode()
    second = client.get(reverse("notifications:list"), {"page": "2"}).content.decode()
    assert first.count('class="inbox-item') == 30 and second.count('class="inbox-item') == 5
    assert "第0条" in first and "第34条" in second


def test_opening_marks_read_and_goes_to_the_page_once(branch_secretary: User) -> None:
    notification = given_notification(branch_secretary, url="/volunteering/orders/7/")
    client = _as(branch_secretary)

    response = client.get(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 302 and response["Location"] == "/volunteering/orders/7/"
    notification.refresh_from_db()
    first_read = notification.read_at
    assert first_read is not None
    assert client.post(reverse("notifications:open", args=[notification.pk])).status_code == 302
    notification.refresh_from_db()
    assert notification.read_at == first_read  # reading again changes nothing


@pytest.mark.parametrize(
    "url", ["https://evil.example/x", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", ""]
)
def test_a_link_off_the_site_leads_to_the_list_instead(branch_secretary: User, url: str) -> None:
    notification = given_notification(branch_secretary, url=url)
    response = _as(branch_secretary).get(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == reverse("notifications:list")


def test_another_persons_notification_is_not_found(branch_secretary: User, handler: User) -> None:
    theirs = given_notification(handler)
    client = _as(branch_secretary)
    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    assert client.get(f"/notifications/{2**70}/open/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_one_read_in_place_updates_the_bell(branch_secretary: User) -> None:
    one = given_notification(branch_secretary, text="第一条")
    given_notification(branch_secretary, text="第二条")

    response = _as(branch_secretary).post(reverse("notifications:read", args=[one.pk]), headers=HTMX)

    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert f'id="notification-{one.pk}"' in html and "inbox-item unread" not in html
    assert 'id="bell"' in html and 'hx-swap-oob="true"' in html and 'data-unread="1"' in html


def test_mark_all_read_is_a_post(branch_secretary: User, handler: User) -> None:
    for _ in range(3):
        given_notification(branch_secretary)
    theirs = given_notification(handler)
    client = _as(branch_secretary)
    assert client.get(reverse("notifications:read_all")).status_code == 405

    response = client.post(reverse("notifications:read_all"), follow=True)

    assert "Marked 3 as read." in response.content.decode()
    assert not Notification.objects.filter(recipient=branch_secretary, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_pages_need_a_login(city: object) -> None:
    response = Client().get(reverse("notifications:list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
