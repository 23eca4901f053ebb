"""The service certificate: the same facts on the printable page and in the .docx, free of charge."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.volunteering.documents.certificates import certificate_data
from lianxin.volunteering.models import SignUp
from lianxin.volunteering.services.sessions import signup_record_hours
from lianxin.volunteering.tests.factories import leader_of
from lianxin.volunteering.tests.factories_sessions import make_led_team, make_session, move_session, signed_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def served(city: City, member_user: User) -> User:
    """王海 served 2 hours at one session and signed up for another not yet held."""
    team = make_led_team(city.east)
    session = make_session(team, title="敬老院义诊", place="海城敬老院")
    signed_up(session, member_user)
    move_session(session, timezone.now() - timedelta(days=2))
    signup = SignUp.objects.get(session=session, user=member_user)
    signup_record_hours(session=session, actor=leader_of(team), signup=signup, hours=Decimal("2"))
    signed_up(make_session(team, title="以后的活动"), member_user)
    return member_user


def test_the_certificate_names_the_person_the_service_the_hours_and_the_organization(served: User) -> None:
    data = certificate_data(user=served)
    assert data.person == "王海"
    assert data.id_number_masked and "*" in data.id_number_masked
    assert [(r.service, r.hours) for r in data.rows] == [("敬老院义诊", Decimal("2"))]
    assert data.total_hours == Decimal("2")
    assert data.organizations == ["东社区党支部"]


def test_the_docx_holds_the_same_facts(served: User) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.login(username=served.username, password=PASSWORD)
    response = client.get(reverse("volunteering:certificate_docx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = [c.text for row in doc.tables[0].rows for c in row.cells]
    assert "王海" in text and "free of charge" in text and "东社区党支部" in text
    assert "Total: 2 hours in 1 services." in text
    assert "海城敬老院" in " ".join(cells) and "2" in cells
    assert "以后的活动" not in " ".join(cells)


def test_the_printable_page_has_print_css_and_the_total(served: User) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.login(username=served.username, password=PASSWORD)
    body = client.get(reverse("volunteering:certificate")).content.decode()
    # The sheet prints on A4, by a stylesheet of its own (no inline style under the Content-Security-Policy).
    assert "css/print-a4.css" in body and "<style" not in body
    assert "size: A4;" in (settings.BASE_DIR / "static/css/print-a4.css").read_text()
    assert "敬老院义诊" in body and "东社区党支部" in body
    assert "Total: 2 hours in 1 service." in body


def test_someone_without_service_gets_an_empty_certificate_not_an_error(city: City, resident: User) -> None:
    data = certificate_data(user=resident)
    assert data.rows == [] and data.total_hours == Decimal("0") and data.id_number_masked == ""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.login(username=resident.username, password=PASSWORD)
    assert client.get(reverse("volunteering:certificate_docx")).status_code == 200


def test_the_printable_page_writes_full_width_colons_in_chinese(served: User) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.login(username=served.username, password=PASSWORD)
    body = client.get(reverse("volunteering:certificate")).content.decode()
    issuer = body.split('class="issuer"')[1].split("</div>")[0]
    assert "记录单位：东社区党支部" in issuer, issuer
    assert '：<span class="masked">' in body and ": " not in issuer
