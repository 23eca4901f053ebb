"""Logging in by username or mobile number, and throttling of repeated failures."""

from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, City
from lianxin.accounts.backends import UsernameOrMobileBackend
from lianxin.accounts.models import RoleAssignment, User
from lianxin.accounts.services import user_set_mobile

pytestmark = pytest.mark.django_db


def _login(client: Client, username: str, password: str) -> HttpResponse:
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    assert isinstance(response, HttpResponse)
    return response


def test_a_secretary_logs_in_with_username_and_password(client: Client, branch_secretary: User) -> None:
    response = _login(client, "branch_secretary", PASSWORD)
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(branch_secretary.pk)


def test_a_secretary_logs_in_with_a_mobile_number_written_any_usual_way(client: Client, branch_secretary: User) -> None:
    user_set_mobile(user=branch_secretary, mobile="13800000001")
    response = _login(client, "+86 138-0000-0001", PASSWORD)
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(branch_secretary.pk)


def test_the_mobile_number_is_stored_encrypted(branch_secretary: User) -> None:
    from django.db import connection

    user_set_mobile(user=branch_secretary, mobile="13800000001")
    with connection.cursor() as cursor:
        cursor.execute("SELECT mobile FROM accounts_user WHERE id = %s", [branch_secretary.pk])
        stored = cursor.fetchone()[0]
    assert "13800000001" not in stored
    assert User.objects.get(pk=branch_secretary.pk).mobile == "13800000001"


def test_a_wrong_password_gets_a_clear_message_in_chinese(client: Client, branch_secretary: User) -> None:
    response = _login(client, "branch_secretary", "wrong")
    assert response.status_code == 200
    assert "用户名或手机号与密码不匹配" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_gets_a_clear_message_in_english(client: Client, branch_secretary: User) -> None:
    response = client.post(
        reverse("accounts:login"),
        {"username": "branch_secretary", "password": "wrong"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "do not match" in response.content.decode()


def test_five_failures_lock_the_account_even_for_the_right_password(client: Client, branch_secretary: User) -> None:
    for _ in range(5):
        _login(client, "branch_secretary", "wrong")
    response = _login(client, "branch_secretary", PASSWORD)
    assert response.status_code == 200
    assert "尝试次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_successful_login_clears_earlier_failures(client: Client, branch_secretary: User) -> None:
    for _ in range(3):
        _login(client, "branch_secretary", "wrong")
    _login(client, "branch_secretary", PASSWORD)
    client.logout()
    for _ in range(4):
        _login(client, "branch_secretary", "wrong")

    assert _login(client, "branch_secretary", PASSWORD).status_code == 302


def test_pages_need_a_login(client: Client, city: object) -> None:
    response = client.get(reverse("members:list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_token_made_on_the_command_line_opens_the_api(client: Client, district_admin: User) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("create_api_token", "district_admin", "--name", "台账同步", stdout=out, stderr=StringIO())
    token = out.getvalue().strip()
    assert client.get("/api/v1/organizations", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200


def test_a_sessions_account_comes_with_its_member_record_in_one_query(
    client: Client, member_user: User, branch_secretary: User, django_assert_num_queries: Any
) -> None:
    backend = UsernameOrMobileBackend()
    with django_assert_num_queries(1) as seen:
        person = backend.get_user(member_user.pk)
        assert person is not None and person.member.name == "王海"
    # the person's ID and mobile numbers are not read (nor decrypted) for a session
    assert '"members_member"."id_number"' not in seen.captured_queries[0]["sql"]
    assert '"members_member"."mobile"' not in seen.captured_queries[0]["sql"]
    assert '"accounts_user"."mobile"' not in seen.captured_queries[0]["sql"]
    with django_assert_num_queries(1):
        secretary = backend.get_user(branch_secretary.pk)
        assert secretary is not None and getattr(secretary, "member", None) is None
    # The navigation offers a member their own pages, a secretary without a record not.
    assert client.login(username=member_user.username, password=PASSWORD)
    assert "My branch" in client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "我的支部" in client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert client.login(username=branch_secretary.username, password=PASSWORD)
    assert "My branch" not in client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    User.objects.filter(pk=member_user.pk).update(is_active=False)
    assert backend.get_user(member_user.pk) is None
    assert backend.get_user(10**9) is None  # an account since deleted


def _nav(client: Client, path: str, language: str = "en") -> str:
    html = client.get(path, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    return html[html.index('<nav class="mainnav"') : html.index("</nav>", html.index('<nav class="mainnav"'))]


def test_the_navigation_follows_the_roles_the_page_and_the_language_of_each_request(
    client: Client, member_user: User, city: City
) -> None:
    """Its links are kept once rendered (a fragment cache): what they depend on is in the key, so a
    role given between two requests shows at once, and the current page is the one marked."""
    assert client.login(username=member_user.username, password=PASSWORD)
    home, members = reverse("home"), reverse("members:list")
    before = _nav(client, home)
    assert f'href="{members}"' not in before and "Organizational life" not in before
    assert f'<a href="{home}" aria-current="page">Workbench</a>' in before
    RoleAssignment.objects.create(user=member_user, role=RoleAssignment.Role.ORG_ADMIN, organization=city.east)
    after = _nav(client, home)
    assert f'href="{members}" >Members</a>' in after and "Organizational life" in after
    on_members = _nav(client, members)
    assert f'href="{members}" aria-current="page">Members</a>' in on_members
    assert f'<a href="{home}" >Workbench</a>' in on_members
    chinese = _nav(client, members, "zh-hans")
    assert "组织生活" in chinese and "Organizational life" not in chinese
    RoleAssignment.objects.filter(user=member_user, role=RoleAssignment.Role.ORG_ADMIN).delete()
    assert f'href="{members}"' not in _nav(client, home)
