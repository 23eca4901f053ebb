"""The member list and a member's page: filtered, paginated, masked and scoped."""

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.core.models import AuditEntry
from lianxin.members.models import Member, Transfer
from lianxin.members.tests.factories import make_id_number, make_member

pytestmark = pytest.mark.django_db


def _as(client: Client, user: User) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_list_chooses_its_organization_with_a_picker_and_without_script_by_typed_name(
    client: Client, district_admin: User, city: City
) -> None:
    make_member(city.east, name="张海")
    make_member(city.west, name="李岛")
    client = _as(client, district_admin)
    url = reverse("members:list")
    page = client.get(url).content.decode()
    assert "data-picker" in page and "code or full name" not in page
    typed = client.get(url, {"org": "", "org_q": city.east.name}).content.decode()  # the text box, no script
    assert "张海" in typed and "李岛" not in typed


def test_the_list_filters_by_subtree_category_flag_and_name(client: Client, district_admin: User, city: City) -> None:
    make_member(city.east, name="张海", is_at_sea=True)
    make_member(city.west, name="李岛")
    make_member(
        city.west, name="王申", category="applicant", joined_on=None, full_on=None, activist_on=None, candidate_on=None
    )
    client = _as(client, district_admin)
    url = reverse("members:list")
    assert "张海" in client.get(url, {"org": "D1E"}).content.decode()
    assert "李岛" not in client.get(url, {"org": "D1E"}).content.decode()
    html = client.get(url, {"category": "party"}).content.decode()
    assert "王申" not in html and "李岛" in html
    html = client.get(url, {"flag": "is_at_sea"}).content.decode()
    assert "张海" in html and "李岛" not in html
    html = client.get(url, {"q": "李"}).content.decode()
    assert "李岛" in html and "张海" not in html


def test_the_list_shows_masked_id_numbers(client: Client, branch_secretary: User, city: City) -> None:
    id_number = make_id_number(date(1974, 7, 1))
    make_member(city.east, id_number=id_number)
    html = _as(client, branch_secretary).get(reverse("members:list")).content.decode()
    assert id_number not in html
    assert id_number[:4] + "**********" + id_number[-4:] in html


def test_a_secretary_never_sees_members_of_another_branch(client: Client, branch_secretary: User, city: City) -> None:
    other = make_member(city.west, name="西支部党员")
    client = _as(client, branch_secretary)
    assert "西支部党员" not in client.get(reverse("members:list")).content.decode()
    assert client.get(reverse("members:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("members:list"), {"org": "D1W"}).status_code == 404


def test_htmx_filtering_returns_only_the_results(client: Client, branch_secretary: User, city: City) -> None:
    make_member(city.east, name="张海")
    html = _as(client, branch_secretary).get(reverse("members:list"), HTTP_HX_REQUEST="true").content.decode()
    assert "张海" in html and "<html" not in html


def test_the_list_pages_through_many_members(client: Client, branch_secretary: User, city: City) -> None:
    for _ in range(55):
        make_member(city.east)
    client = _as(client, branch_secretary)
    first = client.get(reverse("members:list")).content.decode()
    found = re.search(r'rel="next" href="\?([^"]+)"', first)
    assert found is not None
    second = client.get(reverse("members:list") + "?" + found.group(1).replace("&amp;", "&")).content.decode()
    assert len(re.findall(r'href="/members/\d+/"', first)) == 50
    assert len(re.findall(r'href="/members/\d+/"', second)) == 5
    assert re.search(r'id="member-count">\D*55\D', first)


def test_a_member_sees_their_own_page_and_nobody_else(client: Client, member_user: User, east_member: Member) -> None:
    client = _as(client, member_user)
    own = Member.objects.get(user=member_user)
    assert client.get(reverse("members:detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("members:detail", args=[east_member.pk])).status_code == 404
    assert client.get(reverse("members:list")).status_code == 404


def _crumbs(html: str) -> list[str]:
    match = re.search(r'<div class="crumbs">(.*?)</div>', html, re.S)
    assert match is not None, "no crumbs"
    return re.findall(r'href="([^"]+)"', match.group(1))


def test_a_member_reading_their_own_record_is_offered_only_crumbs_they_may_open(
    client: Client, member_user: User
) -> None:
    client = _as(client, member_user)
    own = Member.objects.get(user=member_user)
    response = client.get(reverse("members:detail", args=[own.pk]))
    crumbs = _crumbs(response.content.decode())
    assert crumbs == [reverse("home")]
    page = response.content.decode()
    assert own.organization.name in page  # named, not linked
    assert reverse("organizations:detail", args=[own.organization.pk]) not in page
    assert all(client.get(url).status_code == 200 for url in crumbs)


def test_a_secretary_is_offered_the_roster_and_the_branch_as_crumbs(
    client: Client, branch_secretary: User, east_member: Member
) -> None:
    client = _as(client, branch_secretary)
    crumbs = _crumbs(client.get(reverse("members:detail", args=[east_member.pk])).content.decode())
    assert crumbs == [reverse("members:list"), reverse("organizations:detail", args=[east_member.organization.pk])]
    assert all(client.get(url).status_code == 200 for url in crumbs)


def test_residents_get_not_found_on_the_roster(client: Client, resident: User, east_member: Member) -> None:
    client = _as(client, resident)
    assert client.get(reverse("members:list")).status_code == 404
    assert client.get(reverse("members:detail", args=[east_member.pk])).status_code == 404


def test_revealing_full_numbers_is_recorded_in_the_audit_trail(
    client: Client, branch_secretary: User, east_member: Member
) -> None:
    response = _as(client, branch_secretary).post(
        reverse("members:reveal", args=[east_member.pk]), HTTP_HX_REQUEST="true"
    )
    assert east_member.id_number in response.content.decode()
    entry = AuditEntry.objects.get()
    assert entry.actor == branch_secretary and entry.action == "view_full"


def test_a_member_cannot_reveal_their_own_numbers_through_the_admin_action(client: Client, member_user: User) -> None:
    own = Member.objects.get(user=member_user)
    assert _as(client, member_user).post(reverse("members:reveal", args=[own.pk])).status_code == 404
    assert not AuditEntry.objects.exists()


def test_the_member_page_shows_the_timeline(client: Client, branch_secretary: User, east_member: Member) -> None:
    html = _as(client, branch_secretary).get(reverse("members:detail", args=[east_member.pk])).content.decode()
    assert "timeline" in html and east_member.name in html


def test_transfer_from_the_page_with_a_wrong_date_explains_and_writes_nothing(
    client: Client, branch_secretary: User, east_member: Member, city: City
) -> None:
    response = _as(client, branch_secretary).post(
        reverse("members:transfer", args=[east_member.pk]),
        {"to_organization": "D1W", "transferred_on": "2026-13-01", "reason": "搬家"},
        follow=True,
    )
    assert "2026-13-01" in response.content.decode()
    assert not Transfer.objects.exists()


def test_transfer_out_of_scope_leaves_the_secretary_on_the_list(
    client: Client, branch_secretary: User, east_member: Member, city: City
) -> None:
    response = _as(client, branch_secretary).post(
        reverse("members:transfer", args=[east_member.pk]),
        {"to_organization": "D2V", "transferred_on": "2026/3/1", "letter_number": "转2026-1", "reason": "回原籍"},
    )
    assert response["Location"] == reverse("members:list")
    east_member.refresh_from_db()
    assert east_member.organization == city.other_branch


def test_a_mobile_number_typed_wrong_is_refused_and_the_old_one_kept(
    client: Client, branch_secretary: User, east_member: Member
) -> None:
    old = east_member.mobile
    response = _as(client, branch_secretary).post(
        reverse("members:edit_contact", args=[east_member.pk]), {"mobile": "12345"}, follow=True
    )
    assert "12345" in response.content.decode()
    east_member.refresh_from_db()
    assert east_member.mobile == old


def test_keeping_the_masked_mobile_keeps_the_stored_number(
    client: Client, branch_secretary: User, east_member: Member
) -> None:
    old = east_member.mobile
    _as(client, branch_secretary).post(
        reverse("members:edit_contact", args=[east_member.pk]),
        {"mobile": east_member.mobile_masked, "work_unit": "海城港务局"},
    )
    east_member.refresh_from_db()
    assert east_member.mobile == old and east_member.work_unit == "海城港务局"


def test_a_city_admin_opens_any_member_page(client: Client, city_admin: User, other_member: Member) -> None:
    response = _as(client, city_admin).get(reverse("members:detail", args=[other_member.pk]))
    assert response.status_code == 200


def test_the_export_link_carries_the_filters_on_screen(client: Client, district_admin: User, city: City) -> None:
    make_member(city.east, name="张海", is_at_sea=True)
    html = _as(client, district_admin).get(reverse("members:list"), {"flag": "is_at_sea"}, HTTP_HX_REQUEST="true")
    assert "export/?" in html.content.decode() and "flag=is_at_sea" in html.content.decode()


def test_the_organization_filter_takes_a_full_name_too(client: Client, district_admin: User, city: City) -> None:
    make_member(city.east, name="张海")
    make_member(city.west, name="李岛")
    html = _as(client, district_admin).get(reverse("members:list"), {"org": "东社区党支部"}).content.decode()
    assert "张海" in html and "李岛" not in html
