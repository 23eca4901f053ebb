"""Honours pages: scoped to the admin's subtree; the public notice shows names, units and deeds only."""

import io
from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.core.models import AuditEntry
from lianxin.honours.models import MedalAward, Nomination
from lianxin.honours.services.nominations import nomination_create, nomination_review
from lianxin.honours.services.rounds import quota_set, round_publicity_start
from lianxin.honours.tests.helpers import OM, at, old_member, open_round
from lianxin.members.models import Member
from lianxin.members.tests.factories import make_member

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 9, 28)


@pytest.fixture(autouse=True)
def english_pages(client: Client) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _as(client: Client, user: User) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_a_round_outside_the_admins_subtree_is_404_on_every_page(
    client: Client, city: City, city_admin: User, district_admin: User
) -> None:
    other = open_round(city_admin, city.other_district)
    _as(client, district_admin)
    for name in ("honours:round", "honours:nominate", "honours:certificates"):
        assert client.get(reverse(name, args=[other.pk])).status_code == 404
    assert client.post(reverse("honours:approve", args=[other.pk])).status_code == 404


def test_a_district_nominates_with_the_member_picker_and_sees_the_warnings(
    client: Client, city: City, district_admin: User
) -> None:
    round_ = open_round(district_admin, city.district, quota=1)
    member = make_member(city.east, name="赵敏", category=Member.Category.PROBATIONARY, full_on=None)
    _as(client, district_admin)

    response = client.post(
        reverse("honours:nominate", args=[round_.pk]),
        {"nominated_by": city.district.pk, "kind": OM, "member": member.pk, "deeds": "扎根社区十年"},
        follow=True,
    )

    html = response.content.decode()
    assert "赵敏" in html and "not a full member" in html
    assert Nomination.objects.get().member == member


def test_a_nomination_beyond_the_quota_shows_the_reason_and_writes_nothing(
    client: Client, city: City, district_admin: User, east_member: Member
) -> None:
    round_ = open_round(district_admin, city.district, quota=1)
    nomination_create(
        actor=district_admin, round=round_, nominated_by=city.district, kind=OM, member=east_member, deeds="x"
    )
    second = make_member(city.east)
    _as(client, district_admin)

    response = client.post(
        reverse("honours:nominate", args=[round_.pk]),
        {"nominated_by": city.district.pk, "kind": OM, "member": second.pk, "deeds": "y"},
    )

    assert response.status_code == 200
    assert "is used up" in response.content.decode()
    assert Nomination.objects.count() == 1


def test_the_public_notice_shows_name_unit_and_deeds_and_nothing_private(
    client: Client, city: City, district_admin: User
) -> None:
    member = old_member(
        city.east, full_on=date(2000, 1, 1), name="孙立", mobile="13912345678", work_unit="海城渔业公司"
    )
    with time_machine.travel(at(MONDAY), tick=False):
        round_ = open_round(district_admin, city.district)
        nomination = nomination_create(
            actor=district_admin,
            round=round_,
            nominated_by=city.district,
            kind=OM,
            member=member,
            deeds="抗台救灾冲在前",
        )
        assert client.get(reverse("honours:public", args=[round_.pk])).status_code == 404
        nomination_review(actor=district_admin, nomination=nomination, recommend=True, note="内部意见")
        round_publicity_start(actor=district_admin, round=round_, starts_on=MONDAY)

    html = client.get(reverse("honours:public", args=[round_.pk])).content.decode()

    assert "孙立" in html and "东社区党支部" in html and "抗台救灾冲在前" in html
    for private in (member.id_number, "13912345678", "139****5678", "1938", "内部意见", "dues", "not a full member"):
        assert private not in html
    assert round_.title in client.get(reverse("honours:public_list")).content.decode()


def test_a_member_sees_their_own_honours_and_no_round(client: Client, city: City, member_user: User) -> None:
    _as(client, member_user)

    assert client.get(reverse("honours:mine")).status_code == 200
    assert client.get(reverse("honours:rounds")).status_code == 404
    assert client.get(reverse("honours:medals")).status_code == 404


def test_the_medal_list_is_scoped_and_the_export_is_audited(client: Client, city: City, branch_secretary: User) -> None:
    old_member(city.east, full_on=date(1970, 1, 1), name="钱老")
    old_member(city.other_branch, full_on=date(1970, 1, 1), name="外区老党员")
    _as(client, branch_secretary)

    html = client.get(reverse("honours:medals"), {"year": 2026}).content.decode()
    export = client.get(reverse("honours:medals_export"), {"year": 2026})

    assert "钱老" in html and "外区老党员" not in html
    assert client.get(reverse("honours:medals"), {"org": "D2"}).status_code == 404
    sheet = load_workbook(io.BytesIO(export.content)).worksheets[0]
    assert "钱老" in [row[1] for row in sheet.iter_rows(values_only=True)]
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, target__startswith="honours.medals").count() == 1


def test_a_year_out_of_range_is_refused_with_a_message(client: Client, city: City, branch_secretary: User) -> None:
    _as(client, branch_secretary)

    response = client.get(reverse("honours:medals"), {"year": "20x6"})

    assert response.status_code == 400


def test_a_secretary_confirms_and_delivers_a_medal_home(client: Client, city: City, branch_secretary: User) -> None:
    member = old_member(city.east, full_on=date(1970, 1, 1), name="周老")
    _as(client, branch_secretary)
    with time_machine.travel(at(date(2026, 6, 25)), tick=False):
        client.post(reverse("honours:medal_confirm", args=[member.pk]) + "?year=2026", {"note": "表现良好"})
        refused = client.post(
            reverse("honours:medal_issue", args=[member.pk]), {"way": "home", "issued_on": "2026-06-25"}
        )
        assert "who delivered" in refused.content.decode()
        assert MedalAward.objects.get().status == MedalAward.Status.CONFIRMED
        client.post(
            reverse("honours:medal_issue", args=[member.pk]),
            {"way": "home", "issued_on": "2026-06-25", "delivered_by": "王书记"},
        )

    assert MedalAward.objects.get().status == MedalAward.Status.ISSUED


def test_a_district_sees_the_city_round_with_only_its_own_subtrees_nominations(
    client: Client, city: City, city_admin: User, district_admin: User
) -> None:
    round_ = open_round(city_admin, city.root, quota=4)
    quota_set(actor=city_admin, round=round_, organization=city.district, kind=OM, count=2)
    ours = old_member(city.east, full_on=date(2000, 1, 1), name="本区党员")
    theirs = old_member(city.other_branch, full_on=date(2000, 1, 1), name="外区党员")
    nomination_create(actor=district_admin, round=round_, nominated_by=city.district, kind=OM, member=ours, deeds="x")
    nomination_create(actor=city_admin, round=round_, nominated_by=city.root, kind=OM, member=theirs, deeds="y")
    _as(client, district_admin)

    html = client.get(reverse("honours:round", args=[round_.pk])).content.decode()

    assert "本区党员" in html and "外区党员" not in html
    assert "Start the publicity" not in html


def test_confirming_from_the_list_with_htmx_swaps_the_row_and_refusals_show_in_it(
    client: Client, city: City, branch_secretary: User
) -> None:
    member = old_member(city.east, full_on=date(1970, 1, 1), name="陶老")
    _as(client, branch_secretary)
    url = reverse("honours:medal_confirm", args=[member.pk]) + "?year=2026"

    first = client.post(url, {"note": "良好"}, HTTP_HX_REQUEST="true").content.decode()
    again = client.post(url, {"note": "良好"}, HTTP_HX_REQUEST="true").content.decode()

    assert first.startswith(f'<tr id="medal-{member.pk}">') and "is confirmed" in first
    assert "already has the medal on record" in again
    assert MedalAward.objects.filter(member=member).count() == 1


def test_confirming_without_htmx_goes_back_only_to_this_site(
    client: Client, city: City, branch_secretary: User
) -> None:
    member = old_member(city.east, full_on=date(1970, 1, 1))
    _as(client, branch_secretary)

    response = client.post(
        reverse("honours:medal_confirm", args=[member.pk]) + "?year=2026", {"back": "//evil.example/x"}
    )

    assert response.status_code == 302 and response["Location"].startswith("/honours/medals/")
