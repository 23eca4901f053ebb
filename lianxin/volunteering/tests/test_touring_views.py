"""Touring pages: a public schedule without people, its print/Word/Excel forms, and the organizer's pages."""

import io
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.accounts.services import user_create
from lianxin.organizations.models import Area
from lianxin.volunteering.models import Team, Tour, TourStop
from lianxin.volunteering.services.touring import tour_publish
from lianxin.volunteering.tests.factories_touring import make_stop, make_tour, make_tour_team, make_town

pytestmark = pytest.mark.django_db

LEADER_NAME = "郑队长"
LEADER_PHONE = "13866668888"


@pytest.fixture(autouse=True)
def english_pages(client: Client) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _as(client: Client, user: User) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def town(city: City) -> Area:
    return make_town(city.district.area, "高楼镇")


@pytest.fixture
def team(city: City) -> Team:
    """A team whose leader has a name and a phone, neither of which may reach a public schedule."""
    team = make_tour_team(city.district, "医疗卫生系统服务队", ("医疗义诊",))
    team.leader = user_create(username="leader", password=PASSWORD, display_name=LEADER_NAME, mobile=LEADER_PHONE)
    team.save(update_fields=["leader"])
    return team


@pytest.fixture
def published(city: City, district_admin: User, town: Area, team: Team) -> Tour:
    tour = make_tour(city.district, organizer=district_admin, starts_on=date(2014, 6, 27))
    make_stop(tour, organizer=district_admin, town=town, teams=[team], place="发银广场")
    return tour_publish(tour=tour, actor=district_admin)


def _no_people(text: str) -> None:
    assert LEADER_NAME not in text
    assert LEADER_PHONE not in text and "138****8888" not in text


def test_anyone_reads_a_published_schedule_with_teams_and_items_but_no_leaders(client: Client, published: Tour) -> None:
    for name in ("tour_list", "tour_public", "tour_print"):
        args = [] if name == "tour_list" else [published.pk]
        response = client.get(reverse(f"volunteering:{name}", args=args))
        assert response.status_code == 200
        html = response.content.decode()
        assert published.title in html
        if name != "tour_list":
            assert "高楼镇" in html and "发银广场" in html and "医疗卫生系统服务队" in html and "医疗义诊" in html
        _no_people(html)


def test_the_word_and_excel_schedules_hold_the_stops_and_no_people(client: Client, published: Tour) -> None:
    word = client.get(reverse("volunteering:tour_docx", args=[published.pk]))
    assert word["Content-Disposition"].startswith("attachment")
    document = Document(io.BytesIO(word.getvalue()))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert {"高楼镇", "发银广场", "医疗卫生系统服务队", "医疗义诊"} <= set(cells)
    _no_people(" ".join(cells) + " ".join(p.text for p in document.paragraphs))

    sheet = client.get(reverse("volunteering:tour_xlsx", args=[published.pk]))
    rows = list(load_workbook(io.BytesIO(sheet.getvalue())).active.iter_rows(min_row=3, values_only=True))  # type: ignore[union-attr]
    assert rows[0][:4] == ("Date", "Day", "Hours", "Town")
    assert rows[1][0].date() == date(2014, 6, 27)
    assert rows[1][2:] == ("08:30–11:30", "高楼镇", "发银广场", "医疗卫生系统服务队", "医疗义诊")
    _no_people(str(rows))


def test_a_draft_schedule_is_found_by_its_organizers_only(
    client: Client, city: City, district_admin: User, branch_secretary: User, town: Area, team: Team
) -> None:
    tour = make_tour(city.district, organizer=district_admin, title="尚未公布的巡回")
    make_stop(tour, organizer=district_admin, town=town, teams=[team])
    for name in ("tour_public", "tour_print", "tour_docx", "tour_xlsx"):
        assert client.get(reverse(f"volunteering:{name}", args=[tour.pk])).status_code == 404
    assert "尚未公布的巡回" not in client.get(reverse("volunteering:tour_list")).content.decode()
    _as(client, branch_secretary)
    assert client.get(reverse("volunteering:tour_detail", args=[tour.pk])).status_code == 404
    assert client.get(reverse("volunteering:tour_public", args=[tour.pk])).status_code == 404
    _as(client, district_admin)
    assert client.get(reverse("volunteering:tour_public", args=[tour.pk])).status_code == 200
    assert "尚未公布的巡回" in client.get(reverse("volunteering:tour_list")).content.decode()


def test_an_organizer_plans_a_tour_adds_a_stop_and_publishes_it_through_the_pages(
    client: Client, city: City, district_admin: User, town: Area, team: Team
) -> None:
    _as(client, district_admin)
    response = client.post(
        reverse("volunteering:tour_new"),
        {
            "title": "红七月巡回服务",
            "organization": city.district.code,
            "starts_on": "2014-06-27",
            "ends_on": "2014-07-16",
            "description": "",
        },
    )
    tour = Tour.objects.get(title="红七月巡回服务")
    assert response.url == reverse("volunteering:tour_detail", args=[tour.pk])  # type: ignore[attr-defined]
    item = team.items.get()
    response = client.post(
        reverse("volunteering:tour_stop_new", args=[tour.pk]),
        {
            "area": town.pk,
            "date": "2014-06-27",
            "place": "发银广场",
            "starts_at": "08:30",
            "ends_at": "",
            "teams": [team.pk],
            "items": [item.pk],
        },
    )
    assert response.status_code == 302
    client.post(reverse("volunteering:tour_publish", args=[tour.pk]))
    tour.refresh_from_db()
    assert tour.is_published and tour.stops.get().place == "发银广场"
    page = client.get(reverse("volunteering:tour_detail", args=[tour.pk])).content.decode()
    assert "schedule published" in page and "stop added" in page


def test_a_stop_outside_the_dates_is_shown_as_an_error_on_the_form_and_nothing_is_written(
    client: Client, city: City, district_admin: User, town: Area, team: Team
) -> None:
    tour = make_tour(city.district, organizer=district_admin, starts_on=date(2014, 6, 27))
    response = _as(client, district_admin).post(
        reverse("volunteering:tour_stop_new", args=[tour.pk]),
        {"area": town.pk, "date": "2014-07-17", "place": "广场", "teams": [team.pk]},
    )
    assert response.status_code == 200
    assert "outside the tour&#x27;s dates (2014-06-27 to 2014-07-16)" in response.content.decode()
    assert TourStop.objects.count() == 0


def test_the_organizer_records_people_served_after_a_stop(
    client: Client, published: Tour, district_admin: User
) -> None:
    stop = published.stops.get()
    _as(client, district_admin).post(reverse("volunteering:tour_stop_record", args=[stop.pk]), {"beneficiaries": "236"})
    stop.refresh_from_db()
    assert stop.beneficiaries == 236
    assert "236" in client.get(reverse("volunteering:tour_public", args=[published.pk])).content.decode()


def test_a_negative_count_of_people_served_is_refused_with_a_message(
    client: Client, published: Tour, district_admin: User
) -> None:
    stop = published.stops.get()
    response = _as(client, district_admin).post(
        reverse("volunteering:tour_stop_record", args=[stop.pk]), {"beneficiaries": "-5"}, follow=True
    )
    assert "greater than or equal to 0" in response.content.decode()
    stop.refresh_from_db()
    assert stop.beneficiaries is None


def test_an_admin_outside_the_subtree_cannot_change_someone_elses_stops(
    client: Client, published: Tour, branch_secretary: User
) -> None:
    stop = published.stops.get()
    _as(client, branch_secretary)
    assert client.post(reverse("volunteering:tour_stop_remove", args=[stop.pk])).status_code == 404
    assert client.get(reverse("volunteering:tour_stop_edit", args=[stop.pk])).status_code == 404
    assert TourStop.objects.filter(pk=stop.pk).exists()


def test_the_stop_form_offers_towns_of_the_organizers_area_and_active_teams_only(
    client: Client, city: City, district_admin: User, town: Area, team: Team
) -> None:
    retired = make_tour_team(city.district, "已撤销服务队")
    Team.objects.filter(pk=retired.pk).update(is_active=False)
    far_town = make_town(city.other_district.area, "远岛镇")
    tour = make_tour(city.district, organizer=district_admin, starts_on=timezone.localdate() + timedelta(days=2))
    form = _as(client, district_admin).get(reverse("volunteering:tour_stop_new", args=[tour.pk])).context["form"]
    assert list(form.fields["area"].queryset) == [town]
    assert far_town not in form.fields["area"].queryset
    assert retired not in form.fields["teams"].queryset and team in form.fields["teams"].queryset
