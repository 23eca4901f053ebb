"""Orders through their life: place, dispatch, accept or decline, serve, rate, cancel, close unrated.

Every bad input shows a clear message and writes nothing.
"""

import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from pytest_django.fixtures import Settings

from conftest import City
from lianxin.accounts.models import RoleAssignment, User
from lianxin.core.models import Event
from lianxin.core.selectors import event_list_for
from lianxin.core.tests.images import GPS_IFD, HTML, SVG, exif_of, photo_bytes, png_claiming
from lianxin.volunteering.models import Order, OrderPhoto, ServiceItem, Team
from lianxin.volunteering.services.catalogue import item_update, team_update
from lianxin.volunteering.services.orders import (
    order_accept,
    order_cancel,
    order_close_unrated,
    order_decline,
    order_dispatch,
    order_place,
    order_rate,
    order_serve,
)
from lianxin.volunteering.tasks import close_unrated_orders_task
from lianxin.volunteering.tests.factories import leader_of, make_item, make_leader, make_order, make_team, make_user

pytestmark = pytest.mark.django_db
Status = Order.Status

JPEG = photo_bytes("JPEG")
PNG = photo_bytes("PNG")


@pytest.fixture
def team(city: City) -> Team:
    return make_team(city.district, leader=make_leader("captain"))


@pytest.fixture
def item(team: Team) -> ServiceItem:
    return make_item(team)


def _place(item: ServiceItem, actor: User, **overrides: Any) -> Order:
    today = timezone.localdate()
    values = {
        "area": item.team.organization.area,
        "place": "东社区文化礼堂",
        "starts_on": today + timedelta(days=2),
        "ends_on": today + timedelta(days=3),
        "expected_beneficiaries": 30,
    }
    values.update(overrides)
    return order_place(actor=actor, item=item, **values)


def test_an_order_goes_from_placed_to_rated_with_every_step_on_its_timeline(
    city: City, resident: User, district_admin: User, team: Team, item: ServiceItem
) -> None:
    order = _place(item, resident)
    assert order.owner == city.district and order.status == Status.ORDERED
    order_dispatch(order=order, actor=district_admin, team=team)
    order_accept(order=order, actor=leader_of(team))
    order_serve(order=order, actor=leader_of(team), beneficiaries=28, service_note="量血压")
    order_rate(order=order, actor=resident, rating=4, comment="不错")
    order.refresh_from_db()
    assert order.status == Status.RATED and order.rating == 4 and order.beneficiaries == 28
    assert order.dispatched_at and order.accepted_at and order.served_at and order.closed_at
    verbs = [e.verb for e in event_list_for(order).order_by("at", "id")]
    assert verbs == ["ordered", "dispatched", "accepted", "served", "rated"]


def test_an_organization_admin_orders_for_their_own_organization(
    city: City, branch_secretary: User, item: ServiceItem
) -> None:
    order = _place(item, branch_secretary, ordering_organization=city.east)
    assert order.ordering_organization == city.east


def test_ordering_for_an_organization_outside_ones_scope_is_refused(
    city: City, branch_secretary: User, item: ServiceItem
) -> None:
    with pytest.raises(ValidationError, match="only order for an organization you administer"):
        _place(item, branch_secretary, ordering_organization=city.west)
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends_on": "yesterday"}, "The end date is before the start date."),
        ({"starts_on": "past"}, "The service cannot start in the past."),
        ({"expected_beneficiaries": 0}, "Expect at least one beneficiary."),
        ({"expected_beneficiaries": -3}, "Expect at least one beneficiary."),
        ({"place": "  "}, "Say where the service is needed."),
    ],
)
def test_a_bad_order_is_refused_with_a_clear_message_and_nothing_is_written(
    resident: User, item: ServiceItem, overrides: Any, message: str
) -> None:
    today = timezone.localdate()
    if overrides.get("ends_on") == "yesterday":
        overrides = {"starts_on": today + timedelta(days=5), "ends_on": today + timedelta(days=4)}
    if overrides.get("starts_on") == "past":
        overrides = {"starts_on": today - timedelta(days=1), "ends_on": today}
    with pytest.raises(ValidationError) as exc:
        _place(item, resident, **overrides)
    assert exc.value.messages == [message]
    assert not Order.objects.exists() and not Event.objects.filter(verb="ordered").exists()


def test_an_item_taken_off_the_menu_cannot_be_ordered(resident: User, district_admin: User, item: ServiceItem) -> None:
    item_update(item=item, actor=district_admin, category=item.category, title=item.title, is_active=False)
    with pytest.raises(ValidationError, match="no longer on the menu"):
        _place(item, resident)
    assert not Order.objects.exists()


def test_an_item_of_an_inactive_team_cannot_be_ordered(
    resident: User, district_admin: User, team: Team, item: ServiceItem
) -> None:
    team_update(team=team, actor=district_admin, name=team.name, kind=team.kind, leader=team.leader, is_active=False)
    item.refresh_from_db()
    with pytest.raises(ValidationError, match="no longer on the menu"):
        _place(item, resident)
    assert not Order.objects.exists()


def test_an_order_for_an_area_the_item_does_not_serve_is_refused(city: City, resident: User, item: ServiceItem) -> None:
    with pytest.raises(ValidationError, match="is not offered in 岛县"):
        _place(item, resident, area=city.other_district.area)
    assert not Order.objects.exists()


def test_someone_without_a_role_cannot_order(item: ServiceItem) -> None:
    nobody = make_leader("nobody")
    with pytest.raises(ValidationError, match="Sign in as a resident"):
        _place(item, nobody)
    assert not Order.objects.exists()


def test_only_the_owners_admins_dispatch(city: City, resident: User, team: Team, item: ServiceItem) -> None:
    order = _place(item, resident)
    other_admin = make_user("island_admin", role=RoleAssignment.Role.ORG_ADMIN, organization=city.other_district)
    with pytest.raises(ValidationError, match="Only the admins of"):
        order_dispatch(order=order, actor=other_admin, team=team)
    order.refresh_from_db()
    assert order.status == Status.ORDERED and order.team is None


def test_a_dispatch_to_an_inactive_team_is_refused(
    city: City, resident: User, district_admin: User, item: ServiceItem
) -> None:
    sleeping = make_team(city.district, actor=district_admin)
    team_update(
        team=sleeping, actor=district_admin, name=sleeping.name, kind=sleeping.kind, leader=None, is_active=False
    )
    order = _place(item, resident)
    with pytest.raises(ValidationError, match="no longer active; choose another team"):
        order_dispatch(order=order, actor=district_admin, team=sleeping)
    order.refresh_from_db()
    assert order.status == Status.ORDERED and order.team is None


def test_accept_or_decline_by_someone_other_than_the_leader_is_refused(
    resident: User, district_admin: User, team: Team, item: ServiceItem
) -> None:
    order = make_order(item, ordered_by=resident, until=Status.DISPATCHED, dispatcher=district_admin)
    attempts: list[Callable[[], Order]] = [
        lambda: order_accept(order=order, actor=district_admin),
        lambda: order_decline(order=order, actor=resident, reason="忙"),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match=f"Only the leader of {team.name} can do this"):
            attempt()
    order.refresh_from_db()
    assert order.status == Status.DISPATCHED
    assert not Event.objects.filter(verb__in=["accepted", "declined"]).exists()


def test_a_declined_order_goes_back_for_another_dispatch_with_the_reason(
    resident: User, district_admin: User, team: Team, item: ServiceItem
) -> None:
    order = make_order(item, ordered_by=resident, until=Status.DISPATCHED, dispatcher=district_admin)
    order_decline(order=order, actor=leader_of(team), reason="队员外出培训")
    order.refresh_from_db()
    assert order.status == Status.ORDERED and order.team is None and order.decline_reason == "队员外出培训"
    event = event_list_for(order).get(verb="declined")
    assert event.verb == "declined" and event.note == "队员外出培训"


def test_declining_needs_a_reason(resident: User, district_admin: User, team: Team, item: ServiceItem) -> None:
    order = make_order(item, ordered_by=resident, until=Status.DISPATCHED, dispatcher=district_admin)
    with pytest.raises(ValidationError, match="Say why the team declines"):
        order_decline(order=order, actor=leader_of(team), reason=" ")
    order.refresh_from_db()
    assert order.status == Status.DISPATCHED


def test_a_transition_the_table_does_not_allow_is_refused(resident: User, team: Team, item: ServiceItem) -> None:
    order = make_order(item, ordered_by=resident, until=Status.RATED)
    with pytest.raises(ValidationError, match="cannot become cancelled"):
        order_cancel(order=order, actor=resident)
    order.refresh_from_db()
    assert order.status == Status.RATED


def test_serving_an_order_that_was_never_accepted_is_refused(
    resident: User, district_admin: User, team: Team, item: ServiceItem
) -> None:
    order = make_order(item, ordered_by=resident, until=Status.DISPATCHED, dispatcher=district_admin)
    with pytest.raises(ValidationError, match="cannot become served"):
        order_serve(order=order, actor=leader_of(team), beneficiaries=5)
    order.refresh_from_db()
    assert order.status == Status.DISPATCHED and order.beneficiaries is None


def test_the_team_records_beneficiaries_and_optional_photos(
    settings: Settings, tmp_path: Path, resident: User, team: Team, item: ServiceItem
) -> None:
    settings.MEDIA_ROOT = tmp_path
    order = make_order(item, ordered_by=resident, until=Status.ACCEPTED)
    photos = [
        SimpleUploadedFile("a.jpg", JPEG, content_type="image/jpeg"),
        SimpleUploadedFile("b.png", PNG, content_type="image/png"),
    ]
    order_serve(order=order, actor=leader_of(team), beneficiaries=50, photos=photos)
    names = sorted(p.image.name for p in OrderPhoto.objects.filter(order=order))
    # Stored under generated names with the extension of what they are, never the uploaded names.
    assert [re.sub(r"[0-9a-f]{32}", "*", Path(n).name) for n in names] in (["*.jpg", "*.png"], ["*.png", "*.jpg"])
    assert all(n.startswith("orders/") and Path(n).name not in ("a.jpg", "b.png") for n in names)


def test_a_png_carrying_a_web_page_is_stored_as_the_png_alone(
    settings: Settings, tmp_path: Path, resident: User, team: Team, item: ServiceItem
) -> None:
    settings.MEDIA_ROOT = tmp_path
    order = make_order(item, ordered_by=resident, until=Status.ACCEPTED)
    evil = SimpleUploadedFile("evil.html", PNG + HTML, content_type="image/png")
    order_serve(order=order, actor=leader_of(team), beneficiaries=5, photos=[evil])
    photo = order.photos.get()
    stored = photo.image.read()
    assert photo.image.name.endswith(".png") and "evil" not in photo.image.name
    assert stored.startswith(b"\x89PNG") and b"<script" not in stored and b"<html" not in stored


def test_a_phone_photo_is_stored_without_its_location(
    settings: Settings, tmp_path: Path, resident: User, team: Team, item: ServiceItem
) -> None:
    settings.MEDIA_ROOT = tmp_path
    order = make_order(item, ordered_by=resident, until=Status.ACCEPTED)
    located = photo_bytes("JPEG", gps=True)
    assert exif_of(located).get_ifd(GPS_IFD)
    order_serve(order=order, actor=leader_of(team), beneficiaries=5, photos=[SimpleUploadedFile("IMG_1.jpg", located)])
    assert not exif_of(order.photos.get().image.read())


def test_serving_without_photos_is_fine(resident: User, team: Team, item: ServiceItem) -> None:
    order = make_order(item, ordered_by=resident, until=Status.ACCEPTED)
    order_serve(order=order, actor=leader_of(team), beneficiaries=12)
    order.refresh_from_db()
    assert order.status == Status.SERVED and not order.photos.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.jpg", b"MZ not an image", "x.jpg is not a JPEG, PNG or WebP photo."),
        ("x.pdf", b"%PDF-1.4", "x.pdf is not a JPEG, PNG or WebP photo."),
        ("logo.svg", SVG, "logo.svg is not a JPEG, PNG or WebP photo."),
        ("evil.html", b"\x89PNG\r\n\x1a\n" + HTML, "The photo evil.html is damaged or incomplete; send it again."),
        ("cut.jpg", JPEG[: len(JPEG) // 2], "The photo cut.jpg is damaged or incomplete; send it again."),
        ("bomb.png", png_claiming(100_000, 100_000), "The photo bomb.png has more than 50 million pixels"),
        ("big.jpg", photo_bytes("JPEG", (400, 400)) + b"\x00" * 4096, "The photo big.jpg is larger than"),
    ],
)
def test_a_bad_photo_is_refused_and_nothing_is_written(
    settings: Settings,
    tmp_path: Path,
    resident: User,
    team: Team,
    item: ServiceItem,
    name: str,
    content: bytes,
    message: str,
) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.LIANXIN_ORDER_PHOTO_MAX_BYTES = 4096
    order = make_order(item, ordered_by=resident, until=Status.ACCEPTED)
    good = SimpleUploadedFile("good.png", PNG, content_type="image/png")
    with pytest.raises(ValidationError, match=re.escape(message)):
        order_serve(
            order=order, actor=leader_of(team), beneficiaries=12, photos=[good, SimpleUploadedFile(name, content)]
        )
    order.refresh_from_db()
    assert order.status == Status.ACCEPTED and not OrderPhoto.objects.exists() and not any(tmp_path.rglob("*"))


def test_serving_needs_at_least_one_beneficiary(resident: User, team: Team, item: ServiceItem) -> None:
    order = make_order(item, ordered_by=resident, until=Status.ACCEPTED)
    with pytest.raises(ValidationError, match="at least one beneficiary"):
        order_serve(order=order, actor=leader_of(team), beneficiaries=0)
    order.refresh_from_db()
    assert order.status == Status.ACCEPTED


@pytest.mark.parametrize("rating", [0, 6, -1])
def test_a_rating_outside_one_to_five_is_refused(resident: User, item: ServiceItem, rating: int) -> None:
    order = make_order(item, ordered_by=resident, until=Status.SERVED)
    with pytest.raises(ValidationError, match="whole number from 1 to 5"):
        order_rate(order=order, actor=resident, rating=rating)
    order.refresh_from_db()
    assert order.status == Status.SERVED and order.rating is None


def test_a_second_rating_is_refused_and_the_first_stands(resident: User, item: ServiceItem) -> None:
    order = make_order(item, ordered_by=resident, until=Status.RATED)
    with pytest.raises(ValidationError, match="already been rated"):
        order_rate(order=order, actor=resident, rating=1)
    order.refresh_from_db()
    assert order.rating == 5 and Event.objects.filter(verb="rated").count() == 1


def test_only_the_orderer_rates(resident: User, district_admin: User, item: ServiceItem) -> None:
    order = make_order(item, ordered_by=resident, until=Status.SERVED)
    with pytest.raises(ValidationError, match="Only the orderer can rate"):
        order_rate(order=order, actor=district_admin, rating=5)
    order.refresh_from_db()
    assert order.rating is None


def test_the_orderer_or_the_owner_cancels_an_open_order(
    resident: User, district_admin: User, item: ServiceItem
) -> None:
    first = make_order(item, ordered_by=resident)
    order_cancel(order=first, actor=resident, reason="改期")
    second = make_order(item, ordered_by=resident, until=Status.ACCEPTED, dispatcher=district_admin)
    order_cancel(order=second, actor=district_admin)
    assert Order.objects.filter(status=Status.CANCELLED).count() == 2


def test_a_stranger_cannot_cancel(resident: User, member_user: User, item: ServiceItem) -> None:
    order = make_order(item, ordered_by=resident)
    with pytest.raises(ValidationError, match="Only the orderer or the dispatching organization"):
        order_cancel(order=order, actor=member_user)
    order.refresh_from_db()
    assert order.status == Status.ORDERED


def test_an_order_not_rated_in_time_closes_as_not_rated_never_as_five_stars(resident: User, item: ServiceItem) -> None:
    late = make_order(item, ordered_by=resident, until=Status.SERVED)
    recent = make_order(item, ordered_by=resident, until=Status.SERVED)
    Order.objects.filter(pk=late.pk).update(served_at=timezone.now() - timedelta(days=8))
    assert order_close_unrated() == 1
    late.refresh_from_db()
    recent.refresh_from_db()
    assert late.status == Status.UNRATED and late.rating is None and late.closed_at is not None
    assert recent.status == Status.SERVED
    assert event_list_for(late).first().verb == "closed_unrated"  # type: ignore[union-attr]


def test_the_rating_window_is_configurable(settings: Settings, resident: User, item: ServiceItem) -> None:
    settings.LIANXIN_ORDER_RATING_DAYS = 2
    order = make_order(item, ordered_by=resident, until=Status.SERVED)
    Order.objects.filter(pk=order.pk).update(served_at=timezone.now() - timedelta(days=3))
    assert order_close_unrated() == 1


def test_the_close_command_and_its_numbers(
    resident: User, item: ServiceItem, capsys: pytest.CaptureFixture[str]
) -> None:
    order = make_order(item, ordered_by=resident, until=Status.SERVED)
    Order.objects.filter(pk=order.pk).update(served_at=timezone.now() - timedelta(days=30))
    call_command("close_unrated_orders")
    assert "1 order(s) closed as not rated after 7 days." in capsys.readouterr().out
    order.refresh_from_db()
    assert order.status == Status.UNRATED


def test_the_close_task_closes_the_same_orders(resident: User, item: ServiceItem) -> None:
    order = make_order(item, ordered_by=resident, until=Status.SERVED)
    Order.objects.filter(pk=order.pk).update(served_at=timezone.now() - timedelta(days=30))
    assert close_unrated_orders_task.call() == 1
    order.refresh_from_db()
    assert order.status == Status.UNRATED
