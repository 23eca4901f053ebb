"""Care rounds: created, budgets handed down (never more than the parent holds), opened and closed."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from conftest import City
from lianxin.accounts.models import User
from lianxin.care.models import CareBudget, CareRound, RoundVerb, TargetGroup
from lianxin.care.selectors.rounds import budget_lines, rounds_visible_to
from lianxin.care.services.rounds import budget_set, round_create, round_move
from lianxin.core.models import Event

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"target_groups": []}, "at least one target group"),
        ({"target_groups": ["aliens"]}, "Unknown target group"),
        ({"on": date(2025, 7, 1)}, "reference date must lie in the round's year"),
        ({"title": "  "}, "title"),
        ({"occasion": "birthday"}, "Unknown occasion"),
        ({"year": 1800, "on": date(1800, 7, 1)}, "between 2000 and 2100"),
    ],
)
def test_a_bad_round_is_refused_and_nothing_written(
    city: City, city_admin: User, changes: dict[str, object], message: str
) -> None:
    values: dict[str, object] = {
        "organization": city.root,
        "title": "七一走访",
        "occasion": CareRound.Occasion.JULY_FIRST,
        "year": 2026,
        "on": date(2026, 7, 1),
        "target_groups": [TargetGroup.SENIOR],
    }
    values.update(changes)
    with pytest.raises(ValidationError, match=message):
        round_create(actor=city_admin, **values)  # type: ignore[arg-type]
    assert not CareRound.objects.exists()


def test_an_admin_creates_rounds_only_for_their_subtree(city: City, district_admin: User) -> None:
    with pytest.raises(ValidationError, match="not allowed"):
        round_create(
            actor=district_admin,
            organization=city.root,
            title="七一走访",
            occasion=CareRound.Occasion.JULY_FIRST,
            year=2026,
            on=date(2026, 7, 1),
            target_groups=[TargetGroup.SENIOR],
        )
    assert not CareRound.objects.exists()


def test_a_round_reaches_admins_above_and_inside_it_not_beside(
    care_round: CareRound, district_admin: User, member_user: User, city: City, other_admin: User
) -> None:
    assert list(rounds_visible_to(user=district_admin)) == [care_round]
    assert list(rounds_visible_to(user=other_admin)) == [care_round]
    district_round = round_create(
        actor=district_admin,
        organization=city.district,
        title="城区重阳",
        occasion=CareRound.Occasion.DOUBLE_NINTH,
        year=2026,
        on=date(2026, 10, 29),
        target_groups=[TargetGroup.SENIOR],
    )
    assert district_round not in rounds_visible_to(user=other_admin)
    assert not rounds_visible_to(user=member_user).exists()


def test_the_budget_is_handed_down_up_to_what_the_parent_holds(
    care_round: CareRound, city: City, city_admin: User, district_admin: User
) -> None:
    budget_set(actor=city_admin, round_=care_round, organization=city.district, amount=Decimal("60000"))
    # Exactly what is left of the city's 100,000: allowed.
    budget_set(actor=city_admin, round_=care_round, organization=city.other_district, amount=Decimal("40000"))
    with pytest.raises(ValidationError, match="still to hand down"):
        budget_set(actor=city_admin, round_=care_round, organization=city.other_district, amount=Decimal("40000.01"))
    assert CareBudget.objects.get(organization=city.other_district).amount == Decimal("40000")
    # The district hands down to its branches from its own 60,000.
    budget_set(actor=district_admin, round_=care_round, organization=city.east, amount=Decimal("35000"))
    with pytest.raises(ValidationError, match="still to hand down"):
        budget_set(actor=district_admin, round_=care_round, organization=city.west, amount=Decimal("25000.01"))
    assert not CareBudget.objects.filter(organization=city.west).exists()
    # A budget cannot fall below what it has handed down.
    with pytest.raises(ValidationError, match="already handed down"):
        budget_set(actor=city_admin, round_=care_round, organization=city.district, amount=Decimal("34999"))
    lines = {line.budget.organization.code: line for line in budget_lines(care_round)}
    assert lines["ROOT"].handed_down == Decimal("100000") and lines["D1"].handed_down == Decimal("35000")
    assert (
        Event.objects.filter(subject_id=care_round.pk, verb=RoundVerb.BUDGET_SET).count() == 4
    )  # the city, two districts, one branch


def test_a_budget_needs_one_above_it_and_the_right_hands(
    care_round: CareRound, city: City, city_admin: User, branch_secretary: User
) -> None:
    bare = round_create(
        actor=city_admin,
        organization=city.root,
        title="春节走访",
        occasion=CareRound.Occasion.SPRING_FESTIVAL,
        year=2026,
        on=date(2026, 2, 17),
        target_groups=[TargetGroup.HARDSHIP],
    )
    with pytest.raises(ValidationError, match="no budget above it"):
        budget_set(actor=city_admin, round_=bare, organization=city.east, amount=Decimal("1"))
    assert not CareBudget.objects.filter(round=bare).exists()
    budget_set(actor=city_admin, round_=care_round, organization=city.district, amount=Decimal("10"))
    with pytest.raises(ValidationError, match="not allowed"):
        budget_set(actor=branch_secretary, round_=care_round, organization=city.east, amount=Decimal("1"))
    assert not CareBudget.objects.filter(organization=city.east).exists()


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (Decimal("-1"), "cannot be negative"),
        (Decimal("100000000.01"), "over the limit"),
        (Decimal("1.001"), "more than two decimals"),
        (Decimal("NaN"), "not an amount"),
    ],
)
def test_a_bad_budget_is_refused(
    care_round: CareRound, city: City, city_admin: User, amount: Decimal, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        budget_set(actor=city_admin, round_=care_round, organization=city.district, amount=amount)
    assert not CareBudget.objects.filter(organization=city.district).exists()


def test_a_round_opens_then_closes_and_then_takes_no_budget(
    care_round: CareRound, city: City, city_admin: User, district_admin: User
) -> None:
    with pytest.raises(ValidationError, match="not allowed"):
        round_move(actor=district_admin, round_=care_round, to=CareRound.Status.OPEN)
    round_move(actor=city_admin, round_=care_round, to=CareRound.Status.OPEN)
    with pytest.raises(ValidationError, match="cannot become"):
        round_move(actor=city_admin, round_=care_round, to=CareRound.Status.OPEN)
    round_move(actor=city_admin, round_=care_round, to=CareRound.Status.CLOSED)
    care_round.refresh_from_db()
    assert care_round.status == CareRound.Status.CLOSED and care_round.closed_at is not None
    with pytest.raises(ValidationError, match="closed"):
        budget_set(actor=city_admin, round_=care_round, organization=city.district, amount=Decimal("1"))
    verbs = list(Event.objects.filter(subject_id=care_round.pk).values_list("verb", flat=True))
    assert RoundVerb.OPENED in verbs and RoundVerb.CLOSED in verbs
