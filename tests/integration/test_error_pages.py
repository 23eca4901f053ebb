"""The 404 and 403 pages: a clear message in Chinese with its English, two ways back, nothing revealed.

A record outside the viewer's scope answers exactly like a record that never existed, and
the reason an exception carries (a record's number, a rule) never reaches the page.
"""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.test import Client
from django.urls import path, reverse

from config.urls import urlpatterns as site_urls
from conftest import PASSWORD
from lianxin.accounts.models import User
from lianxin.core import sms
from lianxin.members.models import Member

SECRET = "成员 4711 在东社区党支部"


def _missing(request: HttpRequest) -> HttpResponse:
    raise Http404(SECRET)


def _refused(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied(SECRET)


# This module is the URLconf of the tests marked with it: the site's pages and two that fail.
urlpatterns = [path("test-missing/", _missing), path("test-refused/", _refused), *site_urls]
handler403 = "lianxin.core.views.forbidden"
handler404 = "lianxin.core.views.not_found"

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def _login(client: Client, user: User) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _main(page: str) -> str:
    return page.split("<main", 1)[1].split("</main>", 1)[0]


def test_an_unknown_address_says_so_in_chinese_and_english_and_offers_two_ways_back(client: Client) -> None:
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 404
    page = response.content.decode()
    main = _main(page)
    assert "页面不存在" in main and "页面不存在，或不在您账号的查看范围内。" in main
    assert 'lang="en">Not found: this page does not exist' in main
    assert f'href="{reverse("home")}"' in main
    assert "data-history-back hidden" in main  # shown by the script when there is a page to go back to
    assert "/static/js/history-back.js" in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page), "an inline script: the CSP forbids it"


def test_in_english_the_page_does_not_repeat_itself(client: Client, member_user: User) -> None:
    response = _login(client, member_user).get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    main = _main(response.content.decode())
    assert "This page does not exist, or it is outside what your account can see." in main
    assert 'lang="en"' not in main
    assert "Back to the workbench" in main and "Back to the previous page" in main


def test_a_record_outside_ones_scope_answers_like_a_record_that_never_existed(
    client: Client, member_user: User, east_member: Member
) -> None:
    _login(client, member_user)
    missing = max(Member.objects.values_list("pk", flat=True)) + 1
    outside = client.get(reverse("members:detail", args=[east_member.pk]))
    never = client.get(reverse("members:detail", args=[missing]))
    assert outside.status_code == never.status_code == 404

    def neutral(page: str, pk: int) -> str:
        # The address itself and the per-response CSRF token are the only differences allowed.
        page = page.replace(reverse("members:detail", args=[pk]), "ADDRESS")
        return re.sub(r'"X-CSRFToken": "[^"]+"|name="csrfmiddlewaretoken" value="[^"]+"', "TOKEN", page)

    assert neutral(outside.content.decode(), east_member.pk) == neutral(never.content.decode(), missing)


def test_the_reason_of_a_not_found_or_a_refusal_never_reaches_the_page(client: Client) -> None:
    missing = client.get("/test-missing/")
    refused = client.get("/test-refused/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert (missing.status_code, refused.status_code) == (404, 403)
    for response in (missing, refused):
        page = response.content.decode()
        assert SECRET not in page and "4711" not in page and "Traceback" not in page


def test_a_refusal_says_so_in_chinese_and_english_and_offers_two_ways_back(client: Client) -> None:
    main = _main(client.get("/test-refused/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode())
    assert "无权操作" in main and 'lang="en">Not allowed: you are not allowed to do this.' in main
    assert f'href="{reverse("home")}"' in main and "data-history-back" in main


@pytest.mark.parametrize(
    ("language", "message"),
    [("zh-hans", "表单已过期"), ("en", "The form has expired")],
)
def test_a_form_sent_with_a_stale_token_says_what_to_do_and_saves_nothing(
    client: Client, language: str, message: str
) -> None:
    # Given a resident whose registration page lay open until its token went stale
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE=language)
    client.get(reverse("residents:register"))
    client.cookies["csrftoken"] = "x" * 32

    answer = client.post(reverse("residents:register"), {"mobile": "13912345678", "csrfmiddlewaretoken": "y" * 32})

    html = answer.content.decode()
    assert answer.status_code == 403 and message in html
    assert 'href="/"' in html and "data-history-back" in html  # the ways back
    assert "CSRF" not in html.split("<main", 1)[1]  # no technical reason on the page
    assert not sms.outbox  # no code was sent
