"""Hostile numbers and dates in requests answer 400, 404 or 422 — never a server error.

Each row is a request an audit sent to a running copy: characters that `str.isdigit` calls
digits ("²"), integers beyond 64 bits (SQLite cannot bind them), pages whose offset leaves 64
bits, and dates beyond the calendar (a span added to 9999-12-31, or 0001-01-01 made aware and
turned into UTC). The client raises the view's exception, so a server error fails the row.
"""

import importlib
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import Client

import lianxin
from conftest import City
from lianxin.accounts.models import User
from lianxin.activities.models import Activity
from lianxin.community.models import ServicePost
from lianxin.core.forms import IdsChoiceField
from lianxin.core.params import validate_date_in_range
from lianxin.demands.forms.sources import FaceToFaceForm
from lianxin.demands.models import HotSpot
from lianxin.demands.tests.factories import make_demand
from lianxin.members.models.development import TrainingAttendance
from lianxin.members.services.development import training_class_create, training_course_add
from lianxin.organizations.models import Organization
from lianxin.volunteering.models import Order, Session

pytestmark = pytest.mark.django_db

SUP2 = "%C2%B2"  # "²", which str.isdigit calls a digit and int() refuses
HUGE = "99999999999999999999999"  # beyond 64 bits
PAGE = str(2**62)  # an offset of 2^62 pages is beyond 64 bits

OPEN311 = [
    (f"/open311/v2/requests/{SUP2}.json", 404),
    (f"/open311/v2/request/{SUP2}.xml", 404),
    (f"/open311/v2/requests/{HUGE}.json", 404),
    (f"/open311/v2/requests.json?service_request_id={HUGE}", 400),
    (f"/open311/v2/requests.json?service_request_id=1,{SUP2}", 400),
    ("/open311/v2/requests.json?start_date=9999-12-31", 400),
    ("/open311/v2/requests.json?start_date=0001-01-01", 400),
    ("/open311/v2/requests.json?end_date=0001-01-01", 400),
    ("/open311/v2/requests.xml?end_date=9999-12-31T23:59:59%2B08:00", 400),
    (f"/open311/v2/requests.json?start_date=2026-01-0{SUP2}", 400),
]

API_LISTS = [
    "/api/v1/organizations",
    "/api/v1/areas",
    "/api/v1/service-centers",
    "/api/v1/members/development/birthdays?month=7",
    "/api/v1/wishes",
    "/api/v1/volunteering/menu",
    "/api/v1/volunteering/orders",
    "/api/v1/volunteering/sessions",
    "/api/v1/volunteering/tours",
    "/api/v1/volunteering/appointments",
    "/api/v1/demands",
    "/api/v1/activities",
    "/api/v1/community/reports",
    "/api/v1/community/posts",
    "/api/v1/community/claims",
    "/api/v1/community/records",
    "/api/v1/briefings",
]

API_OTHER = [
    # The roster's list pages by cursor (core.keyset): no page number; a malformed cursor is a 400.
    (f"/api/v1/members?after={SUP2}", 400),
    (f"/api/v1/members?before={HUGE}", 400),
    (f"/api/v1/members?page_size={HUGE}", 422),
    (f"/api/v1/members?page={PAGE}", 200),
    (f"/api/v1/members/development/pipeline?page={PAGE}", 200),
    (f"/api/v1/activities/compliance?page={PAGE}", 200),
    (f"/api/v1/volunteering/sessions?team={SUP2}", 422),
    (f"/api/v1/volunteering/sessions?team={HUGE}", 422),
    (f"/api/v1/activities?organization={HUGE}", 422),
    ("/api/v1/demands?from=9999-12-31", 422),
    ("/api/v1/demands/stats?from=0001-01-01&to=9999-12-31", 422),
    ("/api/v1/service-figures?to=9999-12-31", 422),
    ("/api/v1/service-figures?from=9999-12-30&to=9999-12-31", 422),
    ("/api/v1/activities/compliance?from=0001-01-01&to=0001-01-02", 422),
    ("/api/v1/demands/stats?from=9999-12-30&to=9999-12-31", 422),
    ("/api/v1/activities/coverage?from=0001-01-01", 422),
]

PAGES = [
    "/organizations/",
    "/members/",
    "/members/development/",
    "/wishes/",
    "/volunteering/menu/",
    "/volunteering/teams/",
    "/volunteering/orders/",
    "/volunteering/orders/mine/",
    "/volunteering/sessions/",
    "/demands/",
    "/demands/board/",
    "/demands/summaries/",
    "/demands/notices/",
    "/demands/visits/",
    "/activities/",
    "/activities/compliance/",
    "/briefings/",
]

PAGE_FILTERS = [
    (f"/volunteering/sessions/?team={SUP2}", 400),
    (f"/volunteering/sessions/?team={HUGE}", 400),
    (f"/volunteering/sessions/new/?order={SUP2}", 400),
    (f"/volunteering/orders/new/?item={SUP2}", 404),
    (f"/volunteering/orders/new/?item={HUGE}", 404),
    (f"/demands/similar/?area={SUP2}&title=路灯", 200),
    (f"/demands/similar/?area={HUGE}&title=路灯", 200),
    (f"/demands/similar/?area=1&title=路灯&exclude={SUP2}", 400),
    (f"/demands/hot-spots/new/?demand={SUP2}", 400),
    (f"/demands/hot-spots/new/?demand={HUGE}", 400),
    (f"/demands/visits/new/?topic={SUP2}", 400),
    (f"/activities/?organization={SUP2}", 400),
    (f"/activities/?organization={HUGE}", 400),
    (f"/activities/new/?organization={SUP2}", 400),
    (f"/members/development/birthdays/?month={SUP2}", 400),
    (f"/members/development/birthdays/?month={HUGE}", 400),
    ("/figures/?from=0001-01-01", 400),
    ("/figures/?from=9999-12-30&to=9999-12-31", 400),
    ("/figures/?from=0001-01-01&to=0001-01-02", 400),
    ("/activities/compliance/?from=9999-12-30&to=9999-12-31", 400),
    ("/activities/coverage/?from=0001-01-01&to=0001-01-02", 400),
    ("/demands/figures/?from=9999-12-30&to=9999-12-31", 400),
    ("/demands/board/?from=9999-12-30&to=9999-12-31", 400),
    ("/demands/visits/?from=9999-12-30&to=9999-12-31", 200),
    (f"/organizations/{HUGE}/", 404),
    (f"/members/{HUGE}/", 404),
    (f"/demands/{HUGE}/", 404),
    (f"/briefings/{HUGE}/", 404),
    (f"/briefings/{HUGE}/docx/", 404),
    # A link prefilling a new briefing: what is not a day in the calendar is not offered, never an error.
    ("/briefings/new/?from=0001-01-01&to=9999-12-31", 200),
    (f"/briefings/new/?from=2026-01-0{SUP2}&org={HUGE}", 200),
]


@pytest.fixture
def admin_client(client: Client, city_admin: User) -> Client:
    client.force_login(city_admin)
    return client


def _get(client: Client, url: str) -> Any:
    response = client.get(url)
    assert response.status_code < 500
    return response


@pytest.mark.parametrize(("url", "status"), OPEN311)
def test_open311_refuses_hostile_ids_and_dates_in_its_error_format(
    client: Client, city: City, url: str, status: int
) -> None:
    response = _get(client, url)
    assert response.status_code == status
    if status != 200:
        assert "description" in response.content.decode()


@pytest.mark.parametrize("url", API_LISTS)
def test_every_api_list_answers_422_to_a_page_beyond_64_bits(admin_client: Client, url: str) -> None:
    sep = "&" if "?" in url else "?"
    response = _get(admin_client, f"{url}{sep}page={PAGE}")
    assert response.status_code == 422, response.content
    assert response["Content-Type"].startswith("application/json")
    assert "page" in response.content.decode()
    assert _get(admin_client, f"{url}{sep}page=1").status_code == 200


@pytest.mark.parametrize(("url", "status"), API_OTHER)
def test_api_filters_refuse_hostile_numbers_and_dates(admin_client: Client, url: str, status: int) -> None:
    response = _get(admin_client, url)
    assert response.status_code == status, response.content
    if status != 200:
        assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("url", PAGES)
def test_every_page_shows_its_last_page_for_a_page_beyond_64_bits(admin_client: Client, url: str) -> None:
    for page in (PAGE, HUGE, SUP2, "-1", "last"):
        assert _get(admin_client, f"{url}?page={page}").status_code == 200


@pytest.mark.parametrize(("url", "status"), PAGE_FILTERS)
def test_pages_refuse_hostile_ids_and_dates_with_400_and_a_message(admin_client: Client, url: str, status: int) -> None:
    response = _get(admin_client, url)
    assert response.status_code == status
    if status == 400:
        body = response.content.decode()
        assert "1900-01-01" in body or "必须" in body


@pytest.mark.parametrize(
    ("query", "name"),
    [(f"after={SUP2}", "after"), (f"before={HUGE}", "before"), ("after=W10", "after"), ("letter=%E7%8E%8B", "letter")],
)
def test_the_member_list_refuses_a_malformed_position_with_400_naming_it(
    admin_client: Client, query: str, name: str
) -> None:
    response = _get(admin_client, f"/members/?{query}")
    assert response.status_code == 400
    assert name in response.content.decode()


def test_the_400_page_speaks_chinese_by_default(admin_client: Client) -> None:
    admin_client.cookies.pop("django_language", None)
    response = _get(admin_client, f"/volunteering/sessions/?team={SUP2}")
    assert response.status_code == 400
    body = response.content.decode()
    assert "team" in body and "整数" in body


# ------------------------------------------------------------- forms and API bodies write nothing


def test_a_hot_spot_of_a_demand_number_beyond_64_bits_is_refused_and_nothing_written(
    admin_client: Client, city: City, city_admin: User
) -> None:
    demand = make_demand(city.east, by=city_admin)
    response = admin_client.post(
        "/demands/hot-spots/new/",
        {"title": "噪音", "category": demand.category_id, "demands": f"{demand.pk},{HUGE}"},
    )
    assert response.status_code == 200
    assert HotSpot.objects.count() == 0
    assert HUGE in response.content.decode()


def test_an_activity_starting_in_year_one_is_refused_and_nothing_written(admin_client: Client, city: City) -> None:
    data = {
        "organization": city.east.pk,
        "kind": "branch_congress",
        "title": "支部党员大会",
        "starts_at": "0001-01-01T00:00",
        "ends_at": "0001-01-01T02:00",
    }
    response = admin_client.post("/activities/new/", data)
    assert response.status_code == 200
    assert Activity.objects.count() == 0
    response = admin_client.post(
        "/api/v1/activities",
        {**data, "starts_at": "0001-01-01T00:00:00+08:00", "ends_at": "0001-01-01T02:00:00+08:00"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert Activity.objects.count() == 0


def test_a_service_post_for_more_members_than_64_bits_is_refused_and_nothing_written(
    admin_client: Client, city: City
) -> None:
    response = admin_client.post(
        "/api/v1/community/posts",
        {"community_code": city.east.code, "title": "楼道清扫", "category": "other", "capacity": int(HUGE)},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert ServicePost.objects.count() == 0


def test_attendance_for_a_member_id_beyond_64_bits_is_refused(admin_client: Client, city: City) -> None:
    activity_count = Activity.objects.count()
    response = admin_client.post(
        f"/api/v1/activities/{HUGE}/attendance",
        {"member": int(HUGE), "status": "present"},
        content_type="application/json",
    )
    assert response.status_code in (404, 422)
    assert Activity.objects.count() == activity_count
    assert Session.objects.count() == 0


def _form_classes() -> list[type[forms.Form | forms.ModelForm[Any]]]:
    found: list[type[forms.Form | forms.ModelForm[Any]]] = []
    package = Path(lianxin.__file__).parent
    paths = [*package.glob("*/forms.py"), *package.glob("*/forms/*.py")]
    for path in sorted(paths):
        module = importlib.import_module("lianxin." + ".".join(path.relative_to(package).with_suffix("").parts))
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, forms.Form | forms.ModelForm)
                and value.__module__ == module.__name__
            ):
                found.append(value)
    return found


def test_every_integer_and_date_field_of_every_form_is_bounded() -> None:
    """No form lets a number beyond the database or a date beyond the calendar reach a service."""
    unbounded = []
    for form in _form_classes():
        for name, field in form.base_fields.items():
            bounded_decimal = isinstance(field, forms.DecimalField) and field.max_digits is not None
            if isinstance(field, forms.IntegerField) and field.max_value is None and not bounded_decimal:
                unbounded.append(f"{form.__name__}.{name}")
            if isinstance(field, forms.ModelMultipleChoiceField) and not isinstance(field, IdsChoiceField):
                unbounded.append(f"{form.__name__}.{name}")
            if isinstance(field, forms.DateField | forms.DateTimeField) and not any(
                v is validate_date_in_range for v in field.validators
            ):
                unbounded.append(f"{form.__name__}.{name}")
    assert len(_form_classes()) > 20
    assert unbounded == []


@pytest.mark.parametrize("value", [HUGE, str(2**31), "²"])
def test_a_face_to_face_meeting_attended_by_more_people_than_the_database_holds_is_refused(value: str) -> None:
    field = FaceToFaceForm.base_fields["attendance"]
    with pytest.raises(ValidationError):
        field.clean(value)


@pytest.mark.parametrize(
    "body",
    [
        {"item_id": int(HUGE), "starts_on": "2026-12-01", "ends_on": "2026-12-02", "expected_beneficiaries": 1},
        {"item_id": 1, "starts_on": "0001-01-01", "ends_on": "0001-01-02", "expected_beneficiaries": 1},
        {"item_id": 1, "starts_on": "2026-12-01", "ends_on": "9999-12-31", "expected_beneficiaries": 1},
        {"item_id": 1, "starts_on": "2026-12-01", "ends_on": "2026-12-02", "expected_beneficiaries": int(HUGE)},
    ],
)
def test_an_api_order_with_a_huge_number_or_a_date_beyond_the_calendar_is_422_and_nothing_written(
    admin_client: Client, body: dict[str, Any]
) -> None:
    payload = {"area_code": "x", "place": "社区", **body}
    response = admin_client.post("/api/v1/volunteering/orders", payload, content_type="application/json")
    assert response.status_code == 422, response.content
    assert Order.objects.count() == 0


def test_training_attendance_for_member_ids_beyond_64_bits_or_not_digits_records_nothing(
    admin_client: Client, city: City
) -> None:
    klass = training_class_create(
        organization=city.east, name="第二期", starts_on=date(2025, 6, 1), ends_on=date(2025, 6, 3)
    )
    course = training_course_add(training_class=klass, title="党史", held_on=date(2025, 6, 2), hours=Decimal("4.5"))
    url = f"/members/development/training/{klass.pk}/course/{course.pk}/attendance/"
    for members in ([HUGE], ["²"], [str(2**63)]):
        response = admin_client.post(url, {"members": members})
        assert response.status_code == 302
    assert TrainingAttendance.objects.count() == 0


@pytest.mark.parametrize("value", [HUGE, str(2**63), "²", "0"])
def test_rows_ticked_by_an_id_beyond_64_bits_or_not_digits_are_refused_before_any_query(city: City, value: str) -> None:
    field = IdsChoiceField(queryset=Organization.objects.all())
    with pytest.raises(ValidationError):
        field.clean([str(city.east.pk), value])
    assert field.clean([str(city.east.pk)]).get() == city.east
