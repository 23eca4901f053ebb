"""The talk with an applicant (发展党员工作细则 第7条) and the half-yearly review of each
activist (第11条): recorded by a person, warned about when late, never blocking."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.admin.sites import site
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.core.models import Event
from lianxin.members.models import Member
from lianxin.members.models.development import ActivistReview, ApplicationTalk, DevelopmentStep, ProbationExtension
from lianxin.members.rules.development import development_warnings
from lianxin.members.services.development import (
    activist_review_record,
    application_talk_record,
    development_advance,
)
from lianxin.members.tests.factories import make_member
from lianxin.members.tests.test_development_services import TODAY, make_activist, make_applicant

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> Client:
    """Pages answer in English here, so assertions read the messages' msgids."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def _as(client: Client, user: User) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


# ------------------------------------------------------------------ the talk


def test_a_talk_within_a_month_is_recorded_without_warning_and_writes_an_event(
    city: City, branch_secretary: User
) -> None:
    member = make_applicant(city.east, applied_on=date(2026, 10, 1))
    talk = application_talk_record(
        member=member, actor=branch_secretary, talked_on=date(2026, 10, 20), talker="张书记", today=TODAY
    )
    assert talk.warnings == [] and talk.created_by == branch_secretary
    event = Event.objects.get(verb="application_talk", subject_id=member.pk)
    assert event.data["on"] == "2026-10-20" and event.data["talker"] == "张书记"


def test_a_talk_more_than_a_month_after_the_application_is_recorded_with_a_warning(city: City) -> None:
    member = make_applicant(city.east, applied_on=date(2026, 9, 1))
    talk = application_talk_record(member=member, actor=None, talked_on=date(2026, 10, 2), talker="张书记", today=TODAY)
    assert len(talk.warnings) == 1 and "第7条" in talk.warnings[0] and "1 month" in talk.warnings[0]
    step = development_advance(member=member, actor=None, to="activist", on=date(2026, 11, 1), today=TODAY)
    assert any("第7条" in w for w in step.warnings)


def test_the_activist_step_warns_when_no_talk_is_recorded_but_goes_ahead(city: City) -> None:
    member = make_applicant(city.east)
    step = development_advance(member=member, actor=None, to="activist", on=date(2024, 10, 1), today=TODAY)
    assert "No talk with the applicant is recorded. (发展党员工作细则 第7条)" in step.warnings
    assert Member.objects.get(pk=member.pk).category == Member.Category.ACTIVIST


def test_a_bad_talk_is_refused_and_writes_nothing(city: City) -> None:
    member = make_applicant(city.east, applied_on=date(2026, 9, 1))
    cases: list[tuple[dict[str, object], str]] = [
        ({"talker": " "}, "Say who talked"),
        ({"talked_on": date(2026, 12, 1)}, "in the future"),
        ({"talked_on": date(2026, 8, 1)}, "comes before the application"),
    ]
    for overrides, message in cases:
        values: dict[str, Any] = {"talked_on": date(2026, 9, 10), "talker": "张书记", **overrides}
        with pytest.raises(ValidationError, match=message):
            application_talk_record(member=member, actor=None, today=TODAY, **values)
    full = make_member(city.east)
    with pytest.raises(ValidationError, match="recorded before admission"):
        application_talk_record(member=full, actor=None, talked_on=date(2026, 9, 10), talker="张书记", today=TODAY)
    assert not ApplicationTalk.objects.exists()
    assert not Event.objects.filter(verb="application_talk").exists()


def test_a_second_talk_is_refused(city: City) -> None:
    member = make_applicant(city.east, applied_on=date(2026, 9, 1))
    application_talk_record(member=member, actor=None, talked_on=date(2026, 9, 10), talker="张书记", today=TODAY)
    with pytest.raises(ValidationError, match="already recorded"):
        application_talk_record(member=member, actor=None, talked_on=date(2026, 9, 12), talker="李委员", today=TODAY)
    assert ApplicationTalk.objects.get().talker == "张书记"


def test_an_applicant_waiting_more_than_a_month_without_a_talk_is_warned_about(city: City) -> None:
    waiting = make_applicant(city.east, applied_on=date(2026, 10, 1))
    recent = make_applicant(city.east, applied_on=date(2026, 11, 1))
    warnings = development_warnings(waiting, TODAY)
    assert len(warnings) == 1 and "2026-10-01" in warnings[0] and "第7条" in warnings[0]
    assert development_warnings(recent, TODAY) == []
    application_talk_record(member=waiting, actor=None, talked_on=date(2026, 11, 15), talker="张书记", today=TODAY)
    assert development_warnings(Member.objects.get(pk=waiting.pk), TODAY) == []


# ------------------------------------------------------------------ activist reviews


def test_an_activist_review_is_recorded_with_who_and_an_event(city: City, branch_secretary: User) -> None:
    member = make_activist(city.east)
    review = activist_review_record(
        member=member, actor=branch_secretary, reviewed_on=date(2025, 4, 1), reviewer="东社区党支部委员会", today=TODAY
    )
    assert review.reviewer == "东社区党支部委员会" and review.created_by == branch_secretary
    assert Event.objects.get(verb="activist_reviewed", subject_id=member.pk).data["on"] == "2025-04-01"


def test_a_bad_activist_review_is_refused_and_writes_nothing(city: City) -> None:
    member = make_activist(city.east, activist_on=date(2025, 10, 1))
    cases: list[tuple[dict[str, object], str]] = [
        ({"reviewer": ""}, "Say who reviewed"),
        ({"reviewed_on": date(2026, 12, 1)}, "in the future"),
        ({"reviewed_on": date(2025, 9, 1)}, "comes before the activist date"),
    ]
    for overrides, message in cases:
        values: dict[str, Any] = {"reviewed_on": date(2026, 4, 1), "reviewer": "支委会", **overrides}
        with pytest.raises(ValidationError, match=message):
            activist_review_record(member=member, actor=None, today=TODAY, **values)
    applicant = make_applicant(city.east)
    with pytest.raises(ValidationError, match="only activists"):
        activist_review_record(member=applicant, actor=None, reviewed_on=date(2026, 4, 1), reviewer="支委会")
    assert not ActivistReview.objects.exists()
    assert not Event.objects.filter(verb="activist_reviewed").exists()


def test_an_activist_not_reviewed_for_half_a_year_is_warned_about(city: City) -> None:
    never = make_activist(city.east, activist_on=date(2026, 3, 1))
    warnings = development_warnings(never, TODAY)
    assert len(warnings) == 1 and "never reviewed" in warnings[0] and "第11条" in warnings[0]
    activist_review_record(member=never, actor=None, reviewed_on=date(2026, 9, 1), reviewer="支委会", today=TODAY)
    assert development_warnings(never, TODAY) == []
    lapsed = make_activist(city.east, activist_on=date(2025, 1, 10))
    activist_review_record(member=lapsed, actor=None, reviewed_on=date(2025, 7, 1), reviewer="支委会", today=TODAY)
    warnings = development_warnings(lapsed, TODAY)
    assert len(warnings) == 1 and "Last reviewed on 2025-07-01" in warnings[0]
    recent = make_activist(city.east, activist_on=date(2026, 8, 1))
    assert development_warnings(recent, TODAY) == []


def test_the_candidate_step_warns_when_fewer_than_two_reviews_cover_the_year(city: City) -> None:
    member = make_activist(city.east)
    step = development_advance(member=member, actor=None, to="candidate", on=date(2025, 10, 10), today=TODAY)
    assert any("0 half-yearly reviews" in w and "第11条" in w for w in step.warnings)
    reviewed = make_activist(city.east)
    for on in (date(2025, 3, 1), date(2025, 9, 1)):
        activist_review_record(member=reviewed, actor=None, reviewed_on=on, reviewer="支委会", today=TODAY)
    step = development_advance(member=reviewed, actor=None, to="candidate", on=date(2025, 10, 10), today=TODAY)
    assert not any("第11条" in w for w in step.warnings)


# ------------------------------------------------------------------ pages


def test_the_pipeline_page_lists_applicants_waiting_for_the_talk_and_activists_due_for_review(
    client: Client, branch_secretary: User, city: City
) -> None:
    today = timezone.localdate()
    make_applicant(city.east, name="等谈话", applied_on=today - timedelta(days=50))
    make_applicant(city.east, name="刚申请", applied_on=today - timedelta(days=5))
    talked = make_applicant(city.east, name="已谈话", applied_on=today - timedelta(days=50))
    application_talk_record(member=talked, actor=None, talked_on=today - timedelta(days=40), talker="张书记")
    activist = {"category": Member.Category.ACTIVIST, "applied_on": today - timedelta(days=400)}
    make_applicant(city.east, name="待考察", activist_on=today - timedelta(days=250), **activist)
    fresh = make_applicant(city.east, name="已考察", activist_on=today - timedelta(days=250), **activist)
    activist_review_record(member=fresh, actor=None, reviewed_on=today - timedelta(days=10), reviewer="支委会")
    make_applicant(city.west, name="西边人", applied_on=today - timedelta(days=90))
    # No organization chosen: the whole of the secretary's scope, which leaves out 西社区.
    html = _as(client, branch_secretary).get(reverse("members:development")).content.decode()
    waiting = html.split('id="waiting-talk"')[1].split("</table>")[0]
    assert "等谈话" in waiting and "刚申请" not in waiting and "已谈话" not in waiting and "西边人" not in waiting
    due = html.split('id="due-review"')[1].split("</table>")[0]
    assert "待考察" in due and "已考察" not in due
    table = html.split('id="pipeline-table"')[1].split("</table>")[0]
    assert "never reviewed" in table and "第11条" in table and "第7条" in table
    # The table agrees with the list beside it: a reviewed activist's row carries no reminder.
    rows = {name: row for row in table.split("<tr")[1:] for name in ("待考察", "已考察") if name in row}
    assert "never reviewed" in rows["待考察"]
    assert "reviewed" not in rows["已考察"].replace("已考察", "") and "第11条" not in rows["已考察"]


def test_the_person_page_records_a_talk_and_a_review_and_shows_the_warning(
    client: Client, branch_secretary: User, city: City
) -> None:
    today = timezone.localdate()
    applicant = make_applicant(city.east, applied_on=today - timedelta(days=60))
    client = _as(client, branch_secretary)
    url = reverse("members:development_person", args=[applicant.pk])
    html = client.get(url).content.decode()
    assert "development-warning" in html and "第7条" in html and 'name="talk-talker"' in html
    response = client.post(
        reverse("members:development_talk", args=[applicant.pk]),
        {"talk-talked_on": (today - timedelta(days=2)).isoformat(), "talk-talker": "张书记"},
    )
    message = next(str(m) for m in get_messages(response.wsgi_request))
    assert message.startswith("The talk with the applicant is recorded.") and "Please note" in message
    html = client.get(url).content.decode()
    assert "张书记" in html and 'name="talk-talker"' not in html and "development-warning" not in html

    activist = make_activist(city.east, activist_on=today - timedelta(days=300))
    url = reverse("members:development_person", args=[activist.pk])
    assert "never reviewed" in client.get(url).content.decode()
    client.post(
        reverse("members:development_activist_review", args=[activist.pk]),
        {"areview-reviewed_on": today.isoformat(), "areview-reviewer": "支委会", "areview-note": "表现良好"},
    )
    html = client.get(url).content.decode()
    assert "表现良好" in html and "never reviewed" not in html
    assert ActivistReview.objects.get().created_by == branch_secretary


def test_a_refused_review_on_the_page_says_why_and_writes_nothing(
    client: Client, branch_secretary: User, city: City
) -> None:
    applicant = make_applicant(city.east)
    response = _as(client, branch_secretary).post(
        reverse("members:development_activist_review", args=[applicant.pk]),
        {"areview-reviewed_on": "2026-01-01", "areview-reviewer": "支委会"},
    )
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(messages) == 1 and "only activists" in messages[0]
    assert not ActivistReview.objects.exists()


def test_talks_and_reviews_outside_the_scope_are_not_found(client: Client, branch_secretary: User, city: City) -> None:
    applicant = make_applicant(city.west)
    activist = make_activist(city.west)
    client = _as(client, branch_secretary)
    response = client.post(
        reverse("members:development_talk", args=[applicant.pk]),
        {"talk-talked_on": "2024-03-10", "talk-talker": "张书记"},
    )
    assert response.status_code == 404
    response = client.post(
        reverse("members:development_activist_review", args=[activist.pk]),
        {"areview-reviewed_on": "2025-03-10", "areview-reviewer": "支委会"},
    )
    assert response.status_code == 404
    assert not ApplicationTalk.objects.exists() and not ActivistReview.objects.exists()


def test_the_member_page_links_to_the_development_page_for_people_in_or_through_the_pipeline(
    client: Client, branch_secretary: User, city: City
) -> None:
    client = _as(client, branch_secretary)
    link = 'id="development-link"'
    applicant = make_applicant(city.east)
    html = client.get(reverse("members:detail", args=[applicant.pk])).content.decode()
    assert link in html and reverse("members:development_person", args=[applicant.pk]) in html
    plain_full = make_member(city.east)
    assert link not in client.get(reverse("members:detail", args=[plain_full.pk])).content.decode()
    developed = make_member(city.east)
    DevelopmentStep.objects.create(
        member=developed, from_category="probationary", to_category="full", on=date(2006, 7, 1)
    )
    assert link in client.get(reverse("members:detail", args=[developed.pk])).content.decode()


def test_a_member_viewing_their_own_page_gets_no_development_link_and_no_development_page(
    client: Client, member_user: User, city: City
) -> None:
    me = Member.objects.get(user=member_user)
    Member.objects.filter(pk=me.pk).update(
        category=Member.Category.APPLICANT, activist_on=None, candidate_on=None, joined_on=None, full_on=None
    )
    client = _as(client, member_user)
    html = client.get(reverse("members:detail", args=[me.pk])).content.decode()
    assert me.name in html and 'id="development-link"' not in html
    assert client.get(reverse("members:development_person", args=[me.pk])).status_code == 404


# ------------------------------------------------------------------ API


def test_the_api_records_a_talk_and_a_review_and_shows_warnings(
    client: Client, branch_secretary: User, city: City
) -> None:
    today = timezone.localdate()
    applicant = make_applicant(city.east, applied_on=today - timedelta(days=60))
    activist = make_activist(city.east, activist_on=today - timedelta(days=300))
    client = _as(client, branch_secretary)
    person = client.get(f"/api/v1/members/development/{applicant.pk}").json()
    assert person["talk"] is None and "第7条" in person["warnings"][0]
    response = client.post(
        f"/api/v1/members/development/{applicant.pk}/talk",
        {"talked_on": today.isoformat(), "talker": "张书记"},
        content_type="application/json",
    )
    assert response.status_code == 201 and "第7条" in response.json()["warnings"][0]
    again = client.post(
        f"/api/v1/members/development/{applicant.pk}/talk",
        {"talked_on": today.isoformat(), "talker": "张书记"},
        content_type="application/json",
    )
    assert again.status_code == 422
    response = client.post(
        f"/api/v1/members/development/{activist.pk}/activist-reviews",
        {"reviewed_on": today.isoformat(), "reviewer": "支委会"},
        content_type="application/json",
    )
    assert response.status_code == 201
    person = client.get(f"/api/v1/members/development/{activist.pk}").json()
    assert person["activist_reviews"][0]["reviewer"] == "支委会" and person["warnings"] == []
    pipeline = client.get("/api/v1/members/development/pipeline", {"org": "D1E"}).json()
    assert all("warnings" in row for row in pipeline["items"])


# ------------------------------------------------------------------ admin


@pytest.mark.parametrize("model", [DevelopmentStep, ApplicationTalk, ActivistReview, ProbationExtension])
def test_development_records_are_in_the_admin(client: Client, city: City, model: type[models.Model]) -> None:
    assert model in site._registry
    admin_user = User.objects.create_superuser(username="root", password=PASSWORD)
    member = make_applicant(city.east)
    application_talk_record(member=member, actor=None, talked_on=date(2024, 3, 5), talker="张书记", today=TODAY)
    client.force_login(admin_user)
    url = reverse(f"admin:members_{model._meta.model_name}_changelist")
    assert client.get(url).status_code == 200
    assert "member" in site._registry[model].raw_id_fields
