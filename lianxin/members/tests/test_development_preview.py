"""No surprises on the development pipeline: a step that cannot be undone is previewed with the
rules' warnings before it is written, and only a confirmation of what was shown writes it."""

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.core.models import Event
from lianxin.members.models import Member
from lianxin.members.models.development import DevelopmentStep
from lianxin.members.tests.test_development_services import make_activist, make_applicant

pytestmark = pytest.mark.django_db


def _as(user: User, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _nothing_written(member: Member, category: str) -> None:
    member.refresh_from_db()
    assert member.category == category
    assert not DevelopmentStep.objects.filter(member=member).exists()
    assert not Event.objects.filter(subject_id=member.pk, verb="development_step").exists()


def _confirmation(html: str) -> str:
    found = re.search(r'name="confirm" value="([0-9a-f]+)"', html)
    assert found, "the preview offers no confirmation"
    return found.group(1)


def test_the_first_post_shows_what_will_happen_and_the_warnings_and_writes_nothing(
    branch_secretary: User, city: City
) -> None:
    """An activist of exactly one year becomes a development candidate with no publicity entered:
    the publicity warning is shown before, not after."""
    member = make_activist(city.east, activist_on=date(2024, 10, 1))
    client = _as(branch_secretary)
    url = reverse("members:development_advance", args=[member.pk])

    response = client.post(url, {"to": "candidate", "on": "2025-10-10"})

    html = response.content.decode()
    assert response.status_code == 200
    assert f"{member.name} moves from activist to development candidate on 2025-10-10." in html
    assert "A step cannot be undone once recorded." in html
    assert "Publicity shorter than 5 working days." in html
    _nothing_written(member, Member.Category.ACTIVIST)

    response = client.post(url, {"to": "candidate", "on": "2025-10-10", "confirm": _confirmation(html)})

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.category == Member.Category.CANDIDATE and member.candidate_on == date(2025, 10, 10)
    step = DevelopmentStep.objects.get(member=member)
    assert any("Publicity shorter" in w for w in step.warnings)


def test_a_confirmation_of_something_else_than_was_shown_is_previewed_again_not_written(
    branch_secretary: User, city: City
) -> None:
    member = make_applicant(city.east)
    client = _as(branch_secretary)
    url = reverse("members:development_advance", args=[member.pk])
    shown = _confirmation(client.post(url, {"to": "activist", "on": "2024-10-01"}).content.decode())

    changed = client.post(url, {"to": "activist", "on": "2024-10-02", "confirm": shown})
    forged = client.post(url, {"to": "activist", "on": "2024-10-01", "confirm": "0" * 32})

    assert changed.status_code == forged.status_code == 200
    assert "on 2024-10-02" in changed.content.decode()
    _nothing_written(member, Member.Category.APPLICANT)


def test_a_blocked_step_offers_no_confirmation(branch_secretary: User, city: City) -> None:
    member = make_applicant(city.east)
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = _as(branch_secretary).post(
        reverse("members:development_advance", args=[member.pk]), {"to": "activist", "on": future}
    )
    html = response.content.decode()
    assert "This step cannot be recorded:" in html and f"The date {future} is in the future." in html
    assert 'name="confirm"' not in html
    _nothing_written(member, Member.Category.APPLICANT)


@pytest.mark.parametrize(
    ("language", "label", "message"),
    [("en", "Date of the step", "Enter the date of the step."), ("zh-hans", "本环节日期", None)],
)
def test_an_empty_date_is_refused_in_chinese_and_english_and_nothing_is_written(
    branch_secretary: User, city: City, language: str, label: str, message: str | None
) -> None:
    member = make_applicant(city.east)
    client = _as(branch_secretary, language)
    url = reverse("members:development_advance", args=[member.pk])
    for empty in ({"to": "activist", "on": ""}, {"to": "activist"}, {"to": "activist", "on": "  "}):
        for confirm in ("", "0" * 32):
            response = client.post(url, {**empty, "confirm": confirm} if confirm else empty)
            html = response.content.decode()
            errors = html[html.index('id="advance-errors"') :][:600]
            assert response.status_code == 200 and label in errors
            assert message is None or message in errors
            assert 'name="confirm"' not in html
    _nothing_written(member, Member.Category.APPLICANT)


def test_the_person_page_no_longer_fills_in_the_date_of_the_next_step(branch_secretary: User, city: City) -> None:
    member = make_applicant(city.east)
    html = _as(branch_secretary).get(reverse("members:development_person", args=[member.pk])).content.decode()
    date_input = re.search(r'<input[^>]*name="on"[^>]*>', html)
    assert date_input is not None and "value=" not in date_input.group(0)
    assert "Check this step" in html
