"""Merging duplicates and grouping repeated complaints into hot spots (seed 003: square-dance noise)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse

from conftest import City
from lianxin.accounts.models import RoleAssignment, User
from lianxin.accounts.services import role_assign, user_create
from lianxin.core.models import Event
from lianxin.demands.models import Demand, HotSpot
from lianxin.demands.services.duplicates import demand_merge, hot_spot_add, hot_spot_create, hot_spot_remove
from lianxin.demands.tests.factories import category, make_demand
from lianxin.organizations.models import Area
from lianxin.organizations.tests.factories import make_area


@pytest.fixture
def client() -> Client:
    """Pages answer in English here, so assertions read the messages' msgids."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


Status = Demand.Status
NOISE = [
    ("广场舞噪音扰民", "每天晚上小区广场跳广场舞，音响声音太大，影响休息。"),
    ("广场舞音响太吵", "晚上八点后广场舞音乐声音很大，老人孩子睡不好。"),
    ("广场舞扰民问题", "中心广场广场舞噪声大，希望规定时间。"),
]


@pytest.fixture
def community(city: City) -> Area:
    return make_area(name="幸福社区", kind=Area.Kind.COMMUNITY, parent=city.east.area)


@pytest.fixture
def noise(city: City, district_admin: User, community: Area) -> list[Demand]:
    return [
        make_demand(city.east, by=district_admin, title=t, description=d, area=community, category="noise")
        for t, d in NOISE
    ]


def _events(demand: Demand | HotSpot, verb: str) -> QuerySet[Event]:
    return Event.objects.filter(subject_type=ContentType.objects.get_for_model(demand), subject_id=demand.pk, verb=verb)


# ---------------------------------------------------------------- merging


def test_merging_marks_the_duplicate_and_notes_it_on_both_timelines(district_admin: User, noise: list[Demand]) -> None:
    first, second, _third = noise

    demand_merge(demand=second, into=first, actor=district_admin, reason="同一广场的噪音")

    second.refresh_from_db()
    assert second.status == Status.DUPLICATE and second.duplicate_of == first and second.reason == "同一广场的噪音"
    assert _events(second, "duplicate").exists()
    merged = _events(first, "merged_in").get()
    assert merged.data["duplicate"] == second.pk


def test_a_merged_demand_joins_the_hot_spot_of_the_one_it_was_merged_into(
    district_admin: User, noise: list[Demand], community: Area
) -> None:
    first, second, _third = noise
    spot = hot_spot_create(
        actor=district_admin, title="广场舞噪音", area=community, category=category("noise"), demands=[first]
    )

    demand_merge(demand=second, into=first, actor=district_admin, reason="重复")

    second.refresh_from_db()
    assert second.hot_spot == spot


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("no_reason", "Say why"),
        ("itself", "cannot duplicate itself"),
        ("closed_original", "no longer open"),
    ],
)
def test_bad_merges_are_refused_and_nothing_is_written(
    city: City, district_admin: User, noise: list[Demand], case: str, message: str
) -> None:
    first, second, _third = noise
    into, reason = first, "重复"
    if case == "no_reason":
        reason = " "
    elif case == "itself":
        into = second
    else:
        into = make_demand(city.east, by=district_admin, until=Status.RESOLVED, unit=city.west)

    with pytest.raises(ValidationError, match=message):
        demand_merge(demand=second, into=into, actor=district_admin, reason=reason)

    second.refresh_from_db()
    assert second.status == Status.SUBMITTED and not _events(into, "merged_in").exists()


def test_an_outsider_cannot_merge(city: City, noise: list[Demand]) -> None:
    outsider = user_create(username="outsider", password=None)
    role_assign(user=outsider, role=RoleAssignment.Role.ORG_ADMIN, organization=city.other_district)

    with pytest.raises(ValidationError, match="not allowed"):
        demand_merge(demand=noise[1], into=noise[0], actor=outsider, reason="重复")

    assert Demand.objects.filter(status=Status.DUPLICATE).count() == 0


def test_the_merge_page_offers_the_similar_open_demands_and_merges_into_the_chosen_one(
    client: Client, district_admin: User, noise: list[Demand]
) -> None:
    first, second, _third = noise
    client.force_login(district_admin)

    page = client.get(reverse("demands:merge", args=[second.pk])).content.decode()
    response = client.post(reverse("demands:merge", args=[second.pk]), {"into": first.pk, "reason": "同一件事"})

    assert f'value="{first.pk}"' in page and f'value="{second.pk}"' not in page
    second.refresh_from_db()
    assert response.status_code == 302 and second.duplicate_of == first


def test_merging_into_a_demand_out_of_scope_is_not_found(
    client: Client, city: City, branch_secretary: User, city_admin: User, noise: list[Demand]
) -> None:
    elsewhere = make_demand(city.other_branch, by=city_admin)
    client.force_login(branch_secretary)

    response = client.post(reverse("demands:merge", args=[noise[1].pk]), {"into": elsewhere.pk, "reason": "重复"})

    assert response.status_code == 404 and not Demand.objects.filter(status=Status.DUPLICATE).exists()


# ---------------------------------------------------------------- hot spots


def test_square_dance_complaints_group_into_one_hot_spot(
    district_admin: User, noise: list[Demand], community: Area
) -> None:
    spot = hot_spot_create(
        actor=district_admin, title="中心广场广场舞噪音", area=community, category=category("noise"), demands=noise
    )

    assert spot.demands.count() == 3 and all(d.status == Status.SUBMITTED for d in spot.demands.all())
    assert _events(spot, "created").get().data["demands"] == [d.pk for d in noise]
    assert all(_events(d, "hot_spot_added").exists() for d in noise)


def test_more_complaints_are_added_and_a_wrong_one_taken_out(
    city: City, district_admin: User, noise: list[Demand], community: Area
) -> None:
    spot = hot_spot_create(
        actor=district_admin, title="广场舞噪音", area=community, category=category("noise"), demands=noise[:1]
    )

    hot_spot_add(hot_spot=spot, demands=noise[1:], actor=district_admin)
    hot_spot_remove(hot_spot=spot, demand=noise[2], actor=district_admin)

    assert set(spot.demands.all()) == set(noise[:2])


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("no_title", "Name the hot spot"),
        ("no_demands", "at least one demand"),
        ("outside", "outside"),
        ("grouped", "already belongs to a hot spot"),
    ],
)
def test_bad_hot_spots_are_refused_and_nothing_is_written(
    city: City, district_admin: User, noise: list[Demand], community: Area, case: str, message: str
) -> None:
    title, demands = "广场舞噪音", list(noise)
    if case == "no_title":
        title = " "
    elif case == "no_demands":
        demands = []
    elif case == "outside":
        demands.append(make_demand(city.west, by=district_admin))
    else:
        hot_spot_create(
            actor=district_admin, title="旧的", area=community, category=category("noise"), demands=[noise[0]]
        )
    before = HotSpot.objects.count()

    with pytest.raises(ValidationError, match=message):
        hot_spot_create(actor=district_admin, title=title, area=community, category=category("noise"), demands=demands)

    assert HotSpot.objects.count() == before
    assert Demand.objects.filter(hot_spot__title="广场舞噪音").count() == 0


def test_a_resident_cannot_make_hot_spots(resident: User, noise: list[Demand], community: Area) -> None:
    with pytest.raises(ValidationError, match="not allowed"):
        hot_spot_create(actor=resident, title="广场舞", area=community, category=category("noise"), demands=noise)

    assert not HotSpot.objects.exists()


def test_the_hot_spot_pages_list_it_with_its_counts_and_add_the_ticked_demands(
    client: Client, district_admin: User, noise: list[Demand]
) -> None:
    client.force_login(district_admin)

    response = client.post(
        reverse("demands:hot_spot_new"),
        {
            "title": "中心广场广场舞噪音",
            "category": category("noise").pk,
            "demands": [str(noise[0].pk), str(noise[1].pk)],
        },
    )
    spot = HotSpot.objects.get()
    client.post(reverse("demands:hot_spot_add", args=[spot.pk]), {"demands": [str(noise[2].pk), ""]})
    listing = client.get(reverse("demands:hot_spots")).content.decode()
    detail = client.get(reverse("demands:hot_spot", args=[spot.pk])).content.decode()

    assert response.status_code == 302 and spot.demands.count() == 3
    assert spot.area.name == "幸福社区"
    assert "中心广场广场舞噪音" in listing and ">3<" in listing
    assert all(t in detail for t, _d in NOISE)


def test_a_hot_spot_page_offers_similar_open_demands_not_yet_grouped(
    client: Client, district_admin: User, noise: list[Demand], community: Area
) -> None:
    spot = hot_spot_create(
        actor=district_admin, title="广场舞噪音扰民", area=community, category=category("noise"), demands=noise[:1]
    )
    client.force_login(district_admin)

    page = client.get(reverse("demands:hot_spot", args=[spot.pk])).content.decode()

    assert f'name="demands" value="{noise[1].pk}"' in page and f'name="demands" value="{noise[0].pk}"' not in page


def test_typing_an_unknown_demand_number_is_refused_clearly(
    client: Client, district_admin: User, noise: list[Demand]
) -> None:
    client.force_login(district_admin)

    response = client.post(
        reverse("demands:hot_spot_new"), {"title": "广场舞", "category": category("noise").pk, "demands": "999999, x"}
    )

    assert "is not a demand number" in response.content.decode() and not HotSpot.objects.exists()


def test_hot_spots_out_of_scope_are_not_found(
    client: Client, city: City, city_admin: User, branch_secretary: User
) -> None:
    other = make_area(name="渔村", kind=Area.Kind.VILLAGE, parent=city.other_district.area)
    far = make_demand(city.other_branch, by=city_admin, area=other)
    spot = HotSpot.objects.create(title="渔港噪音", area=other, category=category("noise"))
    Demand.objects.filter(pk=far.pk).update(hot_spot=spot)
    client.force_login(branch_secretary)

    assert client.get(reverse("demands:hot_spot", args=[spot.pk])).status_code == 404
    assert "渔港噪音" not in client.get(reverse("demands:hot_spots")).content.decode()


def test_the_similar_partial_is_for_staff_only(
    client: Client, resident: User, district_admin: User, noise: list[Demand], community: Area
) -> None:
    params = {"title": "广场舞太吵", "description": "晚上广场舞音响", "area": community.code, "category": "noise"}
    client.force_login(resident)
    assert client.get(reverse("demands:similar"), params).status_code == 404

    client.force_login(district_admin)
    page = client.get(reverse("demands:similar"), params).content.decode()

    assert all(f"#{d.pk} " in page for d in noise)


def test_the_similar_partial_shows_only_demands_in_the_viewers_scope(
    client: Client, city: City, branch_secretary: User, district_admin: User, community: Area
) -> None:
    west_demand = make_demand(city.west, by=district_admin, title=NOISE[0][0], description=NOISE[0][1], area=community)
    client.force_login(branch_secretary)

    page = client.get(reverse("demands:similar"), {"title": NOISE[0][0], "area": community.code}).content.decode()

    assert f"#{west_demand.pk} " not in page
