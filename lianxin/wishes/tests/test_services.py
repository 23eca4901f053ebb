"""A wish's life: posted, reviewed, claimed, fulfilled, confirmed — and every refusal on the way."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from conftest import City
from lianxin.accounts.models import User
from lianxin.core.models import Event
from lianxin.core.selectors import event_list_for
from lianxin.wishes.models import Wish, WishClaim, mask_name
from lianxin.wishes.selectors import WallFilters, wish_figures, wish_wall
from lianxin.wishes.services import (
    wish_claim,
    wish_confirm,
    wish_fulfil,
    wish_post,
    wish_review,
    wish_transition,
    wish_withdraw,
)
from lianxin.wishes.tests.factories import make_member_user, make_wish

pytestmark = pytest.mark.django_db

Status = Wish.Status


def _nothing_changed(wish: Wish, status: str, events: int) -> None:
    wish.refresh_from_db()
    assert wish.status == status
    assert Event.objects.count() == events


def test_a_wish_goes_from_posted_to_confirmed_and_each_step_is_on_its_timeline(
    city: City, resident: User, branch_secretary: User, member_user: User
) -> None:
    # given a resident's wish for the east community
    wish = make_wish(city.east, posted_by=resident)
    assert wish.status == Status.SUBMITTED
    # when the community publishes it, a member claims and fulfils it, and the community confirms
    wish_review(wish=wish, actor=branch_secretary, approve=True)
    claim = wish_claim(wish=wish, actor=member_user)
    wish_fulfil(wish=wish, actor=member_user, note="已送到")
    wish_confirm(wish=wish, actor=branch_secretary)
    # then the wish is confirmed, with one active claim, and the timeline tells every step
    wish.refresh_from_db()
    assert wish.status == Status.CONFIRMED
    assert wish.published_at and wish.fulfilled_at and wish.confirmed_at
    assert claim.claimer == member_user and claim.is_active
    steps = [(e.from_state, e.to_state) for e in reversed(event_list_for(wish))]
    assert steps == [
        ("", "submitted"),
        ("submitted", "published"),
        ("published", "claimed"),
        ("claimed", "fulfilled"),
        ("fulfilled", "confirmed"),
    ]


def test_a_rejected_wish_keeps_its_reason_and_never_reaches_the_wall(
    city: City, resident: User, branch_secretary: User
) -> None:
    wish = make_wish(city.east, posted_by=resident)
    wish_review(wish=wish, actor=branch_secretary, approve=False, reason="已由民政救助覆盖")
    wish.refresh_from_db()
    assert wish.status == Status.REJECTED and wish.reject_reason == "已由民政救助覆盖"
    assert not wish_wall(filters=WallFilters(status="posted")).exists()


def test_rejecting_without_a_reason_is_refused_and_nothing_is_written(
    city: City, resident: User, branch_secretary: User
) -> None:
    wish = make_wish(city.east, posted_by=resident)
    events = Event.objects.count()
    with pytest.raises(ValidationError, match="Say why the wish is rejected"):
        wish_review(wish=wish, actor=branch_secretary, approve=False, reason=" ")
    _nothing_changed(wish, Status.SUBMITTED, events)


def test_an_amount_over_the_cap_is_refused_and_no_wish_is_created(city: City, resident: User) -> None:
    with pytest.raises(ValidationError, match="over the cap of 500 yuan"):
        make_wish(city.east, posted_by=resident, amount=Decimal("500.01"))
    assert not Wish.objects.exists() and not Event.objects.filter(verb="posted").exists()


@override_settings(LIANXIN_WISH_AMOUNT_CAP=1000)
def test_the_cap_comes_from_the_settings(city: City, resident: User) -> None:
    assert make_wish(city.east, posted_by=resident, amount=Decimal("800")).amount == Decimal("800")


def test_a_bad_phone_number_is_refused_and_no_wish_is_created(city: City, resident: User) -> None:
    with pytest.raises(ValidationError, match="Invalid mobile number"):
        make_wish(city.east, posted_by=resident, beneficiary_phone="12345")
    assert not Wish.objects.exists()


def test_an_admin_cannot_post_for_a_community_outside_their_scope(
    city: City, branch_secretary: User, member_user: User
) -> None:
    with pytest.raises(ValidationError, match="not allowed"):
        make_wish(city.west, posted_by=branch_secretary)
    # a member without the resident role posts nothing either
    with pytest.raises(ValidationError, match="not allowed"):
        make_wish(city.east, posted_by=member_user)
    assert not Wish.objects.exists()


def test_a_resident_cannot_post_a_warm_heart_task(city: City, resident: User) -> None:
    with pytest.raises(ValidationError, match="not allowed"):
        make_wish(city.east, posted_by=resident, kind=Wish.Kind.WARM_TASK, capacity=3)
    assert not Wish.objects.exists()


def test_only_admins_of_the_community_review_a_wish(
    city: City, resident: User, branch_secretary: User, district_admin: User
) -> None:
    wish = make_wish(city.west, posted_by=resident)
    events = Event.objects.count()
    with pytest.raises(ValidationError, match="not allowed"):
        wish_review(wish=wish, actor=branch_secretary, approve=True)
    _nothing_changed(wish, Status.SUBMITTED, events)
    wish_review(wish=wish, actor=district_admin, approve=True)
    assert wish.status == Status.PUBLISHED


def test_withdrawing_returns_the_wish_to_the_wall(
    city: City, resident: User, branch_secretary: User, member_user: User
) -> None:
    wish = make_wish(city.east, posted_by=resident, reviewer=branch_secretary)
    claim = wish_claim(wish=wish, actor=member_user)
    wish_withdraw(wish=wish, actor=member_user, note="临时出差")
    wish.refresh_from_db()
    claim.refresh_from_db()
    assert wish.status == Status.PUBLISHED and wish.claimed_count == 0
    assert claim.withdrawn_at is not None
    assert list(wish_wall(filters=WallFilters())) == [wish]
    # and someone else may now claim it
    other = make_member_user(city.west, "another")
    wish_claim(wish=wish, actor=other)
    assert WishClaim.objects.filter(wish=wish, withdrawn_at__isnull=True).get().claimer == other


def test_a_second_claim_on_a_claimed_wish_is_refused_with_a_clear_message_and_nothing_changes(
    city: City, resident: User, branch_secretary: User, member_user: User
) -> None:
    wish = make_wish(city.east, posted_by=resident, reviewer=branch_secretary)
    stale = Wish.objects.get(pk=wish.pk)  # what the second claimer's page loaded
    wish_claim(wish=wish, actor=member_user)
    second = make_member_user(city.west, "second")
    events = Event.objects.count()
    with pytest.raises(ValidationError, match="Someone else has just claimed this wish"):
        wish_claim(wish=stale, actor=second)
    with pytest.raises(ValidationError, match="Someone else has just claimed this wish"):
        wish_claim(wish=Wish.objects.get(pk=wish.pk), actor=second)
    _nothing_changed(wish, Status.CLAIMED, events)
    assert WishClaim.objects.filter(wish=wish).count() == 1


def test_only_the_claimer_fulfils_or_withdraws(
    city: City, resident: User, branch_secretary: User, member_user: User
) -> None:
    wish = make_wish(city.east, posted_by=resident, reviewer=branch_secretary)
    wish_claim(wish=wish, actor=member_user)
    stranger = make_member_user(city.east, "stranger")
    events = Event.objects.count()
    with pytest.raises(ValidationError, match="Only the claimer"):
        wish_fulfil(wish=wish, actor=stranger)
    with pytest.raises(ValidationError, match="Only the claimer"):
        wish_withdraw(wish=wish, actor=stranger)
    _nothing_changed(wish, Status.CLAIMED, events)


def test_a_fulfilled_wish_cannot_be_withdrawn_from(
    city: City, resident: User, branch_secretary: User, member_user: User
) -> None:
    wish = make_wish(city.east, posted_by=resident, reviewer=branch_secretary)
    wish_claim(wish=wish, actor=member_user)
    wish_fulfil(wish=wish, actor=member_user)
    events = Event.objects.count()
    with pytest.raises(ValidationError, match="can no longer be withdrawn"):
        wish_withdraw(wish=wish, actor=member_user)
    _nothing_changed(wish, Status.FULFILLED, events)
    assert WishClaim.objects.get(wish=wish).is_active


def test_someone_without_a_member_record_cannot_claim(city: City, resident: User, branch_secretary: User) -> None:
    wish = make_wish(city.east, posted_by=branch_secretary, reviewer=branch_secretary)
    events = Event.objects.count()
    with pytest.raises(ValidationError, match="Only Party members and organizations"):
        wish_claim(wish=wish, actor=resident)
    _nothing_changed(wish, Status.PUBLISHED, events)
    assert not WishClaim.objects.exists()


def test_an_admin_claims_for_their_organization_but_not_for_another(
    city: City, resident: User, branch_secretary: User, district_admin: User
) -> None:
    wish = make_wish(city.east, posted_by=resident, reviewer=branch_secretary)
    with pytest.raises(ValidationError, match="not allowed"):
        wish_claim(wish=wish, actor=branch_secretary, organization=city.west)
    with pytest.raises(ValidationError, match="Choose the organization"):
        wish_claim(wish=wish, actor=branch_secretary)
    assert not WishClaim.objects.exists()
    claim = wish_claim(wish=wish, actor=district_admin, organization=city.west)
    assert claim.organization == city.west


def test_an_unreviewed_wish_cannot_be_claimed(city: City, resident: User, member_user: User) -> None:
    wish = make_wish(city.east, posted_by=resident)
    with pytest.raises(ValidationError, match="not open for claims"):
        wish_claim(wish=wish, actor=member_user)
    assert not WishClaim.objects.exists()


def test_the_transition_table_refuses_a_jump(city: City, resident: User, branch_secretary: User) -> None:
    wish = make_wish(city.east, posted_by=resident)
    events = Event.objects.count()
    with pytest.raises(ValidationError, match="cannot become"):
        wish_transition(wish=wish, to=Status.CONFIRMED, actor=branch_secretary)
    _nothing_changed(wish, Status.SUBMITTED, events)


def test_a_warm_heart_task_fills_up_then_each_participant_may_withdraw(
    city: City, branch_secretary: User, district_admin: User
) -> None:
    task = make_wish(
        city.east,
        posted_by=branch_secretary,
        reviewer=branch_secretary,
        kind=Wish.Kind.WARM_TASK,
        capacity=2,
        title="为困难家庭修缮房屋",
        amount=None,
    )
    a, b, c = (make_member_user(city.east, name) for name in ("a", "b", "c"))
    wish_claim(wish=task, actor=a)
    task.refresh_from_db()
    assert task.status == Status.PUBLISHED and task.claimed_count == 1
    with pytest.raises(ValidationError, match="already claimed"):
        wish_claim(wish=task, actor=a)
    wish_claim(wish=task, actor=b)
    task.refresh_from_db()
    assert task.status == Status.CLAIMED and task.claimed_count == 2
    with pytest.raises(ValidationError, match="last place on this task"):
        wish_claim(wish=task, actor=c)
    # a participant withdraws: the place returns and the task goes back on the wall
    wish_withdraw(wish=task, actor=a)
    task.refresh_from_db()
    assert task.status == Status.PUBLISHED and task.claimed_count == 1
    wish_claim(wish=task, actor=c)
    wish_fulfil(wish=task, actor=b)
    task.refresh_from_db()
    assert task.status == Status.FULFILLED
    assert WishClaim.objects.filter(wish=task, withdrawn_at__isnull=True).count() == 2


def test_figures_count_fulfilled_wishes_not_claims(city: City, resident: User, branch_secretary: User) -> None:
    members = [make_member_user(city.east, f"m{i}") for i in range(3)]
    task = make_wish(
        city.east, posted_by=branch_secretary, reviewer=branch_secretary, kind=Wish.Kind.WARM_TASK, capacity=3
    )
    for m in members:
        wish_claim(wish=task, actor=m)
    wish_fulfil(wish=task, actor=members[0])
    claimed = make_wish(city.east, posted_by=resident, reviewer=branch_secretary)
    wish_claim(wish=claimed, actor=members[0])
    make_wish(city.east, posted_by=resident, reviewer=branch_secretary)
    make_wish(city.east, posted_by=resident)  # not reviewed: not on the wall, not counted
    figures = wish_figures(filters=WallFilters())
    assert (figures.posted, figures.claimed, figures.fulfilled) == (3, 2, 1)
    assert wish_figures(filters=WallFilters(organization=city.west)).posted == 0


def test_names_are_masked_to_the_surname() -> None:
    assert mask_name("王秀英") == "王**"
    assert mask_name("李四") == "李*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_name("王") == "王*"
    assert mask_name("") == ""


def test_posting_writes_the_posted_event(city: City, resident: User) -> None:
    wish = wish_post(
        actor=resident,
        organization=city.east,
        title="  陪老人聊天 ",
        category=Wish.Category.COMPANY,
        beneficiary_name="张三",
    )
    assert wish.title == "陪老人聊天" and wish.amount is None and wish.beneficiary_phone == ""
    assert event_list_for(wish).get().verb == "posted"
