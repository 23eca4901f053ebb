"""Extended probation (延长预备期, 党章 第7条): once only, 6 to 12 whole months, probationary
members only; the expected full-membership date moves on every page that uses it."""

import io
from datetime import date, datetime, timedelta
from typing import Any, cast

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.core.models import Event
from lianxin.members.models import Member
from lianxin.members.models.development import ProbationExtension
from lianxin.members.rules.roster import add_months, member_warnings, probation_ends_on
from lianxin.members.selectors.development import due_for_full_membership
from lianxin.members.services.development import development_advance, probation_extend
from lianxin.members.tests.factories import make_member
from lianxin.members.tests.test_development_services import make_activist
from lianxin.organizations.models import Organization

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 20)
APPROVAL = {"approved_by": "街道党工委", "approved_on": date(2026, 11, 12)}


@pytest.fixture
def client() -> Client:
    """Pages answer in English here, so assertions read the messages' msgids."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def _as(client: Client, user: User) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def make_probationary(organization: Organization, joined_on: date = date(2025, 11, 1), **overrides: object) -> Member:
    return make_member(
        organization,
        category=Member.Category.PROBATIONARY,
        applied_on=date(2023, 3, 1),
        activist_on=date(2023, 9, 1),
        candidate_on=date(2024, 10, 1),
        joined_on=joined_on,
        full_on=None,
        **overrides,
    )


def extend(member: Member, months: int = 6, **overrides: Any) -> ProbationExtension:
    values: dict[str, Any] = {
        "member": member,
        "actor": None,
        "decided_on": date(2026, 11, 5),
        "months": months,
        "reason": "学习态度需进一步端正",
        "today": TODAY,
        **APPROVAL,
    }
    values.update(overrides)
    return probation_extend(**values)


# ------------------------------------------------------------------ services


def test_an_extension_moves_the_expected_full_membership_date_and_writes_an_event(
    city: City, branch_secretary: User
) -> None:
    member = make_probationary(city.east)
    assert probation_ends_on(member) == date(2026, 11, 1)
    extension = extend(member, months=6, actor=branch_secretary)
    assert (extension.months, extension.approved_by, extension.created_by) == (6, "街道党工委", branch_secretary)
    fresh = Member.objects.get(pk=member.pk)
    assert probation_ends_on(fresh) == date(2027, 5, 1)
    event = Event.objects.get(verb="probation_extended", subject_id=member.pk)
    assert event.data["months"] == 6 and event.data["ends_on"] == "2027-05-01"
    assert event.note == "学习态度需进一步端正" and event.actor == branch_secretary


def test_full_membership_before_the_extended_probation_ends_is_blocked_citing_article_7(city: City) -> None:
    member = make_probationary(city.east)
    extend(member, months=12)
    with pytest.raises(ValidationError) as exc:
        development_advance(
            member=Member.objects.get(pk=member.pk),
            actor=None,
            to="full",
            on=date(2026, 11, 15),
            approved_by="街道党工委",
            approved_on=date(2026, 11, 16),
            today=TODAY,
        )
    assert "extended by 12 months, ends on 2027-11-01" in exc.value.messages[0]
    assert "党章 第7条" in exc.value.messages[0]
    assert Member.objects.get(pk=member.pk).category == Member.Category.PROBATIONARY
    development_advance(
        member=Member.objects.get(pk=member.pk),
        actor=None,
        to="full",
        on=date(2027, 11, 1),
        approved_by="街道党工委",
        approved_on=date(2027, 11, 2),
        today=date(2027, 11, 3),
    )
    assert Member.objects.get(pk=member.pk).full_on == date(2027, 11, 1)


def test_a_second_extension_is_refused_citing_article_7_and_writes_nothing(city: City) -> None:
    member = make_probationary(city.east)
    extend(member, months=6)
    with pytest.raises(ValidationError) as exc:
        extend(Member.objects.get(pk=member.pk), months=6, decided_on=date(2026, 11, 18))
    assert "already been extended once" in exc.value.messages[0] and "党章 第7条" in exc.value.messages[0]
    assert ProbationExtension.objects.get().decided_on == date(2026, 11, 5)
    assert Event.objects.filter(verb="probation_extended").count() == 1


@pytest.mark.parametrize("months", [0, 5, 13, 18])
def test_fewer_than_6_or_more_than_12_months_is_refused_citing_article_7(city: City, months: int) -> None:
    member = make_probationary(city.east)
    with pytest.raises(ValidationError) as exc:
        extend(member, months=months)
    assert "6 to 12 months" in exc.value.messages[0] and "党章 第7条" in exc.value.messages[0]
    assert not ProbationExtension.objects.exists()
    assert not Event.objects.filter(verb="probation_extended").exists()


@pytest.mark.parametrize("months", [6, 12])
def test_6_and_12_months_are_the_bounds_allowed(city: City, months: int) -> None:
    member = make_probationary(city.east)
    assert extend(member, months=months).months == months


def test_someone_who_is_not_probationary_cannot_have_a_probation_extended(city: City) -> None:
    activist = make_activist(city.east)
    full = make_member(city.east)
    for member in (activist, full):
        with pytest.raises(ValidationError) as exc:
            extend(member)
        assert "only a probationary member's probation can be extended" in exc.value.messages[0]
        assert "党章 第7条" in exc.value.messages[0]
    assert not ProbationExtension.objects.exists()


def test_an_extension_needs_a_reason_an_approval_and_sensible_dates(city: City) -> None:
    member = make_probationary(city.east)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"reason": "  "}, "Give the reason"),
        ({"approved_by": ""}, "Enter who approved"),
        ({"approved_on": None}, "Enter who approved"),
        ({"approved_on": date(2026, 11, 1)}, "comes before the decision"),
        ({"decided_on": date(2026, 12, 1), "approved_on": date(2026, 12, 2)}, "in the future"),
        ({"decided_on": date(2025, 10, 1), "approved_on": date(2025, 10, 2)}, "comes before joining"),
    ]
    for overrides, message in cases:
        with pytest.raises(ValidationError, match=message):
            extend(member, **overrides)
    assert not ProbationExtension.objects.exists()
    assert not Event.objects.filter(verb="probation_extended").exists()


def test_the_due_for_full_membership_list_follows_the_extension(city: City, branch_secretary: User) -> None:
    today = timezone.localdate()
    plain = make_probationary(city.east, name="到期", joined_on=add_months(today, -12))
    extended = make_probationary(city.east, name="延长", joined_on=add_months(today, -12))
    ending = make_probationary(city.east, name="延长期满", joined_on=add_months(today, -18))
    extend(extended, months=6, decided_on=today, approved_on=today, today=today)
    extend(ending, months=6, decided_on=add_months(today, -6), approved_on=add_months(today, -6), today=today)
    due = list(due_for_full_membership(user=branch_secretary, organization=city.east, today=today))
    assert plain in due and ending in due and extended not in due
    later = add_months(today, 6)
    assert extended in due_for_full_membership(user=branch_secretary, organization=city.east, today=later)


# ------------------------------------------------------------------ pages


def test_the_person_page_extends_a_probation_with_its_form_and_shows_the_new_date(
    client: Client, branch_secretary: User, city: City
) -> None:
    today = timezone.localdate()
    member = make_probationary(city.east, joined_on=add_months(today, -12))
    client = _as(client, branch_secretary)
    url = reverse("members:development_person", args=[member.pk])
    page = client.get(url).content.decode()
    assert 'id="extension"' in page and 'name="ext-months"' in page
    response = client.post(
        reverse("members:development_extension", args=[member.pk]),
        {
            "ext-decided_on": today.isoformat(),
            "ext-months": 6,
            "ext-reason": "需继续考察",
            "ext-approved_by": "街道党工委",
            "ext-approved_on": today.isoformat(),
        },
    )
    new_end = add_months(today, 6)
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == [f"The probation is extended; it now ends on {new_end}."]
    html = client.get(url).content.decode()
    ends = html.split('id="probation-ends">')[1].split("</dd>")[0]
    assert new_end.isoformat() in ends and "extended by 6 months" in ends
    assert 'name="ext-months"' not in html and "需继续考察" in html
    assert "probation extended" in html  # the timeline


def test_a_refused_extension_on_the_page_shows_the_article_and_writes_nothing(
    client: Client, branch_secretary: User, city: City
) -> None:
    today = timezone.localdate()
    member = make_probationary(city.east, joined_on=add_months(today, -12))
    response = _as(client, branch_secretary).post(
        reverse("members:development_extension", args=[member.pk]),
        {
            "ext-decided_on": today.isoformat(),
            "ext-months": 13,
            "ext-reason": "需继续考察",
            "ext-approved_by": "街道党工委",
            "ext-approved_on": today.isoformat(),
        },
    )
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(messages) == 1 and "6 to 12 months" in messages[0] and "党章 第7条" in messages[0]
    assert not ProbationExtension.objects.exists()


def test_extending_outside_the_scope_or_without_roster_rights_is_not_found(
    client: Client, branch_secretary: User, resident: User, city: City
) -> None:
    member = make_probationary(city.west)
    data = {
        "ext-decided_on": "2026-11-05",
        "ext-months": 6,
        "ext-reason": "x",
        "ext-approved_by": "党委",
        "ext-approved_on": "2026-11-06",
    }
    url = reverse("members:development_extension", args=[member.pk])
    assert _as(client, branch_secretary).post(url, data).status_code == 404
    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert _as(other, resident).post(url, data).status_code == 404
    assert not ProbationExtension.objects.exists()


def test_the_oath_page_shows_the_extended_end_of_probation_and_exports_it(
    client: Client, branch_secretary: User, city: City
) -> None:
    today = timezone.localdate()
    member = make_probationary(city.east, name="延长期满", joined_on=add_months(today, -18) - timedelta(days=3))
    decided = add_months(today, -6)
    extend(member, months=6, decided_on=decided, approved_on=decided, today=today)
    client = _as(client, branch_secretary)
    html = client.get(reverse("members:oaths"), {"org": "D1E"}).content.decode()
    due_table = html.split('id="due-full"')[1].split("</table>")[0]
    ends = probation_ends_on(Member.objects.get(pk=member.pk))
    assert ends is not None
    assert "延长期满" in due_table and ends.isoformat() in due_table and "extended by 6 months" in due_table
    response = client.get(reverse("members:oaths"), {"org": "D1E", "export": "due"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    assert sheet is not None
    rows = list(sheet.iter_rows(min_row=3, values_only=True))  # under the title and where-and-when line
    assert rows[0][3] == "Probation ends on"
    assert rows[1][0] == "延长期满" and cast(datetime, rows[1][3]).date() == ends


# ------------------------------------------------------------------ API


def test_the_api_extends_once_and_shows_the_moved_date(client: Client, branch_secretary: User, city: City) -> None:
    today = timezone.localdate()
    member = make_probationary(city.east, joined_on=add_months(today, -12))
    client = _as(client, branch_secretary)
    url = f"/api/v1/members/development/{member.pk}/extension"
    payload = {
        "decided_on": today.isoformat(),
        "months": 9,
        "reason": "需继续考察",
        "approved_by": "街道党工委",
        "approved_on": today.isoformat(),
    }
    response = client.post(url, payload, content_type="application/json")
    assert response.status_code == 201 and response.json()["months"] == 9
    again = client.post(url, payload, content_type="application/json")
    assert again.status_code == 422 and "党章 第7条" in again.json()["detail"]
    person = client.get(f"/api/v1/members/development/{member.pk}").json()
    assert person["probation_ends_on"] == add_months(today, 9).isoformat()
    assert person["probation_extension"]["reason"] == "需继续考察"
    assert ProbationExtension.objects.count() == 1


def test_the_api_refuses_bad_months_and_other_branches(client: Client, branch_secretary: User, city: City) -> None:
    today = timezone.localdate()
    member = make_probationary(city.east, joined_on=add_months(today, -12))
    outside = make_probationary(city.west, joined_on=add_months(today, -12))
    client = _as(client, branch_secretary)
    payload = {
        "decided_on": today.isoformat(),
        "months": 4,
        "reason": "x",
        "approved_by": "党委",
        "approved_on": today.isoformat(),
    }
    bad = client.post(f"/api/v1/members/development/{member.pk}/extension", payload, content_type="application/json")
    assert bad.status_code == 422 and "6 to 12 months" in bad.json()["detail"]
    payload["months"] = 6
    response = client.post(
        f"/api/v1/members/development/{outside.pk}/extension", payload, content_type="application/json"
    )
    assert response.status_code == 404
    assert not ProbationExtension.objects.exists()


def test_the_member_page_and_list_read_the_extended_probation(client: Client, city: City, city_admin: User) -> None:
    member = make_probationary(city.east, joined_on=date(2025, 3, 1))
    today = timezone.localdate()
    # Without the extension, probation ended 2026-03-01 and full membership would be overdue.
    assert any(w.code == "probation_overdue" for w in member_warnings(member, today))
    extend(member, months=12, decided_on=date(2026, 2, 20), approved_on=date(2026, 2, 25))
    _as(client, city_admin)

    page = client.get(reverse("members:detail", args=[member.pk])).content.decode()
    listed = client.get(reverse("members:list"), {"q": member.name})

    assert "2027-03-01" in page and "full membership is overdue" not in page
    [row] = [r for r in listed.context["rows"] if r["url"] == reverse("members:detail", args=[member.pk])]
    assert row["badges"] == []  # no warning
