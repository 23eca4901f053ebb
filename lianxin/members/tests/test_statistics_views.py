"""The statistics page, its workbook and the API: scoped to the viewer's roster, a bad year refused in
English and Chinese with nothing computed or written, the export audited."""

import io
from datetime import date

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.core.models import AuditEntry, Event
from lianxin.members.models import Member
from lianxin.members.services.roster import member_leave
from lianxin.members.tests.factories import make_member

pytestmark = pytest.mark.django_db

PAGE = reverse("members:statistics")
XLSX = reverse("members:statistics_xlsx")
API = "/api/v1/members/statistics"


def _trimmed(row: tuple[object, ...]) -> list[object]:
    """A sheet's row without the empty cells after its last value (openpyxl pads to the widest row)."""
    values = list(row)
    while values and values[-1] is None:
        values.pop()
    return values


def _as(client: Client, user: User) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def roster(city: City) -> None:
    """Two members of the district at the end of 2025 (one of them developed that year), one who died in
    it, and one in the other district."""
    make_member(city.east, name="王海", ethnicity="汉族", joined_on=date(2010, 7, 1), full_on=date(2011, 7, 1))
    make_member(
        city.west,
        name="李红",
        female=True,
        ethnicity="回族",
        category=Member.Category.PROBATIONARY,
        applied_on=None,
        activist_on=None,
        candidate_on=None,
        joined_on=date(2025, 4, 1),
        full_on=None,
    )
    gone = make_member(
        city.east,
        name="张老",
        birth=date(1950, 1, 1),
        applied_on=None,
        activist_on=None,
        candidate_on=None,
        joined_on=date(1980, 7, 1),
        full_on=date(1981, 7, 1),
    )
    member_leave(actor=None, member=gone, reason=Member.LeaveReason.DECEASED, left_on=date(2025, 5, 1))
    make_member(city.other_branch, name="陈渔")


def test_the_page_shows_the_tables_and_their_checks(client: Client, district_admin: User, roster: None) -> None:
    response = _as(client, district_admin).get(PAGE, {"org": "D1", "year": "2025"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    stats = response.context["stats"]
    assert (stats.members.total, stats.developed.total, stats.changes.start, stats.changes.died) == (2, 1, 2, 1)
    assert stats.passed
    page = response.content.decode()
    assert (
        'id="members-sex"' in page and 'id="developed-ethnicity"' in page and 'id="organizations-organizations"' in page
    )
    assert 'data-figure="end">2<' in page and "回族" in page
    assert page.count('data-passed="true"') == len(stats.checks)
    assert f"{XLSX}?org=D1&amp;year=2025" in page


def test_without_a_year_the_page_counts_this_year_up_to_today(
    client: Client, district_admin: User, roster: None
) -> None:
    response = _as(client, district_admin).get(PAGE, {"org": "D1"})

    assert response.status_code == 200
    assert response.context["stats"].year == timezone.localdate().year
    assert response.context["stats"].end == timezone.localdate()


def test_the_member_list_links_to_the_statistics_of_its_organization(
    client: Client, district_admin: User, city: City
) -> None:
    page = _as(client, district_admin).get(reverse("members:list"), {"org": "D1"}).content.decode()

    assert f'href="{PAGE}?org=D1"' in page


@pytest.mark.parametrize("year", ["abc", "1920", str(timezone.localdate().year + 1), "２０２５", "2025.0", "-2025"])
def test_a_bad_year_is_refused_in_english_and_chinese_and_nothing_is_computed_or_written(
    client: Client, district_admin: User, roster: None, year: str
) -> None:
    client = _as(client, district_admin)
    AuditEntry.objects.all().delete()  # granting the persona's role is audited
    events = Event.objects.count()
    this_year = timezone.localdate().year
    english = f"year must be a whole number from 1921 to {this_year}."
    chinese = f"year 必须是 1921 至 {this_year} 之间的整数。"

    page = client.get(PAGE, {"org": "D1", "year": year}, HTTP_ACCEPT_LANGUAGE="en")
    download = client.get(XLSX, {"org": "D1", "year": year}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    api = client.get(API, {"org": "D1", "year": year}, HTTP_ACCEPT_LANGUAGE="en")
    api_chinese = client.get(API, {"org": "D1", "year": year}, HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert page.status_code == 400 and english in page.content.decode()
    assert "stats" not in page.context and 'id="statistics-members"' not in page.content.decode()
    assert download.status_code == 400 and chinese in download.content.decode()
    assert download.get("Content-Disposition") is None
    assert api.status_code == 400 and api.json() == {"detail": english, "code": "bad_request"}
    assert api_chinese.status_code == 400 and api_chinese.json()["detail"] == chinese
    assert not AuditEntry.objects.exists() and Event.objects.count() == events


def test_a_branch_secretary_cannot_read_the_district(client: Client, branch_secretary: User, roster: None) -> None:
    client = _as(client, branch_secretary)

    assert client.get(PAGE, {"org": "D1", "year": "2025"}).status_code == 404
    assert client.get(XLSX, {"org": "D1", "year": "2025"}).status_code == 404
    assert client.get(API, {"org": "D1", "year": "2025"}).status_code == 404
    own = client.get(API, {"org": "D1E", "year": "2025"})
    assert own.status_code == 200 and own.json()["members"]["total"] == 1


def test_someone_who_does_not_manage_a_roster_is_not_shown_the_statistics(
    client: Client, member_user: User, roster: None
) -> None:
    client = _as(client, member_user)

    assert client.get(PAGE).status_code == 404
    assert client.get(API).status_code == 404


def test_the_api_returns_every_table_and_the_checks(client: Client, district_admin: User, roster: None) -> None:
    body = _as(client, district_admin).get(API, {"org": "D1", "year": "2025"}, HTTP_ACCEPT_LANGUAGE="en").json()

    assert (body["organization_code"], body["year"], body["start"], body["end"]) == (
        "D1",
        2025,
        "2025-01-01",
        "2025-12-31",
    )
    assert [g["key"] for g in body["members"]["grids"]] == [
        "sex",
        "ethnicity",
        "age",
        "education",
        "occupation",
        "party_age",
        "joined",
    ]
    sex = body["members"]["grids"][0]
    assert [c["key"] for c in sex["columns"]] == ["male", "female"]
    assert [(line["key"], line["total"], line["cells"]) for line in sex["lines"]] == [
        ("total", 2, [1, 1]),
        ("full", 1, [1, 0]),
        ("probationary", 1, [0, 1]),
    ]
    assert body["developed"]["total"] == 1
    assert body["changes"] | {} == {
        "start": 2,
        "joined": 1,
        "transferred_in": 0,
        "transferred_out": 0,
        "relationship_out": 0,
        "died": 1,
        "expelled": 0,
        "left_unrecorded": 0,
        "end": 2,
        "reached": 2,
    }
    assert body["organizations"]["lines"][0]["total"] == 3
    assert body["passed"] is True and len(body["checks"]) == 6


def test_the_workbook_has_a_sheet_per_table_in_the_pages_layout_and_is_audited(
    client: Client, district_admin: User, roster: None
) -> None:
    client = _as(client, district_admin)
    AuditEntry.objects.all().delete()  # granting the persona's role is audited

    response = client.get(XLSX, {"org": "D1", "year": "2025"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    titles = [sheet["A1"].value for sheet in book.worksheets]
    assert titles == [
        "Party members at the end of the year",
        "Members developed in the year",
        "Party organizations at the end of the year",
        "Changes in the year",
        "Checks",
    ]
    members = book.worksheets[0]
    assert members["A1"].value == "Party members at the end of the year"
    heading = str(members["A2"].value)
    assert "中共城区委员会" in heading and "2025" in heading and "Generated at" in heading
    rows = [_trimmed(r) for r in members.iter_rows(min_row=3, values_only=True)]
    assert rows[0] == ["Sex", "Total", "male", "female"]
    assert rows[1:4] == [["Total", 2, 1, 1], ["Full members", 1, 1, 0], ["Probationary members", 1, 0, 1]]
    changes = [_trimmed(r) for r in book.worksheets[3].iter_rows(min_row=3, values_only=True)]
    assert changes[0][0] == "At the start of the year" and changes[1] == [2, 1, 0, 0, 0, 1, 0, 0, 2]
    assert book.worksheets[4]["A4"].value.startswith("Each breakdown")
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.target) == (district_admin, AuditEntry.Action.EXPORT, "members.statistics")
    assert entry.detail == {"file": response.filename, "filters": {"org": "D1", "year": "2025"}}  # type: ignore[attr-defined]
