"""Honours' figures count what their rows say; the certificates are A4 Word pages, one per nominee."""

import io
from datetime import date

import pytest
import time_machine
from docx import Document
from docx.shared import Mm

from conftest import City
from lianxin.accounts.models import User
from lianxin.core.figures import measure_named
from lianxin.core.periods import Period
from lianxin.honours.documents.certificates import certificates_docx
from lianxin.honours.models import HonourRound
from lianxin.honours.services.medals import medal_confirm, medal_issue
from lianxin.honours.services.nominations import nomination_create, nomination_review
from lianxin.honours.services.rounds import round_approve, round_publicity_start
from lianxin.honours.tests.helpers import OM, at, old_member, open_round

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 9, 28)


def given_an_approved_round(city: City, actor: User) -> HonourRound:
    with time_machine.travel(at(MONDAY), tick=False):
        round_ = open_round(actor, city.district)
        for name in ("甲", "乙"):
            member = old_member(city.east, full_on=date(2000, 1, 1), name=name)
            nomination = nomination_create(
                actor=actor, round=round_, nominated_by=city.district, kind=OM, member=member, deeds="带头"
            )
            nomination_review(actor=actor, nomination=nomination, recommend=True)
        round_publicity_start(actor=actor, round=round_, starts_on=MONDAY)
    with time_machine.travel(at(date(2026, 10, 12)), tick=False):
        round_approve(actor=actor, round=round_)
    return round_


def test_awards_approved_count_in_the_period_they_were_approved(city: City, district_admin: User) -> None:
    given_an_approved_round(city, district_admin)
    found = measure_named("honours-outstanding-members")
    assert found is not None
    measure = found[1]

    assert measure.rows(city.root, Period.year(2026)).count() == 2
    assert measure.rows(city.district, Period.month(2026, 10)).count() == 2
    assert measure.rows(city.district, Period.month(2026, 9)).count() == 0
    assert measure.rows(city.other_district, Period.year(2026)).count() == 0
    assert str(measure.unit) == "people"


def test_medals_issued_count_by_the_day_of_issue(city: City, district_admin: User) -> None:
    member = old_member(city.east, full_on=date(1970, 1, 1))
    with time_machine.travel(at(date(2026, 6, 30)), tick=False):
        award = medal_confirm(actor=district_admin, member=member, year=2026)
        medal_issue(actor=district_admin, award=award, way="home", issued_on=date(2026, 6, 30), delivered_by="张")
    found = measure_named("honours-50-year-medals")
    assert found is not None

    rows = found[1].rows(city.root, Period.month(2026, 6))

    assert [found[1].row(r)["name"] for r in rows] == [member.name]
    assert not found[1].rows(city.root, Period.month(2026, 7)).exists()


def test_certificates_are_a4_with_one_page_per_nominee(city: City, district_admin: User) -> None:
    round_ = given_an_approved_round(city, district_admin)

    document = Document(io.BytesIO(certificates_docx(round_, list(round_.nominations.order_by("id")))))

    section = document.sections[0]
    width, height = section.page_width, section.page_height
    assert width is not None and height is not None
    assert (round(width / Mm(1)), round(height / Mm(1))) == (210, 297)
    text = "\n".join(p.text for p in document.paragraphs)
    assert text.count("Certificate of honour") == 2
    assert "甲" in text and "乙" in text and "中共城区委员会" in text
