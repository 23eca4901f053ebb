"""Development pages: the branch pipeline with what blocks each person, a person's steps,
the export, training, oaths and birthdays; scoped to the viewer's organizations."""

import io
import re
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.http import HttpResponseBase
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.members.models import Member
from lianxin.members.models.development import DevelopmentStep, OathCeremony, TrainingAttendance
from lianxin.members.services.development import training_class_create, training_course_add
from lianxin.members.tests.factories import make_member
from lianxin.members.tests.test_development_services import candidate_ready, make_activist, make_applicant
from lianxin.organizations.models import Organization


@pytest.fixture
def client() -> Client:
    """Pages answer in English here, so assertions read the messages' msgids."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Answer

pytestmark = pytest.mark.django_db


def _as(client: Client, user: User) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def recent_activist(organization: Organization, name: str = "周新") -> Member:
    today = timezone.localdate()
    return make_applicant(
        organization,
        name=name,
        category=Member.Category.ACTIVIST,
        applied_on=today - timedelta(days=400),
        activist_on=today - timedelta(days=100),
    )


def advance_confirmed(client: Client, member: Member, data: dict[str, object]) -> "Answer":
    """Record a step as a person does: check it, read the preview, then confirm what was shown."""
    url = reverse("members:development_advance", args=[member.pk])
    preview = client.post(url, data).content.decode()
    found = re.search(r'name="confirm" value="([0-9a-f]+)"', preview)
    assert found, "the preview offers no confirmation"
    return client.post(url, {**data, "confirm": found.group(1)})


def test_the_branch_pipeline_shows_each_person_with_the_article_that_blocks_them(
    client: Client, branch_secretary: User, city: City
) -> None:
    recent_activist(city.east)
    make_activist(city.west, activist_on=date(2024, 6, 1))
    html = _as(client, branch_secretary).get(reverse("members:development"), {"org": "D1E"}).content.decode()
    assert "周新" in html
    assert "第13条" in html
    response = client.get(reverse("members:development"), {"org": "D1W"})
    assert response.status_code == 404


def test_a_premature_step_is_refused_on_the_page_with_its_article_and_nothing_changes(
    client: Client, branch_secretary: User, city: City
) -> None:
    member = recent_activist(city.east)
    url = reverse("members:development_advance", args=[member.pk])
    response = _as(client, branch_secretary).post(url, {"to": "candidate", "on": timezone.localdate().isoformat()})
    html = response.content.decode()
    assert response.status_code == 200 and "This step cannot be recorded:" in html and "第13条" in html
    assert 'name="confirm"' not in html
    member.refresh_from_db()
    assert member.category == Member.Category.ACTIVIST
    assert not DevelopmentStep.objects.exists()


def test_recording_a_step_on_the_person_page_moves_the_member_and_keeps_the_people(
    client: Client, branch_secretary: User, city: City
) -> None:
    member = make_applicant(city.east)
    client = _as(client, branch_secretary)
    response = advance_confirmed(
        client, member, {"to": "activist", "on": "2024-10-01", "talker": "张书记", "contacts": "王芳、李强"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.category == Member.Category.ACTIVIST
    html = client.get(reverse("members:development_person", args=[member.pk])).content.decode()
    assert "王芳、李强" in html and "2024-10-01" in html


def test_a_political_review_and_a_material_are_entered_by_a_person(
    client: Client, branch_secretary: User, city: City
) -> None:
    member = make_activist(city.east)
    client = _as(client, branch_secretary)
    client.post(
        reverse("members:development_review", args=[member.pk]),
        {"result": "passed", "reviewed_on": "2025-11-01", "reviewer": "街道党工委"},
    )
    client.post(reverse("members:development_tick", args=[member.pk]), {"step": "activist", "item": "filing"})
    html = client.get(reverse("members:development_person", args=[member.pk])).content.decode()
    assert "街道党工委" in html and "branch_secretary" in html
    assert member.political_reviews.get().created_by == branch_secretary
    assert member.material_ticks.get().ticked_by == branch_secretary


def test_the_timeline_names_a_political_review_result_in_words(
    client: Client, branch_secretary: User, city: City
) -> None:
    member = make_activist(city.east)
    client = _as(client, branch_secretary)
    client.post(
        reverse("members:development_review", args=[member.pk]),
        {"result": "failed", "reviewed_on": "2025-11-01", "reviewer": "街道党工委"},
    )
    html = client.get(reverse("members:development_person", args=[member.pk])).content.decode()
    assert "→ not passed" in html and "→ failed" not in html


def test_someone_outside_the_scope_cannot_see_or_advance_a_person(
    client: Client, branch_secretary: User, city: City
) -> None:
    member = make_applicant(city.west)
    client = _as(client, branch_secretary)
    assert client.get(reverse("members:development_person", args=[member.pk])).status_code == 404
    response = client.post(
        reverse("members:development_advance", args=[member.pk]), {"to": "activist", "on": "2024-10-01"}
    )
    assert response.status_code == 404
    member.refresh_from_db()
    assert member.category == Member.Category.APPLICANT


def test_a_resident_cannot_open_the_pipeline(client: Client, resident: User) -> None:
    assert _as(client, resident).get(reverse("members:development")).status_code == 404


def test_the_pipeline_export_lists_the_branch_with_blocks(client: Client, branch_secretary: User, city: City) -> None:
    recent_activist(city.east)
    response = _as(client, branch_secretary).get(reverse("members:development_export"), {"org": "D1E"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    assert sheet is not None
    rows = list(sheet.iter_rows(min_row=3, values_only=True))  # under the title and where-and-when line
    assert rows[0][0] == "Name"
    assert rows[1][0] == "周新" and "第13条" in str(rows[1][8])


def test_training_attendance_from_the_class_page_counts_hours(
    client: Client, branch_secretary: User, city: City
) -> None:
    member = make_activist(city.east)
    klass = training_class_create(
        organization=city.east, name="积极分子培训班", starts_on=date(2025, 5, 1), ends_on=date(2025, 5, 3)
    )
    course = training_course_add(training_class=klass, title="党章", held_on=date(2025, 5, 1), hours=Decimal(8))
    client = _as(client, branch_secretary)
    client.post(reverse("members:training_attendance", args=[klass.pk, course.pk]), {"members": [member.pk]})
    assert TrainingAttendance.objects.filter(member=member, course=course).exists()
    client.post(reverse("members:training_score", args=[klass.pk]), {"member": member.pk, "score": 92})
    html = client.get(reverse("members:training_detail", args=[klass.pk])).content.decode()
    assert "8.0" in html and "92" in html


def test_the_oath_page_lists_who_is_not_sworn_in_and_records_a_ceremony(
    client: Client, branch_secretary: User, city: City
) -> None:
    today = timezone.localdate()
    new = make_member(
        city.east, name="新党员", category="probationary", joined_on=today - timedelta(days=30), full_on=None
    )
    due = make_member(
        city.east, name="待转正", category="probationary", joined_on=today - timedelta(days=380), full_on=None
    )
    client = _as(client, branch_secretary)
    html = client.get(reverse("members:oaths"), {"org": "D1E"}).content.decode()
    assert "新党员" in html and "待转正" in html
    url = reverse("members:oaths") + "?org=D1E"
    client.post(url, {"members": [new.pk], "held_on": today.isoformat(), "place": "党群服务中心"})
    assert list(OathCeremony.objects.get().members.all()) == [new]
    html = client.get(reverse("members:oaths"), {"org": "D1E"}).content.decode()
    not_sworn = html.split('id="not-sworn"')[1].split("</table>")[0]
    assert "新党员" not in not_sworn and "待转正" in not_sworn
    due_table = html.split('id="due-full"')[1].split("</table>")[0]
    assert "待转正" in due_table and "新党员" not in due_table
    assert due.pk


def test_political_birthdays_list_members_who_joined_in_the_month(
    client: Client, branch_secretary: User, city: City
) -> None:
    make_member(city.east, name="七月人", joined_on=date(2005, 7, 1), full_on=date(2006, 7, 1))
    make_member(
        city.east, name="三月人", joined_on=date(2005, 3, 1), full_on=date(2006, 3, 1), candidate_on=date(2004, 10, 1)
    )
    july: dict[str, str | int] = {"org": "D1E", "month": 7}
    html = _as(client, branch_secretary).get(reverse("members:birthdays"), july).content.decode()
    assert "七月人" in html and "三月人" not in html


def test_admission_on_the_page_records_the_vote_and_the_approval(
    client: Client, branch_secretary: User, city: City
) -> None:
    member = candidate_ready(city.east)
    client = _as(client, branch_secretary)
    page = client.get(reverse("members:development_person", args=[member.pk])).content.decode()
    assert 'name="votes_for"' in page and 'name="approved_by"' in page and 'name="talker"' not in page
    response = advance_confirmed(
        client,
        member,
        {
            "to": "probationary",
            "on": "2026-07-01",
            "sponsors": "王芳、李强",
            "votes_for": 9,
            "voters_entitled": 12,
            "approved_by": "街道党工委",
            "approved_on": "2026-08-01",
        },
    )
    assert next(str(m) for m in get_messages(response.wsgi_request)).startswith(member.name)
    member.refresh_from_db()
    assert member.category == Member.Category.PROBATIONARY and member.joined_on == date(2026, 7, 1)
    html = client.get(reverse("members:development_person", args=[member.pk])).content.decode()
    assert "街道党工委" in html and "9 of 12" in html


def _sheet_rows(response: HttpResponseBase) -> list[tuple[object, ...]]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    assert sheet is not None
    # The ledger's title and where-and-when line sit above the header.
    return list(sheet.iter_rows(min_row=3, values_only=True))


def test_the_oath_birthday_and_training_lists_export_to_xlsx(
    client: Client, branch_secretary: User, city: City
) -> None:
    today = timezone.localdate()
    make_member(city.east, name="新党员", category="probationary", joined_on=today - timedelta(days=30), full_on=None)
    make_member(city.east, name="七月人", joined_on=date(2005, 7, 1), full_on=date(2006, 7, 1))
    trainee = make_activist(city.east)
    klass = training_class_create(
        organization=city.east, name="积极分子培训班", starts_on=date(2025, 5, 1), ends_on=date(2025, 5, 3)
    )
    course = training_course_add(training_class=klass, title="党章", held_on=date(2025, 5, 1), hours=Decimal(8))
    TrainingAttendance.objects.create(course=course, member=trainee)
    client = _as(client, branch_secretary)
    rows = _sheet_rows(client.get(reverse("members:oaths"), {"org": "D1E", "export": "pending"}))
    assert [r[0] for r in rows] == ["Name", "新党员"]
    july: dict[str, str | int] = {"org": "D1E", "month": 7, "export": 1}
    rows = _sheet_rows(client.get(reverse("members:birthdays"), july))
    assert rows[1][1] == "七月人" and rows[1][3] == today.year - 2005
    rows = _sheet_rows(client.get(reverse("members:training_detail", args=[klass.pk]), {"export": 1}))
    assert rows[0][1] == "05-01 党章" and rows[1][0] == trainee.name and rows[1][1] == "✔" and rows[1][2] == 8
