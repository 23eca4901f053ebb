"""Menu, team and order pages: public where they should be, 404 where the viewer has no business."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.core.tests.images import HTML, SVG, photo_bytes
from lianxin.volunteering.models import Order, OrderPhoto, Team, TeamMembership
from lianxin.volunteering.services.orders import order_serve
from lianxin.volunteering.tests.factories import leader_of, make_item, make_leader, make_order, make_team

pytestmark = pytest.mark.django_db
Status = Order.Status


@pytest.fixture(autouse=True)
def english_pages(client: Client) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _as(client: Client, user: User) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def team(city: City) -> Team:
    return make_team(city.district, leader=make_leader("captain"), name="城区红马甲服务队")


def test_the_public_menu_needs_no_login_and_names_teams_never_people(client: Client, team: Team) -> None:
    item = make_item(team, title="社区义诊")
    for url in (reverse("volunteering:menu"), reverse("volunteering:item_detail", args=[item.pk])):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "社区义诊" in html and "城区红马甲服务队" in html
        assert "captain" not in html
    assert "Log in to order" in client.get(reverse("volunteering:menu")).content.decode()


def test_the_menu_filters_by_category_and_area_from_the_query(client: Client, city: City, team: Team) -> None:
    make_item(team, title="社区义诊")
    make_item(team, title="法律咨询", category_code="legal_advice")
    html = client.get(reverse("volunteering:menu"), {"category": "legal_advice"}).content.decode()
    assert "法律咨询" in html and "社区义诊" not in html
    html = client.get(reverse("volunteering:menu"), {"area": city.other_district.area.code}).content.decode()
    assert "No services match." in html


def test_a_resident_orders_from_the_menu(client: Client, city: City, resident: User, team: Team) -> None:
    item = make_item(team)
    _as(client, resident)
    url = reverse("volunteering:order_new") + f"?item={item.pk}"
    assert client.get(url).status_code == 200
    today = timezone.localdate()
    response = client.post(
        url,
        {
            "area": city.district.area.pk,
            "place": "东社区文化礼堂",
            "starts_on": today + timedelta(days=1),
            "ends_on": today + timedelta(days=1),
            "expected_beneficiaries": 20,
        },
    )
    order = Order.objects.get()
    assert response.status_code == 302 and response.url == reverse("volunteering:order_detail", args=[order.pk])  # type: ignore[attr-defined]
    assert order.ordered_by == resident and order.owner == city.district


def test_a_bad_order_form_shows_the_message_and_writes_nothing(
    client: Client, city: City, resident: User, team: Team
) -> None:
    item = make_item(team)
    _as(client, resident)
    today = timezone.localdate()
    response = client.post(
        reverse("volunteering:order_new") + f"?item={item.pk}",
        {
            "area": city.district.area.pk,
            "place": "礼堂",
            "starts_on": today + timedelta(days=3),
            "ends_on": today + timedelta(days=1),
            "expected_beneficiaries": 20,
        },
    )
    assert response.status_code == 200
    assert "The end date is before the start date." in response.content.decode()
    assert not Order.objects.exists()


def test_ordering_an_unknown_or_withdrawn_item_is_not_found(client: Client, resident: User, team: Team) -> None:
    _as(client, resident)
    assert client.get(reverse("volunteering:order_new") + "?item=999999").status_code == 404
    assert client.get(reverse("volunteering:order_new") + "?item=abc").status_code == 404


def test_the_owner_dispatches_from_the_suggestions_and_the_leader_accepts(
    client: Client, district_admin: User, resident: User, team: Team
) -> None:
    order = make_order(make_item(team), ordered_by=resident)
    _as(client, district_admin)
    inbox = client.get(reverse("volunteering:order_list")).content.decode()
    assert reverse("volunteering:order_detail", args=[order.pk]) in inbox
    page = client.get(reverse("volunteering:order_detail", args=[order.pk])).content.decode()
    assert "Suggested teams" in page and "offers this service on the menu" in page
    client.post(reverse("volunteering:order_dispatch", args=[order.pk]), {"team": team.pk})
    order.refresh_from_db()
    assert order.status == Status.DISPATCHED and order.team == team
    client.logout()
    _as(client, leader_of(team))
    inbox = client.get(reverse("volunteering:order_team_inbox")).content.decode()
    assert reverse("volunteering:order_detail", args=[order.pk]) in inbox
    client.post(reverse("volunteering:order_accept", args=[order.pk]), {"note": ""})
    order.refresh_from_db()
    assert order.status == Status.ACCEPTED
    page = client.get(reverse("volunteering:order_detail", args=[order.pk])).content.decode()
    assert f"/volunteering/sessions/new/?order={order.pk}" in page


def test_the_leader_records_the_service_with_a_photo_and_the_orderer_rates_it(
    client: Client, resident: User, team: Team, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    order = make_order(make_item(team), ordered_by=resident, until=Status.ACCEPTED)
    _as(client, leader_of(team))
    photo = SimpleUploadedFile("p.jpg", photo_bytes("JPEG"), content_type="image/jpeg")
    client.post(
        reverse("volunteering:order_serve", args=[order.pk]),
        {"beneficiaries": 33, "service_note": "义诊", "photos": [photo]},
    )
    order.refresh_from_db()
    assert order.status == Status.SERVED and order.photos.count() == 1
    client.logout()
    _as(client, resident)
    response = client.post(reverse("volunteering:order_rate", args=[order.pk]), {"rating": 4, "comment": "好"})
    order.refresh_from_db()
    assert response.status_code == 302 and order.rating == 4
    mine = client.get(reverse("volunteering:order_mine")).content.decode()
    assert reverse("volunteering:order_detail", args=[order.pk]) in mine


def test_a_refused_step_shows_the_message_and_changes_nothing(
    client: Client, district_admin: User, resident: User, team: Team
) -> None:
    order = make_order(make_item(team), ordered_by=resident, until=Status.DISPATCHED, dispatcher=district_admin)
    _as(client, district_admin)
    response = client.post(reverse("volunteering:order_accept", args=[order.pk]), {"note": ""}, follow=True)
    assert f"Only the leader of {team.name} can do this." in response.content.decode()
    order.refresh_from_db()
    assert order.status == Status.DISPATCHED


def test_order_pages_are_not_found_for_strangers(
    client: Client, city: City, resident: User, member_user: User, team: Team
) -> None:
    order = make_order(make_item(team), ordered_by=resident)
    _as(client, member_user)
    assert client.get(reverse("volunteering:order_detail", args=[order.pk])).status_code == 404
    assert client.post(reverse("volunteering:order_cancel", args=[order.pk]), {}).status_code == 404
    assert client.get(reverse("volunteering:order_list")).status_code == 404
    assert client.get(reverse("volunteering:order_team_inbox")).status_code == 404
    order.refresh_from_db()
    assert order.status == Status.ORDERED


def test_an_admin_outside_the_owners_tree_does_not_find_the_order(
    client: Client, city: City, branch_secretary: User, resident: User, team: Team
) -> None:
    order = make_order(make_item(team), ordered_by=resident)
    _as(client, branch_secretary)
    assert client.get(reverse("volunteering:order_detail", args=[order.pk])).status_code == 404
    assert client.post(reverse("volunteering:order_dispatch", args=[order.pk]), {"team": team.pk}).status_code == 404


def test_order_pages_need_a_login(client: Client, resident: User, team: Team) -> None:
    order = make_order(make_item(team), ordered_by=resident)
    response = client.get(reverse("volunteering:order_detail", args=[order.pk]))
    assert response.status_code == 302 and "login" in response.url  # type: ignore[attr-defined]


def test_an_admin_sets_up_a_team_and_adds_a_volunteer(client: Client, city: City, district_admin: User) -> None:
    leader = make_leader("captain2")
    volunteer = make_leader("helper")
    _as(client, district_admin)
    response = client.post(
        reverse("volunteering:team_new"),
        {
            "name": "东社区服务队",
            "kind": "team",
            "organization": city.east.code,
            "leader": "captain2",
            "categories": [],
        },
    )
    team = Team.objects.get()
    assert response.status_code == 302 and team.leader == leader
    client.post(reverse("volunteering:team_member_add", args=[team.pk]), {"user": "helper"})
    assert TeamMembership.objects.filter(team=team, user=volunteer).exists()
    html = client.get(reverse("volunteering:team_detail", args=[team.pk])).content.decode()
    assert "helper" in html
    assert "东社区服务队" in client.get(reverse("volunteering:team_list")).content.decode()


def test_an_unknown_leader_is_a_clear_form_error(client: Client, city: City, district_admin: User) -> None:
    _as(client, district_admin)
    response = client.post(
        reverse("volunteering:team_new"),
        {"name": "队", "kind": "team", "organization": city.east.code, "leader": "ghost"},
    )
    assert "No active account with the user name or mobile number ghost." in response.content.decode()
    assert not Team.objects.exists()


def test_team_pages_are_not_found_outside_ones_tree(client: Client, city: City, member_user: User) -> None:
    team = make_team(city.other_district)
    _as(client, member_user)
    assert client.get(reverse("volunteering:team_detail", args=[team.pk])).status_code == 404
    assert client.get(reverse("volunteering:team_edit", args=[team.pk])).status_code == 404
    assert client.get(reverse("volunteering:team_new")).status_code == 404
    assert client.get(reverse("volunteering:item_new", args=[team.pk])).status_code == 404


def test_the_leader_adds_a_service_to_the_menu(client: Client, team: Team) -> None:
    from lianxin.volunteering.tests.factories import category

    _as(client, leader_of(team))
    response = client.post(
        reverse("volunteering:item_new", args=[team.pk]), {"title": "爱心按摩", "category": category("massage").pk}
    )
    assert response.status_code == 302
    assert team.items.get().title == "爱心按摩"


def test_a_service_photo_is_shown_only_to_those_who_see_the_order(
    client: Client, resident: User, member_user: User, team: Team, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    order = make_order(make_item(team), ordered_by=resident, until=Status.ACCEPTED)
    order_serve(
        order=order,
        actor=leader_of(team),
        beneficiaries=9,
        photos=[SimpleUploadedFile("p.png", photo_bytes("PNG"), content_type="image/png")],
    )
    url = reverse("volunteering:order_photo", args=[order.pk, order.photos.get().pk])
    _as(client, resident)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    client.logout()
    _as(client, member_user)
    assert client.get(url).status_code == 404


def test_a_png_with_a_web_page_named_evil_html_is_served_as_a_png_and_nothing_else(
    client: Client, resident: User, team: Team, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    order = make_order(make_item(team), ordered_by=resident, until=Status.ACCEPTED)
    _as(client, leader_of(team))
    evil = SimpleUploadedFile("evil.html", photo_bytes("PNG") + HTML, content_type="text/html")
    client.post(reverse("volunteering:order_serve", args=[order.pk]), {"beneficiaries": 3, "photos": [evil]})
    photo = order.photos.get()
    response = client.get(reverse("volunteering:order_photo", args=[order.pk, photo.pk]))
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'inline; filename="order-{order.pk}-photo-{photo.pk}.png"'
    assert "sandbox" in response["Content-Security-Policy"]
    assert body.startswith(b"\x89PNG") and b"<script" not in body


def test_an_svg_is_refused_on_the_page_and_nothing_is_written(
    client: Client, resident: User, team: Team, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    order = make_order(make_item(team), ordered_by=resident, until=Status.ACCEPTED)
    _as(client, leader_of(team))
    svg = SimpleUploadedFile("logo.svg", SVG, content_type="image/svg+xml")
    response = client.post(
        reverse("volunteering:order_serve", args=[order.pk]), {"beneficiaries": 3, "photos": [svg]}, follow=True
    )
    assert "logo.svg is not a JPEG, PNG or WebP photo." in response.content.decode()
    order.refresh_from_db()
    assert order.status == Status.ACCEPTED and not order.photos.exists() and not any(tmp_path.rglob("*"))


def test_a_web_page_stored_before_photos_were_checked_is_never_served_as_one(
    client: Client, resident: User, team: Team, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    order = make_order(make_item(team), ordered_by=resident, until=Status.SERVED)
    legacy = OrderPhoto.objects.create(
        order=order, image=SimpleUploadedFile("evil.html", b"\x89PNG\r\n\x1a\n" + HTML), uploaded_by=leader_of(team)
    )
    assert legacy.image.name.endswith("evil.html")
    _as(client, resident)
    response = client.get(reverse("volunteering:order_photo", args=[order.pk, legacy.pk]))
    assert response["Content-Type"] == "application/octet-stream" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'attachment; filename="order-{order.pk}-photo-{legacy.pk}"'
