"""Wish pages: a public wall that shows nobody's personal data, and actions for those allowed."""

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.wishes.models import Wish, WishClaim
from lianxin.wishes.services import wish_claim
from lianxin.wishes.tests.factories import make_member_user, make_wish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_pages(client: Client) -> None:
    """Pages pick their language per request; these assertions read the English messages."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _as(client: Client, user: User) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_public_wall_shows_neither_the_beneficiarys_name_nor_phone(
    client: Client, city: City, resident: User, branch_secretary: User
) -> None:
    wish = make_wish(city.east, posted_by=resident, reviewer=branch_secretary)
    for url in (reverse("wishes:wall"), reverse("wishes:detail", args=[wish.pk])):
        html = client.get(url).content.decode()
        assert "给独居老人买一台电饭煲" in html
        assert "王**" in html
        assert "王秀英" not in html
        assert "13912345678" not in html and "139****5678" not in html
    api = client.get("/api/v1/wishes").json()
    assert api["items"][0]["beneficiary"] == "王**"
    assert "王秀英" not in str(api) and "13912345678" not in str(api)


def test_an_unreviewed_wish_is_neither_on_the_wall_nor_open_to_strangers(
    client: Client, city: City, resident: User, member_user: User
) -> None:
    wish = make_wish(city.east, posted_by=resident, title="待审核的心愿")
    assert "待审核的心愿" not in client.get(reverse("wishes:wall")).content.decode()
    assert client.get(reverse("wishes:detail", args=[wish.pk])).status_code == 404
    assert _as(client, member_user).get(reverse("wishes:detail", args=[wish.pk])).status_code == 404


def test_the_figures_link_to_the_wishes_behind_them(
    client: Client, city: City, resident: User, branch_secretary: User, member_user: User
) -> None:
    done = make_wish(city.east, posted_by=resident, reviewer=branch_secretary, title="已认领的心愿")
    make_wish(city.east, posted_by=resident, reviewer=branch_secretary, title="还在墙上的心愿")
    wish_claim(wish=done, actor=member_user)
    response = client.get(reverse("wishes:wall"))
    assert response.context["figures"].posted == 2 and response.context["figures"].claimed == 1
    html = response.content.decode()
    assert "status=claimed" in html and "已认领的心愿" not in html
    html = client.get(reverse("wishes:wall"), {"status": "claimed"}).content.decode()
    assert "已认领的心愿" in html and "还在墙上的心愿" not in html


def test_the_wall_filters_by_category_and_community(
    client: Client, city: City, resident: User, district_admin: User
) -> None:
    make_wish(city.east, posted_by=resident, reviewer=district_admin, title="东边助学", category="study")
    make_wish(city.west, posted_by=resident, reviewer=district_admin, title="西边陪伴", category="company")
    html = client.get(reverse("wishes:wall"), {"category": "study"}).content.decode()
    assert "东边助学" in html and "西边陪伴" not in html
    html = client.get(reverse("wishes:wall"), {"org": "D1W"}).content.decode()
    assert "西边陪伴" in html and "东边助学" not in html


def test_a_resident_posts_a_wish_and_sees_it_among_their_own(client: Client, city: City, resident: User) -> None:
    client = _as(client, resident)
    response = client.post(
        reverse("wishes:post"),
        {
            "title": "想要一套初中数学辅导书",
            "category": "study",
            "beneficiary_name": "赵小明",
            "beneficiary_phone": "",
            "amount": "120",
            "organization": city.east.code,
        },
    )
    wish = Wish.objects.get()
    assert response.status_code == 302 and wish.posted_by == resident
    assert "想要一套初中数学辅导书" in client.get(reverse("wishes:mine")).content.decode()


def test_posting_over_the_cap_shows_the_error_and_creates_nothing(client: Client, city: City, resident: User) -> None:
    response = _as(client, resident).post(
        reverse("wishes:post"),
        {
            "title": "买电动轮椅",
            "category": "medical",
            "beneficiary_name": "赵大爷",
            "amount": "3000",
            "organization": city.east.code,
        },
    )
    assert response.status_code == 200
    assert "over the cap of 500 yuan" in response.content.decode()
    assert not Wish.objects.exists()


def test_the_review_queue_is_for_admins_in_scope(
    client: Client, city: City, resident: User, branch_secretary: User
) -> None:
    make_wish(city.east, posted_by=resident, title="东边的心愿")
    make_wish(city.west, posted_by=resident, title="西边的心愿")
    assert _as(client, resident).get(reverse("wishes:review_queue")).status_code == 404
    html = _as(client, branch_secretary).get(reverse("wishes:review_queue")).content.decode()
    assert "东边的心愿" in html and "西边的心愿" not in html


def test_claiming_from_the_page_twice_shows_the_clear_message(
    client: Client, city: City, resident: User, branch_secretary: User, member_user: User
) -> None:
    wish = make_wish(city.east, posted_by=resident, reviewer=branch_secretary)
    wish_claim(wish=wish, actor=make_member_user(city.west, "quick"))
    response = _as(client, member_user).post(reverse("wishes:claim", args=[wish.pk]), {"note": ""}, follow=True)
    assert "Someone else has just claimed this wish." in response.content.decode()
    assert WishClaim.objects.filter(wish=wish).count() == 1


def test_the_claimer_fulfils_from_the_page_and_the_admin_confirms(
    client: Client, city: City, resident: User, branch_secretary: User, member_user: User
) -> None:
    wish = make_wish(city.east, posted_by=resident, reviewer=branch_secretary)
    client = _as(client, member_user)
    client.post(reverse("wishes:claim", args=[wish.pk]), {"note": "周末送去"})
    client.post(reverse("wishes:fulfil", args=[wish.pk]), {"note": ""})
    client = _as(Client(HTTP_ACCEPT_LANGUAGE="en"), branch_secretary)
    client.post(reverse("wishes:confirm", args=[wish.pk]), {"note": "已回访"})
    wish.refresh_from_db()
    assert wish.status == Wish.Status.CONFIRMED
    html = client.get(reverse("wishes:detail", args=[wish.pk])).content.decode()
    assert "王秀英" in html  # the reviewer sees the full name, and the timeline
    assert "已回访" in html


def test_a_stranger_cannot_confirm(client: Client, city: City, resident: User, district_admin: User) -> None:
    wish = make_wish(city.west, posted_by=resident, reviewer=district_admin)
    outsider = make_member_user(city.other_branch, "outsider")
    _as(client, outsider).post(reverse("wishes:confirm", args=[wish.pk]), {"note": ""})
    wish.refresh_from_db()
    assert wish.status == Wish.Status.PUBLISHED


def test_everyone_sees_the_wish_wall_link(client: Client, city: City) -> None:
    html = client.get(reverse("wishes:wall")).content.decode()
    assert f'href="{reverse("wishes:wall")}"' in html
