"""Visits: recorded with money and goods, a second visit in a round warned of (never refused),
bad input refused with nothing written, the totals in the seeds' terms, the ledger audited."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from conftest import City
from lianxin.accounts.models import User
from lianxin.care.models import CareRecipient, CareRound, CareVisit, RoundVerb, TargetGroup
from lianxin.care.selectors.rounds import round_totals
from lianxin.care.services.rounds import budget_set, recipient_add, round_ledger_export
from lianxin.care.services.visits import visit_record
from lianxin.core.models import AuditEntry, Event
from lianxin.members.models import Member
from lianxin.members.tests.factories import make_member

pytestmark = pytest.mark.django_db
VISITED = date(2026, 6, 28)


@pytest.fixture
def recipient(open_round: CareRound, city_admin: User, east_member: Member) -> CareRecipient:
    return recipient_add(actor=city_admin, round_=open_round, group=TargetGroup.SENIOR, member=east_member)


def _visit(actor: User, round_: CareRound, recipient: CareRecipient, org: object, **kw: object):  # type: ignore[no-untyped-def]
    values: dict[str, object] = {"visitors": "王书记、李委员", "visited_on": VISITED, "money": Decimal("1000")}
    values.update(kw)
    return visit_record(actor=actor, round_=round_, recipient=recipient, organization=org, **values)  # type: ignore[arg-type]


def test_a_visit_is_recorded_with_money_and_goods(
    open_round: CareRound, recipient: CareRecipient, city: City, branch_secretary: User
) -> None:
    done = _visit(branch_secretary, open_round, recipient, city.east, goods="米、油", goods_value=Decimal("300.50"))
    assert done.warnings == [] and not done.visit.repeat
    assert done.visit.total == Decimal("1300.50")
    assert Event.objects.filter(subject_id=open_round.pk, verb=RoundVerb.VISITED).exists()


def test_a_second_visit_in_the_round_is_recorded_with_a_warning(
    open_round: CareRound, recipient: CareRecipient, city: City, branch_secretary: User, district_admin: User
) -> None:
    _visit(branch_secretary, open_round, recipient, city.east)
    again = _visit(district_admin, open_round, recipient, city.district, money=Decimal("500"))
    assert again.visit.repeat
    assert len(again.warnings) == 1 and "had already been visited once in this round" in again.warnings[0]
    assert CareVisit.objects.count() == 2
    assert Event.objects.filter(subject_id=open_round.pk, verb=RoundVerb.VISITED_AGAIN).count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"money": Decimal("-0.01")}, "cannot be negative"),
        ({"money": Decimal("20000.01")}, "over the limit of 20000 yuan"),
        ({"money": Decimal("1e12")}, "over the limit"),
        ({"goods_value": Decimal("-5"), "goods": "米"}, "cannot be negative"),
        ({"goods_value": Decimal("50")}, "Describe the goods"),
        ({"visitors": "  "}, "Say who visited"),
        ({"visited_on": timezone.localdate() + timedelta(days=1)}, "before it happens"),
        ({"visited_on": date(2025, 12, 31)}, "round's year 2026"),
        ({"photo": SimpleUploadedFile("p.jpg", b"<svg></svg>", content_type="image/jpeg")}, "not a JPEG, PNG or WebP"),
    ],
)
def test_bad_visits_are_refused_and_nothing_written(
    open_round: CareRound,
    recipient: CareRecipient,
    city: City,
    branch_secretary: User,
    changes: dict[str, object],
    message: str,
) -> None:
    with pytest.raises(ValidationError, match=message):
        _visit(branch_secretary, open_round, recipient, city.east, **changes)
    assert not CareVisit.objects.exists()
    assert not Event.objects.filter(verb__in=[RoundVerb.VISITED, RoundVerb.VISITED_AGAIN]).exists()


def test_a_twenty_thousand_yuan_visit_is_the_limit_itself(
    open_round: CareRound, recipient: CareRecipient, city: City, branch_secretary: User
) -> None:
    assert _visit(branch_secretary, open_round, recipient, city.east, money=Decimal("20000")).visit.money == Decimal(
        "20000"
    )


def test_visits_wait_for_the_round_to_open(
    care_round: CareRound, city: City, city_admin: User, east_member: Member
) -> None:
    planned = recipient_add(actor=city_admin, round_=care_round, group=TargetGroup.SENIOR, member=east_member)
    with pytest.raises(ValidationError, match="while the round is open"):
        _visit(city_admin, care_round, planned, city.east)
    assert not CareVisit.objects.exists()


def test_an_admin_records_only_for_recipients_of_their_subtree(
    open_round: CareRound, recipient: CareRecipient, city: City, other_admin: User
) -> None:
    with pytest.raises(ValidationError, match="not allowed"):
        _visit(other_admin, open_round, recipient, city.other_district)
    assert not CareVisit.objects.exists()


def test_a_photo_is_encoded_again_and_kept_privately(
    open_round: CareRound, recipient: CareRecipient, city: City, branch_secretary: User
) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "PNG")
    photo = SimpleUploadedFile("家里.png", buffer.getvalue(), content_type="image/png")
    visit = _visit(branch_secretary, open_round, recipient, city.east, photo=photo).visit
    assert visit.photo.name.startswith("care/") and visit.photo.name.endswith(".png")
    assert "家里" not in visit.photo.name


def test_overspending_a_budget_is_warned_of(
    open_round: CareRound, recipient: CareRecipient, city: City, city_admin: User
) -> None:
    budget_set(actor=city_admin, round_=open_round, organization=city.east, amount=Decimal("800"))
    done = _visit(city_admin, open_round, recipient, city.east)
    assert any("spent 1000.00 yuan of a budget of 800.00 yuan" in w for w in done.warnings)


def test_totals_count_people_once_units_that_visited_and_yuan(
    open_round: CareRound, recipient: CareRecipient, city: City, city_admin: User
) -> None:
    other = recipient_add(actor=city_admin, round_=open_round, group=TargetGroup.SENIOR, member=make_member(city.west))
    off = recipient_add(
        actor=city_admin, round_=open_round, group=TargetGroup.OFF_ROSTER, name="张阿姨", organization=city.west
    )
    recipient_add(actor=city_admin, round_=open_round, group=TargetGroup.SENIOR, member=make_member(city.west))
    _visit(city_admin, open_round, recipient, city.east, money=Decimal("1000"), goods="米", goods_value=Decimal("200"))
    _visit(city_admin, open_round, recipient, city.district, money=Decimal("500"))
    _visit(city_admin, open_round, other, city.west, money=Decimal("800"))
    _visit(city_admin, open_round, off, city.west, money=Decimal("0"), goods="棉被", goods_value=Decimal("150"))
    totals = round_totals(user=city_admin, round_=open_round)
    assert (totals.recipients, totals.people, totals.units, totals.visits, totals.repeats) == (4, 3, 3, 4, 1)
    assert totals.yuan == Decimal("2650") and totals.money == Decimal("2300")
    assert totals.wan == Decimal("0.3")


def test_the_ledger_lists_each_visit_and_is_audited(
    open_round: CareRound, recipient: CareRecipient, city: City, city_admin: User
) -> None:
    _visit(city_admin, open_round, recipient, city.east, goods="米", goods_value=Decimal("120"))
    content = round_ledger_export(actor=city_admin, round_=open_round)
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[3][1] == recipient.name and rows[3][7] == 1000 and rows[3][9] == 120
    assert AuditEntry.objects.filter(action="care.ledger_export", target=f"care_round:{open_round.pk}").exists()
