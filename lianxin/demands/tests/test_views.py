"""Handling pages: the inbox by deadline, recording a demand, the demand's page and its actions."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.demands.models import Demand, FollowUp, Visit
from lianxin.demands.tests.factories import category, make_demand

pytestmark = pytest.mark.django_db

Status = Demand.Status


@pytest.fixture(autouse=True)
def english_pages(client: Client) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _as(client: Client, user: User) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _detail(demand: Demand) -> str:
    return reverse("demands:detail", args=[demand.pk])


def test_the_inbox_lists_demands_by_deadline_with_the_overdue_first_and_marked(
    client: Client, city: City, district_admin: User, handler: User
) -> None:
    later = make_demand(city.east, by=district_admin, until=Status.ASSIGNED, unit=city.west, title="晚到期")
    late = make_demand(city.east, by=district_admin, until=Status.ASSIGNED, unit=city.west, title="已超期")
    Demand.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - timedelta(days=2))
    Demand.objects.filter(pk=later.pk).update(deadline=timezone.localdate() + timedelta(days=5))

    html = _as(client, handler).get(reverse("demands:inbox")).content.decode()

    assert html.index("已超期") < html.index("晚到期")
    assert html.count("badge badge-red") == 1
    assert "Waiting for acceptance" not in html  # a handler accepts nothing


def test_an_admin_sees_the_acceptance_queue_and_the_follow_ups_due(
    client: Client, city: City, branch_secretary: User
) -> None:
    make_demand(city.east, by=branch_secretary, title="待受理的诉求")
    make_demand(city.east, by=branch_secretary, until=Status.RESOLVED, title="待回访的诉求")

    html = _as(client, branch_secretary).get(reverse("demands:inbox")).content.decode()

    assert "待受理的诉求" in html and "待回访的诉求" in html


def test_a_queue_longer_than_the_list_is_counted_whole_as_the_workbench_counts_it(
    client: Client, city: City, branch_secretary: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given three demands to accept while the inbox lists only the first two of a queue
    monkeypatch.setattr("lianxin.demands.views.handling.QUEUE_SIZE", 2)
    for title in ("最早的诉求", "第二件诉求", "最新的诉求"):
        make_demand(city.east, by=branch_secretary, title=title)

    html = _as(client, branch_secretary).get(reverse("demands:inbox")).content.decode()

    assert '<span class="badge">3</span>' in html
    assert "The first 2 are listed, oldest first." in html
    assert "最早的诉求" in html and "最新的诉求" not in html


def test_the_inbox_is_not_for_residents(client: Client, city: City, resident: User) -> None:
    assert _as(client, resident).get(reverse("demands:inbox")).status_code == 404


def test_the_demand_page_masks_the_phone_and_offers_only_the_allowed_actions(
    client: Client, city: City, branch_secretary: User
) -> None:
    demand = make_demand(city.east, by=branch_secretary)

    html = _as(client, branch_secretary).get(_detail(demand)).content.decode()

    assert "139****5678" in html and "13912345678" not in html
    assert reverse("demands:accept", args=[demand.pk]) in html
    assert reverse("demands:resolve", args=[demand.pk]) not in html
    assert "Timeline" in html and "entered by staff" in html


def test_a_demand_outside_ones_scope_is_not_found(
    client: Client, city: City, district_admin: User, branch_secretary: User
) -> None:
    demand = make_demand(city.west, by=district_admin)

    assert _as(client, branch_secretary).get(_detail(demand)).status_code == 404
    assert client.post(reverse("demands:accept", args=[demand.pk])).status_code == 404
    assert Demand.objects.get(pk=demand.pk).status == Status.SUBMITTED


def test_recording_a_demand_from_a_visit_links_back_and_offers_similar_demands(
    client: Client, city: City, branch_secretary: User
) -> None:
    visit = Visit.objects.create(
        kind=Visit.Kind.HOUSEHOLD,
        organization=city.east,
        area=city.east.area,
        visited="幸福小区3栋",
        visitors="李书记",
        visited_on="2025-03-01",
    )
    _as(client, branch_secretary)
    url = f"{reverse('demands:new')}?source=visit&source_id={visit.pk}"

    page = client.get(url).content.decode()
    assert reverse("demands:visit_detail", args=[visit.pk]) in page
    assert f'hx-get="{reverse("demands:similar")}"' in page

    response = client.post(
        url,
        {
            "source": "visit",
            "organization": city.east.code,
            "category": category("safety").pk,
            "area": city.east.area.code,
            "title": "楼道堆放杂物",
            "description": "三单元楼道堆满纸箱",
            "submitter_phone": "13900001111",
        },
    )

    demand = Demand.objects.get()
    assert response.status_code == 302 and response["Location"] == _detail(demand)
    assert demand.source_id == visit.pk and demand.source == Demand.Source.VISIT
    assert reverse("demands:visit_detail", args=[visit.pk]) in client.get(_detail(demand)).content.decode()


def test_a_bad_phone_on_the_record_page_is_shown_and_nothing_is_written(
    client: Client, city: City, branch_secretary: User
) -> None:
    response = _as(client, branch_secretary).post(
        reverse("demands:new"),
        {
            "source": "staff",
            "organization": city.east.code,
            "category": category("safety").pk,
            "area": city.east.area.code,
            "title": "楼道堆放杂物",
            "description": "三单元楼道堆满纸箱",
            "submitter_phone": "12345",
        },
    )

    assert response.status_code == 200 and "Invalid mobile number: 12345" in response.content.decode()
    assert not Demand.objects.exists()


def test_a_demand_walks_from_acceptance_to_a_satisfied_follow_up_through_the_pages(
    client: Client, city: City, district_admin: User, handler: User
) -> None:
    demand = make_demand(city.east, by=district_admin)
    _as(client, district_admin)
    client.post(reverse("demands:accept", args=[demand.pk]), {"note": ""})
    client.post(reverse("demands:assign", args=[demand.pk]), {"unit": city.west.code, "days": "3", "note": ""})
    client.logout()
    _as(client, handler)
    client.post(reverse("demands:step", args=[demand.pk]), {"note": "上门查看"})
    client.post(reverse("demands:resolve", args=[demand.pk]), {"resolution": "已更换路灯"})
    client.logout()
    _as(client, district_admin)
    response = client.post(reverse("demands:follow_up", args=[demand.pk]), {"result": "satisfied", "comment": "满意"})

    demand.refresh_from_db()
    assert response.status_code == 302 and demand.status == Status.CLOSED
    assert demand.responsible_unit == city.west and demand.resolution == "已更换路灯"
    html = client.get(_detail(demand)).content.decode()
    assert "上门查看" in html and "Round 1" in html


@pytest.mark.parametrize(
    ("action", "data", "message"),
    [
        ("assign", {"unit": "CITY", "deadline": "2020-01-01"}, "is in the past"),
        ("reject", {"kind": "duplicate", "reason": "重复", "duplicate_of": "999999"}, "There is no demand number"),
        ("reject", {"kind": "not_ours", "reason": ""}, "Say why the demand is turned away."),
        ("accept", {"note": ""}, "cannot become accepted"),
    ],
)
def test_a_refused_action_shows_its_message_and_changes_nothing(
    client: Client, city: City, branch_secretary: User, action: str, data: dict[str, str], message: str
) -> None:
    demand = make_demand(city.east, by=branch_secretary, until=Status.ACCEPTED)
    if data.get("unit") == "CITY":
        data = {**data, "unit": city.east.code}

    response = _as(client, branch_secretary).post(reverse(f"demands:{action}", args=[demand.pk]), data, follow=True)

    assert message in response.content.decode()
    fresh = Demand.objects.get(pk=demand.pk)
    assert fresh.status == Status.ACCEPTED and fresh.responsible_unit is None


def test_a_second_follow_up_is_refused_on_the_page(client: Client, city: City, branch_secretary: User) -> None:
    demand = make_demand(city.east, by=branch_secretary, until=Status.CLOSED)

    response = _as(client, branch_secretary).post(
        reverse("demands:follow_up", args=[demand.pk]), {"result": "unsatisfied"}, follow=True
    )

    assert "already been followed up" in response.content.decode()
    assert FollowUp.objects.filter(demand=demand).count() == 1


def test_a_resolution_is_labelled_as_how_the_demand_was_resolved_not_as_a_service(
    client: Client, city: City, district_admin: User, handler: User
) -> None:
    assigned = make_demand(city.east, by=district_admin, until=Status.ASSIGNED, unit=city.district)
    resolved = make_demand(city.east, by=district_admin, until=Status.RESOLVED, unit=city.district)
    _as(client, handler)
    form_page = client.get(_detail(assigned)).text
    page = client.get(_detail(resolved)).text
    assert "How it was resolved" in form_page  # the resolve form's field
    assert "How it was resolved" in page and "联系供电所更换了两盏路灯" in page
    assert "What was done" not in form_page + page
